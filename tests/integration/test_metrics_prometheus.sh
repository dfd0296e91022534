# A real Prometheus (Debian's prometheus) on loopback scrapes threadlens metrics --listen every
# 0.5 s; its query API then returns our series with the values the targets have: the ABBA
# deadlock, its two lock waiters, its thread count, a hostile name exactly as the label was
# written; after the deadlocked target is killed Prometheus stores threadlens_target_up 0
# while its own `up` for us stays 1 (the endpoint answered, and in OpenMetrics: it parsed).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dump_lib.sh"
source "$(dirname "$0")/metrics_lib.sh"
need prometheus
need curl
need jq
start_target waits_abba
abba=$TARGET_PID
start_target evil_names
evil=$TARGET_PID
dir=$(mktemp -d)
err=$dir/threadlens.err
start_server "$err" --listen 127.0.0.1:0 --per-thread "$abba" "$evil"
hostport=${SERVER_URL#http://}
hostport=${hostport%/metrics}

cat >"$dir/prometheus.yml" <<YML
global:
  scrape_interval: 500ms
  scrape_timeout: 400ms
scrape_configs:
  - job_name: threadlens
    static_configs:
      - targets: ['$hostport']
YML
prom_pid=
for attempt in 1 2 3 4 5; do   # a free port for Prometheus itself
    port=$((20000 + RANDOM % 40000))
    prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
        --web.listen-address="127.0.0.1:$port" >"$dir/prom.log" 2>&1 &
    prom_pid=$!
    TL_PIDS+=("$prom_pid")
    for i in $(seq 100); do
        curl -sf "http://127.0.0.1:$port/-/ready" >/dev/null 2>&1 && break 2
        kill -0 "$prom_pid" 2>/dev/null || break
        sleep 0.2
    done
    kill -9 "$prom_pid" 2>/dev/null; wait "$prom_pid" 2>/dev/null
    prom_pid=
done
[ -n "$prom_pid" ] || fail "Prometheus did not start: $(tail -5 "$dir/prom.log")"

# query EXPR: the value of the single series EXPR returns (empty when none or several).
query() {
    curl -sf --get "http://127.0.0.1:$port/api/v1/query" --data-urlencode "query=$1" |
        jq -r 'if .status == "success" and (.data.result | length) == 1 then .data.result[0].value[1] else "" end'
}
# wait_for EXPR WANT: until Prometheus returns WANT for EXPR (30 s).
wait_for() {
    local i got=
    for i in $(seq 150); do
        got=$(query "$1")
        [ "$got" = "$2" ] && return 0
        sleep 0.2
    done
    fail "Prometheus says '$got' for $1, expected $2 (scrape health: $(query 'up{job="threadlens"}'); log: $(tail -3 "$dir/prom.log"))"
}
wait_for 'up{job="threadlens"}' 1
wait_for 'threadlens_deadlock' 1
wait_for "threadlens_lock_waiters{pid=\"$abba\"}" 2
wait_for "threadlens_target_up{pid=\"$abba\"}" 1
wait_for "sum(threadlens_threads{pid=\"$abba\"})" "$(tids "$abba" | wc -l)"
wait_for "count(threadlens_thread_state{pid=\"$evil\"})" "$(tids "$evil" | wc -l)"
# the label as written: the dump's escaped text, ESC as the four characters \x1b
wait_for 'count(threadlens_thread_state{name="\\x1b[31mred"})' 1
wait_for 'count(threadlens_thread_state{name="a\\x0a\"forged\" #9"})' 1
wait_for 'scrape_samples_scraped{job="threadlens"} > 20' "$(query 'scrape_samples_scraped{job="threadlens"}')"

kill -9 "$abba"; wait "$abba" 2>/dev/null
wait_for "threadlens_target_up{pid=\"$abba\"}" 0
wait_for 'threadlens_deadlock' 0
wait_for "threadlens_target_up{pid=\"$evil\"}" 1
wait_for 'up{job="threadlens"}' 1
kill -TERM "$prom_pid"; wait "$prom_pid" 2>/dev/null
stop_server "$err"
rm -rf "$dir"
echo "ok: Prometheus scraped threadlens: deadlock 1, 2 lock waiters, hostile labels, target_up 0 after the target was killed"
