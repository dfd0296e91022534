/* dump --count N --interval S: N takes of one incremental sampler, S apart (from the start of
 * one take to the start of the next), folded into the last one's verdicts (history.c). */
#include <errno.h>
#include <time.h>

#include "dump_window.h"
#include "threadlens/history.h"

static void sleep_until(const struct timespec *t)
{
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, t, NULL) == EINTR)
        ;
}

static void add_ms(struct timespec *t, uint64_t ms)
{
    t->tv_sec += (time_t)(ms / 1000);
    t->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (t->tv_nsec >= 1000000000L) {
        t->tv_sec++;
        t->tv_nsec -= 1000000000L;
    }
}

tl_status dump_window_take(const int *pids, size_t npids, const tl_sampler_options *o, unsigned count,
                           uint64_t interval_ms, tl_snapshot **out, tl_error *err)
{
    *out = NULL;
    tl_sampler_options opt = *o;
    opt.incremental = true;   /* the 2nd and later takes re-read only what changed */
    tl_sampler *sampler = NULL;
    tl_status st = sampler_open(&sampler, pids, npids, &opt, err);
    if (st != TL_OK)
        return st;
    tl_history_set *h = history_new();
    if (!h) {
        sampler_close(sampler);
        return tl_error_set(err, TL_ENOMEM, "out of memory for %u samples", count);
    }
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    bool partial = false;
    size_t saved = 0;
    for (unsigned k = 0; k < count && (st == TL_OK || st == TL_PARTIAL); k++) {
        if (k) {
            add_ms(&next, interval_ms);
            sleep_until(&next);
        }
        opt.stacks_since = opt.stacks ? history_last(h) : NULL;
        sampler_set_options(sampler, &opt);
        tl_snapshot *snap = NULL;
        st = sampler_take(sampler, &snap, err);
        if (!snap && k > 0) {   /* the target went away mid-window: report what was seen */
            tl_snapshot *last = history_last(h);
            snapshot_add_note(last, "sample %u of %u failed (%s): the verdicts cover the first %u", k + 1, count,
                              err ? err->msg : "?", k);
            st = TL_PARTIAL;
            partial = true;
            break;
        }
        if (!snap)
            break;
        partial = partial || st == TL_PARTIAL;
        saved += snap->window.stops_saved;
        st = history_add(h, snap, err);
    }
    sampler_close(sampler);
    if (st != TL_OK && st != TL_PARTIAL) {
        history_free(h);
        return st;
    }
    st = history_finish(h, interval_ms, saved, out, err);
    if (st == TL_OK && partial)
        (*out)->partial = true;
    return st == TL_OK && (*out)->partial ? TL_PARTIAL : st;
}
