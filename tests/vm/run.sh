#!/usr/bin/env bash
# Runs the dump tests on a real arm64 Linux kernel under qemu-system-aarch64 (TCG):
#   1. fetches Debian's linux-image-*-cloud-arm64 and busybox-static:arm64 with `apt-get
#      download` (never installed on the host) and unpacks them into the cache directory;
#   2. builds an initramfs: busybox, the cross-built threadlens and target programs, the arm64
#      shared libraries they need (NEEDED, recursively, from the arm64 sysroot), the libc6-dbg
#      debug files of those libraries, and tests/arm64/init.sh as /init;
#   3. boots it and reads the console: init.sh's TL-RESULT lines, plus the --json output the
#      host validates with jq. Exits 0 when every check passed (SKIPs are listed, never
#      counted as passes), 1 on any FAIL, on a timeout, or when the VM did not finish.
# Usage: tests/arm64/run.sh [--build DIR] [--cache DIR] [--cpu cortex-a57|max] [--timeout S]
#                           [--crowd N] [--no-unit]
#   --crowd N   threads of the crowd target (default 500; 0 leaves that check out)
#   --no-unit   leave the cmocka unit tests out (the sanitizer run: they are slow there)
# Needs: scripts/install-arm64-deps.sh, then a cross build:
#   cmake -S . -B build-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-aarch64.cmake \
#     -DTHREADLENS_TEST_TARGETS_ONLY=OFF && cmake --build build-arm64
# One command for all of it: make check-arm64
set -euo pipefail

SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$SRC/build-arm64
CACHE=$SRC/build-arm64-vm
CPU=cortex-a57
TIMEOUT=180
CROWD=500
UNIT=yes
TRIPLE=aarch64-linux-gnu
LIBDIRS=("/usr/lib/$TRIPLE" "/lib/$TRIPLE" "/usr/$TRIPLE/lib")
MAX_LIB_DEPTH=200          # bound on the NEEDED walk (libraries in the closure)
TARGETS=(vm_chains vm_chains_pac vm_chains_static)   # chain checks (init.sh test_target)
EXTRA_TARGETS=(crowd)                                  # other checks of init.sh

die() { echo "arm64: $*" >&2; exit 1; }
log() { echo "arm64: $*" >&2; }

parse_args() {
    while [ $# -gt 0 ]; do
        case $1 in
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
    for t in qemu-system-aarch64 $TRIPLE-readelf apt-get apt-cache dpkg-deb cpio gzip jq timeout; do
        command -v "$t" >/dev/null 2>&1 || missing+=("$t")
    done
    [ ${#missing[@]} -eq 0 ] || die "missing tools: ${missing[*]}; run scripts/install-arm64-deps.sh"
    [ -x "$BUILD/threadlens" ] || die "no arm64 threadlens in $BUILD; build it first:" \
        "cmake -S . -B build-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-aarch64.cmake && cmake --build build-arm64"
    file_is_arm64 "$BUILD/threadlens" || die "$BUILD/threadlens is not an aarch64 program"
}

file_is_arm64() {
    $TRIPLE-readelf -h "$1" 2>/dev/null | grep -q 'Machine:.*AArch64'
}

# ---- 1. kernel and busybox from Debian's arm64 archive, unpacked, never installed ----------

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

# fetch_deb PACKAGE DIR: downloads PACKAGE (arch arm64) into the cache once and unpacks it in
# DIR. 1 when the download failed.
fetch_deb() {
    local pkg=$1 dir=$2 deb
    deb=$(ls "$CACHE"/debs/"${pkg%%:*}"_*_arm64.deb 2>/dev/null | head -n 1 || true)
    if [ -z "$deb" ]; then
        log "downloading $pkg"
        apt_download "$pkg" || return 1
        deb=$(ls "$CACHE"/debs/"${pkg%%:*}"_*_arm64.deb | head -n 1)
    fi
    if [ ! -e "$dir/.unpacked" ] || [ "$dir/.unpacked" -ot "$deb" ]; then
        rm -rf "$dir" && mkdir -p "$dir"
        dpkg-deb -x "$deb" "$dir"
        touch "$dir/.unpacked"
    fi
}

# The newest cloud-arm64 kernel: the package the meta-package linux-image-cloud-arm64 depends on.
kernel_package() {
    apt-cache depends linux-image-cloud-arm64:arm64 2>/dev/null |
        awk '$1 == "Depends:" && $2 ~ /^linux-image-.*-cloud-arm64/ { print $2; exit }'
}

fetch_kernel_and_busybox() {
    local kpkg
    kpkg=$(kernel_package)
    if [ -z "$kpkg" ]; then
        echo "apt knows no linux-image-cloud-arm64:arm64" >"$CACHE/debs/apt.err"
        return 1
    fi
    fetch_deb "${kpkg%:arm64}:arm64" "$CACHE/kernel" && fetch_deb busybox-static:arm64 "$CACHE/busybox"
}

fetch_vm_parts() {
    mkdir -p "$CACHE/debs"
    fetch_kernel_and_busybox || { refresh_apt_lists && fetch_kernel_and_busybox; } ||
        die "cannot fetch the arm64 kernel and busybox: $(cat "$CACHE/debs/apt.err");" \
            "is arm64 in dpkg's architectures and apt updated? (scripts/install-arm64-deps.sh)"
    KERNEL=$(ls -t "$CACHE"/kernel/boot/vmlinuz-* | head -n 1)
    [ -f "$KERNEL" ] || die "no vmlinuz in the kernel package"
    [ -x "$CACHE/busybox/bin/busybox" ] || die "no bin/busybox in busybox-static:arm64"
}

# ---- 2. the initramfs ------------------------------------------------------------------------

find_lib() {   # find_lib SONAME: its path in the arm64 sysroot, or nothing
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
            [ -n "$path" ] || die "$so (needed by $f) is not in the arm64 sysroot (${LIBDIRS[*]});" \
                "install its :arm64 package"
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
    [ -f "$dbg" ] || return 0
    mkdir -p "$2/usr/lib/debug/.build-id/${id:0:2}"
    cp "$dbg" "$2$dbg"
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
    # The program interpreter (PT_INTERP /lib/ld-linux-aarch64.so.1).
    cp -L "$(find_lib ld-linux-aarch64.so.1)" "$root/usr/lib/$TRIPLE/ld-linux-aarch64.so.1"
    ln -sf "$TRIPLE/ld-linux-aarch64.so.1" "$root/usr/lib/ld-linux-aarch64.so.1"
}

# add_unit_tests ROOT: the cmocka unit tests, when the build has them (make check-arm64 builds
# them), with the saved kernel text they read, at the path compiled into them.
add_unit_tests() {
    local root=$1 t
    mkdir -p "$root/tl/unit"
    for t in "$BUILD"/tests/test_*; do
        [ -x "$t" ] && file_is_arm64 "$t" || continue
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
    cp "$SRC/tests/arm64/init.sh" "$root/init"
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
    echo "CROWD_THREADS=$((CROWD + 0))" >"$root/tl/config"
    install_libs "$root" "${programs[@]}"
    INITRD=$CACHE/initramfs-$RUN_ID.cpio.gz
    (cd "$root" && find . -print | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) >"$INITRD"
    log "initramfs $(du -h "$INITRD" | cut -f1) ($(find "$root" -type f | wc -l) files)"
}

# ---- 3. boot, then read the console ----------------------------------------------------------

boot() {
    CONSOLE=$CACHE/console-$RUN_ID.log
    log "booting $(basename "$KERNEL") on qemu -cpu $CPU (timeout ${TIMEOUT}s)"
    local start=$SECONDS rc=0
    timeout --kill-after=10 "$TIMEOUT" qemu-system-aarch64 -M virt -cpu "$CPU" -m 1024 -smp 2 \
        -nographic -nic none -no-reboot -kernel "$KERNEL" -initrd "$INITRD" \
        -append "console=ttyAMA0 panic=-1 loglevel=3" </dev/null 2>&1 |
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
    echo "==== arm64 VM tests: qemu -cpu $CPU, $(basename "$KERNEL"), ${BOOT_SECONDS}s ===="
    grep -E '^TL-VM-' "$CONSOLE" || true
    { grep -E '^TL-RESULT ' "$CONSOLE" || true; printf '%s\n' "${HOST_RESULTS[@]/%/ (host, jq)}"; } |
        grep -v '^$' >"$results" || true
    cat "$results"
    pass=$(grep -c '^TL-RESULT PASS' "$results" || true)
    fail=$(grep -c '^TL-RESULT FAIL' "$results" || true)
    skip=$(grep -c '^TL-RESULT SKIP' "$results" || true)
    if ! grep -q '^TL-SUMMARY ' "$CONSOLE"; then
        tail -n 30 "$CONSOLE"
        echo "arm64 ($CPU): FAIL: the VM did not finish (qemu exit $BOOT_RC after ${BOOT_SECONDS}s," \
            "timeout ${TIMEOUT}s); console log: $CONSOLE"
        return 1
    fi
    echo "arm64 ($CPU): console log $CONSOLE"
    echo "arm64: $pass passed, $fail failed, $skip skipped"
    [ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
}

main() {
    parse_args "$@"
    RUN_ID=$(basename "$BUILD")-${CPU%%,*}   # names this run's files in the cache
    need_tools
    mkdir -p "$CACHE"
    fetch_vm_parts
    build_initramfs
    boot
    report
}

main "$@"
