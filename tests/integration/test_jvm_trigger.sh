# The attach trigger file .attach_pid<PID> is made and removed with the JVM's own credentials,
# in one directory opened once (issue 12 item 8). A fake JVM (tests/targets/fake_jvm) running
# as nobody: (1) with its cwd in a root-only directory: nothing is created there, the trigger
# goes to /tmp owned by nobody (as the JVM looks there next) and is removed; (2) switching its
# cwd every millisecond between its own directory and a root-owned one holding a root-owned
# .attach_pid<PID>: after 20 dumps that file is untouched and nothing is left anywhere.
source "$(dirname "$0")/lib.sh"
need jq
need setpriv
[ "$(id -u)" -eq 0 ] || skip "needs root (runs the fake JVM as nobody)"
nobody_uid=$(id -u nobody) || skip "no user nobody"
work=$(mktemp -d)
chmod 755 "$work"
fake_dirs=()
cleanup_fake() {
    local p d
    cleanup_targets
    for p in "${TL_PIDS[@]}"; do rm -f "/tmp/.java_pid$p" "/tmp/.attach_pid$p"; done
    for d in "${fake_dirs[@]}"; do rm -rf "$d"; done
    rm -rf "$work"
}
trap cleanup_fake EXIT

# start_nobody ARGS...: fake_jvm ARGS as nobody; sets TARGET_PID, TARGET_OUT
start_nobody() {
    TARGET_OUT=$(mktemp -p "$work")
    setpriv --reuid=nobody --regid=nogroup --clear-groups "$TL_TARGETS/fake_jvm" "$@" >"$TARGET_OUT" &
    TARGET_PID=$!
    TL_PIDS+=("$TARGET_PID")
    local i
    for i in $(seq 100); do
        grep -qx ready "$TARGET_OUT" && break
        kill -0 "$TARGET_PID" 2>/dev/null || fail "fake_jvm exited before it was ready: $(cat "$TARGET_OUT")"
        sleep 0.1
    done
    grep -qx ready "$TARGET_OUT" || fail "fake_jvm did not print ready within 10 s"
    fake_dirs+=("$(grep -o '^dir=.*' "$TARGET_OUT" | cut -d= -f2)")
    [ "$(awk '/^Uid:/ {print $3}' "/proc/$TARGET_PID/status")" = "$nobody_uid" ] || fail "the fake JVM does not run as nobody"
}

dump_once() {
    "$THREADLENS" dump --json --no-stacks "$TARGET_PID" >"$work/out.json" 2>"$work/err"
    local rc=$?
    [ "$rc" -eq 1 ] || fail "$1: exit $rc, expected 1 (the fake JVM answers garbage): $(cat "$work/err")"
    jq -e '.notes | map(select(test("no Java view: .*without a result code"))) | length == 1' "$work/out.json" >/dev/null ||
        fail "$1: the dump did not reach the fake JVM's listener: $(jq -c .notes "$work/out.json")"
}

# (1) cwd in a root-only directory
rootonly=$work/rootonly
mkdir -m 755 "$rootonly"
start_nobody garbage --cwd "$rootonly"
dump_once "root-only cwd"
grep -qx "trigger=tmp uid=$nobody_uid" "$TARGET_OUT" ||
    fail "root-only cwd: the JVM did not find a trigger of its own user in /tmp: $(grep trigger= "$TARGET_OUT")"
[ -z "$(ls -A "$rootonly")" ] || fail "root-only cwd: files were created in the root-only directory: $(ls -la "$rootonly")"
[ ! -e "/tmp/.attach_pid$TARGET_PID" ] || fail "root-only cwd: the trigger file was left in /tmp"
kill -9 "$TARGET_PID"

# (2) a cwd that moves between the target's own directory and a root-owned one
own=$work/own rootdir=$work/rootdir
mkdir -m 755 "$own" "$rootdir"
chown nobody "$own"
start_nobody garbage --cwd "$own" --move "$rootdir"
planted=$rootdir/.attach_pid$TARGET_PID
echo "root's file" >"$planted"
before=$(stat -c '%i %u %s %Y' "$planted")
for i in $(seq 20); do dump_once "moving cwd, dump $i"; done
[ "$(grep -c '^trigger=' "$TARGET_OUT")" -eq 20 ] || fail "moving cwd: $(grep -c '^trigger=' "$TARGET_OUT") of 20 dumps reached the trigger check"
[ -e "$planted" ] || fail "moving cwd: root's $planted was removed"
[ "$(stat -c '%i %u %s %Y' "$planted")" = "$before" ] && [ "$(cat "$planted")" = "root's file" ] ||
    fail "moving cwd: root's $planted was changed"
[ "$(ls -A "$rootdir")" = ".attach_pid$TARGET_PID" ] || fail "moving cwd: files appeared in the root-owned directory: $(ls -A "$rootdir")"
[ -z "$(ls -A "$own")" ] || fail "moving cwd: a trigger file was left in the target's directory: $(ls -la "$own")"
[ ! -e "/tmp/.attach_pid$TARGET_PID" ] || fail "moving cwd: the trigger file was left in /tmp"
bad=$(grep '^trigger=' "$TARGET_OUT" | grep -v -e "uid=$nobody_uid" -e "trigger=cwd uid=0" | sort | uniq -c || true)
[ -z "$bad" ] || fail "moving cwd: triggers not owned by the target: $bad"
echo "ok: trigger files made and removed as nobody; root-only cwd untouched (trigger in /tmp); root's planted file intact after 20 dumps with a moving cwd"
