import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: ["node_modules/**", ".next*/**", "lib/generated/**", ".data/**", "test-results/**", "playwright-report/**", "next-env.d.ts", ".backends/**"],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Entry points stay thin: no database access from app/ (services in lib/ do that).
    files: ["app/**/*.ts", "app/**/*.tsx", "components/**/*.tsx", "components/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: [{ name: "@/lib/db/client", message: "Call a service verb in lib/ instead of Prisma from app/ or components/." }] },
      ],
    },
  },
  {
    // Browser tests take `test` from e2e/fixtures.ts: it fails any test whose pages broke the
    // Content-Security-Policy (a violation is a bug, not noise).
    files: ["e2e/**/*.spec.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: [{ name: "@playwright/test", importNames: ["test"], message: "Import test from ./fixtures (it checks CSP violations)." }] },
      ],
    },
  },
];

export default config;
