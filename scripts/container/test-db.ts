// A throw-away embedded PostgreSQL for scripts/container/check-image.sh: writes its URL to the
// file given as argument once it accepts connections, then holds it until SIGTERM/SIGINT,
// when it stops the server and removes its data (scripts/with-db.ts).
import fs from "node:fs";
import { withDatabase } from "../with-db";

const out = process.argv[2];
if (!out) {
  console.error("usage: tsx scripts/container/test-db.ts URL_FILE");
  process.exit(2);
}
delete process.env.DATABASE_URL;
await withDatabase(async (url) => {
  fs.writeFileSync(`${out}.tmp`, url, { mode: 0o600 });
  fs.renameSync(`${out}.tmp`, out);
  await new Promise<void>((resolve) => {
    process.once("SIGTERM", () => resolve());
    process.once("SIGINT", () => resolve());
  });
});
