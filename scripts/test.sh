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
      # Both are single-threaded: side by side on two cores; tsc's output (errors only)
      # is printed after ESLint's, and either one failing fails the step.
      step "typecheck + lint"
      tsc_out="$(mktemp)"
      npx tsc --noEmit >"$tsc_out" 2>&1 &
      tsc_pid=$!
      lint=0
      npx eslint --max-warnings=0 . || lint=$?
      tsc=0
      wait "$tsc_pid" || tsc=$?
      cat "$tsc_out"
      rm -f "$tsc_out"
      [ "$tsc" = 0 ] || echo "test.sh: typecheck failed (tsc exit $tsc)" >&2
      [ "$lint" = 0 ] || echo "test.sh: lint failed (eslint exit $lint)" >&2
      [ "$tsc" = 0 ] && [ "$lint" = 0 ] || exit 1
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
