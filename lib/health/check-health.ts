import "server-only";
import { prisma } from "../db/client";

/** Liveness and readiness: the database answers and migrations are applied. */
export async function checkHealth(): Promise<{ ok: boolean; database: "up" | "down" }> {
  try {
    await prisma().$queryRaw`select 1 from "_prisma_migrations" limit 1`;
    return { ok: true, database: "up" };
  } catch {
    return { ok: false, database: "down" };
  }
}
