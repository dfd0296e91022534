# A process with 60 000 mappings still gives a readable picture: the regions grouped (the header
# says how many), a bounded number of labels, valid XML. The time it took is printed (the
# figure is in README; tests assert no timings).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/picture_lib.sh"
dir=$(mktemp -d)
trap 'cleanup_targets; rm -rf "$dir"' EXIT
maps=60000
start_target hostile --maps "$maps" --cmdline-mib 0
pid=$TARGET_PID
in_proc=$(wc -l </proc/"$pid"/maps)
[ "$in_proc" -ge "$maps" ] || skip "hostile made only $in_proc mappings (vm.max_map_count too low?)"
t0=$(date +%s%N)
"$THREADLENS" picture "$pid" -o "$dir/m.svg" 2>"$dir/err" || fail "picture exited $?: $(cat "$dir/err")"
t1=$(date +%s%N)
"$THREADLENS" picture "$pid" -o "$dir/m.png" 2>/dev/null || fail "PNG exited $?"
t2=$(date +%s%N)
xmllint --noout "$dir/m.svg" || fail "invalid XML"
header=$(xmllint --xpath "$TEXT_LAYER[@class='process']" "$dir/m.svg")
blocks=$(grep -o "[0-9]* mappings drawn as [0-9]* blocks" <<<"$header") || fail "the header does not say how the mappings were drawn"
set -- $blocks
[ "$1" -eq "$in_proc" ] || fail "header: $1 mappings, /proc has $in_proc"
[ "$5" -le 100 ] || fail "$5 blocks: too many to read"
# hostile's anonymous pages, mprotect'ed apart, are one heap block that says how many it holds
big=$(xmllint --xpath "$TEXT_LAYER[@class='heap']" "$dir/m.svg" | grep -o 'in [0-9]* mappings' | awk '{ if ($2 > m) m = $2 } END { print m + 0 }')
[ "$big" -ge "$maps" ] || fail "no heap block says it holds the $maps mappings (largest: $big)"
labels=$(xmllint --xpath "count($TEXT_LAYER)" "$dir/m.svg")
[ "$labels" -le 300 ] || fail "$labels labels: not readable"
echo "ok: $in_proc mappings drawn as $5 blocks (one of $big), $labels labels; SVG $(( (t1 - t0) / 1000000 )) ms, PNG $(( (t2 - t1) / 1000000 )) ms"
