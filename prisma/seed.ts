// `npm run db:seed`: applies migrations and loads the demo data into DATABASE_URL.
import { migrate } from "../lib/db/migrate";
import { createPrisma } from "../lib/db/client";
import { seedDemo, DEMO_LOGINS } from "./demo-data";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set (npm start seeds the embedded database by itself)");
  process.exit(2);
}
await migrate(url, { log: console.log });
const db = createPrisma(url);
try {
  await seedDemo(db);
  console.log("demo data seeded; logins (password: orquestra):");
  for (const l of DEMO_LOGINS) console.log(`  ${l.email}  ${l.role}`);
} finally {
  await db.$disconnect();
}
