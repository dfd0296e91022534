#include "threadlens/analysis.h"

tl_thread_rate analysis_thread_rate(const tl_snapshot *before, const tl_snapshot *now,
                                    const tl_thread *cur)
{
    tl_thread_rate r = {0};
    if (!before || now->monotonic_ns <= before->monotonic_ns)
        return r;
    const tl_thread *old = model_find_thread(before, cur->tid, NULL);
    if (!old || old->start_time_ms != cur->start_time_ms)
        return r;
    double secs = (double)(now->monotonic_ns - before->monotonic_ns) / 1e9;
    uint64_t cpu_then = old->cpu_user_ms + old->cpu_system_ms;
    uint64_t cpu_now = cur->cpu_user_ms + cur->cpu_system_ms;
    if (cpu_now >= cpu_then)
        r.cpu_percent = (double)(cpu_now - cpu_then) / 10.0 / secs;
    uint64_t sw_then = old->voluntary_ctxt_switches + old->nonvoluntary_ctxt_switches;
    uint64_t sw_now = cur->voluntary_ctxt_switches + cur->nonvoluntary_ctxt_switches;
    if (sw_now >= sw_then)
        r.ctxt_per_second = (double)(sw_now - sw_then) / secs;
    return r;
}
