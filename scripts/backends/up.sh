#!/usr/bin/env bash
# Starts the local driver backends (../shared/docs/backends.md) under .backends/ (git-ignored):
#   docker  - Podman's Docker Engine API on a unix socket (runc, cgroupfs), image localhost/busybox:latest
#   libvirt - libvirtd as user nobody serving the test driver and qemu:///session, pool "orquestra"
#   lxd     - LXD 5.0 on its unix socket, dir storage pool, image alias "busybox"
#   vsphere - govmomi vcsim (vCenter 6.5 simulator) on 127.0.0.1 with a user and password
#   ec2     - moto (AWS APIs) on 127.0.0.1 with IAM authentication on, a VPC, subnet, security
#             group, key pair and AMI (scripts/backends/moto-seed.py); moto from ORQ_MOTO_DIR
#   winrm   - winrmtest (WS-Management shell) behind TLS and NTLMv2 (go-ntlm), for the Hyper-V
#             driver's transport: no Hyper-V, see scripts/backends/winrm/main.go
# Usage: scripts/backends/up.sh [docker] [libvirt] [lxd] [vsphere] [ec2] [winrm]   (default: all)
# The backends start in parallel (each one's output is printed when it is up).
# Writes each backend's pids to .backends/<name>/*.pid and the endpoints to
# .backends/endpoints.env (sourced by the conformance suite). Only loopback and unix
# sockets are used. Exits non-zero when a requested backend fails to start.
set -uo pipefail

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
ROOT="${ORQ_BACKENDS_DIR:-$REPO/.backends}"
mkdir -p "$ROOT"
ROOT="$(cd "$ROOT" && pwd)"
SELF_DIR="$REPO/scripts/backends"

if [ "$(id -u)" -ne 0 ]; then
  echo "up.sh: run as root (podman, libvirtd and lxd are started as root, libvirtd drops to nobody)" >&2
  exit 1
fi

wanted=("$@")
[ ${#wanted[@]} -eq 0 ] && wanted=(docker libvirt lxd vsphere ec2 winrm)
MOTO_DIR="${ORQ_MOTO_DIR:-/opt/orquestra/moto}"

free_port() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
wait_for() { # wait_for <seconds> <command...>
  local deadline=$(( $(date +%s) + $1 )); shift
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -ge "$deadline" ] && return 1
    sleep 0.1
  done
}

# A busybox root file system with RELATIVE applet links (absolute ones break inside a
# container) and an idle command that exits promptly on SIGTERM.
make_busybox_rootfs() { # make_busybox_rootfs <dir>
  local dir="$1"
  rm -rf "$dir"; mkdir -p "$dir"/{bin,sbin,etc,proc,sys,dev,tmp,root,run,var/log,usr/bin,usr/sbin}
  cp /bin/busybox "$dir/bin/busybox"
  local applet
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] && continue
    [ -e "$dir/bin/$applet" ] || ln -s busybox "$dir/bin/$applet"
  done
  ln -sf ../bin/busybox "$dir/sbin/init"
  cat > "$dir/bin/orquestra-idle" <<'IDLE'
#!/bin/sh
# Idles until told to stop; handles SIGTERM so that a stop is immediate.
trap 'exit 0' TERM INT
while :; do sleep 3600 & wait $!; done
IDLE
  chmod 755 "$dir/bin/orquestra-idle"
  printf '::sysinit:/bin/true\n::shutdown:/bin/true\n' > "$dir/etc/inittab"
  printf 'root:x:0:0:root:/root:/bin/sh\n' > "$dir/etc/passwd"
  printf 'root:x:0:\n' > "$dir/etc/group"
  chmod 1777 "$dir/tmp"
}

# --------------------------------------------------------------------------- docker
up_docker() {
  local D="$ROOT/podman" t0; t0=$(now)
  if alive "$D/service.pid"; then echo "docker: already running (pid $(cat "$D/service.pid"))"; return 0; fi
  rm -f "$D/endpoints.env"
  mkdir -p "$D"/{root,run,tmp,events,networks}
  cat > "$D/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$D/events/events.log"
tmp_dir = "$D/tmp"

[network]
network_config_dir = "$D/networks"
CONF
  cat > "$D/storage.conf" <<CONF
[storage]
driver = "overlay"
graphroot = "$D/root"
runroot = "$D/run"
CONF
  export CONTAINERS_CONF="$D/containers.conf" CONTAINERS_STORAGE_CONF="$D/storage.conf"
  if ! podman image exists localhost/busybox:latest 2>/dev/null; then
    make_busybox_rootfs "$D/rootfs"
    tar -C "$D/rootfs" -c . | podman import \
      --change 'CMD ["/bin/orquestra-idle"]' \
      --change 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin' - localhost/busybox:latest >/dev/null || return 1
  fi
  rm -f "$D/podman.sock"
  podman system service --time=0 "unix://$D/podman.sock" > "$D/service.log" 2>&1 &
  echo $! > "$D/service.pid"
  wait_for 30 curl -sf --unix-socket "$D/podman.sock" http://d/_ping || { echo "docker: service did not answer, see $D/service.log" >&2; return 1; }
  cat > "$D/endpoints.env" <<ENV
ORQ_DOCKER_SOCKET=$D/podman.sock
ORQ_DOCKER_IMAGE=localhost/busybox:latest
ENV
  echo "docker: Podman Docker API at unix://$D/podman.sock (image localhost/busybox:latest) in $(elapsed "$t0") s"
}

# --------------------------------------------------------------------------- libvirt
up_libvirt() {
  local L="$ROOT/libvirt" t0; t0=$(now)
  if alive "$L/libvirtd.pid"; then echo "libvirt: already running (pid $(cat "$L/libvirtd.pid"))"; return 0; fi
  rm -f "$L/endpoints.env"
  mkdir -p "$L"/{home,run,config,cache,images}
  chown -R 65534:65534 "$L"
  # libvirtd runs as nobody: every directory above $L must be reachable by it.
  if ! setpriv --reuid=65534 --regid=65534 --clear-groups test -w "$L/run"; then
    echo "libvirt: $L is not reachable by user nobody (check the permissions of its parents)" >&2; return 1
  fi
  local SOCK="$L/run/libvirt/libvirt-sock"
  rm -f "$SOCK"
  setpriv --reuid=65534 --regid=65534 --clear-groups \
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$L/home" XDG_RUNTIME_DIR="$L/run" \
    XDG_CONFIG_HOME="$L/config" XDG_CACHE_HOME="$L/cache" \
    /usr/sbin/libvirtd > "$L/libvirtd.log" 2>&1 &
  echo $! > "$L/libvirtd.pid"
  wait_for 30 test -S "$SOCK" || { echo "libvirt: no socket, see $L/libvirtd.log" >&2; return 1; }
  local TEST_URI="test+unix:///default?socket=$SOCK" QEMU_URI="qemu+unix:///session?socket=$SOCK"
  wait_for 30 virsh -c "$TEST_URI" version || { echo "libvirt: test driver not answering" >&2; return 1; }
  # The test driver forgets its state when its last connection closes: keep one open.
  virsh -c "$TEST_URI" event --all --loop > "$L/test-events.log" 2>&1 &
  echo $! > "$L/test-events.pid"
  # A dir pool for overlays in the QEMU session (the daemon creates volumes as nobody).
  if ! virsh -c "$QEMU_URI" pool-info orquestra >/dev/null 2>&1; then
    virsh -c "$QEMU_URI" pool-define-as orquestra dir --target "$L/images" >/dev/null || return 1
  fi
  virsh -c "$QEMU_URI" pool-start orquestra >/dev/null 2>&1 || true
  virsh -c "$QEMU_URI" pool-autostart orquestra >/dev/null 2>&1 || true
  local info; info="$(virsh -c "$QEMU_URI" pool-info orquestra 2>&1)"
  grep -q "State:.*running" <<<"$info" || { echo "libvirt: pool orquestra not running: $info" >&2; return 1; }
  cat > "$L/endpoints.env" <<ENV
ORQ_LIBVIRT_SOCKET=$SOCK
ORQ_LIBVIRT_TEST_URI=$TEST_URI
ORQ_LIBVIRT_QEMU_URI=$QEMU_URI
ORQ_LIBVIRT_QEMU_POOL=orquestra
ORQ_LIBVIRT_QEMU_POOL_DIR=$L/images
ENV
  echo "libvirt: libvirtd (as nobody) at $SOCK: $TEST_URI and $QEMU_URI in $(elapsed "$t0") s"
}

# --------------------------------------------------------------------------- lxd
up_lxd() {
  local X="$ROOT/lxd" t0; t0=$(now)
  if alive "$X/lxd.pid"; then echo "lxd: already running (pid $(cat "$X/lxd.pid"))"; return 0; fi
  rm -f "$X/endpoints.env"
  mkdir -p "$X"/{dir,storage}
  chmod 711 "$X/dir"
  export LXD_DIR="$X/dir"
  lxd --group root --logfile "$X/lxd.log" > "$X/lxd.out" 2>&1 &
  echo $! > "$X/lxd.pid"
  lxd waitready --timeout 60 || { echo "lxd: not ready, see $X/lxd.log" >&2; return 1; }
  if ! lxc storage show default >/dev/null 2>&1; then
    lxd init --preseed <<YAML || return 1
config: {}
storage_pools:
- name: default
  driver: dir
  config:
    source: $X/storage
profiles:
- name: default
  devices:
    root:
      path: /
      pool: default
      type: disk
YAML
  fi
  if ! lxc image info busybox >/dev/null 2>&1; then
    local IMG="$X/image"
    rm -rf "$IMG"; mkdir -p "$IMG"
    make_busybox_rootfs "$IMG/rootfs"
    cat > "$IMG/metadata.yaml" <<YAML
architecture: $(uname -m)
creation_date: $(date +%s)
properties:
  description: busybox (built locally by Orquestra's backends script)
  os: busybox
  release: "$(/bin/busybox | head -1 | awk '{print $2}')"
YAML
    tar -C "$IMG" -czf "$X/busybox.tar.gz" metadata.yaml rootfs || return 1
    lxc image import "$X/busybox.tar.gz" --alias busybox >/dev/null || return 1
  fi
  cat > "$X/endpoints.env" <<ENV
ORQ_LXD_SOCKET=$X/dir/unix.socket
ORQ_LXD_IMAGE=busybox
ENV
  echo "lxd: LXD at $X/dir/unix.socket (image alias busybox) in $(elapsed "$t0") s"
}

# --------------------------------------------------------------------------- vsphere
up_vsphere() {
  local V="$ROOT/vcsim" t0; t0=$(now)
  if alive "$V/vcsim.pid"; then echo "vsphere: already running (pid $(cat "$V/vcsim.pid"))"; return 0; fi
  rm -f "$V/endpoints.env"
  mkdir -p "$V"/{gopath/src/orquestra-vcsim,cache,tmp}
  if [ ! -x "$V/vcsim" ] || ! cmp -s "$SELF_DIR/vcsim/main.go" "$V/gopath/src/orquestra-vcsim/main.go"; then
    cp "$SELF_DIR/vcsim/main.go" "$V/gopath/src/orquestra-vcsim/main.go"
    echo "vsphere: building the vcsim launcher (about 20-90 s cold)"
    (cd "$V/gopath/src/orquestra-vcsim" && GO111MODULE=off GOPATH="$V/gopath:/usr/share/gocode" \
      GOCACHE="$V/cache" GOFLAGS= go build -o "$V/vcsim" .) || return 1
  fi
  local PASS; PASS="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
  rm -f "$V/url"
  TMPDIR="$V/tmp" "$V/vcsim" -listen 127.0.0.1:0 -username orquestra -password "$PASS" -urlfile "$V/url" > "$V/vcsim.log" 2>&1 &
  echo $! > "$V/vcsim.pid"
  wait_for 30 test -s "$V/url" || { echo "vsphere: vcsim did not start, see $V/vcsim.log" >&2; return 1; }
  cat > "$V/endpoints.env" <<ENV
ORQ_VSPHERE_URL=$(cat "$V/url")
ORQ_VSPHERE_USERNAME=orquestra
ORQ_VSPHERE_PASSWORD=$PASS
ORQ_VSPHERE_TEMPLATE=DC0_C0_RP0_VM0
ENV
  echo "vsphere: vcsim at $(cat "$V/url") (user orquestra, password in $V/endpoints.env) in $(elapsed "$t0") s"
}

# --------------------------------------------------------------------------- ec2 (moto)
up_ec2() {
  local E="$ROOT/moto" t0 port; t0=$(now)
  if alive "$E/moto.pid"; then echo "ec2: already running (pid $(cat "$E/moto.pid"))"; return 0; fi
  rm -f "$E/endpoints.env"
  mkdir -p "$E"
  if [ ! -x "$MOTO_DIR/root/usr/bin/moto_server" ]; then
    echo "ec2: moto is not installed in $MOTO_DIR (run: sudo bash scripts/backends/install.sh, or set ORQ_MOTO_DIR)" >&2; return 1
  fi
  # 5055 when free (the demo's EC2 provider points there), else any free port.
  port="${ORQ_MOTO_PORT:-5055}"
  /usr/bin/python3 -c 'import socket, sys; socket.socket().bind(("127.0.0.1", int(sys.argv[1])))' "$port" 2>/dev/null || port=$(free_port)
  PYTHONPATH="$MOTO_DIR/root/usr/lib/python3/dist-packages" \
    /usr/bin/python3 "$MOTO_DIR/root/usr/bin/moto_server" -H 127.0.0.1 -p "$port" > "$E/moto.log" 2>&1 &
  echo $! > "$E/moto.pid"
  # Any HTTP answer means it is listening (curl without -f succeeds on any status).
  wait_for 60 curl -s -o /dev/null "http://127.0.0.1:$port/moto-api/data.json" \
    || { echo "ec2: moto did not answer, see $E/moto.log" >&2; return 1; }
  /usr/bin/python3 "$SELF_DIR/moto-seed.py" --endpoint "http://127.0.0.1:$port" --enable-auth > "$E/endpoints.env.tmp" 2> "$E/seed.log" \
    || { echo "ec2: seeding moto failed, see $E/seed.log" >&2; return 1; }
  mv "$E/endpoints.env.tmp" "$E/endpoints.env"
  echo "ec2: moto $(PYTHONPATH="$MOTO_DIR/root/usr/lib/python3/dist-packages" /usr/bin/python3 -c 'import moto; print(moto.__version__)') at http://127.0.0.1:$port (IAM auth on, key in $E/endpoints.env) in $(elapsed "$t0") s"
}

# --------------------------------------------------------------------------- winrm (winrmtest)
up_winrm() {
  local W="$ROOT/winrm" t0 PASS; t0=$(now)
  if alive "$W/winrm.pid"; then echo "winrm: already running (pid $(cat "$W/winrm.pid"))"; return 0; fi
  rm -f "$W/endpoints.env"
  mkdir -p "$W"/{gopath/src/orquestra-winrm,cache}
  if [ ! -x "$W/winrm" ] || ! cmp -s "$SELF_DIR/winrm/main.go" "$W/gopath/src/orquestra-winrm/main.go"; then
    cp "$SELF_DIR/winrm/main.go" "$W/gopath/src/orquestra-winrm/main.go"
    echo "winrm: building the winrmtest launcher (about 10-40 s cold)"
    (cd "$W/gopath/src/orquestra-winrm" && GO111MODULE=off GOPATH="$W/gopath:/usr/share/gocode" \
      GOCACHE="$W/cache" GOFLAGS= go build -o "$W/winrm" .) || return 1
  fi
  PASS="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
  rm -f "$W/url" "$W/ca.pem"
  "$W/winrm" -listen 127.0.0.1:0 -username orquestra -password "$PASS" -domain LAB -urlfile "$W/url" -cafile "$W/ca.pem" > "$W/winrm.log" 2>&1 &
  echo $! > "$W/winrm.pid"
  wait_for 30 test -s "$W/url" || { echo "winrm: winrmtest did not start, see $W/winrm.log" >&2; return 1; }
  cat > "$W/endpoints.env" <<ENV
ORQ_WINRM_URL=$(cat "$W/url")
ORQ_WINRM_USERNAME=LAB\\orquestra
ORQ_WINRM_PASSWORD=$PASS
ORQ_WINRM_CA=$W/ca.pem
ENV
  echo "winrm: winrmtest (TLS + NTLMv2) at $(cat "$W/url") in $(elapsed "$t0") s"
}

# Every backend starts at once (two cores; most of the time is waiting), each logging to its
# own file, printed in order when it is done.
failed=()
pids=()
for b in "${wanted[@]}"; do
  case "$b" in
    docker|libvirt|lxd|vsphere|ec2|winrm) ("up_$b") > "$ROOT/up-$b.log" 2>&1 & pids+=("$!") ;;
    *) echo "up.sh: unknown backend '$b' (docker, libvirt, lxd, vsphere, ec2, winrm)" >&2; failed+=("$b"); pids+=("") ;;
  esac
done
for i in "${!wanted[@]}"; do
  [ -n "${pids[$i]}" ] || continue
  wait "${pids[$i]}" || failed+=("${wanted[$i]}")
  cat "$ROOT/up-${wanted[$i]}.log"
done

# endpoints.env: every running backend's endpoints, for the tests (and for a person).
{
  echo "# Written by scripts/backends/up.sh on $(date -u +%FT%TZ); stop with npm run backends:down"
  for f in "$ROOT"/podman/endpoints.env "$ROOT"/libvirt/endpoints.env "$ROOT"/lxd/endpoints.env "$ROOT"/vcsim/endpoints.env "$ROOT"/moto/endpoints.env "$ROOT"/winrm/endpoints.env; do
    [ -f "$f" ] && cat "$f"
  done
} > "$ROOT/endpoints.env"
chmod 600 "$ROOT/endpoints.env"
echo "endpoints: $ROOT/endpoints.env"

if [ ${#failed[@]} -gt 0 ]; then
  echo "up.sh: failed to start: ${failed[*]}" >&2
  exit 1
fi
