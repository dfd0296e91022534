# dump --core: a gcore of each purpose-built target gives the same threads, stacks (function
# names), waits with their owners, and deadlock cycles as a live dump taken just before; the
# text report, --group and --fail-on-deadlock work on cores as on processes.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/waits_lib.sh"
source "$(dirname "$0")/core_lib.sh"
need jq
need gcore

# --- ABBA: the cycle and both owners ---
start_target waits_abba
a=$(field a) b=$(field b) m1=$(field m1) m2=$(field m2)
same_as_live abba
expect_jq "$CORE_JSON" "(.deadlocks | length) == 1 and (.deadlocks[0].threads | sort) == ([$a, $b] | sort)" "core ABBA: the cycle"
expect_jq "$CORE_JSON" "[.processes[0].threads[] | select(.tid == $a) | .waiting_on | select(.kind == \"mutex\" and .owner_tid == $b and .address == \"$m2\")] | length == 1" \
    "core ABBA: a waits on m2 held by b"
expect_jq "$CORE_JSON" "[.processes[0].threads[] | select(.tid == $a) | .syscall | select(.name == \"futex\" and .args[0] == \"$m2\")] | length == 1" \
    "core ABBA: a's system call from its registers"
text=$("$THREADLENS" dump --core "$CORE_FILE") || fail "core ABBA: text dump exited $?"
grep -qx "Found one native-level deadlock:" <<<"$text" || fail "core text: no deadlock report"
grep -q "waiting on: mutex (normal) $m1 held by tid $a" <<<"$text" || fail "core text: b's waiting on line"
grep -q "a core keeps no thread names" <<<"$text" || fail "core text: does not say the thread names are not in the core"
rc=0
"$THREADLENS" dump --fail-on-deadlock --core "$CORE_FILE" >/dev/null || rc=$?
[ "$rc" -eq 3 ] || fail "core: --fail-on-deadlock exited $rc (expected 3)"
grouped=$("$THREADLENS" dump --group --core "$CORE_FILE") || fail "core --group exited $?"
grep -q "take" <<<"$grouped" || fail "core --group: no group with the take frame"
grep -q "^Summary: 3 threads in 1 process" <<<"$text" || fail "core text: no summary"

# --- three threads in a ring ---
start_target waits_cycle3
t0=$(field t0) t1=$(field t1) t2=$(field t2)
same_as_live cycle3
expect_jq "$CORE_JSON" "[.deadlocks[0].edges[] | [.waiter, .holder]] | sort == ([[$t0, $t1], [$t1, $t2], [$t2, $t0]] | sort)" \
    "core cycle3: the edges"

# --- recursive, errorcheck, robust and PI mutexes: owners from the core's memory ---
start_target waits_mutex_kinds
same_as_live mutex_kinds
for kind in recursive errorcheck robust pi; do
    h=$(field holder "$kind ") w=$(field waiter "$kind ") m=$(field mutex "$kind ")
    jkind=mutex
    [ "$kind" = pi ] && jkind=pi_mutex
    expect_jq "$CORE_JSON" "[.processes[0].threads[] | select(.tid == $w) | .waiting_on | select(.kind == \"$jkind\" and .owner_tid == $h and .address == \"$m\")] | length == 1" \
        "core $kind mutex: owner $h at $m"
done
expect_jq "$CORE_JSON" '.deadlocks == []' "core mutex kinds: a false deadlock"

# --- known call chains, and a recursion cut at the frame bound ---
start_target stacks_chain
same_as_live stacks_chain
expect_jq "$CORE_JSON" '[.processes[0].threads[] | [.frames[]?.function] | join(" ") | select(contains("chain_wait chain_three chain_two chain_one run_chain start_thread"))] | length == 1' \
    "core stacks_chain: the chain"
expect_jq "$CORE_JSON" '[.processes[0].threads[] | select(.frames_truncated and (.frames | length) == 256 and .frames[2].function == "recurse_wait")] | length == 1' \
    "core stacks_chain: the recursion cut at 256 frames"

# --- named threads: the names are not in the core, and it says so ---
start_target named_threads
same_as_live named_threads renamed
main=$(jq -r '.processes[0].threads[] | select(.tid == .tid and .name != null) | .name' <<<"$CORE_JSON")
[ "$main" = "named_threads" ] || fail "core named_threads: the main thread's name is '$main' (expected the process name only)"
expect_jq "$CORE_JSON" '[.notes[] | select(contains("a core keeps no thread names"))] | length == 1' \
    "core named_threads: no note that the thread names are not in the core"

# --- C++: std::condition_variable waiters, demangled frames ---
start_target waits_cxx_condvar
same_as_live cxx_condvar
expect_jq "$CORE_JSON" '[.processes[0].threads[] | select(.waiting_on.kind == "condvar")] | length >= 1' "core C++: no condvar wait"
expect_jq "$CORE_JSON" '[.processes[0].threads[].frames[]?.function | select(. != null and contains("::"))] | length >= 1' \
    "core C++: no demangled C++ frame"
# --- an fd wait: the fd is named, and a core cannot say what it is ---
start_target waits_pipe_child
r=$(field reader) fd=$(field fd)
CORE_FILE=$(take_core "$TARGET_PID" pipe)
CORE_JSON=$(core_json "$CORE_FILE")
expect_jq "$CORE_JSON" "[.processes[0].threads[] | select(.tid == $r) | .waiting_on | select(.kind == \"fd\" and .fd == $fd and .description == \"read on fd $fd (not in the core)\")] | length == 1" \
    "core pipe reader: 'read on fd $fd (not in the core)'"
exit 0
