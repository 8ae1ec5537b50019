# Sourced by tests/lab/bureau and the scripts beside it: where a lab lives. One lab per
# LANWATCH_LAB, a short name (default: none), so that labs run side by side (the lab tests do,
# one per test process): its namespaces are lw-[NAME-]NODE, its files /run/lanwatch-lab[-NAME].
# The namespaces hold every address and interface name, so two labs share nothing else.
LAB_NAME=${LANWATCH_LAB:-}
if [ -n "$LAB_NAME" ] && ! [[ $LAB_NAME =~ ^[a-z0-9]{1,16}$ ]]; then
  echo "LANWATCH_LAB='$LAB_NAME': a lab's name is 1 to 16 lower-case letters and digits" >&2
  exit 2
fi
LAB=/run/lanwatch-lab${LAB_NAME:+-$LAB_NAME}
LAB_NS_PREFIX=lw-${LAB_NAME:+$LAB_NAME-}
# The namespace of a node of this lab.
ns() { echo "$LAB_NS_PREFIX$1"; }
# Whether that namespace exists (by its exact name).
ns_exists() { ip netns list | awk '{ print $1 }' | grep -qxF "$(ns "$1")"; }
# This lab's namespaces, one a line.
lab_namespaces() {
  ip netns list |
    awk -v p="$LAB_NS_PREFIX" 'index($1, p) == 1 && substr($1, length(p) + 1) !~ /-/ { print $1 }'
}
