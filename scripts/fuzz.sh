#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for a while on its seed
# corpus (tests/fuzz/corpus/NAME) plus its regression inputs (tests/fuzz/regressions/NAME).
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 8)
# Prints one line per target with the executions it survived; exits non-zero on any crash.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-8}
build=build-fuzz
CC=clang cmake -S . -B "$build" -DTHREADLENS_FUZZ=ON -DTHREADLENS_SANITIZE=ON -DBUILD_TESTING=OFF \
    -DTHREADLENS_UI=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$(nproc)" >/dev/null
status=0
for bin in "$build"/fuzz/fuzz_*; do
    name=$(basename "$bin")
    seeds=tests/fuzz/corpus/$name
    regressions=tests/fuzz/regressions/$name
    work=$build/corpus/$name
    mkdir -p "$work" "$seeds"
    cp -n "$seeds"/* "$work"/ 2>/dev/null || true
    if [ -d "$regressions" ] && ls "$regressions"/* >/dev/null 2>&1; then
        "$bin" "$regressions"/* >/dev/null 2>&1 || { echo "$name: a regression input crashes again"; status=1; }
    fi
    log=$build/$name.log
    if "$bin" -max_total_time="$secs" -max_len=65536 -timeout=5 -rss_limit_mb=1024 \
           -artifact_prefix="$build/$name-" "$work" >"$log" 2>&1; then
        runs=$(grep -o 'Done [0-9]* runs' "$log" | tail -1 | awk '{print $2}')
        echo "$name: ${runs:-?} executions in ${secs}s, no crash"
    else
        echo "$name: CRASH - see $log and $build/$name-crash-*; add the input to $regressions"
        status=1
    fi
done
exit $status
