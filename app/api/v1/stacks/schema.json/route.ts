// The stack document's JSON Schema (lib/stacks/document.ts), public like the API description:
// editors fetch it to validate and complete stack files (also committed as docs/stack.schema.json).
import { stackJsonSchema } from "@/lib/stacks/document";
import { onlyMethods } from "@/lib/api/handler";

export const dynamic = "force-static";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = onlyMethods({
  GET: () => Response.json(stackJsonSchema(), { headers: { "Cache-Control": "public, max-age=300", "Content-Type": "application/schema+json" } }),
});
