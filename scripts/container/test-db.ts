// A throw-away embedded PostgreSQL for scripts/container/check-image.sh, its files under the
// directory given as argument (the caller removes it): writes its URL to DIR/db-url once it
// accepts connections, then holds it until SIGTERM/SIGINT stop it.
import fs from "node:fs";
import path from "node:path";
import { startEmbeddedPostgres } from "../../lib/db/embedded";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: tsx scripts/container/test-db.ts DIR");
  process.exit(2);
}
// The server runs as the postgres user when we are root: it must reach its directory.
fs.mkdirSync(path.join(dir, "pg"), { recursive: true });
fs.chmodSync(dir, 0o755);
fs.chmodSync(path.join(dir, "pg"), 0o755);
const db = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg", "data"), persistent: false });
const out = path.join(dir, "db-url");
fs.writeFileSync(`${out}.tmp`, db.url, { mode: 0o600 });
fs.renameSync(`${out}.tmp`, out);
const stop = () => void db.stop().then(() => process.exit(0), () => process.exit(1));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
