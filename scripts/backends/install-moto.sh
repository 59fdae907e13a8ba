#!/usr/bin/env bash
# Installs moto (a real, third-party implementation of the AWS APIs: EC2, IAM, S3, ...) on
# Debian 12 without PyPI: its bookworm dependencies from apt, and the pure-Python python3-moto
# package of the next Debian release, downloaded with a private apt state so the system's
# sources stay untouched. The mirror is the one this machine already uses.
# (From ../shared/tools/install-moto.sh, kept in the repository so a fresh clone has it.)
# usage: install-moto.sh DIR      then: PYTHONPATH=DIR/root/usr/lib/python3/dist-packages \
#                                        /usr/bin/python3 DIR/root/usr/bin/moto_server -H 127.0.0.1 -p PORT
# ORQ_MOTO_SKIP_DEPS=1 skips the apt-get install of the dependencies (install.sh installs them
# itself, in parallel with this download).
set -euo pipefail
D=$(mkdir -p "${1:?usage: install-moto.sh DIR}" && cd "$1" && pwd)
export DEBIAN_FRONTEND=noninteractive
MOTO_DEPS=(python3-flask python3-flask-cors python3-werkzeug python3-boto3 python3-botocore python3-xmltodict
  python3-responses python3-cryptography python3-jinja2 python3-dateutil python3-requests python3-antlr4 python3-yaml)
if [ "${ORQ_MOTO_SKIP_DEPS:-0}" != 1 ]; then
  apt-get install -y -qq --no-install-recommends "${MOTO_DEPS[@]}" >/dev/null
fi
mirror=$(grep -hoE '^URIs: *[^ ]+/debian/?$' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1 | awk '{print $2}' || true)
[ -n "$mirror" ] || mirror=$(grep -hoE '^deb +(\[[^]]*\] +)?[^ ]+/debian/? ' /etc/apt/sources.list 2>/dev/null | head -n1 | awk '{print $NF}' || true)
[ -n "$mirror" ] || { echo "install-moto: no Debian mirror found in the apt sources" >&2; exit 1; }
mkdir -p "$D/lists/partial" "$D/cache/archives/partial" "$D/dl"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main" > "$D/sources.list"
A=(-o Dir::Etc::SourceList="$D/sources.list" -o Dir::Etc::SourceParts=/nonexistent
   -o Dir::State::Lists="$D/lists" -o Dir::Cache="$D/cache"
   -o Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled=false
   -o Acquire::IndexTargets::deb::Contents-all::DefaultEnabled=false)
apt-get "${A[@]}" update >/dev/null
rm -f "$D"/dl/python3-moto_*_all.deb
(cd "$D/dl" && apt-get "${A[@]}" download python3-moto/trixie 2>&1 | grep -v 'unsandboxed' || true)
ls "$D"/dl/python3-moto_*_all.deb >/dev/null 2>&1 || { echo "install-moto: python3-moto could not be downloaded" >&2; exit 1; }
rm -rf "$D/root" && dpkg -x "$D"/dl/python3-moto_*_all.deb "$D/root"
# The package lists are only needed for the download.
rm -rf "$D/lists" "$D/cache"
echo "moto unpacked in $D/root"
