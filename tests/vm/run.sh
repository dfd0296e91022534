#!/usr/bin/env bash
# Runs the dump tests on a real Linux kernel of another architecture under qemu-system (TCG):
# arm64 (qemu-system-aarch64), s390x (qemu-system-s390x), ppc64el (qemu-system-ppc64):
#   1. fetches that architecture's Debian kernel (linux-image-cloud-arm64, linux-image-s390x,
#      linux-image-powerpc64le) and busybox-static with `apt-get download` (never installed on
#      the host) and unpacks them into the cache directory;
#   2. builds an initramfs: busybox, the cross-built threadlens and target programs, the
#      shared libraries they need (NEEDED, recursively, from the architecture's sysroot), the
#      libc6-dbg debug files of those libraries, and tests/vm/init.sh as /init;
#   3. boots it and reads the console: init.sh's TL-RESULT lines, plus the --json output the
#      host validates with jq. Exits 0 when every check passed (SKIPs are listed, never
#      counted as passes), 1 on any FAIL, on a timeout, or when the VM did not finish.
# Usage: tests/vm/run.sh [--arch arm64|s390x|ppc64el] [--build DIR] [--cache DIR] [--cpu CPU]
#                        [--timeout S] [--crowd N] [--no-unit]
#   --timeout S the bound on the whole boot (default 900: emulation on a loaded host)
#   --arch      the architecture (default arm64); --build defaults to build-ARCH
#   --cpu       qemu's -cpu (default: arm64 cortex-a57, s390x max, ppc64el power9)
#   --crowd N   threads of the crowd target (default 500; 0 leaves that check out)
#   --no-unit   leave the cmocka unit tests out (the sanitizer run: they are slow there)
# Needs: scripts/install-cross-deps.sh ARCH, then a cross build, e.g.
#   cmake -S . -B build-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-aarch64.cmake \
#     -DTHREADLENS_TEST_TARGETS_ONLY=OFF && cmake --build build-arm64
# One command for all of it: make check-arm64, make check-s390x, make check-ppc64el
set -euo pipefail

SRC=$(cd "$(dirname "$0")/../.." && pwd)
ARCH=arm64
BUILD=""
CACHE=""
CPU=""
TIMEOUT=900          # the whole boot; a busy 2-core host ran the arm64 crowd alone for 350 s
CROWD=500
UNIT=yes
MAX_LIB_DEPTH=200          # bound on the NEEDED walk (libraries in the closure)
EXTRA_TARGETS=(crowd)      # other checks of init.sh

die() { echo "$ARCH: $*" >&2; exit 1; }
log() { echo "$ARCH: $*" >&2; }

# Everything that differs between the architectures. SYSROOT: where the target's libraries
# are (/ for multiarch packages; s390x's private one, scripts/cross-sysroot.sh).
arch_settings() {
    SYSROOT=""
    case $ARCH in
        arm64)
            TRIPLE=aarch64-linux-gnu QEMU=qemu-system-aarch64 MACHINE_NAME=AArch64
            QEMU_MACHINE=(-M virt) CONSOLE_DEV=ttyAMA0 DEFAULT_CPU=cortex-a57
            KERNEL_META=linux-image-cloud-arm64 KERNEL_GLOB=vmlinuz-*
            TARGETS=(vm_chains vm_chains_pac vm_chains_static) ;;
        s390x)
            TRIPLE=s390x-linux-gnu QEMU=qemu-system-s390x MACHINE_NAME="IBM S/390"
            QEMU_MACHINE=(-M s390-ccw-virtio) CONSOLE_DEV=ttysclp0 DEFAULT_CPU=max
            KERNEL_META=linux-image-s390x KERNEL_GLOB=vmlinuz-*
            SYSROOT=${TL_S390X_SYSROOT:-$SRC/build-s390x-sysroot}
            TARGETS=(vm_chains) ;;
        ppc64el)
            TRIPLE=powerpc64le-linux-gnu QEMU=qemu-system-ppc64 MACHINE_NAME=PowerPC64
            # TCG implements none of the pseries machine's Spectre mitigations: say so, or
            # qemu refuses to start
            QEMU_MACHINE=(-M pseries,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off -vga none)
            CONSOLE_DEV=hvc0 DEFAULT_CPU=power9
            KERNEL_META=linux-image-powerpc64le KERNEL_GLOB=vmlinux-*
            TARGETS=(vm_chains) ;;
        *) die "unknown architecture (arm64, s390x or ppc64el)" ;;
    esac
    LIBDIRS=("$SYSROOT/usr/lib/$TRIPLE" "$SYSROOT/lib/$TRIPLE" "$SYSROOT/usr/$TRIPLE/lib")
    [ -n "$SYSROOT" ] || LIBDIRS+=("/usr/$TRIPLE/lib")
    BUILD=${BUILD:-$SRC/build-$ARCH}
    CACHE=${CACHE:-$SRC/build-$ARCH-vm}
    CPU=${CPU:-$DEFAULT_CPU}
}

parse_args() {
    while [ $# -gt 0 ]; do
        case $1 in
            --arch) ARCH=$2; shift 2 ;;
            --build) BUILD=$(realpath "$2"); shift 2 ;;
            --cache) CACHE=$(realpath -m "$2"); shift 2 ;;
            --cpu) CPU=$2; shift 2 ;;
            --timeout) TIMEOUT=$2; shift 2 ;;
            --crowd) CROWD=$2; shift 2 ;;
            --no-unit) UNIT=no; shift ;;
            -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0"; exit 0 ;;
            *) die "unknown argument '$1' (see --help)" ;;
        esac
    done
}

need_tools() {
    local t missing=()
    for t in "$QEMU" $TRIPLE-readelf apt-get apt-cache dpkg-deb cpio gzip jq timeout; do
        command -v "$t" >/dev/null 2>&1 || missing+=("$t")
    done
    [ ${#missing[@]} -eq 0 ] || die "missing tools: ${missing[*]}; run scripts/install-cross-deps.sh $ARCH"
    [ -x "$BUILD/threadlens" ] || die "no $ARCH threadlens in $BUILD; build it first: make build-$ARCH"
    file_is_target "$BUILD/threadlens" || die "$BUILD/threadlens is not a $MACHINE_NAME program"
}

file_is_target() {
    $TRIPLE-readelf -h "$1" 2>/dev/null | grep -q "Machine:.*$MACHINE_NAME"
}

# ---- 1. kernel and busybox from Debian's archive, unpacked, never installed -----------------

apt_download() {
    (cd "$CACHE/debs" && apt-get download "$1" >/dev/null 2>"$CACHE/debs/apt.err")
}

# Package lists older than the archive name versions it no longer has: update them once.
refresh_apt_lists() {
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    log "apt-get download failed; updating apt's package lists and trying again"
    $sudo apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null 2>>"$CACHE/debs/apt.err"
}

# fetch_deb PACKAGE:ARCH DIR: downloads PACKAGE into the cache once and unpacks it in DIR.
# 1 when the download failed.
fetch_deb() {
    local pkg=$1 dir=$2 deb
    deb=$(ls "$CACHE"/debs/"${pkg%%:*}"_*_"$ARCH".deb 2>/dev/null | head -n 1 || true)
    if [ -z "$deb" ]; then
        log "downloading $pkg"
        apt_download "$pkg" || return 1
        deb=$(ls "$CACHE"/debs/"${pkg%%:*}"_*_"$ARCH".deb | head -n 1)
    fi
    if [ ! -e "$dir/.unpacked" ] || [ "$dir/.unpacked" -ot "$deb" ]; then
        rm -rf "$dir" && mkdir -p "$dir"
        dpkg-deb -x "$deb" "$dir"
        touch "$dir/.unpacked"
    fi
}

# The newest kernel: the package the meta-package (KERNEL_META) depends on.
kernel_package() {
    apt-cache depends "$KERNEL_META:$ARCH" 2>/dev/null |
        awk -v m="${KERNEL_META#linux-image-}" '$1 == "Depends:" && $2 ~ ("^linux-image-.*-" m) { print $2; exit }'
}

fetch_kernel_and_busybox() {
    local kpkg
    kpkg=$(kernel_package)
    if [ -z "$kpkg" ]; then
        echo "apt knows no $KERNEL_META:$ARCH" >"$CACHE/debs/apt.err"
        return 1
    fi
    fetch_deb "${kpkg%:"$ARCH"}:$ARCH" "$CACHE/kernel" && fetch_deb "busybox-static:$ARCH" "$CACHE/busybox"
}

fetch_vm_parts() {
    mkdir -p "$CACHE/debs"
    fetch_kernel_and_busybox || { refresh_apt_lists && fetch_kernel_and_busybox; } ||
        die "cannot fetch the $ARCH kernel and busybox: $(cat "$CACHE/debs/apt.err");" \
            "is $ARCH in dpkg's architectures and apt updated? (scripts/install-cross-deps.sh $ARCH)"
    # shellcheck disable=SC2086
    KERNEL=$(ls -t "$CACHE"/kernel/boot/$KERNEL_GLOB | head -n 1)
    [ -f "$KERNEL" ] || die "no $KERNEL_GLOB in the kernel package"
    [ -x "$CACHE/busybox/bin/busybox" ] || die "no bin/busybox in busybox-static:$ARCH"
}

# ---- 2. the initramfs ------------------------------------------------------------------------

find_lib() {   # find_lib SONAME: its path in the target's sysroot, or nothing
    local d
    for d in "${LIBDIRS[@]}"; do
        [ -e "$d/$1" ] && { echo "$d/$1"; return 0; }
    done
    return 0
}

needed_of() {  # needed_of ELF: its NEEDED sonames
    $TRIPLE-readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
}

# lib_closure ELF...: every shared library the programs need, recursively (resolved paths).
lib_closure() {
    local -A seen=()
    local queue=("$@") f so path count=0
    while [ ${#queue[@]} -gt 0 ]; do
        f=${queue[0]}
        queue=("${queue[@]:1}")
        for so in $(needed_of "$f"); do
            [ -n "${seen[$so]:-}" ] && continue
            path=$(find_lib "$so")
            [ -n "$path" ] || die "$so (needed by $f) is not in the $ARCH sysroot (${LIBDIRS[*]});" \
                "install its :$ARCH package"
            seen[$so]=$path
            queue+=("$path")
            count=$((count + 1))
            [ $count -le $MAX_LIB_DEPTH ] || die "more than $MAX_LIB_DEPTH libraries needed: loop?"
        done
    done
    printf '%s\n' "${seen[@]}"
}

# copy_debug_file ELF ROOT: its libc6-dbg build-id debug file, when the host has it.
copy_debug_file() {
    local id dbg
    id=$($TRIPLE-readelf -n "$1" 2>/dev/null | awk '/Build ID:/ { print $3; exit }')
    [ -n "$id" ] || return 0
    dbg=/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug
    [ -f "$SYSROOT$dbg" ] || return 0
    mkdir -p "$2/usr/lib/debug/.build-id/${id:0:2}"
    cp "$SYSROOT$dbg" "$2$dbg"
}

install_libs() {  # install_libs ROOT PROGRAM...
    local root=$1 lib
    shift
    mkdir -p "$root/usr/lib/$TRIPLE"
    ln -s usr/lib "$root/lib"
    for lib in $(lib_closure "$@"); do
        cp -L "$lib" "$root/usr/lib/$TRIPLE/$(basename "$lib")"
        copy_debug_file "$lib" "$root"
    done
    # The program interpreter (PT_INTERP: /lib/ld-linux-aarch64.so.1, /lib/ld64.so.1 on s390x,
    # /lib64/ld64.so.2 on ppc64el), at that path (/lib is a link to /usr/lib).
    local interp dir
    interp=$($TRIPLE-readelf -l "$BUILD/threadlens" | sed -n 's/.*Requesting program interpreter: \(.*\)\]/\1/p')
    [ -n "$interp" ] || die "$BUILD/threadlens names no program interpreter"
    cp -L "$(find_lib "$(basename "$interp")")" "$root/usr/lib/$TRIPLE/$(basename "$interp")"
    dir=$(dirname "$interp")
    [ "$dir" = /lib ] || mkdir -p "$root$dir"
    ln -sf "/usr/lib/$TRIPLE/$(basename "$interp")" "$root$interp"
}

# add_unit_tests ROOT: the cmocka unit tests, when the build has them (make check-arm64 builds
# them), with the saved kernel text they read, at the path compiled into them.
add_unit_tests() {
    local root=$1 t
    mkdir -p "$root/tl/unit"
    for t in "$BUILD"/tests/test_*; do
        [ -x "$t" ] && file_is_target "$t" || continue
        cp "$t" "$root/tl/unit/"
        programs+=("$t")
    done
    if [ -d "$SRC/tests/data" ]; then
        mkdir -p "$root$SRC/tests"
        cp -r "$SRC/tests/data" "$root$SRC/tests/data"
    fi
}

build_initramfs() {
    local root=$CACHE/root-$RUN_ID t programs=("$BUILD/threadlens")
    rm -rf "$root"
    mkdir -p "$root/bin" "$root/tl/targets" "$root/proc" "$root/sys" "$root/dev" "$root/tmp"
    cp "$CACHE/busybox/bin/busybox" "$root/bin/busybox"
    cp "$SRC/tests/vm/init.sh" "$root/init"
    chmod 755 "$root/init"
    cp "$BUILD/threadlens" "$root/tl/threadlens"
    mkdir -p "$root/etc"
    echo "root:x:0:0:root:/:/bin/sh" >"$root/etc/passwd"
    : >"$root/tl/targets.list"
    for t in "${TARGETS[@]}"; do
        if [ -x "$BUILD/targets/$t" ]; then
            cp "$BUILD/targets/$t" "$root/tl/targets/$t"
            programs+=("$BUILD/targets/$t")
        fi
        echo "$t" >>"$root/tl/targets.list"
    done
    for t in "${EXTRA_TARGETS[@]}"; do
        [ -x "$BUILD/targets/$t" ] || continue
        cp "$BUILD/targets/$t" "$root/tl/targets/$t"
        programs+=("$BUILD/targets/$t")
    done
    [ "$UNIT" = no ] || add_unit_tests "$root"
    { echo "CROWD_THREADS=$((CROWD + 0))"; echo "LIBDIR=/usr/lib/$TRIPLE"; } >"$root/tl/config"
    install_libs "$root" "${programs[@]}"
    INITRD=$CACHE/initramfs-$RUN_ID.cpio.gz
    (cd "$root" && find . -print | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) >"$INITRD"
    log "initramfs $(du -h "$INITRD" | cut -f1) ($(find "$root" -type f | wc -l) files)"
}

# ---- 3. boot, then read the console ----------------------------------------------------------

boot() {
    CONSOLE=$CACHE/console-$RUN_ID.log
    log "booting $(basename "$KERNEL") on $QEMU -cpu $CPU (timeout ${TIMEOUT}s)"
    local start=$SECONDS rc=0
    timeout --kill-after=10 "$TIMEOUT" "$QEMU" "${QEMU_MACHINE[@]}" -cpu "$CPU" -m 1024 -smp 2 \
        -nographic -nic none -no-reboot -kernel "$KERNEL" -initrd "$INITRD" \
        -append "console=$CONSOLE_DEV panic=-1 loglevel=3" </dev/null 2>&1 |
        tr -d '\r' >"$CONSOLE" || rc=$?
    BOOT_SECONDS=$((SECONDS - start))
    BOOT_RC=$rc
}

# json_of NAME: the --json output printed between the markers for NAME.
json_of() {
    awk -v b="TL-JSON-BEGIN $1" -v e="TL-JSON-END $1" '$0 == e { on = 0 } on { print } $0 == b { on = 1 }' "$CONSOLE"
}

HOST_RESULTS=()
host_result() { HOST_RESULTS+=("TL-RESULT $1 $2: $3"); }

# The jq checks of one target's JSON: names, and (when stacks were taken) the chains in order.
JQ_NAMES='[.processes[0].threads[].name] | sort == (["vm-locker","vm-reader","vm-sleeper"] + [$t[0:15]] | sort)'
JQ_CHAIN='def fns($n): [.processes[0].threads[] | select(.name == $n) | .frames[]?.function];
  def has($n; $c): fns($n) as $f | any(range(0; ($f|length) - ($c|length) + 1); $f[.:(. + ($c|length))] == $c);
  has("vm-sleeper"; ["vm_sleep_inner","vm_sleep_middle","vm_sleep_outer"])
  and has("vm-locker"; ["vm_lock_inner","vm_lock_outer"])
  and has("vm-reader"; ["vm_read_inner","vm_read_outer"])'
JQ_HAS_WAITS='[.processes[0].threads[].waiting_on] | any(. != null)'
JQ_MUTEX_OWNER='.processes[0] as $p | $p.threads[] | select(.name == "vm-locker") | .waiting_on
  | .kind == "mutex" and .owner_tid == $p.pid'
JQ_FRAME_FIELDS='[.processes[0].threads[].frames[]?] | length > 0 and
  all(has("pc") and has("function") and has("offset") and has("module") and has("file") and has("line"))'

check_json() {  # check_json TARGET
    local t=$1 f=$CACHE/$1-$RUN_ID.json
    json_of "$t" >"$f"
    if [ ! -s "$f" ]; then
        if grep -q "TL-RESULT .* $t\." "$CONSOLE"; then
            host_result FAIL "$t.json_valid" "no JSON between the markers"
        fi
        return 0
    fi
    if ! jq -e . "$f" >/dev/null 2>&1; then
        host_result FAIL "$t.json_valid" "jq cannot parse the --json output ($f)"
        return
    fi
    host_result PASS "$t.json_valid" "jq parses the --json output"
    jq_check "$t.json_names" "every thread with its name" "$JQ_NAMES" "$f" "$t"
    if jq -e "$JQ_HAS_WAITS" "$f" >/dev/null 2>&1; then
        jq_check "$t.json_mutex_owner" "vm-locker waits on a mutex held by the main thread" \
            "$JQ_MUTEX_OWNER" "$f" "$t"
    else
        host_result SKIP "$t.json_mutex_owner" "no thread has waiting_on: no wait analysis in this build"
    fi
    if [[ $t == *_static ]]; then
        host_result SKIP "$t.json_chains" "static binary: no unwind tables for libunwind 1.6.2 (docs/arm64.md)"
        return
    fi
    if [ "$(jq -r .stacks_taken "$f")" != true ]; then
        host_result SKIP "$t.json_chains" "stacks_taken is false: this threadlens takes no stacks yet"
        return
    fi
    jq_check "$t.json_chains" "the three chains in order in .frames[].function" "$JQ_CHAIN" "$f" "$t"
    jq_check "$t.json_frames" "frames carry pc/function/offset/module/file/line" "$JQ_FRAME_FIELDS" "$f" "$t"
}

jq_check() {  # jq_check CHECK DETAIL FILTER FILE TARGET
    if jq -e --arg t "$5" "$3" "$4" >/dev/null 2>&1; then
        host_result PASS "$1" "$2"
    else
        host_result FAIL "$1" "$2 ($4)"
    fi
}

report() {
    local t results=$CACHE/results-$RUN_ID.txt pass fail skip
    for t in "${TARGETS[@]}"; do check_json "$t"; done
    echo "==== $ARCH VM tests: qemu -cpu $CPU, $(basename "$KERNEL"), ${BOOT_SECONDS}s ===="
    grep -E '^TL-VM-' "$CONSOLE" || true
    { grep -E '^TL-RESULT ' "$CONSOLE" || true; printf '%s\n' "${HOST_RESULTS[@]/%/ (host, jq)}"; } |
        grep -v '^$' >"$results" || true
    cat "$results"
    pass=$(grep -c '^TL-RESULT PASS' "$results" || true)
    fail=$(grep -c '^TL-RESULT FAIL' "$results" || true)
    skip=$(grep -c '^TL-RESULT SKIP' "$results" || true)
    if ! grep -q '^TL-SUMMARY ' "$CONSOLE"; then
        tail -n 30 "$CONSOLE"
        echo "$ARCH ($CPU): FAIL: the VM did not finish (qemu exit $BOOT_RC after ${BOOT_SECONDS}s," \
            "timeout ${TIMEOUT}s); console log: $CONSOLE"
        return 1
    fi
    echo "$ARCH ($CPU): console log $CONSOLE"
    echo "$ARCH: $pass passed, $fail failed, $skip skipped"
    [ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
}

main() {
    parse_args "$@"
    arch_settings
    RUN_ID=$(basename "$BUILD")-${CPU%%,*}   # names this run's files in the cache
    need_tools
    mkdir -p "$CACHE"
    fetch_vm_parts
    build_initramfs
    boot
    report
}

main "$@"
