# threadlens record on a target with a known time split: "burner" spends ~70 % in burn() and
# ~30 % blocked on a mutex that "holder" keeps; "sleeper" sleeps in sleep_outer -> sleep_inner.
# The folded counts give that split within 15 points (3 s at 50 Hz); go tool pprof reads the
# pprof file and lists burn; the speedscope JSON has the schema's fields; report shows the
# timelines, the lock with its holder and the sleeper stuck all along.
source "$(dirname "$0")/lib.sh"
need jq
need python3
tmp=$(mktemp -d)
trap 'cleanup_targets; rm -rf "$tmp"' EXIT
start_target record_split
pid=$TARGET_PID

# --- folded ---
"$THREADLENS" record -d 3 -r 50 -o "$tmp/p.folded" "$pid" 2>"$tmp/err" || fail "record exited $? ($(cat "$tmp/err"))"
grep -q 'samples of .* threads in 3.0 s' "$tmp/err" || fail "no summary on stderr: $(cat "$tmp/err")"
grep -Eq '[0-9]+ KiB of memory' "$tmp/err" || fail "the summary does not say the memory used"
burner=$(grep -E "^record_split-$pid;burner-[0-9]+;" "$tmp/p.folded" | awk '{n += $NF} END {print n + 0}')
burn=$(grep -E "^record_split-$pid;burner-[0-9]+;.*;burn(\.[^; ]*)?( |;)" "$tmp/p.folded" | awk '{n += $NF} END {print n + 0}')
lock=$(grep -E "^record_split-$pid;burner-[0-9]+;.*;wait_for_lock;" "$tmp/p.folded" | awk '{n += $NF} END {print n + 0}')
echo "burner: $burner samples, burn $burn, lock $lock"
[ "$burner" -ge 100 ] && [ "$burner" -le 155 ] || fail "burner has $burner samples over 3 s at 50 Hz (100..155 expected)"
burn_pct=$((100 * burn / burner)) lock_pct=$((100 * lock / burner))
[ "$burn_pct" -ge 55 ] && [ "$burn_pct" -le 85 ] || fail "burn() has $burn_pct % of burner's samples, expected 70 +- 15"
[ "$lock_pct" -ge 15 ] && [ "$lock_pct" -le 45 ] || fail "the mutex has $lock_pct % of burner's samples, expected 30 +- 15"
sleeper=$(grep -cE "^record_split-$pid;sleeper-[0-9]+;.*;sleeper;sleep_outer;sleep_inner;.* [0-9]+$" "$tmp/p.folded")
[ "$sleeper" -eq 1 ] || fail "the sleeper's chain (sleeper;sleep_outer;sleep_inner) is on $sleeper lines, expected 1"
grep -vqE '^[^ ]+( [^ ]+)* [0-9]+$' "$tmp/p.folded" && fail "a folded line does not end in a count: $(grep -vE ' [0-9]+$' "$tmp/p.folded" | head -1)"

# --- pprof: go tool pprof reads it ---
"$THREADLENS" record -d 1 -r 50 -o "$tmp/p.pb.gz" "$pid" 2>"$tmp/err" || fail "record --format pprof exited $?"
[ "$(head -c 2 "$tmp/p.pb.gz" | od -An -tx1 | tr -d ' ')" = 1f8b ] || fail "the pprof file is not gzip"
if command -v go >/dev/null 2>&1; then
    HOME=$tmp GOCACHE=$tmp/go GOFLAGS=-mod=mod go tool pprof -top "$tmp/p.pb.gz" >"$tmp/top" 2>"$tmp/top.err" ||
        fail "go tool pprof rejects the file: $(head -3 "$tmp/top.err")"
    grep -q 'burn' "$tmp/top" || fail "go tool pprof -top does not list burn: $(head -20 "$tmp/top")"
    grep -q 'Type: wall' "$tmp/top" || fail "the default sample type is not wall: $(head -3 "$tmp/top")"
    HOME=$tmp GOCACHE=$tmp/go go tool pprof -sample_index=cpu -tagfocus='thread name=burner' -top "$tmp/p.pb.gz" >"$tmp/top" 2>&1 ||
        fail "go tool pprof -sample_index=cpu fails: $(head -3 "$tmp/top")"
    grep -q 'burn' "$tmp/top" || fail "the cpu samples of burner do not list burn"
    HOME=$tmp GOCACHE=$tmp/go go tool pprof -tags "$tmp/p.pb.gz" >"$tmp/tags" 2>&1
    for tag in 'thread name' tid state 'wait kind'; do
        grep -q "$tag" "$tmp/tags" || fail "pprof has no label '$tag': $(head -20 "$tmp/tags")"
    done
else
    echo "go is not installed: the pprof file was only checked for gzip (make deps installs golang-go)"
fi

# --- speedscope: the file-format schema's required fields ---
"$THREADLENS" record -d 1 -o "$tmp/p.speedscope.json" "$pid" 2>"$tmp/err" || fail "record --format speedscope exited $?"
python3 "$TL_SOURCE/tests/tools/check_speedscope.py" "$tmp/p.speedscope.json" 4 || fail "the speedscope file is not valid"

# --- jsonl + report ---
"$THREADLENS" record -d 2 -r 50 -o "$tmp/p.jsonl" "$pid" 2>"$tmp/err" || fail "record --format jsonl exited $? ($(cat "$tmp/err"))"
jq -c . "$tmp/p.jsonl" >/dev/null || fail "a jsonl line is not JSON"
[ "$(head -1 "$tmp/p.jsonl" | jq -r .type)" = recording ] || fail "the first jsonl line is not the header"
"$THREADLENS" report -w 200 "$tmp/p.jsonl" >"$tmp/report" 2>"$tmp/err" || fail "report exited $? ($(cat "$tmp/err"))"
cat "$tmp/report"
grep -q '^State timelines' "$tmp/report" || fail "no timelines"
grep -Eq '^  [RSLID.]*R[RSLID.]*L[RSLID.]*  "burner"|^  [RSLID.]*L[RSLID.]*R[RSLID.]*  "burner"' "$tmp/report" ||
    fail "burner's timeline does not show both R and L"
grep -Eq '^  [S.]+  "sleeper"' "$tmp/report" || fail "sleeper's timeline is not all S"
grep -Eq 'mutex 0x[0-9a-f]+; held by "holder"' "$tmp/report" || fail "the report does not name the mutex and its holder"
grep -A5 '^Top stacks by CPU' "$tmp/report" | grep -q 'burn' || fail "burn is not among the top stacks by CPU"
sed -n '/^Stuck/,$p' "$tmp/report" | grep -q '"sleeper".*sleep_inner < sleep_outer' || fail "the sleeper is not stuck all along"
sed -n '/^Stuck/,$p' "$tmp/report" | grep -q '"burner"' && fail "burner is listed as stuck"
# conversion afterwards gives the same folded stacks as recording straight to folded would
"$THREADLENS" report --format folded "$tmp/p.jsonl" >"$tmp/conv.folded" || fail "report --format folded exited $?"
grep -qE "^record_split-$pid;burner-[0-9]+;.*;burn(\.[^; ]*)? [0-9]+$" "$tmp/conv.folded" || fail "the converted folded file has no burn"
"$THREADLENS" report --format pprof -o "$tmp/conv.pb.gz" "$tmp/p.jsonl" || fail "report --format pprof exited $?"

# --- --only-cpu: every sample of the recording is of a running thread ---
"$THREADLENS" record -d 1 -r 50 --only-cpu -o "$tmp/cpu.jsonl" "$pid" 2>/dev/null || fail "--only-cpu exited $?"
n=$(jq -r 'select(.type == "sample") | .threads[] | .[1]' "$tmp/cpu.jsonl" | sort | uniq -c | awk '{print $2}' | tr -d '\n')
[ "$n" = R ] || fail "--only-cpu kept samples in states '$n'"
echo PASS
