#!/usr/bin/env bash
# Installs, from Debian 12's repositories, everything the local driver backends need
# (see ../shared/docs/backends.md). Idempotent: packages already present are skipped.
# Must run as root (CI runs it as root on a fresh machine).
set -euo pipefail

PACKAGES=(
  # Docker Engine API: Podman with runc (crun fails on hybrid cgroups), busybox for images
  podman runc busybox-static
  # KVM/QEMU through libvirt (test driver + qemu:///session)
  libvirt-clients libvirt-daemon libvirt-daemon-driver-qemu qemu-system-x86 qemu-utils
  # LXD 5.0
  lxd
  # vSphere simulator (govmomi vcsim library, built from Debian's packaged source)
  golang-go golang-github-vmware-govmomi-dev
)

if [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: must run as root (apt-get install)" >&2
  exit 1
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "backends: all packages already installed"
  exit 0
fi

echo "backends: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# --no-install-recommends keeps the install small; the backends need nothing recommended.
apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "backends: packages installed"
