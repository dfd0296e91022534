# Comparing threadlens's frames with gdb's (issue 14): the function names of the first 8 frames
# of every thread, as `gdb -batch -ex 'thread apply all bt'` prints them. Sourced after lib.sh.
#
# Names are compared after the same normalisation on both sides: the text before the first
# "(" (gdb's arguments, a C++ signature), glibc's internal "__GI_" alias prefix, leading
# underscores (gdb says __GI___nanosleep or clone3 where the symbol table says __nanosleep or
# __clone3), Go's ".abi0" suffix of assembly functions, GCC's ".constprop.0"/".isra.0"/".part.0"/
# ".cold" suffixes of the copies it makes (the symbol table's name; DWARF names the source
# function), and glibc's __libc_start_main (DWARF: __libc_start_main_impl). gdb shows inlined calls as frames of
# their own (the same pc): their outermost function is the one the symbol table names, so it
# stands for the group; gdb's tail-call frames (from DWARF call-site information, e.g. glibc's
# __futex_abstimed_wait_cancelable64, which jumps to __futex_abstimed_wait_common) are not on
# the stack, and threadlens, like eu-stack, shows the stack. Where gdb is the one that is wrong it is not counted
# against threadlens: the "0x0000000000000000 in ??" frame gdb invents past the last frame
# (Go's runtime.clone and runtime.mcall), and the frames past main that gdb does not show
# (its "backtrace past-main" is off).

GDB_FRAMES=8

# gdb_names PID OUT: "TID<TAB>name<TAB>name..." per thread of PID into OUT, as gdb unwinds them
# (gdb_frames.py, through gdb's Python API: frame types say which frames are inlined calls or
# tail calls, which bt's text does not).
gdb_names() {
    timeout 120 gdb -batch -nx -p "$1" -ex 'set pagination off' \
        -x "$(dirname "${BASH_SOURCE[0]}")/gdb_frames.py" 2>/dev/null | grep -E '^[0-9]+(	|$)' >"$2"
}

# tl_names JSON OUT: the same from a threadlens dump --json ("??" for an unnamed frame).
tl_names() {
    jq -r '.processes[].threads[] | [(.tid | tostring)] + [.frames[]? | (.function // "??")] | join("\t")' "$1" >"$2"
}

# gdb_compare TL_NAMES GDB_NAMES [SKIP_TIDS]: prints "AGREE TOTAL" on the first line, then one line per
# frame that differs; frames counted are the first GDB_FRAMES of every thread both list.
gdb_compare() {
    awk -F'\t' -v max="$GDB_FRAMES" -v skip=" ${3:-} " '
        function norm(s) { sub(/\(.*/, "", s); sub(/ +$/, "", s); sub(/^__GI_/, "", s); sub(/^_+/, "", s)
                           sub(/\.abi0$/, "", s); sub(/(\.(constprop|isra|part|cold)(\.[0-9]+)?)+$/, "", s)
                           if (s == "libc_start_main_impl") s = "libc_start_main"
                           return s }
        FNR == NR { tl[$1] = $0; next }
        ($1 in tl) && index(skip, " " $1 " ") == 0 { split(tl[$1], a, "\t"); na = length(a) - 1; ng = NF - 1
            for (i = 1; i <= max; i++) {
                t = i <= na ? norm(a[i + 1]) : ""; g = i <= ng ? norm($(i + 1)) : ""
                if (t == "" && g == "") break
                if (g == "0x0" && t == "") continue                 # gdb invented a null frame
                if (g == "" && norm($(ng + 1)) == "main") continue  # gdb stops at main
                total++
                if (t == g) agree++
                else diff = diff sprintf("tid %s frame %d: threadlens %s, gdb %s\n", $1, i - 1, t == "" ? "(none)" : t, g == "" ? "(none)" : g)
            } }
        END { printf "%d %d\n%s", agree, total, diff }' "$1" "$2"
}

# expect_gdb_agreement JSON PID LABEL MIN_PERCENT [SKIP_TIDS]: fails below MIN_PERCENT agreement
# or when fewer than 8 frames could be compared; prints the figure. SKIP_TIDS: threads where
# the test knows gdb is wrong (it checks them itself).
expect_gdb_agreement() {
    local json=$1 pid=$2 label=$3 min=$4 skip=${5:-} tln gdbn res agree total
    tln=$(mktemp) gdbn=$(mktemp)
    tl_names "$json" "$tln"
    gdb_names "$pid" "$gdbn"
    [ -s "$gdbn" ] || fail "$label: gdb printed no backtrace (could it attach to $pid?)"
    res=$(gdb_compare "$tln" "$gdbn" "$skip")
    GDB_NAMES_FILE=$gdbn
    read -r agree total <<<"$(head -1 <<<"$res")"
    [ "$total" -ge 8 ] || fail "$label: only $total frames compared with gdb"
    echo "$label: $agree of $total frame names as gdb says ($((agree * 100 / total)) %)"
    tail -n +2 <<<"$res" | head -20
    [ $((agree * 100)) -ge $((min * total)) ] || fail "$label: $agree of $total frames agree with gdb, below $min %"
    rm -f "$tln"
}
