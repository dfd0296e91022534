# Target-written names and command lines: escape sequences, invalid UTF-8, C1 controls and DEL
# never reach stdout raw in text mode; valid UTF-8 (a Chinese name) prints as is; the JSON stays
# valid for any name and gives back every valid name exactly.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dump_lib.sh"
need jq
start_target evil_names
pid=$TARGET_PID
out=$(mktemp) err=$(mktemp)
zh=$'\xe5\xb7\xa5\xe4\xbd\x9c\xe7\xba\xbf\xe7\xa8\x8b'   # the thread name 工作线程
zhong=$'\xe4\xb8\xad'   # 中, at the end of every argument

# the group header of --group and the summary's group line list names from the target: escaped
dump "$out" "$err" dump --group "$pid"
expect_rc 0
LC_ALL=C grep -qP '[\x1b\x07\x7f\r\xfe\xff]|\xc2[\x80-\x9f]' "$out" && fail "a raw control byte or invalid UTF-8 reached stdout (dump --group)"
header=$(grep 'threads with this stack: ' "$out") || fail "dump --group: no group header for the evil names"
for want in '"\x1b[31mred"' '"bad\xff\xfeutf8"' '"\u009b31mc1"' '"del\x7f\\back"' "\"$zh\""; do
    grep -qF -- "$want" <<<"$header" || fail "dump --group: $want is not in the group header, escaped: $header"
done
grep -q '^  [0-9]* threads \[S [0-9]*\] "\\x1b\[31mred"' "$out" || fail "the summary's group line does not show the names escaped"

for mode in "" --no-stacks; do
    dump "$out" "$err" dump $mode "$pid"
    expect_rc 0
    LC_ALL=C grep -q $'\x1b' "$out" && fail "a raw ESC byte reached stdout (dump $mode)"
    LC_ALL=C grep -q $'\x07' "$out" && fail "a raw BEL byte reached stdout (dump $mode)"
    LC_ALL=C grep -q $'\x7f' "$out" && fail "a raw DEL byte reached stdout (dump $mode)"
    LC_ALL=C grep -q $'\r' "$out" && fail "a raw CR reached stdout (dump $mode)"
    LC_ALL=C grep -qP '\xc2[\x80-\x9f]' "$out" && fail "a raw C1 control reached stdout (dump $mode)"
    LC_ALL=C grep -qP '[\xfe\xff]' "$out" && fail "invalid UTF-8 reached stdout (dump $mode)"
    iconv -f UTF-8 -t UTF-8 "$out" >/dev/null 2>&1 || fail "the text dump is not valid UTF-8 (dump $mode)"
    grep -qF '"\x1b[31mred" #' "$out" || fail "the ESC name is not shown escaped"
    grep -qF '"bad\xff\xfeutf8" #' "$out" || fail "the invalid UTF-8 name is not shown escaped"
    grep -qF '"\u009b31mc1" #' "$out" || fail "the C1 name is not shown escaped"
    grep -qF '"del\x7f\\back" #' "$out" || fail "DEL and backslash are not shown escaped"
    grep -qF "\"$zh\" #" "$out" || fail "the Chinese name is not printed as is"
    grep -qF "Process $pid \"\\x1b]0;pwned\\x07\"" "$out" || fail "the process name is not escaped"
    line=$(grep '^  cmdline: ' "$out") || fail "no command line shown"
    [ "${#line}" -gt 8000 ] || fail "the long command line was cut short (${#line} chars)"
    grep -qF '\x1b[31marg399\x07\x0d\x0a\x09\xff\xfe' "$out" || fail "the last argument is missing or not escaped"
    grep -qF "arg0\\x07\\x0d\\x0a\\x09\\xff\\xfe$zhong " "$out" || fail "Chinese in the command line is not kept"
    [ "$(grep -c ' tid=' "$out")" -eq "$(tids "$pid" | wc -l)" ] || fail "a newline in a name split a thread line"
    grep -q '^"forged"' "$out" && fail "a newline in a thread name forged a thread line"
    grep -qF '"a\x0a"forged" #9" #' "$out" || fail "the name with a newline is not shown escaped on one line"
done

dump "$out" "$err" dump --json "$pid"
expect_rc 0
json_ok "$out" "JSON with hostile names"
iconv -f UTF-8 -t UTF-8 "$out" >/dev/null 2>&1 || fail "the JSON dump is not valid UTF-8"
LC_ALL=C grep -q $'\x1b' "$out" && fail "a raw ESC byte in the JSON text (JSON must escape it)"
for tid in $(tids "$pid"); do
    got=$(jq -r --argjson t "$tid" '.processes[0].threads[] | select(.tid == $t) | .name' "$out")
    want=$(comm "$pid" "$tid")
    if iconv -f UTF-8 -t UTF-8 <<<"$want" >/dev/null 2>&1; then
        [ "$got" = "$want" ] || fail "tid $tid: valid name not kept exactly in JSON: '$got' vs '$want'"
    else
        [ "$got" = 'bad\xff\xfeutf8' ] || fail "tid $tid: invalid UTF-8 name in JSON is '$got'"
    fi
done
jq -e --arg zh "$zhong" '.processes[0].cmdline | (length > 8000) and endswith("\u001b[31marg399\u0007\r\n\t\\xff\\xfe" + $zh)' "$out" >/dev/null \
    || fail "the JSON command line is wrong: $(jq -c '.processes[0].cmdline[0:80]' "$out")"
rm -f "$out" "$err"
echo "ok: $(tids "$pid" | wc -l) hostile names: text escaped, JSON valid and exact"
