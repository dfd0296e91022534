# threadlens metrics --listen: /metrics over HTTP with the OpenMetrics media type; parallel
# scrapes all get whole answers (one sample at a time); a target that exits between scrapes
# turns into threadlens_target_up 0 while the endpoint stays up; other paths and methods are
# refused; a non-loopback address needs --listen-any; SIGINT and SIGTERM stop it with exit 0.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dump_lib.sh"
source "$(dirname "$0")/metrics_lib.sh"
need curl
start_target named_threads
p1=$TARGET_PID
start_target crowd 3
p2=$TARGET_PID
err=$(mktemp) body=$(mktemp) hdr=$(mktemp)
start_server "$err" --listen 127.0.0.1:0 --interval 0.05 "$p1" "$p2"
case $SERVER_URL in http://127.0.0.1:*/metrics) ;; *) fail "serves on $SERVER_URL, not on 127.0.0.1" ;; esac

curl -sS -D "$hdr" -o "$body" "$SERVER_URL" || fail "the scrape failed"
grep -qi '^content-type: application/openmetrics-text; version=1.0.0; charset=utf-8' "$hdr" \
    || fail "not the OpenMetrics media type: $(grep -i content-type "$hdr")"
[ "$(tail -n 1 "$body")" = "# EOF" ] || fail "the answer does not end in # EOF"
[ "$(sample_value "$body" "threadlens_target_up{pid=\"$p1\"}")" = 1 ] || fail "target $p1 not up"
[ "$(sample_value "$body" "threadlens_target_up{pid=\"$p2\"}")" = 1 ] || fail "target $p2 not up"
[ "$(sample_value "$body" "threadlens_threads{pid=\"$p1\",name=\"tl-named-main\",state=\"sleeping\"}")" = 5 ] \
    || fail "named_threads: not 5 sleeping threads"

curls=()
for i in 1 2 3 4 5 6; do curl -sS -o "$body.$i" "$SERVER_URL" & curls+=($!); done
for c in "${curls[@]}"; do wait "$c" || fail "a parallel scrape failed"; done
for i in 1 2 3 4 5 6; do
    [ "$(tail -n 1 "$body.$i")" = "# EOF" ] || fail "parallel scrape $i: not a whole answer ($(wc -c <"$body.$i") bytes)"
    [ "$(grep -c '^threadlens_target_up' "$body.$i")" -eq 2 ] || fail "parallel scrape $i: not both targets"
done

kill -9 "$p2"; wait "$p2" 2>/dev/null
curl -sS -D "$hdr" -o "$body" "$SERVER_URL" || fail "the scrape after a target exited failed"
grep -q '^HTTP/1.1 200' "$hdr" || fail "not 200 after a target exited: $(head -1 "$hdr")"
[ "$(sample_value "$body" "threadlens_target_up{pid=\"$p2\"}")" = 0 ] || fail "the exited target is not down"
[ "$(sample_value "$body" "threadlens_target_up{pid=\"$p1\"}")" = 1 ] || fail "the other target went down too"
grep -q "pid=\"$p2\",name=" "$body" && fail "the exited target still has series"
kill -9 "$p1"; wait "$p1" 2>/dev/null
curl -sS -o "$body" "$SERVER_URL" || fail "the scrape after every target exited failed"
[ "$(grep -c '^threadlens_target_up{pid="[0-9]*"} 0$' "$body")" -eq 2 ] || fail "not both targets down: $(cat "$body")"
[ "$(tail -n 1 "$body")" = "# EOF" ] || fail "no # EOF once every target is gone"

[ "$(curl -s -o /dev/null -w '%{http_code}' "${SERVER_URL%/metrics}/other")" = 404 ] || fail "another path is not 404"
[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$SERVER_URL")" = 405 ] || fail "POST is not 405"
stop_server "$err"

start_target named_threads
start_server "$err" --listen '[::1]:0' "$TARGET_PID"
kill -INT "$SERVER_PID"
for i in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
wait "$SERVER_PID"
[ $? -eq 0 ] || fail "SIGINT did not stop it with exit 0: $(cat "$err")"

for addr in 0.0.0.0:0 192.0.2.1:9464; do
    timeout 10 "$THREADLENS" metrics --listen "$addr" "$TARGET_PID" 2>"$err"
    [ $? -eq 64 ] || fail "--listen $addr was not refused with 64"
    grep -q 'not a loopback address.*--listen-any' "$err" || fail "no clear refusal of $addr: $(cat "$err")"
done
for addr in nocolon 127.0.0.1: '[::1:80'; do
    timeout 10 "$THREADLENS" metrics --listen "$addr" "$TARGET_PID" 2>"$err"
    [ $? -eq 64 ] || fail "--listen $addr was not a usage error"
done
rm -f "$err" "$body" "$body".* "$hdr"
echo "ok: OpenMetrics over HTTP, 6 parallel scrapes whole, exited targets down (200), 404/405, SIGTERM/SIGINT exit 0, non-loopback refused"
