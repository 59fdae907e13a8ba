import fs from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import { oidcPortalEnv } from "./e2e/oidc";

// Debian's chromium (apt-get install chromium) on our offline machines; Playwright's own
// browser build elsewhere if it is installed.
const systemChromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => fs.existsSync(p));
const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${PORT}`;

export default defineConfig({
  testDir: "e2e",
  // moto (AWS APIs) for the EC2 spec, started on loopback and stopped by pid.
  globalSetup: "./e2e/global-setup.ts",
  globalTeardown: "./e2e/global-teardown.ts",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    locale: "en-US",
    launchOptions: systemChromium
      ? {
          executablePath: systemChromium,
          args: [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
          ],
        }
      : undefined,
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: {
    // A throw-away embedded database, migrated and seeded, with the worker; ready only when
    // the app answers /api/health. The build is made by `npm test` beforehand.
    command: "node_modules/.bin/tsx scripts/start.ts",
    url: `${baseURL}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: process.env.E2E_SERVER_LOG ? "pipe" : "ignore",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    env: {
      PORT: String(PORT),
      ORQ_DATA_DIR: `${process.cwd()}/.data/e2e-${PORT}`,
      ORQ_EPHEMERAL: "1",
      ORQ_SKIP_BUILD: process.env.ORQ_E2E_BUILD === "1" ? "0" : "1",
      ORQ_SIM_LATENCY_MS: "0",
      ORQ_LOG_LEVEL: "warn",
      // Every spec signs in from 127.0.0.1: keep the per-address sign-in limit out of their way
      // (the limits themselves are tested in lib/auth/verify-credentials.int.test.ts).
      ORQ_LOGIN_IP_MAX_FAILURES: "1000",
      DATABASE_URL: "",
      // Single sign-on against the provider e2e/global-setup.ts starts (e2e/sso.spec.ts);
      // password sign-in stays on for the demo users.
      ...oidcPortalEnv,
    },
  },
});
