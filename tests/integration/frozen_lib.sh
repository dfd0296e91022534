# Helpers for the frozen-cgroup tests (sourced after lib.sh, stacks_lib.sh, dstate_lib.sh).

# cgroup_move PID DIR: moves every thread of PID into the cgroup DIR.
cgroup_move() { echo "$1" >"$2/cgroup.procs"; }

# thread_states PID: the state letters of PID's threads, sorted, one line ("D D D D D").
thread_states() {
    awk '{ s = $0; sub(/.*\) /, "", s); print substr(s, 1, 1) }' /proc/"$1"/task/*/stat 2>/dev/null | sort | tr '\n' ' '
}
