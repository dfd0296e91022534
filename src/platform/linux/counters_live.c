/* The live reader's threads (the live view's refreshes): each thread's stat, schedstat and
 * children through the descriptors live_tasks.c keeps, status only for threads that ran, the
 * system call and wait channel only when the core asks (platform_read_thread_calls).
 * libproc2 opens, reads and closes stat and statm of every thread by path on each call, which
 * at a 1 s refresh over 1000 threads cost more CPU than the whole of htop. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "counters.h"
#include "live_tasks.h"
#include "platform/platform.h"
#include "proc_parse.h"
#include "procfs.h"
#include "thread_read.h"

/* CPU time a stop of ours costs a sleeping thread at most (measured: tens of microseconds):
 * more, and it did something else too. */
#define LIVE_STOP_RUN_NS 1000000

static bool same_sched(const proc_schedstat_fields *a, const proc_schedstat_fields *b)
{
    return a->run_ns == b->run_ns && a->timeslices == b->timeslices;
}

/* Did only our stop run the thread since m was read? Each time a thread is switched in,
 * schedstat's timeslices counts one; a stop switches a sleeper in and out `stop_switches`
 * times, each switch-out voluntary (into the stop, back to sleep). Exactly that many
 * timeslices more then means no preemption or other run came in between, so the voluntary
 * count moved by exactly that much and the involuntary one not at all. */
static bool only_our_stop(const live_memo *m, const proc_schedstat_fields *now)
{
    return m->stop_switches && now->timeslices == m->sched.timeslices + m->stop_switches &&
           now->run_ns >= m->sched.run_ns && now->run_ns - m->sched.run_ns <= LIVE_STOP_RUN_NS;
}

/* Context switches and signal mask: from status when the thread ran since it was last read
 * (or schedstat tells nothing: all zeros without the kernel's sched_info), else remembered. */
static tl_status read_live_status(live_cache *c, live_proc *lp, size_t i, tl_thread *t, char *buf, size_t cap)
{
    live_memo *m = live_memo_of(lp, i);
    proc_schedstat_fields sched = {0};
    bool known = live_read(c, lp, i, LIVE_SCHEDSTAT, buf, cap) >= 0 && proc_parse_schedstat(buf, &sched) &&
                 (sched.run_ns || sched.timeslices);
    if (known && m->valid && only_our_stop(m, &sched)) {
        m->sched = sched;
        m->voluntary += m->stop_switches;
    } else if (!known || !m->valid || !same_sched(&sched, &m->sched)) {
        if (live_read(c, lp, i, LIVE_STATUS, buf, cap) < 0)
            return TL_ENOENT;
        proc_status_fields sf;
        proc_parse_status(buf, &sf);
        m->valid = known;
        m->sched = sched;
        m->voluntary = sf.voluntary_ctxt_switches;
        m->involuntary = sf.nonvoluntary_ctxt_switches;
        memcpy(m->sig_blocked, sf.sig_blocked, sizeof m->sig_blocked);
    }
    m->stop_switches = 0;
    t->voluntary_ctxt_switches = m->voluntary;
    t->nonvoluntary_ctxt_switches = m->involuntary;
    if (m->sig_blocked[0] && !(t->sig_blocked = strdup(m->sig_blocked)))
        return TL_ENOMEM;
    return TL_OK;
}

/* One thread through the live reader's kept files: TL_ENOENT when it exited. The name is
 * stat's comm: the same raw bytes as status's Name, without its escapes. */
static tl_status read_live_thread(live_cache *c, long ticks, live_proc *lp, size_t i, tl_thread *t)
{
    char buf[4096];
    t->tid = live_tid(lp, i);
    t->wait.fd = -1;
    if (live_read(c, lp, i, LIVE_STAT, buf, sizeof buf) < 0)
        return TL_ENOENT;
    tl_status st = thread_read_fill_stat(ticks, buf, t);   /* the dump's parser (thread_read.h) */
    if (st != TL_OK)
        return st == TL_ENOMEM ? st : TL_ENOENT;
    return read_live_status(c, lp, i, t, buf, sizeof buf);
}

tl_status counters_read_threads_live(live_cache *c, long ticks, tl_process *p, tl_error *err)
{
    live_proc *lp;
    tl_status st = live_list(c, p->pid, p->start_time_ms, &lp, err);
    if (st != TL_OK)
        return st;
    size_t total = live_ntasks(lp), gone = 0;
    p->threads = calloc(total, sizeof *p->threads);
    if (!p->threads)
        return tl_error_set(err, TL_ENOMEM, "out of memory for %zu threads of process %d", total, p->pid);
    for (size_t i = 0; i < total; i++) {
        tl_thread *t = &p->threads[p->nthreads];
        st = read_live_thread(c, ticks, lp, i, t);
        if (st == TL_OK) {
            p->nthreads++;
            continue;
        }
        thread_clear(t);
        if (st == TL_ENOMEM)
            return tl_error_set(err, TL_ENOMEM, "out of memory reading threads of process %d", p->pid);
        gone++;
    }
    return counters_threads_result(p, gone, false, err);
}

void platform_note_stopped(platform_reader *r, int pid, int tid, unsigned switches)
{
    live_cache *c = platform_reader_live(r);
    live_memo *m = c ? live_memo_find(live_find(c, pid), tid) : NULL;
    if (m && m->valid)
        m->stop_switches += switches;
}

tl_status platform_read_thread_calls(platform_reader *r, int pid, tl_thread *t)
{
    live_cache *c = platform_reader_live(r);
    int dir = c ? live_task_dir(live_find(c, pid)) : -1;
    tl_status st = counters_read_syscall(dir, pid, t->tid, &t->syscall);
    if (st == TL_ENOENT || st == TL_EPERM)
        return st;
    thread_read_wchan(dir, pid, t);   /* out of memory: no wait channel shown, as before */
    return TL_OK;
}

