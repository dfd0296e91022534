#include "threadlens/analysis.h"

tl_thread_rate analysis_rate_between(const tl_thread *before, const tl_thread *now, double seconds)
{
    tl_thread_rate r = {0};
    if (!before || before->start_time_ms != now->start_time_ms || seconds <= 0)
        return r;
    uint64_t cpu_then = before->cpu_user_ms + before->cpu_system_ms;
    uint64_t cpu_now = now->cpu_user_ms + now->cpu_system_ms;
    if (cpu_now >= cpu_then)
        r.cpu_percent = (double)(cpu_now - cpu_then) / 10.0 / seconds;
    uint64_t sw_then = before->voluntary_ctxt_switches + before->nonvoluntary_ctxt_switches;
    uint64_t sw_now = now->voluntary_ctxt_switches + now->nonvoluntary_ctxt_switches;
    if (sw_now >= sw_then)
        r.ctxt_per_second = (double)(sw_now - sw_then) / seconds;
    return r;
}

tl_thread_rate analysis_thread_rate(const tl_snapshot *before, const tl_snapshot *now,
                                    const tl_thread *cur)
{
    tl_thread_rate r = {0};
    if (!before || now->monotonic_ns <= before->monotonic_ns)
        return r;
    double secs = (double)(now->monotonic_ns - before->monotonic_ns) / 1e9;
    return analysis_rate_between(model_find_thread(before, cur->tid, NULL), cur, secs);
}
