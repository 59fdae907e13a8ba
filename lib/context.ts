// What every service verb receives: who is acting, the database, a correlation id for logs
// and error reports, and a clock (tests move it).
import type { Actor } from "./auth/permissions";
import type { Db } from "./db/client";

export interface Ctx {
  actor: Actor;
  db: Db;
  correlationId: string;
  now: () => Date;
  /** The browser session acting (server actions and cookie API calls); absent for tokens and jobs. */
  sessionId?: string | null;
}
