// Writes app/api/v1/**/route.ts from the operations table (lib/api/operations.ts): one file
// per path. `node_modules/.bin/tsx --conditions=react-server scripts/gen-api-routes.ts`; the
// API test fails when a route file is missing or differs.
import fs from "node:fs";
import path from "node:path";
import { API_OPERATIONS } from "../lib/api/operations";
import { routeFileFor, routeFileSource } from "../lib/api/route-files";

for (const p of new Set(API_OPERATIONS.map((o) => o.path))) {
  const file = routeFileFor(process.cwd(), p);
  const src = routeFileSource(p);
  if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== src) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, src);
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
}
