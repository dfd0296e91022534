# The live view's p key: the selected process's picture in a new SVG file in the working
# directory, the status line says where; valid XML naming the threads; a planted symlink with
# the file's name is never followed (the file is created exclusively under another name).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui_lib.sh"
source "$(dirname "$0")/picture_lib.sh"
start_target named_threads
pid=$TARGET_PID
workdir=$(mktemp -d)
trap 'ui_cleanup; rm -rf "$workdir"' EXIT
mkdir "$workdir/tmp"
UI_ENV=("TMPDIR=$workdir/tmp")
UI_CWD=$workdir ui_start 120 30 top --no-color "$pid"
ui_wait_for " tl-worker-4 " "the thread tl-worker-4"
ui_keys p
ui_wait_for "picture of process $pid \(5 threads\) written to /" "the picture message after p"
path=$(ui_screen | grep -oE "written to /[^ ]+\.svg" | sed 's/^written to //')
[ "$(dirname "$path")" = "$(cd "$workdir" && pwd -P)" ] || fail "the picture went to $path, not the working directory"
[ -f "$path" ] && [ ! -L "$path" ] || fail "$path is not a plain file"
[ "$(stat -c %a "$path")" = 600 ] || fail "$path has mode $(stat -c %a "$path"), want 600"
xmllint --noout "$path" || fail "$path is not valid XML"
# the sample of its own took stacks (the view's worker paused): PCs are named
named=$(xmllint --xpath "count($TEXT_LAYER[@class='thread-pc'][contains(., ' in ')])" "$path")
[ "$named" -eq 5 ] || fail "$named of 5 PCs named by function: the picture took no stacks?"
for name in tl-named-main tl-worker-1 tl-worker-2 tl-worker-3 tl-worker-4; do
    xmllint --xpath "$TEXT_LAYER[@class='thread']" "$path" | grep -q "\"$name\" tid" || fail "the picture has no marker for $name"
done

# the names the next 30 seconds would get, each a link to a file that must stay absent
now=$(date +%s)
for s in $(seq 0 30); do
    ln -s "$workdir/victim" "$workdir/threadlens-picture-$pid-$(date -d "@$((now + s))" +%Y%m%d-%H%M%S).svg"
done
ui_keys p
for i in $(seq 100); do
    second=$(ui_screen | grep -oE "written to /[^ ]+\.svg" | sed 's/^written to //')
    [ -n "$second" ] && [ "$second" != "$path" ] && break
    sleep 0.1
done
[ -n "$second" ] && [ "$second" != "$path" ] || { ui_screen >&2; fail "no second picture after p"; }
[ -f "$second" ] && [ ! -L "$second" ] || fail "$second is not a plain file"
[ ! -e "$workdir/victim" ] || fail "a planted link was followed: $workdir/victim exists"
xmllint --noout "$second" || fail "$second is not valid XML"
ui_keys q
status=$(ui_wait_exit)
[ "$status" = 0 ] || fail "q: exit status $status"
ui_assert_target_running "$pid"
echo "ok: p wrote $path (5 threads); with links planted: $second, no link followed"
