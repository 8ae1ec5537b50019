#!/usr/bin/env bash
# Installs everything lanwatch needs to build, test and demo, from Debian's packages.
# Idempotent: does nothing when all packages are already there. Needs root (or sudo).
set -euo pipefail

PACKAGES=(
  # build, format and lint (tests/run.sh runs clang-format, and clang-tidy-16 through
  # tests/lint.sh: Debian 12's default clang-tidy 14 cannot parse libstdc++'s <expected>)
  build-essential cmake ninja-build pkg-config git clang-format clang-tidy-16
  # libraries
  libsnmp-dev libpcap-dev prometheus-cpp-dev libfmt-dev libgtest-dev libgmock-dev
  libyaml-cpp-dev libcli11-dev libspdlog-dev nlohmann-json3-dev libcurl4-openssl-dev
  libbenchmark-dev libsqlite3-dev libsystemd-dev librrd-dev zlib1g-dev
  # real peers for tests, the demo and benchmarks (bench/pcap.py times tcpdump)
  snmpd snmp snmptrapd snmpsim prometheus prometheus-snmp-exporter curl iproute2 python3
  iperf3 nftables iptables iputils-ping libnetfilter-queue-dev tshark tcpdump libcap-dev
  python3-aiosmtpd prometheus-alertmanager sqlite3 rrdtool
  # the status page: headless chromium in tests, CJK fonts for its screenshots, socat for the
  # demo's forward into the lab
  chromium fonts-noto-cjk socat
  # bench/probe.py compares lanwatch's echo prober with fping
  fping
  # tests/deploy: systemd-analyze (security, verify), the unit's seccomp filter without systemd
  systemd python3-seccomp util-linux
  # the .deb: CPack's Depends from dpkg-shlibdeps; tests/deploy/deb_install.sh runs dpkg, apt
  dpkg-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}" >&2

# Packages such as snmpd and prometheus would start system services on install; lanwatch
# always runs its own instances on their own ports, so keep the system ones stopped.
policy=/usr/sbin/policy-rc.d
added_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod +x "$policy"
  added_policy=1
fi
# An `if`, not `[ ... ] && ...`: under `set -e` a trap function whose last test is false
# would turn a successful install into exit 1 (wherever policy-rc.d already exists).
cleanup() {
  if [ "$added_policy" = 1 ]; then $SUDO rm -f "$policy"; fi
}
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done" >&2
