#!/usr/bin/env bash
# npm test: types, lint, unit and integration tests (real PostgreSQL), then the browser
# tests (real Chromium) against a production build.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
step() { printf '\n==> %s\n' "$1"; }

step "prisma generate"
node scripts/prisma.mjs generate >/dev/null
step "typecheck"
npx tsc --noEmit
step "lint"
npx eslint --max-warnings=0 .
step "unit + integration tests (vitest)"
npx vitest run --project unit --project integration --project integration-heavy
step "build"
npx next build
step "end-to-end tests (playwright, chromium)"
npx playwright test
