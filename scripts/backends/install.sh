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
  # NoCloud seed ISO for cloud-init on libvirt machines (genisoimage writes ISO 9660 + Joliet + Rock Ridge)
  genisoimage
  # LXD 5.0
  lxd
  # vSphere simulator (govmomi vcsim library, built from Debian's packaged source)
  golang-go golang-github-vmware-govmomi-dev
  # WinRM test server for the Hyper-V driver's transport (winrmtest, fronted by NTLM from go-ntlm)
  golang-github-dylanmei-winrmtest-dev golang-github-masterzen-winrm-dev golang-github-thomsonreuterseikon-go-ntlm-dev
  # TLS certificates for the Azure contract tests' local endpoint
  openssl
  # Monitoring: the Prometheus integration test starts its own server on loopback
  prometheus
  # moto's dependencies (moto itself is the next Debian release's python3-moto: install-moto.sh)
  python3-flask python3-flask-cors python3-werkzeug python3-boto3 python3-botocore python3-xmltodict
  python3-responses python3-cryptography python3-jinja2 python3-dateutil python3-requests python3-antlr4 python3-yaml
)

# moto (EC2) lives outside the system's packages: ORQ_MOTO_DIR, /opt/orquestra/moto by default.
MOTO_DIR="${ORQ_MOTO_DIR:-/opt/orquestra/moto}"
SELF="$(cd "$(dirname "$0")" && pwd)"
moto_ready() { PYTHONPATH="$MOTO_DIR/root/usr/lib/python3/dist-packages" /usr/bin/python3 -c 'import moto.server' >/dev/null 2>&1; }

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

export DEBIAN_FRONTEND=noninteractive
# The moto download uses its own apt state (no lock shared with the install below): run both at once.
moto_pid=""
if [ -x "$MOTO_DIR/root/usr/bin/moto_server" ]; then
  echo "backends: moto already in $MOTO_DIR"
else
  echo "backends: downloading moto into $MOTO_DIR"
  ORQ_MOTO_SKIP_DEPS=1 bash "$SELF/install-moto.sh" "$MOTO_DIR" > /tmp/orquestra-install-moto.log 2>&1 &
  moto_pid=$!
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "backends: all packages already installed"
else
  echo "backends: installing ${missing[*]}"
  apt-get update -q
  # --no-install-recommends keeps the install small; the backends need nothing recommended.
  apt-get install -y -q --no-install-recommends "${missing[@]}"
  echo "backends: packages installed"
fi

if [ -n "$moto_pid" ] && ! wait "$moto_pid"; then
  cat /tmp/orquestra-install-moto.log >&2
  echo "install.sh: moto could not be installed" >&2
  exit 1
fi
moto_ready || { echo "install.sh: moto in $MOTO_DIR does not import" >&2; exit 1; }
echo "backends: moto $(PYTHONPATH="$MOTO_DIR/root/usr/lib/python3/dist-packages" /usr/bin/python3 -c 'import moto; print(moto.__version__)') ready in $MOTO_DIR"
