# dump --shared on a process with tens of thousands of mappings (tests/targets/hostile): every
# mapping counted and listed (below TL_MAX_REGIONS), per-region Rss skipped for so big a map
# (smaps would be slow) while smaps_rollup still gives the totals, exit 0, valid JSON and text.
source "$(dirname "$0")/lib.sh"
need jq
maps=30000
start_target hostile --maps "$maps" --cmdline-mib 0
pid=$TARGET_PID
in_proc=$(wc -l </proc/"$pid"/maps)
[ "$in_proc" -ge "$maps" ] || skip "hostile made only $in_proc mappings (vm.max_map_count too low?)"
out=$TARGET_OUT.json
"$THREADLENS" dump --shared --no-stacks --json "$pid" >"$out" || fail "dump --shared exited $?"
p='.processes[] | select(.pid == '"$pid"')'
n=$(jq "$p | .shared.mappings" "$out") || fail "invalid JSON"
[ "$n" -ge "$maps" ] || fail "$n mappings counted, /proc has $in_proc"
listed=$(jq "$p | .regions | length" "$out")
[ "$listed" -eq "$n" ] || fail "$listed regions listed of $n"
jq -e "$p | .shared.regions_truncated == false" "$out" >/dev/null || fail "truncated below the bound"
jq -e "$p | .shared.classes.heap.rss_bytes == null and .regions[0].rss_kib == null" "$out" >/dev/null \
    || fail "per-region Rss should be skipped for $n mappings"
jq -e "$p | .shared.memory.rss_kib > 0" "$out" >/dev/null || fail "smaps_rollup totals missing"
heap=$(jq "$p | .shared.classes.heap.mappings" "$out")
[ "$heap" -ge "$maps" ] || fail "the $maps anonymous mappings should be heap, got $heap"
"$THREADLENS" dump --shared --no-stacks "$pid" | grep -q "($n mappings)" || fail "text: mapping count $n missing"
echo "ok: $n mappings, $listed listed, $heap heap"
