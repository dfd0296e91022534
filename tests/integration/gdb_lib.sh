# Comparing threadlens's frames with gdb's (issue 14): the function names of the first 8 frames
# of every thread, as `gdb -batch -ex 'thread apply all bt'` prints them. Sourced after lib.sh.
#
# Names are compared after the same normalisation on both sides: the text before the first
# "(" (gdb's arguments, a C++ signature), glibc's internal "__GI_" alias prefix, leading
# underscores (gdb says __GI___nanosleep or clone3 where the symbol table says __nanosleep or
# __clone3), Go's ".abi0" suffix of assembly functions. gdb shows inlined calls as frames of
# their own (the same pc, no address): their outermost function is the one the symbol table
# names, so it stands for the group. Where gdb is the one that is wrong it is not counted
# against threadlens: the "0x0000000000000000 in ??" frame gdb invents past the last frame
# (Go's runtime.clone and runtime.mcall), and the frames past main that gdb does not show
# (its "backtrace past-main" is off).

GDB_FRAMES=8

# gdb_names PID OUT: "TID<TAB>name<TAB>name..." per thread of PID into OUT, as gdb unwinds them
# ("0x0" for gdb's invented null frame).
gdb_names() {
    timeout 120 gdb -batch -nx -p "$1" -ex 'set pagination off' -ex 'thread apply all bt 12' 2>/dev/null |
        awk -v OFS='\t' '
        function flush() { if (tid != "") { s = tid; for (i = 0; i < n; i++) s = s OFS name[i]; print s } }
        /^Thread [0-9]+ / { flush(); tid = ""; n = 0
            if (match($0, /LWP [0-9]+/)) tid = substr($0, RSTART + 4, RLENGTH - 4)
            next }
        /^#[0-9]+ / { if (tid == "") next
            k = substr($1, 2) + 0
            rest = $0; sub(/^#[0-9]+ +/, "", rest)
            addr = ""
            if (match(rest, /^0x[0-9a-f]+ in /)) { addr = substr(rest, 1, RLENGTH - 4); rest = substr(rest, RLENGTH + 1) }
            nm = rest; sub(/ *\(.*/, "", nm)
            if (addr ~ /^0x0+$/) nm = "0x0"
            if (k > 0 && addr == "" && n > 0) { name[n - 1] = nm; next }   # inlined: the outer one
            name[n++] = nm }
        END { flush() }' >"$2"
}

# tl_names JSON OUT: the same from a threadlens dump --json ("??" for an unnamed frame).
tl_names() {
    jq -r '.processes[].threads[] | [(.tid | tostring)] + [.frames[]? | (.function // "??")] | join("\t")' "$1" >"$2"
}

# gdb_compare TL_NAMES GDB_NAMES: prints "AGREE TOTAL" on the first line, then one line per
# frame that differs; frames counted are the first GDB_FRAMES of every thread both list.
gdb_compare() {
    awk -F'\t' -v max="$GDB_FRAMES" '
        function norm(s) { sub(/\(.*/, "", s); sub(/ +$/, "", s); sub(/^__GI_/, "", s); sub(/^_+/, "", s)
                           sub(/\.abi0$/, "", s); return s }
        FNR == NR { tl[$1] = $0; next }
        ($1 in tl) { split(tl[$1], a, "\t"); na = length(a) - 1; ng = NF - 1
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

# expect_gdb_agreement JSON PID LABEL MIN_PERCENT: fails below MIN_PERCENT agreement or when
# fewer than 8 frames could be compared; prints the figure.
expect_gdb_agreement() {
    local json=$1 pid=$2 label=$3 min=$4 tln gdbn res agree total
    tln=$(mktemp) gdbn=$(mktemp)
    tl_names "$json" "$tln"
    gdb_names "$pid" "$gdbn"
    [ -s "$gdbn" ] || fail "$label: gdb printed no backtrace (could it attach to $pid?)"
    res=$(gdb_compare "$tln" "$gdbn")
    read -r agree total <<<"$(head -1 <<<"$res")"
    [ "$total" -ge 8 ] || fail "$label: only $total frames compared with gdb"
    echo "$label: $agree of $total frame names as gdb says ($((agree * 100 / total)) %)"
    tail -n +2 <<<"$res" | head -20
    [ $((agree * 100)) -ge $((min * total)) ] || fail "$label: $agree of $total frames agree with gdb, below $min %"
    rm -f "$tln" "$gdbn"
}
