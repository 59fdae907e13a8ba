#!/usr/bin/env bash
# Proves the image works, not just that it builds (CI runs it after build-image.sh):
#  1. a throw-away embedded PostgreSQL on the host (scripts/container/test-db.ts);
#  2. the image's migrate command against it;
#  3. the web server container (host network, resource limits), polled on /api/health until
#     200, then its own HEALTHCHECK run once, then the sign-in page rendered;
#  4. the worker container: its ready line and its heartbeat row in "WorkerProcess", then a
#     graceful stop (exit code 0);
# then both containers are removed by id and the database stopped by pid, also on failure.
#   bash scripts/container/check-image.sh [image]      (default orquestra:local)
# Env: ORQ_IMAGE_CHECK_TIMEOUT (seconds for each wait, default 180).
set -euo pipefail
cd "$(dirname "$0")/../.."
IMAGE="${1:-orquestra:local}"
WAIT="${ORQ_IMAGE_CHECK_TIMEOUT:-180}"
t0=$SECONDS
say() { echo "check-image: $* ($((SECONDS - t0)) s)"; }

work="$(mktemp -d)"
db_pid="" web_id="" worker_id=""
cleanup() {
  local rc=$?
  if [ "$rc" != 0 ]; then
    for id in "$web_id" "$worker_id"; do
      [ -z "$id" ] || { echo "--- logs of ${id:0:12}:"; podman logs --tail 60 "$id" 2>&1 || true; }
    done
    [ ! -s "$work/db.log" ] || { echo "--- database:"; tail -20 "$work/db.log"; }
  fi
  for id in "$worker_id" "$web_id"; do
    [ -z "$id" ] || podman rm -f -t 5 "$id" >/dev/null 2>&1 || true
  done
  if [ -n "$db_pid" ]; then
    kill -TERM "$db_pid" 2>/dev/null || true
    wait "$db_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
  [ "$rc" = 0 ] || echo "check-image: FAILED (exit $rc)" >&2
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() { echo "check-image: $*" >&2; exit 1; }
# Polls "$@" every second until it succeeds, for at most $WAIT seconds.
wait_for() {
  local what="$1" deadline=$((SECONDS + WAIT))
  shift
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || fail "timed out after $WAIT s waiting for $what"
    sleep 1
  done
}
running() { [ "$(podman inspect --format '{{.State.Running}}' "$1" 2>/dev/null)" = true ]; }

podman image exists "$IMAGE" || fail "no image $IMAGE (bash scripts/container/build-image.sh first)"
[ "$(podman image inspect --format '{{.Config.User}}' "$IMAGE")" = "10001:10001" ] || fail "$IMAGE does not run as user 10001"

# Resource limits as a deployment would set them (memory, processes), within what this
# machine lets podman set (scripts/container/limits.sh says what it cannot).
source scripts/container/limits.sh
probe_limits "$IMAGE" || exit 1
limits+=("${ulimits[@]}")

# 1. The database (throw-away; the URL appears in the file once it accepts connections).
node --import tsx scripts/container/test-db.ts "$work" >"$work/db.log" 2>&1 &
db_pid=$!
db_up() { kill -0 "$db_pid" 2>/dev/null || fail "the database did not start"; [ -s "$work/db-url" ]; }
wait_for "the database" db_up
url="$(cat "$work/db-url")"
say "database up"

secret() { node -e 'console.log(require("crypto").randomBytes(32).toString("base64"))'; }
port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
envs=(-e "DATABASE_URL=$url" -e "AUTH_SECRET=$(secret)" -e "ORQ_ENCRYPTION_KEY=$(secret)"
  -e "ORQ_PUBLIC_URL=http://127.0.0.1:$port" -e "ORQ_LOG_LEVEL=info")

# 2. Migrations, as compose.yaml's migrate service runs them.
podman run --rm --network host "${limits[@]}" -e "DATABASE_URL=$url" "$IMAGE" \
  /usr/local/bin/node --import tsx scripts/migrate.ts | tail -1
say "migrations applied"

# 3. The web server: /api/health 200 (database reachable and migrated), then its HEALTHCHECK.
web_id="$(podman run -d --network host "${limits[@]}" "${envs[@]}" -e "PORT=$port" "$IMAGE")"
health() {
  running "$web_id" || fail "the web server container stopped"
  node -e 'fetch(process.argv[1]).then(r=>process.exit(r.status===200?0:1),()=>process.exit(1))' "http://127.0.0.1:$port/api/health"
}
wait_for "GET /api/health = 200" health
say "web server healthy on port $port"
podman healthcheck run "$web_id" >/dev/null || fail "the image's HEALTHCHECK failed on a healthy server"
say "image HEALTHCHECK passes"
# A page rendered by the server (React server components, next-intl, the CSS bundle): the image
# leaves build-only packages out (scripts/container/prune-runtime.mjs), and none may be needed.
node -e '
fetch(process.argv[1]).then(async (r) => {
  const html = await r.text();
  if (r.status !== 200 || !/<html[^>]*lang=/.test(html) || !/<input[^>]*type="password"/.test(html)) {
    console.error(`GET /login answered ${r.status}: ${html.slice(0, 300)}`);
    process.exit(1);
  }
}, (e) => { console.error(e.message); process.exit(1); })' "http://127.0.0.1:$port/login" || fail "the sign-in page did not render"
say "sign-in page rendered"

# 4. The worker: ready, its heartbeat row written, then a graceful stop.
worker_id="$(podman run -d --network host "${limits[@]}" "${envs[@]}" -e ORQ_PROCESS=worker \
  -e ORQ_WORKER_READY_FD=stdout -e ORQ_WORKER_HEARTBEAT_MS=2000 "$IMAGE" \
  /usr/local/bin/node --conditions=react-server --import tsx scripts/worker.ts)"
worker_ready() {
  running "$worker_id" || fail "the worker container stopped"
  grep -q '^ORQ_WORKER_READY ' <<<"$(podman logs "$worker_id" 2>/dev/null)"
}
wait_for "the worker's ready line" worker_ready
pool="$(podman logs "$worker_id" 2>/dev/null | awk '/^ORQ_WORKER_READY /{print $2; exit}')"
heartbeat() {
  node -e '
    const pg = require("pg");
    const c = new pg.Client({ connectionString: process.argv[1] });
    c.connect()
      .then(() => c.query(`SELECT 1 FROM "WorkerProcess" WHERE id = $1 AND "heartbeatAt" > now() - interval '\''1 minute'\''`, [process.argv[2]]))
      .then((r) => c.end().then(() => process.exit(r.rowCount === 1 ? 0 : 1)), () => process.exit(1));
  ' "$url" "$pool"
}
wait_for "the worker's heartbeat row" heartbeat
say "worker $pool connected (heartbeat row)"
podman stop -t 30 "$worker_id" >/dev/null
code="$(podman inspect --format '{{.State.ExitCode}}' "$worker_id")"
[ "$code" = 0 ] || fail "the worker exited with $code on SIGTERM"
say "worker stopped gracefully"
echo "check-image: $IMAGE passed in $((SECONDS - t0)) s"
