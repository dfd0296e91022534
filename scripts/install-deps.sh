#!/usr/bin/env bash
# Installs the Debian packages threadlens needs to build, test and benchmark, when missing.
# Why each is there: README.md, "Dependencies".
set -euo pipefail
packages=(
  gcc make cmake pkg-config        # build
  libunwind-dev                    # unwinding native stacks
  libdw-dev libelf-dev             # naming frames from ELF/DWARF (elfutils)
  libdebuginfod-dev                # debug files from debuginfod servers when DEBUGINFOD_URLS is set
  debuginfod                       # tests: a local debuginfod server serving separate debug files
  libjansson-dev                   # JSON output
  libseccomp-dev                   # system call names for every architecture
  libzstd-dev liblz4-dev liblzma-dev  # dump --core: systemd-coredump's compressed cores
  zstd lz4 xz-utils                # tests: compressing a core as systemd-coredump does
  libncurses-dev                   # the live view (ncursesw)
  libprotobuf-c-dev protobuf-c-compiler zlib1g-dev  # record --format pprof: protobuf encoding, gzip
  golang-go                        # record tests: go tool pprof reads the pprof file
  python3-jsonschema               # record tests: speedscope JSON against its own schema (npm pack speedscope)
  libmicrohttpd-dev                # threadlens metrics --listen: the HTTP server
  libcmocka-dev                    # unit tests
  libcairo2-dev libpango1.0-dev    # threadlens picture: drawing (SVG, PNG, PDF) and its text
  libxml2-dev fonts-dejavu-core    # the SVG's text layer (escaped by libxml2); the font it draws
  libxml2-utils                    # picture tests: xmllint checks the SVG
  libc6-dbg                        # names of stripped libc functions in stacks
  jq tmux procps                   # integration tests (JSON checks, UI through tmux, ps)
  groff-base util-linux            # man page check (groff -ww); setpriv for the permission tests
  valgrind time                    # memcheck of the integration runs; peak RSS in tests and bench
  strace                           # tests: which files a dump opens (never a planted FIFO)
  clang libclang-rt-14-dev         # fuzzing the parsers with libFuzzer (scripts/fuzz.sh)
  elfutils gdb                     # benchmark: eu-stack and gdb side by side
  openjdk-17-jdk-headless          # JVM tests, demo --java, benchmark: java, javac, jstack
  g++                              # the C++ test target (std::condition_variable waits)
  python3 nodejs                   # wait tests on real programs (asyncio, self-pipe; Node workers)
  redis-server                     # stacks of a real program against gdb (its bio and I/O threads)
  golang-go                        # the Go target (tests/target_go): Go stacks unwound by .debug_frame
  prometheus curl                  # metrics tests: a real Prometheus scrapes --listen; promtool
  dpkg-dev debhelper lintian       # the .deb test: dpkg-buildpackage, dh, lintian
  fuse3 libfuse3-dev               # tests: a FUSE daemon stopped under a target's mapped file
  strace                           # tests: which files a dump opens (no FIFO, device, planted link)
  htop                             # benchmark: UI CPU of threadlens top next to htop (bench/)
  fuse3 libfuse3-dev               # tests: a FUSE daemon that hangs its readers in D (hang_fuse)
)
# The cross-builds and their qemu tests (arm64, s390x, ppc64el) need a foreign architecture and
# more packages: scripts/install-cross-deps.sh ARCH (run by make check-arm64, check-s390x,
# check-ppc64el).
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
