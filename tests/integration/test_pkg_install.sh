# make install honours PREFIX and DESTDIR and installs the binary, the man page and the bash
# completion where Debian looks for them; the installed binary's --version names the version
# and, built from git, the git describe; the completion, loaded by an interactive bash, offers
# the subcommands, a subcommand's options, and the PIDs of running processes.
source "$(dirname "$0")/lib.sh"
: "${TL_SOURCE:?run through ctest}"
build=$(dirname "$THREADLENS")
root=$(mktemp -d)
log=$(mktemp)
make -s -C "$TL_SOURCE" install BUILD="$build" PREFIX=/opt/tl DESTDIR="$root" >"$log" 2>&1 \
    || fail "make install failed: $(tail -5 "$log")"
for f in bin/threadlens share/man/man1/threadlens.1 share/bash-completion/completions/threadlens; do
    [ -f "$root/opt/tl/$f" ] || fail "make install did not install /opt/tl/$f under DESTDIR (got: $(cd "$root" && find . -type f))"
done
[ -x "$root/opt/tl/bin/threadlens" ] || fail "the installed binary is not executable"
[ -z "$(find "$root" -path "$root/opt" -prune -o -type f -print)" ] || fail "files installed outside PREFIX"

ver=$("$root/opt/tl/bin/threadlens" --version) || fail "the installed threadlens --version failed"
want=$(sed -n 's/^project(threadlens VERSION \([0-9.]*\).*/\1/p' "$TL_SOURCE/CMakeLists.txt")
case $ver in "threadlens $want"*) ;; *) fail "--version says '$ver', not version $want" ;; esac
if git -C "$TL_SOURCE" rev-parse --show-toplevel >/dev/null 2>&1 &&
   [ "$(cd "$TL_SOURCE" && pwd -P)" = "$(cd "$(git -C "$TL_SOURCE" rev-parse --show-toplevel)" && pwd -P)" ]; then
    head=$(git -C "$TL_SOURCE" rev-parse --short=7 HEAD)
    case $ver in *"(git "*"$head"*")") ;; *) fail "built from git at $head but --version says '$ver' (a stale build?)" ;; esac
fi

# completion: COMP_WORDS as bash would set them, through the function `complete` registered
comp() {   # comp WORD... : what completing the last word offers, one per line
    PATH="$root/opt/tl/bin:$PATH" bash --norc -i -c '
        source "$1"; shift
        spec=$(complete -p threadlens) || exit 3
        fn=${spec#*-F }; fn=${fn%% *}
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
        "$fn" threadlens "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        printf "%s\n" "${COMPREPLY[@]}"' bash "$root/opt/tl/share/bash-completion/completions/threadlens" "$@" 2>/dev/null
}
got=$(comp threadlens '') || fail "the completion is not registered for threadlens"
for c in dump top demo metrics; do grep -qx "$c" <<<"$got" || fail "subcommand $c not offered: $got"; done
got=$(comp threadlens m)
[ "$got" = metrics ] || fail "'threadlens m<TAB>' offers '$got', not metrics"
got=$(comp threadlens dump --no-)
for o in --no-stacks --no-children --no-waits --no-jvm; do grep -qx -- "$o" <<<"$got" || fail "dump option $o not offered: $got"; done
got=$(comp threadlens metrics --)
for o in --per-thread --interval --output --listen --listen-any; do grep -qx -- "$o" <<<"$got" || fail "metrics option $o not offered"; done
start_target named_threads
# the picture's module (dlopen'ed by threadlens picture) is installed where the installed binary
# finds it: PREFIX/LIBDIR/threadlens, found from the binary's own place (any PREFIX or DESTDIR)
module=$(find "$root/opt/tl" -name threadlens-picture.so)
if grep -q '^THREADLENS_PICTURE:BOOL=ON' "$build/CMakeCache.txt"; then
    [ -n "$module" ] || fail "make install did not install threadlens-picture.so (got: $(cd "$root" && find . -type f))"
    # under ASan: fontconfig's process-lifetime font set is not ours (ui_lsan.supp says why)
    LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$TL_SOURCE/tests/integration/ui_lsan.supp" \
        "$root/opt/tl/bin/threadlens" picture "$TARGET_PID" -o "$root/p.svg" 2>"$log" || fail "the installed threadlens cannot draw: $(cat "$log")"
    grep -q '<svg' "$root/p.svg" || fail "the installed threadlens's picture is no SVG"
    rm -f "$root/p.svg"
fi
got=$(comp threadlens dump "${TARGET_PID:0:${#TARGET_PID}-1}")
grep -qx "$TARGET_PID" <<<"$got" || fail "PID $TARGET_PID not offered for dump: $got"
grep -qv '^[0-9]*$' <<<"$got" && fail "something that is not a PID offered: $got"
rm -rf "$root" "$log"
echo "ok: make install PREFIX DESTDIR: 3 files and the picture module; '$ver'; completion: subcommands, options, PIDs"
