#!/usr/bin/env bash
# Stops the backends started by up.sh, each by the pid it recorded, and cleans up what
# they leave behind (conmon processes, overlay mounts, running QEMU session VMs).
# Usage: scripts/backends/down.sh [docker] [libvirt] [lxd] [vsphere] [ec2] [winrm]   (default: all)
set -uo pipefail

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
ROOT="${ORQ_BACKENDS_DIR:-$REPO/.backends}"
[ -d "$ROOT" ] || { echo "down.sh: nothing to stop ($ROOT does not exist)"; exit 0; }
ROOT="$(cd "$ROOT" && pwd)"

wanted=("$@")
[ ${#wanted[@]} -eq 0 ] && wanted=(docker libvirt lxd vsphere ec2 winrm)

# stop_pid <pidfile> [seconds]: SIGTERM, wait, then SIGKILL; removes the pid file.
stop_pid() {
  local file="$1" secs="${2:-10}" pid i
  [ -f "$file" ] || return 0
  pid="$(cat "$file")"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < secs * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  fi
  rm -f "$file"
}

# Unmounts everything mounted below a directory, deepest first.
unmount_below() {
  local dir="$1" m
  awk -v d="$dir" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
}

# Pids of conmon processes whose command line mentions a path (ours carry our storage dirs).
conmon_pids_mentioning() {
  local needle="$1" p
  for p in /proc/[0-9]*; do
    [ "$(cat "$p/comm" 2>/dev/null)" = conmon ] || continue
    tr '\0' ' ' < "$p/cmdline" 2>/dev/null | grep -qF -- "$needle" && echo "${p#/proc/}"
  done
}

down_docker() {
  local D="$ROOT/podman" pid
  [ -d "$D" ] || return 0
  if [ -S "$D/podman.sock" ] && [ -f "$D/service.pid" ] && kill -0 "$(cat "$D/service.pid")" 2>/dev/null; then
    # Remove the containers first so no conmon or container process outlives the service.
    CONTAINERS_CONF="$D/containers.conf" CONTAINERS_STORAGE_CONF="$D/storage.conf" \
      timeout 60 podman rm --all --force --time 2 >/dev/null 2>&1 || true
  fi
  stop_pid "$D/service.pid"
  for pid in $(conmon_pids_mentioning "$D/"); do
    kill -TERM "$pid" 2>/dev/null || true
  done
  unmount_below "$D"
  rm -f "$D/podman.sock" "$D/endpoints.env"
  echo "docker: stopped"
}

down_libvirt() {
  local L="$ROOT/libvirt" uri dom
  [ -d "$L" ] || return 0
  uri="qemu+unix:///session?socket=$L/run/libvirt/libvirt-sock"
  if [ -S "$L/run/libvirt/libvirt-sock" ]; then
    # Running QEMU session VMs would outlive the daemon: destroy them through it.
    for dom in $(timeout 20 virsh -c "$uri" list --name 2>/dev/null); do
      timeout 20 virsh -c "$uri" destroy "$dom" >/dev/null 2>&1 || true
    done
  fi
  stop_pid "$L/test-events.pid"
  stop_pid "$L/libvirtd.pid" 15
  rm -f "$L/endpoints.env"
  echo "libvirt: stopped"
}

down_lxd() {
  local X="$ROOT/lxd"
  [ -d "$X" ] || return 0
  if [ -f "$X/lxd.pid" ] && kill -0 "$(cat "$X/lxd.pid")" 2>/dev/null; then
    # Stops the instances and the daemon cleanly.
    LXD_DIR="$X/dir" timeout 60 lxd shutdown --timeout 50 >/dev/null 2>&1 || true
  fi
  stop_pid "$X/lxd.pid" 15
  unmount_below "$X/dir"
  rm -f "$X/endpoints.env"
  echo "lxd: stopped"
}

down_vsphere() {
  local V="$ROOT/vcsim"
  [ -d "$V" ] || return 0
  stop_pid "$V/vcsim.pid"
  rm -rf "$V/tmp"/* "$V/url" "$V/endpoints.env"
  echo "vsphere: stopped"
}

down_ec2() {
  local E="$ROOT/moto"
  [ -d "$E" ] || return 0
  stop_pid "$E/moto.pid"
  rm -f "$E/endpoints.env"
  echo "ec2: stopped"
}

down_winrm() {
  local W="$ROOT/winrm"
  [ -d "$W" ] || return 0
  stop_pid "$W/winrm.pid"
  rm -f "$W/url" "$W/endpoints.env"
  echo "winrm: stopped"
}

for b in "${wanted[@]}"; do
  case "$b" in
    docker|libvirt|lxd|vsphere|ec2|winrm) "down_$b" ;;
    *) echo "down.sh: unknown backend '$b'" >&2 ;;
  esac
done

{
  echo "# Written by scripts/backends/down.sh on $(date -u +%FT%TZ)"
  for f in "$ROOT"/podman/endpoints.env "$ROOT"/libvirt/endpoints.env "$ROOT"/lxd/endpoints.env "$ROOT"/vcsim/endpoints.env "$ROOT"/moto/endpoints.env "$ROOT"/winrm/endpoints.env; do
    [ -f "$f" ] && cat "$f"
  done
} > "$ROOT/endpoints.env"
exit 0
