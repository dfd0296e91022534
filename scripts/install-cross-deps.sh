#!/usr/bin/env bash
# Installs what one foreign architecture's cross-build and its qemu-system tests need (Debian),
# when missing: the cross compiler, the qemu-system emulator, and that architecture's -dev
# packages of the project's dependencies, installed as a foreign architecture next to the host's.
#   scripts/install-cross-deps.sh arm64|s390x|ppc64el
# The kernel and busybox the tests boot are NOT installed here: tests/vm/run.sh fetches them
# with `apt-get download` and unpacks them into its cache (installing busybox-static:ARCH would
# replace the host's /bin/busybox).
set -euo pipefail
arch=${1:?usage: scripts/install-cross-deps.sh arm64|s390x|ppc64el}
case $arch in
  arm64)   cross=(gcc-aarch64-linux-gnu) qemu=(qemu-system-arm) ;;       # qemu-system-aarch64
  s390x)   cross=(gcc-s390x-linux-gnu) qemu=(qemu-system-misc) ;;        # qemu-system-s390x
  ppc64el) cross=(gcc-powerpc64le-linux-gnu) qemu=(qemu-system-ppc) ;;   # qemu-system-ppc64
  *) echo "install-cross-deps: unknown architecture '$arch' (arm64, s390x or ppc64el)" >&2; exit 2 ;;
esac
libs=(
  libunwind-dev                    # unwinding native stacks
  libdw-dev libelf-dev             # naming frames from ELF/DWARF (elfutils)
  libjansson-dev                   # JSON output
  libseccomp-dev                   # system call names
  libncurses-dev                   # the live view (ncursesw)
  libc6-dbg                        # names of stripped libc functions in stacks (copied into the VM)
  libcmocka-dev                    # the unit tests, cross-built and run in the VM too
  libmicrohttpd-dev                # the HTTP endpoint of threadlens metrics --listen
  libdebuginfod-dev                # debug files from debuginfod servers (DEBUGINFOD_URLS)
  libzstd-dev liblz4-dev liblzma-dev  # dump --core: systemd-coredump's compressed cores
  libprotobuf-c-dev zlib1g-dev     # record --format pprof: protobuf encoding, gzip
)
packages=(
  "${cross[@]}"                    # the cross compiler (cmake/toolchain-<arch>.cmake)
  "${qemu[@]}"                     # boots that architecture's kernel for the tests
  cpio gzip                        # building the initramfs
  jq                               # the host validates the VM's --json output
  pkg-config cmake make            # build
  protobuf-c-compiler              # protoc-c (runs on the host) for record --format pprof
)
# s390x: Debian 12's security archive has no s390x, so its libraries cannot be co-installed
# next to the host's security-updated ones (same version needed): they go into a private
# sysroot instead (scripts/cross-sysroot.sh, cmake/toolchain-s390x.cmake).
sysroot=""
if [ "$arch" = s390x ]; then
  sysroot=${TL_S390X_SYSROOT:-$(cd "$(dirname "$0")/.." && pwd)/build-s390x-sysroot}
else
  for l in "${libs[@]}"; do packages+=("$l:$arch"); done
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
foreign=$(dpkg --print-foreign-architectures)   # (grep -q on a pipe + pipefail: SIGPIPE)
if ! grep -qx "$arch" <<<"$foreign"; then
  echo "adding the $arch architecture to dpkg"
  $sudo dpkg --add-architecture "$arch"
  updated=no
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ] || [ "${updated:-yes}" = no ]; then
  echo "installing: ${missing[*]}"
  $sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
  [ ${#missing[@]} -eq 0 ] ||
    $sudo apt-get install -o DPkg::Lock::Timeout=600 -y -qq --no-install-recommends "${missing[@]}"
fi
if [ -n "$sysroot" ]; then
  "$(dirname "$0")/cross-sysroot.sh" "$arch" "$sysroot" "${libs[@]%% *}" libc6-dev
fi
