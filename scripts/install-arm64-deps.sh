#!/usr/bin/env bash
# Installs what the arm64 cross-build and its qemu-system tests need (Debian), when missing:
# the aarch64 cross compiler, qemu-system-aarch64, and the arm64 (":arm64") -dev packages of
# the project's dependencies, installed as a foreign architecture next to the host's.
# The arm64 kernel and busybox the tests boot are NOT installed here: tests/arm64/run.sh
# fetches them with `apt-get download` and unpacks them into its cache (installing
# busybox-static:arm64 would replace the host's /bin/busybox).
set -euo pipefail
packages=(
  gcc-aarch64-linux-gnu            # the cross compiler (cmake/toolchain-aarch64.cmake)
  qemu-system-arm                  # qemu-system-aarch64 boots the arm64 kernel for the tests
  cpio gzip                        # building the initramfs
  jq                               # the host validates the VM's --json output
  pkg-config cmake make            # build
  libproc2-dev:arm64               # per-thread counters (procps)
  libunwind-dev:arm64              # unwinding native stacks
  libdw-dev:arm64 libelf-dev:arm64 # naming frames from ELF/DWARF (elfutils)
  libdebuginfod-dev:arm64          # debug files from debuginfod servers (DEBUGINFOD_URLS)
  libjansson-dev:arm64             # JSON output
  libseccomp-dev:arm64             # system call names
  libncurses-dev:arm64             # the live view (ncursesw)
  libc6-dbg:arm64                  # names of stripped libc functions in stacks (copied into the VM)
  libcmocka-dev:arm64              # the unit tests, cross-built and run in the VM too
  libmicrohttpd-dev:arm64          # the HTTP endpoint of threadlens metrics --listen
  libzstd-dev:arm64 liblz4-dev:arm64 liblzma-dev:arm64  # dump --core: systemd-coredump's compressed cores
)
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  echo "adding the arm64 architecture to dpkg"
  $sudo dpkg --add-architecture arm64
  updated=no
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && [ "${updated:-yes}" = yes ] && exit 0
echo "installing: ${missing[*]}"
$sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
[ ${#missing[@]} -eq 0 ] && exit 0
$sudo apt-get install -o DPkg::Lock::Timeout=600 -y -qq --no-install-recommends "${missing[@]}"
