// Prisma CLI configuration. Prisma 6.19 runs its schema engine as WebAssembly through a
// driver adapter, so no native engine is ever downloaded (see README "Database").
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

export default defineConfig({
  schema: "prisma/schema.prisma",
  experimental: { adapter: true },
  engine: "js",
  adapter: async () =>
    new PrismaPg({ connectionString: process.env.DATABASE_URL ?? "postgresql://localhost:5432/none" }),
});
