// Writes docs/stack.schema.json from the zod schema (lib/stacks/document.ts); a unit test
// checks the committed file matches. Run: node_modules/.bin/tsx scripts/gen-stack-schema.ts
import { mkdirSync, writeFileSync } from "node:fs";
import { stackJsonSchema } from "../lib/stacks/document";

mkdirSync("docs", { recursive: true });
writeFileSync("docs/stack.schema.json", JSON.stringify(stackJsonSchema(), null, 2) + "\n");
console.log("wrote docs/stack.schema.json");
