#!/bin/sh
# Runs a test binary as nobody, so that the sandbox takes the path it takes for a user who is not
# root (a user namespace, the caller's own uid inside, no cgroups). Skipped (exit 77) when this
# is not run as root, setpriv is missing, or nobody cannot reach the binary (a build folder
# under a private directory).
set -u
bin=$(readlink -f "$1")
shift
[ "$(id -u)" = 0 ] || exit 77
command -v setpriv >/dev/null 2>&1 || exit 77
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
as_nobody test -x "$bin" || exit 77
dir=$(mktemp -d /tmp/optiloop-nobody-XXXXXX) || exit 1
chmod 1777 "$dir"
cd "$dir" || exit 1
as_nobody env -i PATH=/usr/bin:/bin HOME="$dir" TMPDIR="$dir" "$bin" "$@"
rc=$?
cd / && rm -rf "$dir"
exit $rc
