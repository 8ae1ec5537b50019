#!/usr/bin/env bash
# `systemd-analyze verify` on an installed tree: `cmake --install` (prefix /usr) into a scratch
# root, which then gets what any Debian root has under the unit (systemd's own units for
# sysinit.target and network-online.target, /bin/kill for ExecReload=), and verify --root on it.
# Fails when the binary is not where ExecStart= says, or when verify has anything to say.
set -euo pipefail
build=${1:?usage: $0 BUILD_DIR}
root=$(mktemp -d /tmp/lanwatch-root.XXXXXX)
trap 'rm -rf "$root"' EXIT

DESTDIR=$root cmake --install "$build" --prefix /usr >/dev/null
for f in usr/bin/lanwatchd usr/bin/lanwatch usr/lib/systemd/system/lanwatchd.service \
  etc/lanwatch/lanwatch.yaml; do
  [ -e "$root/$f" ] || { echo "not installed: /$f" >&2; exit 1; }
done
"$root/usr/bin/lanwatchd" --version
"$root/usr/bin/lanwatch" validate -c "$root/etc/lanwatch/lanwatch.yaml"

cp -rn /usr/lib/systemd/system/. "$root/usr/lib/systemd/system/"
cp /usr/bin/kill "$root/usr/bin/kill"
ln -s usr/bin "$root/bin"
out=$(systemd-analyze verify --root="$root" lanwatchd.service 2>&1) || {
  echo "$out" >&2
  exit 1
}
# verify exits 0 on unknown keys and unparsable values ("..., ignoring"): any word is a failure.
if [ -n "$out" ]; then
  echo "$out" >&2
  exit 1
fi
echo "verify: clean"
