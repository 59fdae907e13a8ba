#!/usr/bin/env bash
# npm test: types, lint, unit and integration tests (real PostgreSQL), then the browser
# tests (real Chromium) against a production build.
#   bash scripts/test.sh [static] [vitest] [build] [e2e]    (default: all four, in this order)
# CI (.ci/run) runs the same steps in two calls, `static vitest build` then `e2e`, to start
# the driver conformance suite and the image build (which reuses this build) in between.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
step() { printf '\n==> %s\n' "$1"; }
steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(static vitest build e2e)

for s in "${steps[@]}"; do
  case "$s" in
    static)
      step "prisma generate"
      node scripts/prisma.mjs generate >/dev/null
      step "typecheck"
      npx tsc --noEmit
      step "lint"
      npx eslint --max-warnings=0 .
      ;;
    vitest)
      step "unit + integration tests (vitest)"
      npx vitest run --project unit --project integration --project integration-heavy
      ;;
    build)
      step "build"
      npx next build
      ;;
    e2e)
      step "end-to-end tests (playwright, chromium)"
      npx playwright test
      ;;
    *)
      echo "test.sh: unknown step '$s' (static, vitest, build, e2e)" >&2
      exit 2
      ;;
  esac
done
