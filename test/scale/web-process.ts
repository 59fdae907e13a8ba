// One "web server" of the scale-out test (test/scale/scale-out.int.test.ts): a separate node
// process with its own Prisma client and pool that approves requests through the same
// service verb the web server's route handler and server action call (approveRequest). The
// test drives the service layer, not HTTP: vitest runs before `next build` in npm test, so no
// production build exists at that point to start `next start` from.
//   DATABASE_URL=... ORQ_APPROVER_ID=<user> node --conditions=react-server --import tsx \
//     test/scale/web-process.ts <file with one request id per line> [parallel]
import fs from "node:fs";
import { createPrisma } from "../../lib/db/client";
import { approveRequest } from "../../lib/approvals/approve-request";
import { AppError } from "../../lib/errors";
import { ctxFor } from "../factories";

async function main() {
  const ids = fs.readFileSync(process.argv[2], "utf8").split("\n").filter(Boolean);
  const parallel = Number(process.argv[3] ?? 4);
  const db = createPrisma(process.env.DATABASE_URL);
  const ctx = await ctxFor(db, process.env.ORQ_APPROVER_ID!);
  const outcome: Record<string, number> = { approved: 0, machines: 0 };
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < ids.length) {
        const requestId = ids[next++];
        try {
          const r = await approveRequest({ ...ctx, correlationId: `scale-${requestId}` }, { requestId } as Parameters<typeof approveRequest>[1]);
          outcome.approved++;
          outcome.machines += r.machineIds.length;
        } catch (err) {
          const code = err instanceof AppError ? err.code : "ERROR";
          outcome[code] = (outcome[code] ?? 0) + 1;
          if (code === "ERROR") console.error(err);
        }
      }
    }),
  );
  await db.$disconnect();
  console.log(`ORQ_WEB_RESULT ${JSON.stringify(outcome)}`);
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
