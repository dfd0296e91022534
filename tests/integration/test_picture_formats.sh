# PNG and PDF by suffix (non-empty, the right magic bytes), SVG on a pipe by default, an
# unwritable -o says so and exits 2 (before anything is sampled), usage errors exit 64.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/picture_lib.sh"
dir=$(mktemp -d)
trap 'cleanup_targets; rm -rf "$dir"' EXIT
start_target named_threads
pid=$TARGET_PID
"$THREADLENS" picture "$pid" -o "$dir/p.png" 2>/dev/null || fail "PNG: exit $?"
[ -s "$dir/p.png" ] || fail "the PNG is empty"
[ "$(head -c 8 "$dir/p.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "no PNG signature"
"$THREADLENS" picture "$pid" -o "$dir/p.PDF" 2>/dev/null || fail "PDF: exit $?"
[ -s "$dir/p.PDF" ] || fail "the PDF is empty"
[ "$(head -c 5 "$dir/p.PDF")" = "%PDF-" ] || fail "no %PDF- header"
"$THREADLENS" picture "$pid" 2>/dev/null >"$dir/out.svg" || fail "SVG to stdout: exit $?"
xmllint --noout "$dir/out.svg" || fail "the SVG on stdout is not valid XML"
grep -q '<svg' "$dir/out.svg" || fail "stdout is not an SVG"

rc=0; "$THREADLENS" picture "$pid" -o /nonexistent-dir/p.svg 2>"$dir/err" || rc=$?
[ "$rc" -eq 2 ] || fail "an unwritable -o exited $rc, want 2"
grep -q "cannot write /nonexistent-dir/p.svg" "$dir/err" || fail "the message does not say what: $(cat "$dir/err")"
[ "$(wc -l <"$dir/err")" -eq 1 ] || fail "more than one line on stderr"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
    mkdir "$dir/ro" && chmod 555 "$dir/ro"
    rc=0; setpriv --reuid 65534 --regid 65534 --clear-groups "$THREADLENS" picture "$pid" -o "$dir/ro/p.png" 2>"$dir/err" || rc=$?
    [ "$rc" -eq 2 ] || fail "a read-only directory exited $rc, want 2: $(cat "$dir/err")"
fi
rc=0; "$THREADLENS" picture 2>/dev/null || rc=$?
[ "$rc" -eq 64 ] || fail "no PID exited $rc, want 64"
rc=0; "$THREADLENS" picture "$pid" -o 2>/dev/null || rc=$?
[ "$rc" -eq 64 ] || fail "-o without a file exited $rc, want 64"
rc=0; "$THREADLENS" picture 999999999 -o "$dir/x.svg" 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] || fail "no such process exited $rc, want 2"
[ ! -e "$dir/x.svg" ] || fail "a failed picture left $dir/x.svg behind"
# the binary alone, without threadlens-picture.so (dlopen'ed by a picture only): one line, exit
# 2, no file made; every other command runs without it
cp "$THREADLENS" "$dir/alone"
rc=0; "$dir/alone" picture "$pid" -o "$dir/m.svg" 2>"$dir/err" || rc=$?
[ "$rc" -eq 2 ] || fail "without the module: exit $rc, want 2"
grep -q "threadlens-picture.so not found" "$dir/err" || fail "without the module the message does not say so: $(cat "$dir/err")"
[ "$(wc -l <"$dir/err")" -eq 1 ] || fail "without the module: more than one line on stderr: $(cat "$dir/err")"
[ ! -e "$dir/m.svg" ] || fail "without the module a picture file was made"
"$dir/alone" dump --no-stacks "$pid" >/dev/null || fail "without the picture module a dump failed"
echo "ok: PNG, PDF, SVG on stdout; unwritable -o exit 2; usage 64; no module: one line, exit 2"
