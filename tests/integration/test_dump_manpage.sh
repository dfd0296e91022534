# man/threadlens.1 renders without a warning and documents every option of `threadlens dump`
# (as printed by dump --help), the exit codes, and the keys of the JSON the issue names.
source "$(dirname "$0")/lib.sh"
: "${TL_SOURCE:?run through ctest, or set TL_SOURCE to the source tree}"
need groff
page=$TL_SOURCE/man/threadlens.1
[ -r "$page" ] || fail "no man page at $page"
warnings=$(groff -man -Tutf8 -ww "$page" 2>&1 >/dev/null)
[ -z "$warnings" ] || fail "groff warns about the man page: $warnings"
raw=$(cat "$page")
for section in NAME SYNOPSIS DESCRIPTION COMMANDS "DUMP OPTIONS" "EXIT STATUS" "JSON OUTPUT" SAFETY FILES "SEE ALSO" "TOP KEYS"; do
    grep -qx "\.SH \"*$section\"*" "$page" || fail "the man page has no $section section"
done
opts=$("$THREADLENS" dump --help | grep -oE -- '--[a-z][a-z-]+' | sort -u)
[ -n "$opts" ] || fail "dump --help lists no options"
for opt in $opts; do
    grep -qF -- "${opt//-/\\-}" "$page" || fail "dump option $opt is not in the man page"
done
grep -qx '\.SH METRICS' "$page" || fail "the man page has no METRICS section"
for opt in $("$THREADLENS" metrics --help | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
    grep -qF -- "${opt//-/\\-}" "$page" || fail "metrics option $opt is not in the man page"
done
for fam in $(grep -o '"threadlens_[a-z_]*"' "$TL_SOURCE/src/format/openmetrics.c" | tr -d '"' | sort -u); do
    grep -qF -- "$fam" "$page" || fail "metric family $fam is not in the man page"
done
grep -qw ns_pid <<<"$raw" || fail "JSON key ns_pid is not documented"
for code in 0 1 2 3 64; do
    awk '/^\.SH EXIT STATUS/{on=1; next} /^\.SH/{on=0} on' "$page" | grep -qx "\.B $code" \
        || fail "exit status $code is not documented"
done
for key in processes deadlocks pid ppid name cmdline threads tid state cpu_user_ms cpu_system_ms \
           voluntary_ctxt_switches nonvoluntary_ctxt_switches wchan frames \
           stack_groups stack_group summary top_groups most_waited waiters owner_tid; do
    grep -qw -- "$key" <<<"$raw" || fail "JSON key $key is not documented"
done
for see in jstack 'eu\-stack' gdb htop ps; do
    grep -qF ".BR $see (1)" "$page" || fail "SEE ALSO lacks $see"
done
echo "ok: man page renders cleanly; $(wc -w <<<"$opts") dump options, 5 exit codes, the JSON keys documented"
