# Hostile thread and process names in metric labels: controls and invalid UTF-8 become the same
# \xNN text a dump shows, quotes and backslashes are escaped for the label syntax, a newline
# cannot start a forged sample line, Chinese stays as is; promtool accepts the whole text.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dump_lib.sh"
need promtool
start_target evil_names
pid=$TARGET_PID
out=$(mktemp) err=$(mktemp)
dump "$out" "$err" metrics --per-thread "$pid"
expect_rc 0
promtool check metrics <"$out" >"$err" 2>&1 || fail "promtool rejects the labels: $(head -5 "$err")"
iconv -f UTF-8 -t UTF-8 "$out" >/dev/null 2>&1 || fail "the metrics are not valid UTF-8"
LC_ALL=C grep -qP '[\x00-\x08\x0b-\x1f\x7f]' "$out" && fail "a raw control byte in the metrics"
LC_ALL=C grep -qP '\xc2[\x80-\x9f]' "$out" && fail "a raw C1 control in the metrics"
# every line is a comment or a sample of one of our families: no forged line
bad=$(grep -v '^# \|^threadlens_[a-z_]*{\|^threadlens_[a-z_]* ' "$out" | head -3)
[ -z "$bad" ] || fail "lines that are not ours: $bad"
[ "$(grep -c '^threadlens_thread_state{' "$out")" -eq "$(tids "$pid" | wc -l)" ] || fail "not one state sample per thread"
zh=$'\xe5\xb7\xa5\xe4\xbd\x9c\xe7\xba\xbf\xe7\xa8\x8b'
for label in 'name="\\x1b[31mred"' 'name="bad\\xff\\xfeutf8"' 'name="\\u009b31mc1"' 'name="del\\x7f\\\\back"' \
             "name=\"$zh\"" 'name="a\\x0a\"forged\" #9"' 'name="\\x1b]0;pwned\\x07"'; do
    grep -qF "$label" "$out" || fail "label $label not found"
done
rm -f "$out" "$err"
echo "ok: $(tids "$pid" | wc -l) hostile names escaped in labels, promtool accepts them"
