#!/usr/bin/env bash
# The .deb, built by CPack and installed for real: control fields, contents and modes
# (dpkg-deb), then dpkg/apt in a Debian 12 root, remove and purge. The root is this host's own
# /, overlaid: a tmpfs upper layer in a private mount namespace, chrooted into, with an empty
# network namespace for lanwatchd. Nothing leaves the overlay: no network (apt --no-download),
# no mount, namespace or temp dir outlives the test. What this leaves untested: dependency
# resolution on a truly clean system (this root already has every library; see README).
# Needs root. Usage: deb_install.sh BUILD_DIR VERSION
set -euo pipefail
build=${1:?usage: $0 BUILD_DIR VERSION}
version=${2:?usage: $0 BUILD_DIR VERSION}
[ "$(id -u)" -eq 0 ] || { echo "needs root (dpkg, mount namespace, chroot)" >&2; exit 1; }

tmp=$(mktemp -d /tmp/lanwatch-deb.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# --- build -------------------------------------------------------------------------------
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$tmp/pkg" >"$tmp/cpack.log" 2>&1 || {
  cat "$tmp/cpack.log" >&2
  fail "cpack"
}
debs=("$tmp"/pkg/lanwatch_*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one lanwatch_*.deb, got: ${debs[*]}"
deb=${debs[0]}
arch=$(dpkg --print-architecture)
[ "$(basename "$deb")" = "lanwatch_${version}_${arch}.deb" ] || fail "file name $(basename "$deb")"
echo "built $(basename "$deb") ($(stat -c %s "$deb") bytes)"

# --- control fields ----------------------------------------------------------------------
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = lanwatch ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || fail "Version: $(field Version), want $version"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture: $(field Architecture)"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
description=$(field Description)
grep -q "neither enabled nor started" <<<"$description" || fail "Description: $description"
if grep -q '^ *;' <<<"$description"; then fail "Description has list separators: $description"; fi
depends=$(field Depends)
recommends=$(field Recommends)
echo "Depends: $depends"
echo "Recommends: $recommends"
# Depends is a list of names with versions: "a (>= 1), b | c (>= 2)" -> a b c.
names() { tr ',|' '\n\n' | sed -E 's/\(.*\)//; s/[[:space:]]//g' | grep .; }
has() { names | grep -qx "$1"; }
has adduser <<<"$depends" || fail "Depends lacks adduser (the postinst calls it)"
has snmp <<<"$recommends" || fail "Recommends lacks snmp"
# dpkg-shlibdeps ran: every library the binaries need comes from a package that Depends names.
owner() {  # the package owning a library, under any of its names (merged /usr: /lib = /usr/lib)
  local p found
  for p in "$1" "$(realpath "$1")" "${1#/usr}" "/usr${1#/usr}"; do
    found=$(dpkg -S "$p" 2>/dev/null) && { echo "${found%%:*}"; return 0; }
  done
  return 1
}
in_depends() {  # a package, under its own name or one it Provides (t64 renames)
  local name
  for name in "$1" $(dpkg-query -W -f='${Provides}' "$1" | names); do
    if has "$name" <<<"$depends"; then return 0; fi
  done
  return 1
}
dpkg-deb -x "$deb" "$tmp/contents"
for bin in lanwatchd lanwatch; do
  while read -r lib; do
    path=$(ldd "$tmp/contents/usr/bin/$bin" | awk -v l="$lib" '$1 == l { print $3 }')
    [ -n "$path" ] || fail "$bin: $lib does not resolve"
    pkg=$(owner "$path") || fail "$bin: no package owns $path"
    # shlibs may name a virtual package (libspdlog1.10 provides libspdlog1.10-fmt9).
    in_depends "$pkg" || fail "$bin needs $lib (package $pkg), not in Depends"
  done < <(readelf -d "$tmp/contents/usr/bin/$bin" | sed -nE 's/.*\(NEEDED\).*\[(.*)\]/\1/p')
done

# --- contents and modes ------------------------------------------------------------------
# The library lanwatchd loads when a link's history is first written (dlopen: not NEEDED).
# No reader here stops early: under pipefail, a writer cut off by SIGPIPE would end the script
# with no message (ldconfig -p prints 57 KB here, past a pipe's 64 KB on a fuller system).
loaded=$(grep -ao 'librrd\.so\.[0-9][0-9]*' "$tmp/contents/usr/bin/lanwatchd" | awk 'NR == 1')
[ -n "$loaded" ] || fail "lanwatchd names no librrd soname to load"
path=$(ldconfig -p | awk -v l="$loaded" '$1 == l && !found { print $NF; found = 1 }')
[ -n "$path" ] || fail "$loaded is not installed here"
pkg=$(owner "$path") || fail "no package owns $path"
in_depends "$pkg" || fail "lanwatchd loads $loaded (package $pkg), not in Depends"

dpkg-deb -c "$deb" >"$tmp/contents.txt"
mode_of() { awk -v p="./$1" '$6 == p { print $1 " " $2 }' "$tmp/contents.txt"; }
expect() {  # PATH "MODE OWNER/GROUP"
  local got
  got=$(mode_of "$1")
  [ "$got" = "$2" ] || fail "/$1: '$got', want '$2'"
}
expect usr/bin/lanwatchd "-rwxr-xr-x root/root"
expect usr/bin/lanwatch "-rwxr-xr-x root/root"
expect usr/lib/systemd/system/lanwatchd.service "-rw-r--r-- root/root"
# Never world-readable, not even between unpack and the postinst's chgrp.
expect etc/lanwatch/lanwatch.yaml "-rw-r----- root/root"
for f in grafana/dashboards/lanwatch-overview.json grafana/dashboards/lanwatch-link.json \
  grafana/provisioning/dashboards/lanwatch.yaml grafana/provisioning/datasources/lanwatch.yaml \
  prometheus/prometheus.yml prometheus/lanwatch.rules.yml prometheus/lanwatch.rules_test.yml \
  alertmanager/alertmanager.yml; do
  expect "usr/share/lanwatch/$f" "-rw-r--r-- root/root"
done
expect usr/share/doc/lanwatch/README.md "-rw-r--r-- root/root"
expect usr/share/doc/lanwatch/copyright "-rw-r--r-- root/root"
# Only where a package may put files; nothing of the build's own prefix (/usr/local).
bad=$(awk '{ print $6 }' "$tmp/contents.txt" |
  grep -vE '^\./$|^\./(etc/|etc/lanwatch/.*|usr/|usr/(bin|lib|share)/.*)$' || true)
[ -z "$bad" ] || fail "unexpected paths: $bad"
# The unit's ExecStart= names a binary the package ships.
exec_start=$(sed -nE 's/^ExecStart=([^ ]+).*/\1/p' "$tmp/contents/usr/lib/systemd/system/lanwatchd.service")
[ -x "$tmp/contents$exec_start" ] || fail "ExecStart=$exec_start is not in the package"
[ "$(dpkg-deb -I "$deb" conffiles)" = /etc/lanwatch/lanwatch.yaml ] ||
  fail "conffiles: '$(dpkg-deb -I "$deb" conffiles 2>&1)'"
dpkg-deb --ctrl-tarfile "$deb" | tar -tv >"$tmp/control.txt"
for s in postinst prerm postrm; do
  grep -qE "^-rwxr-xr-x root/root .* \./$s$" "$tmp/control.txt" || fail "control: $s missing or not 0755"
done
echo "control fields and contents: OK"

# --- install, remove, purge in an overlaid root ------------------------------------------
mkdir "$tmp/root"
cat >"$tmp/in-root.sh" <<'EOF'
# Runs chrooted in the overlay, as root, with no network and no systemd.
set -euo pipefail
version=$1
fail() {
  echo "FAIL (in the root): $*" >&2
  exit 1
}
config=/etc/lanwatch/lanwatch.yaml
# This root is the host's: start from one where lanwatch never was (only the overlay changes).
if dpkg-query -W lanwatch >/dev/null 2>&1; then dpkg -P lanwatch >/dev/null; fi
if getent passwd lanwatch >/dev/null; then userdel lanwatch; fi
if getent group lanwatch >/dev/null; then groupdel lanwatch; fi
rm -rf /etc/lanwatch /var/lib/lanwatch

cd /tmp
# apt resolves Depends from what is installed. In an empty network namespace, so that anything
# missing fails here rather than being fetched (apt 2.6's --no-download cannot take a local .deb:
# "Pathname to install is not absolute").
unshare -n apt-get install -y -q --no-install-recommends /tmp/lanwatch_*.deb >/tmp/apt.log 2>&1 || {
  cat /tmp/apt.log >&2
  fail "apt-get install"
}
[ "$(dpkg-query -W -f='${Status}' lanwatch)" = "install ok installed" ] || fail "not installed"

IFS=: read -r _ _ uid _ _ home shell < <(getent passwd lanwatch) || fail "no user lanwatch"
getent group lanwatch >/dev/null || fail "no group lanwatch"
[ "$uid" -lt 1000 ] || fail "lanwatch is not a system user (uid $uid)"
[ "$home" = /var/lib/lanwatch ] || fail "home $home"
[ "$shell" = /usr/sbin/nologin ] || fail "shell $shell"
[ "$(id -gn lanwatch)" = lanwatch ] || fail "primary group $(id -gn lanwatch)"
[ "$(stat -c '%U:%G %a' "$config")" = "root:lanwatch 640" ] ||
  fail "$config is $(stat -c '%U:%G %a' "$config"), want root:lanwatch 640"
# The service's user reads it; others do not.
setpriv --reuid=lanwatch --regid=lanwatch --init-groups cat "$config" >/dev/null ||
  fail "user lanwatch cannot read $config"
if setpriv --reuid=nobody --regid=nogroup --clear-groups cat "$config" >/dev/null 2>&1; then
  fail "nobody can read $config"
fi
# The postinst runs again on reconfigure (an upgrade): still idempotent.
dpkg-reconfigure lanwatch >/dev/null 2>&1 || fail "postinst, run twice"
[ "$(getent passwd lanwatch | cut -d: -f3)" = "$uid" ] || fail "uid changed on reconfigure"

[ "$(lanwatch --version)" = "lanwatch $version" ] || fail "lanwatch --version: $(lanwatch --version)"
out=$(lanwatch validate -c "$config") || fail "lanwatch validate exits $?: $out"
echo "$out"
grep -q "note: this is the example config" <<<"$out" || fail "validate does not note the example"

# Not enabled, not started.
[ ! -e /etc/systemd/system/multi-user.target.wants/lanwatchd.service ] || fail "enabled (symlink)"
state=$(systemctl is-enabled lanwatchd.service 2>&1 || true)
[ "$state" = disabled ] || fail "systemctl is-enabled: $state"

# lanwatchd refuses the example, as the unit would run it. An empty network namespace: were
# it to start anyway, it could reach nothing, and the timeout ends it.
set +e
unshare -n timeout 20 lanwatchd -c "$config" --state-dir /var/lib/lanwatch >/tmp/d.log 2>&1
rc=$?
set -e
cat /tmp/d.log
[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] || fail "lanwatchd on the example exits $rc"
grep -q "this is the example config: write your own devices, then remove 'example: true'" /tmp/d.log ||
  fail "lanwatchd does not say why"

dpkg -r lanwatch >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log >&2; fail "dpkg -r"; }
[ "$(dpkg-query -W -f='${Status}' lanwatch)" = "deinstall ok config-files" ] || fail "status after -r"
[ -f "$config" ] || fail "dpkg -r removed the conffile"
[ ! -e /usr/bin/lanwatchd ] && [ ! -e /usr/lib/systemd/system/lanwatchd.service ] ||
  fail "dpkg -r left the binaries or the unit"
dpkg -P lanwatch >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log >&2; fail "dpkg -P"; }
[ ! -e "$config" ] || fail "dpkg -P kept $config"
[ ! -e /etc/lanwatch ] || fail "dpkg -P kept /etc/lanwatch"
status=$(dpkg-query -W -f='${Status}' lanwatch 2>/dev/null || true)
[ -z "$status" ] || [ "$status" = "unknown ok not-installed" ] || fail "status after -P: $status"
echo "installed, checked, removed, purged: OK"
EOF

# The namespace holds every mount; it ends with this command, and with it the tmpfs upper layer.
unshare -m --propagation private bash -euo pipefail -c '
  r=$1 version=$2
  mount -t tmpfs -o size=512m,mode=0700 lanwatch-deb "$r"
  mkdir "$r/upper" "$r/work" "$r/merged"
  mount -t overlay overlay -o "lowerdir=/,upperdir=$r/upper,workdir=$r/work" "$r/merged"
  mount -t proc proc "$r/merged/proc"
  mount --rbind /dev "$r/merged/dev"
  # No systemd runs in this root (as on a system being installed); a fresh /tmp and /run.
  mount -t tmpfs tmpfs "$r/merged/run"
  mount -t tmpfs tmpfs "$r/merged/tmp"
  cp "$3" "$4" "$r/merged/tmp/"
  chroot "$r/merged" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive bash /tmp/in-root.sh "$version"
' _ "$tmp/root" "$version" "$deb" "$tmp/in-root.sh"

# Nothing leaked: no mount of ours in this namespace, no process left in the root.
if grep -q "$tmp" /proc/self/mountinfo; then fail "a mount outlived the namespace"; fi
leaked=()
for p in /proc/[0-9]*; do
  case "$(readlink "$p/root" 2>/dev/null)" in "$tmp"*) leaked+=("${p#/proc/}") ;; esac
done
if [ ${#leaked[@]} -gt 0 ]; then
  kill -KILL "${leaked[@]}" 2>/dev/null || true  # ours, by PID: their namespace then ends
  fail "processes left in the root: ${leaked[*]}"
fi
echo "deb install: OK"
