# Saved dumps of a JVM: `dump --shared --save F` on the Java target, then `show F`, prints the
# same text byte for byte: the JVM block (banner, shared areas, the Java-level deadlock) and
# every thread's Java name and frames come back from the file, as do the --shared parts.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/jvm_lib.sh"
source "$(dirname "$0")/dump_lib.sh"
need_jdk
need jq
start_java --
work=$(mktemp -d) err=$(mktemp)
trap 'cleanup_java; rm -rf "$work" "$err"' EXIT

for opts in "--shared" "--shared --group"; do
    # shellcheck disable=SC2086
    dump "$work/dump.txt" "$err" dump $opts --save "$work/saved.json" "$JAVA_PID"
    expect_rc 0 1
    jq -e '.processes[0].jvm.java_threads > 10 and ([.processes[0].threads[] | select(.java != null)] | length) > 10' \
        "$work/saved.json" >/dev/null || fail "the saved dump ($opts) has no Java view: $(jq -c '.notes' "$work/saved.json")"
    # shellcheck disable=SC2086
    dump "$work/show.txt" "$err" show ${opts//--shared/} "$work/saved.json"
    expect_rc 0
    cmp -s "$work/dump.txt" "$work/show.txt" ||
        fail "show $opts of a JVM dump differs from dump: $(diff "$work/dump.txt" "$work/show.txt" | head -20)"
done
show=$work/show.txt
grep -q '^  JVM: .*Java threads' "$show" || fail "show printed no JVM line"
grep -q '^  JVM shared areas' "$show" || fail "show printed no JVM shared areas"
grep -q '^  Java-level deadlock reported by the JVM:' "$show" || fail "show printed no Java-level deadlock"
grep -q '^  Shared by all [0-9]* threads' "$show" || fail "show printed no shared section"
[ "$(grep -c '"tl-deadlock-[ab]"' "$show")" -ge 2 ] || fail "show lost the Java thread names"
echo "PASS"
