// `npm run db:migrate`: applies the pending migrations to DATABASE_URL (once per release,
// before the new web servers and workers start; concurrent runs are serialised by the runner).
import { migrate } from "../lib/db/migrate";

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("DATABASE_URL is not set");
    process.exit(2);
  }
  const r = await migrate(url, { log: (m) => console.log(m) });
  console.log(`migrations: ${r.applied.length} applied, ${r.skipped.length} already there`);
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
