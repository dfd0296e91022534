#!/usr/bin/env bash
# Installs the Debian packages threadlens needs to build, test and benchmark, when missing.
# Why each is there: README.md, "Dependencies".
set -euo pipefail
packages=(
  gcc make cmake pkg-config        # build
  libproc2-dev                     # per-thread counters (procps)
  libunwind-dev                    # unwinding native stacks
  libdw-dev libelf-dev             # naming frames from ELF/DWARF (elfutils)
  libjansson-dev                   # JSON output
  libseccomp-dev                   # system call names for every architecture
  libncurses-dev                   # the live view (ncursesw)
  libcmocka-dev                    # unit tests
  libc6-dbg                        # names of stripped libc functions in stacks
  jq tmux procps                   # integration tests (JSON checks, UI through tmux, ps)
  groff-base util-linux            # man page check (groff -ww); setpriv for the permission tests
  valgrind time                    # memcheck of the integration runs; peak RSS in tests and bench
  clang libclang-rt-14-dev         # fuzzing the parsers with libFuzzer (scripts/fuzz.sh)
  elfutils gdb                     # benchmark: eu-stack and gdb side by side
  openjdk-17-jdk-headless          # JVM tests, demo --java, benchmark: java, javac, jstack
  htop                             # benchmark: UI CPU of threadlens top next to htop (bench/)
  fuse3 libfuse3-dev               # tests: a FUSE daemon that hangs its readers in D (hang_fuse)
)
# The arm64 cross-build and its qemu tests need a foreign architecture and more packages:
# scripts/install-arm64-deps.sh (run by make check-arm64).
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
$sudo apt-get install -o DPkg::Lock::Timeout=600 -y -qq --no-install-recommends "${missing[@]}"
