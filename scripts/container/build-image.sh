#!/usr/bin/env bash
# Builds the Orquestra image with Podman WITHOUT a registry: first a base image made here from
# a minimal root filesystem (this Debian machine's C/C++ runtime libraries, CA certificates, a
# POSIX shell and the Node.js runtime: `node` on PATH, or NODE_BIN=...), imported with
# `podman import`; then the Containerfile (multi-stage: build, then a non-root runtime) on it.
# The build context carries node_modules (installed by `npm ci` beforehand), so the image
# build itself needs no network.
#   bash scripts/container/build-image.sh [tag]        (default orquestra:local)
# Env: NODE_BIN (the node binary to put in the base), ORQ_BASE_IMAGE (reuse a base image).
set -euo pipefail
cd "$(dirname "$0")/../.."
TAG="${1:-orquestra:local}"
BASE="${ORQ_BASE_IMAGE:-orquestra-base:local}"
NODE_BIN="${NODE_BIN:-$(command -v node)}"
t0=$SECONDS

if ! podman image exists "$BASE"; then
  tree="$(mktemp -d)"
  trap 'rm -rf "$tree"' EXIT
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

podman build --pull=never --build-arg "BASE=$BASE" -f Containerfile -t "$TAG" .
echo "image $TAG built in $((SECONDS - t0)) s"
# The image answers: node runs as the non-root user and the app is there. (Skipped where
# containers cannot set their resource limits, e.g. inside another sandbox: ORQ_IMAGE_CHECK=0.)
[ "${ORQ_IMAGE_CHECK:-1}" = 0 ] || podman run --rm --entrypoint /usr/local/bin/node "$TAG" -e 'const fs=require("fs");if(process.getuid()===0)throw new Error("runs as root");if(!fs.existsSync("/app/.next/BUILD_ID"))throw new Error("no build");console.log("image check: uid",process.getuid(),"build",fs.readFileSync("/app/.next/BUILD_ID","utf8"))'
