import path from "node:path";
import { defineConfig } from "vitest/config";

/** Integration tests that drive several worker processes hard (the "integration-heavy" project). */
const HEAVY = [
  "test/orchestration/chaos.int.test.ts",
  "test/orchestration/capacity.int.test.ts",
  "test/orchestration/worker-crash.int.test.ts",
  "test/orchestration/db-restart.int.test.ts",
  "test/scale/scale-out.int.test.ts",
  "test/orchestration/scaling-crash.int.test.ts",
];

/**
 * Integration tests that need the real backends (npm run backends:up): they run with the driver
 * conformance suite, after CI has started the backends (npm test runs before that).
 */
const ON_BACKENDS = ["lib/console/console.int.test.ts", "lib/console/vnc.int.test.ts"];

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // Services import "server-only" to keep them out of client bundles; tests run on the server.
      "server-only": path.resolve(import.meta.dirname, "test/empty.ts"),
    },
  },
  test: {
    env: { NODE_ENV: "test" },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          sequence: { groupOrder: 0 },
          include: ["lib/**/*.test.ts", "i18n/**/*.test.ts", "scripts/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          sequence: { groupOrder: 1 },
          include: ["lib/**/*.int.test.ts", "test/**/*.int.test.ts", "prisma/**/*.int.test.ts"],
          exclude: ["test/conformance/**", "node_modules/**", ...HEAVY, ...ON_BACKENDS],
          globalSetup: ["test/global-setup.ts"],
          // next-auth imports "next/server" without an extension (fine for Next's bundler, not
          // for Node's ESM loader): let Vite resolve it (lib/auth/sso.int.test.ts).
          server: { deps: { inline: ["next-auth"] } },
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Two cores: files run two at a time, each in its own database.
          maxWorkers: 2,
        },
      },
      {
        extends: true,
        test: {
          // Tests that run several real worker processes against many machines (chaos, 100
          // approvals, worker kills, a database restart): one at a time, after the rest, so
          // they never starve each other of the two cores (their waits stay inside their own
          // timeouts either way).
          name: "integration-heavy",
          sequence: { groupOrder: 2 },
          include: HEAVY,
          globalSetup: ["test/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          maxWorkers: 1,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          // Driver conformance against the real local backends (npm run backends:up).
          name: "drivers",
          sequence: { groupOrder: 3 },
          include: ["test/conformance/**/*.test.ts", ...ON_BACKENDS],
          // The files of ON_BACKENDS clone a database from the shared template (test/db.ts).
          globalSetup: ["test/global-setup.ts"],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // Backends share two cores: one driver file at a time keeps the timings honest.
          maxWorkers: 1,
          fileParallelism: false,
        },
      },
    ],
  },
});
