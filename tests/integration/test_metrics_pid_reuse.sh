# threadlens metrics --listen runs for days; a target's PID can then be given to an unrelated
# process. Once a target is gone it stays down (threadlens_target_up 0) and the process that
# got its PID is never reported in its place. Made to happen at once in a PID namespace of the
# test's own (unshare -pf --mount-proc), where writing ns_last_pid picks the next PID.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/metrics_lib.sh"   # LSAN_OPTIONS for the server under ASan
need unshare
need curl
[ "$(id -u)" -eq 0 ] || skip "a PID namespace and ns_last_pid need root"
work=$(mktemp -d)
cat >"$work/inner.sh" <<'INNER'
set -u
fail() { echo "FAIL: $*"; exit 1; }
wait_ready() { for i in $(seq 100); do grep -qx ready "$1" && return 0; sleep 0.1; done; fail "$1: no ready"; }
"$TL_TARGETS/named_threads" >"$W/a.out" & a=$!
wait_ready "$W/a.out"
"$THREADLENS" metrics --listen 127.0.0.1:0 --interval 0.05 "$a" 2>"$W/server.err" & server=$!
for i in $(seq 100); do
    url=$(sed -n 's|^threadlens metrics: serving \(http://.*/metrics\)$|\1|p' "$W/server.err")
    [ -n "$url" ] && break; sleep 0.1
done
[ -n "$url" ] || fail "the server did not start: $(cat "$W/server.err")"
curl -sS "$url" >"$W/m1" || fail "first scrape"
grep -qx "threadlens_target_up{pid=\"$a\"} 1" "$W/m1" || fail "target $a not up at first: $(head -5 "$W/m1")"
grep -q 'name="tl-named-main"' "$W/m1" || fail "the target's series are missing"
kill -9 "$a"; wait "$a" 2>/dev/null
echo $((a - 1)) >/proc/sys/kernel/ns_last_pid || fail "cannot write ns_last_pid"
"$TL_TARGETS/crowd" 2 >"$W/b.out" & b=$!
[ "$b" = "$a" ] || { kill -9 "$b"; echo "SKIP: the PID was not reused ($b, not $a)"; kill "$server"; exit 77; }
wait_ready "$W/b.out"
curl -sS "$url" >"$W/m2" || fail "scrape after the PID was reused"
grep -qx "threadlens_target_up{pid=\"$a\"} 0" "$W/m2" || fail "PID $a now names crowd, yet the target is not down: $(head -3 "$W/m2")"
grep -q 'name="crowd"' "$W/m2" && fail "the unrelated process that got PID $a is reported in the target's place"
kill -9 "$b"; wait "$b" 2>/dev/null
"$TL_TARGETS/crowd" 2 >"$W/c.out" & c=$!
wait_ready "$W/c.out"
curl -sS "$url" >"$W/m3" || fail "third scrape"
grep -qx "threadlens_target_up{pid=\"$a\"} 0" "$W/m3" || fail "a gone target came back up"
kill -TERM "$server"; wait "$server" || fail "the server did not exit 0: $(cat "$W/server.err")"
kill -9 "$c"
echo "ok"
INNER
W=$work THREADLENS=$THREADLENS TL_TARGETS=$TL_TARGETS timeout 120 unshare -pf --mount-proc bash "$work/inner.sh" >"$work/log" 2>&1
rc=$?
[ "$rc" -eq 77 ] && skip "$(grep SKIP "$work/log")"
[ "$rc" -eq 0 ] && grep -qx ok "$work/log" || fail "in the PID namespace (rc $rc): $(grep -m1 FAIL "$work/log" || tail -3 "$work/log")"
rm -rf "$work"
echo "ok: a target's reused PID: target_up 0, the new process never reported in its place"
