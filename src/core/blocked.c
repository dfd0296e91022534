/* Which threads stayed blocked over a window, and which wait on locks (threadlens metrics). */
#include "threadlens/metrics.h"

static bool not_running(char state)
{
    return state == 'S' || state == 'D';
}

bool metrics_stayed_blocked(const tl_thread *before, const tl_thread *now)
{
    if (!before || before->tid != now->tid || before->start_time_ms != now->start_time_ms)
        return false;
    /* a thread that ran and slept again was switched out at least once: one more switch */
    return not_running(before->state) && not_running(now->state) &&
           before->voluntary_ctxt_switches == now->voluntary_ctxt_switches &&
           before->nonvoluntary_ctxt_switches == now->nonvoluntary_ctxt_switches &&
           before->cpu_user_ms == now->cpu_user_ms && before->cpu_system_ms == now->cpu_system_ms;
}

bool metrics_waits_on_lock(const tl_thread *t)
{
    return t->wait.kind == TL_WAIT_MUTEX || t->wait.kind == TL_WAIT_PI_MUTEX ||
           t->wait.kind == TL_WAIT_RWLOCK;
}
