#!/usr/bin/env bash
# Builds a private sysroot of one foreign Debian architecture from its -dev packages, fetched
# with `apt-get download` and unpacked (never installed: the host's dpkg is not touched):
#   scripts/cross-sysroot.sh ARCH DIR PACKAGE...
# Used where multiarch co-installation is impossible: Debian 12's security archive no longer
# carries s390x, so the host's security-updated zlib1g, liblzma5, ... have no s390x twin of the
# same version and `apt-get install zlib1g:s390x` cannot be satisfied. The unpacked tree is a
# --sysroot for the cross compiler (cmake/toolchain-linux-cross.cmake) and the library source
# of the VM's initramfs (tests/vm/run.sh). DIR/.complete marks a finished sysroot.
set -euo pipefail
arch=${1:?usage: scripts/cross-sysroot.sh ARCH DIR PACKAGE...}
dir=${2:?usage: scripts/cross-sysroot.sh ARCH DIR PACKAGE...}
shift 2
[ $# -gt 0 ] || { echo "cross-sysroot: no packages named" >&2; exit 2; }
want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
if [ -f "$dir/.complete" ] && [ "$(cat "$dir/.complete")" = "$want" ]; then
  exit 0
fi
rm -rf "$dir"
mkdir -p "$dir/.debs"
# The closure of the packages' Depends (pre-depends included) in ARCH; of an alternative
# (libsystemd0 | libelogind0) apt lists both: the second is left out.
pkgs=()
for p in "$@"; do pkgs+=("$p:$arch"); done
closure=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
            --no-replaces --no-enhances "${pkgs[@]}" |
          awk -v a=":$arch" '/^[^ <]/ && substr($1, length($1) - length(a) + 1) == a { print $1 }' |
          grep -v '^libelogind' | sort -u)
[ -n "$closure" ] || { echo "cross-sysroot: apt knows none of $* for $arch (dpkg --add-architecture $arch; apt-get update)" >&2; exit 1; }
echo "cross-sysroot: fetching $(echo "$closure" | wc -l) $arch packages into $dir"
# shellcheck disable=SC2086
(cd "$dir/.debs" && apt-get download $closure >/dev/null)
for deb in "$dir"/.debs/*.deb; do
  dpkg-deb -x "$deb" "$dir"
done
# Absolute symlinks (libfoo.so -> /lib/...) must resolve inside the sysroot.
find "$dir" -type l -lname '/*' | while read -r l; do
  ln -sfn "$dir$(readlink "$l")" "$l"
done
rm -rf "$dir/.debs"
echo "$want" >"$dir/.complete"
