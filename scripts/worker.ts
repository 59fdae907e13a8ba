// `npm run worker`: the orchestration worker alone (`npm start` runs it next to the web
// server). Several may run on several machines against one database. SIGTERM/SIGINT finish
// the running jobs (driver calls still running after ORQ_SHUTDOWN_GRACE_MS are aborted and
// retried by another worker), then exit.
import { logger } from "../lib/log/logger";
import { startWorker } from "../lib/orchestration/worker";

const log = logger.child({ process: "worker" });
const connectionString = process.env.DATABASE_URL;
if (!connectionString) {
  log.fatal("DATABASE_URL is not set");
  process.exit(2);
}

// A stray rejection or a dropped socket must not take the worker down; log it and go on.
process.on("unhandledRejection", (reason) => log.error({ err: reason instanceof Error ? reason.message : String(reason) }, "unhandled rejection"));
process.on("uncaughtException", (err) => log.error({ err: err.message, stack: err.stack }, "uncaught exception"));

const worker = await startWorker({ connectionString, log });
// Tests and supervisors wait for this line.
log.info({ poolId: worker.poolId(), pid: process.pid }, "worker ready");
if (process.env.ORQ_WORKER_READY_FD === "stdout") process.stdout.write(`ORQ_WORKER_READY ${worker.poolId()}\n`);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "stopping: finishing running jobs");
  worker
    .stop()
    .then(() => process.exit(0))
    .catch((err: Error) => {
      log.error({ err: err.message }, "stop failed");
      process.exit(1);
    });
};
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
