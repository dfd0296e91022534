# threadlens demo opens the live view on the bundled workload; q quits and the workload is
# gone with it (threadlens demo --dump keeps printing a dump: test_dump_demo).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui_lib.sh"
ui_start 100 30 demo --no-color
ui_wait_for "threadlens top +PID [0-9]+ demo-workload" "the live view's title on the demo workload"
ui_wait_for " cruncher " "the demo's cruncher thread"
workload=$(pgrep -P "$UI_TL_PID" | head -1)
[ -n "$workload" ] || fail "no workload child of threadlens demo"
grep -q -- "--workload-only" /proc/"$workload"/cmdline || fail "the child $workload is not the workload"
ui_keys q
status=$(ui_wait_exit)
[ "$status" = 0 ] || fail "q: exit status $status"
for i in $(seq $((UI_WAIT_S * 10))); do
    ui_alive "$workload" || break
    sleep 0.1
done
ui_alive "$workload" && fail "the demo workload $workload outlived threadlens demo"
echo "ok: demo opened the live view on its workload; q ended both"
