// The Prisma client (WebAssembly query compiler over node-postgres: no native engine).
// One per process; services receive it (or a transaction) through their context.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client";

export { Prisma } from "../generated/prisma/client";
export type Db = PrismaClient;
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

const globalForPrisma = globalThis as unknown as { __orqPrisma?: PrismaClient };

export function createPrisma(connectionString = process.env.DATABASE_URL): PrismaClient {
  if (!connectionString) throw new Error("DATABASE_URL is not set");
  const adapter = new PrismaPg({ connectionString, max: Number(process.env.ORQ_DB_POOL ?? 10) });
  return new PrismaClient({ adapter });
}

/** The process-wide client, created on first use (kept across hot reloads in dev). */
export function prisma(): PrismaClient {
  globalForPrisma.__orqPrisma ??= createPrisma();
  return globalForPrisma.__orqPrisma;
}
