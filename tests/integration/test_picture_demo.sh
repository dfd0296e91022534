# threadlens demo --picture FILE.png: the demo's picture, with one marker per thread of the
# workload and its child (counted in the PNG's pixels by tests/tools/png_markers), and the
# message saying the same count.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/picture_lib.sh"
dir=$(mktemp -d)
trap 'cleanup_targets; rm -rf "$dir"' EXIT
markers=$TL_TARGETS/png_markers
[ -x "$markers" ] || fail "no $markers (built with the picture)"
"$THREADLENS" demo --picture "$dir/demo.png" 2>"$dir/err" || fail "demo --picture exited $?: $(cat "$dir/err")"
[ "$(head -c 4 "$dir/demo.png" | od -An -tx1 | tr -d ' \n')" = 89504e47 ] || fail "not a PNG"
# the workload: demo-workload, 6 named threads and a pool of 8; its child demo-child with 2 workers
want=18
grep -q "of 2 processes, $want threads" "$dir/err" || fail "the message does not say 2 processes, $want threads: $(cat "$dir/err")"
got=$("$markers" "$dir/demo.png") || fail "png_markers failed"
[ "$got" -eq "$want" ] || fail "$got thread markers in the PNG, want $want"
"$THREADLENS" demo --picture "$dir/demo.svg" 2>/dev/null || fail "demo --picture SVG exited $?"
for name in demo-workload request-1 request-2 producer consumer cruncher pipe-reader pool-1 pool-8 demo-child child-worker-1 child-worker-2; do
    xmllint --xpath "$TEXT_LAYER[@class='thread']" "$dir/demo.svg" | grep -q "\"$name\" tid" || fail "no marker for $name"
done
rc=0; "$THREADLENS" demo --picture 2>/dev/null || rc=$?
[ "$rc" -eq 64 ] || fail "demo --picture without a file exited $rc, want 64"
echo "ok: $got markers for $want threads"
