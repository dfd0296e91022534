/* The live reader's threads (the live view's refreshes): each thread's stat, schedstat and
 * children through the descriptors live_tasks.c keeps, status only for threads that ran, the
 * system call and wait channel only when the core asks (platform_read_thread_calls).
 * libproc2 opens, reads and closes stat and statm of every thread by path on each call, which
 * at a 1 s refresh over 1000 threads cost more CPU than the whole of htop. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "counters.h"
#include "live_tasks.h"
#include "mem_guard.h"
#include "platform/platform.h"
#include "proc_parse.h"
#include "procfs.h"

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
 * (or schedstat tells nothing: all zeros without the kernel's sched_info), else remembered.
 * sched is the schedstat just read (known false: not readable or all zeros). */
static tl_status read_live_status(live_cache *c, live_proc *lp, size_t i, tl_thread *t,
                                  const proc_schedstat_fields *sched, bool known, char *buf, size_t cap)
{
    live_memo *m = live_memo_of(lp, i);
    if (known && m->valid && only_our_stop(m, sched)) {
        m->sched = *sched;
        m->voluntary += m->stop_switches;
    } else if (!known || !m->valid || !same_sched(sched, &m->sched)) {
        if (live_read(c, lp, i, LIVE_STATUS, buf, cap) < 0)
            return TL_ENOENT;
        proc_status_fields sf;
        proc_parse_status(buf, &sf);
        m->valid = known;
        m->sched = *sched;
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

static uint64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Spreads the threads' full reads over the second (by TID) instead of all in one take. */
static uint64_t first_due(uint64_t now_ns, int tid)
{
    return now_ns + LIVE_FULL_READ_NS - (uint64_t)((unsigned)tid * 7919u % 1000u) * 1000000ull;
}

/* skip_quiet: a thread not scheduled in since the previous take (same schedstat) has the
 * counters, state and children it had then, unless its full read is due. A thread last seen
 * runnable ('R') is read again: it may have been woken and still wait for a CPU. */
static bool is_quiet(const live_skip *k, const proc_schedstat_fields *sched, bool known, uint64_t now_ns)
{
    return known && k->sched_valid && k->stat_valid && same_sched(sched, &k->sched) && now_ns < k->due_ns &&
           k->stat.state != 'R';
}

/* The thread's stat: remembered when it is quiet, else read (and remembered). */
static bool live_stat(live_cache *c, live_proc *lp, size_t i, bool quiet, uint64_t now_ns, char *buf, size_t cap,
                      proc_stat_fields *f)
{
    live_skip *k = live_skip_of(lp, i);
    if (quiet) {
        *f = k->stat;
        return true;
    }
    if (live_read(c, lp, i, LIVE_STAT, buf, cap) < 0 || !proc_parse_stat(buf, f))
        return false;
    if (!k->stat_valid)
        k->due_ns = first_due(now_ns, live_tid(lp, i));
    else if (now_ns >= k->due_ns)
        k->due_ns = now_ns + LIVE_FULL_READ_NS;
    k->stat = *f;
    k->stat_valid = true;
    return true;
}

/* The thread's schedstat; when its whole process used no CPU since the previous take
 * (proc_idle) and its full read is not due, the one that take read. */
static bool live_sched(live_cache *c, live_proc *lp, size_t i, bool proc_idle, uint64_t now_ns, char *buf,
                       size_t cap, proc_schedstat_fields *sched)
{
    const live_skip *k = live_skip_of(lp, i);
    if (proc_idle && k->sched_valid && now_ns < k->due_ns) {
        *sched = k->sched;
        return true;
    }
    return live_read(c, lp, i, LIVE_SCHEDSTAT, buf, cap) >= 0 && proc_parse_schedstat(buf, sched) &&
           (sched->run_ns || sched->timeslices);
}

/* One thread through the live reader's kept files: TL_ENOENT when it exited. The name is
 * stat's comm: the same raw bytes as status's Name, without its escapes. schedstat first:
 * it says whether the rest needs reading (skip_quiet). */
static tl_status read_live_thread(live_cache *c, long ticks, live_proc *lp, size_t i, tl_thread *t, uint64_t now_ns,
                                  bool proc_idle)
{
    char buf[4096];
    proc_stat_fields f;
    t->tid = live_tid(lp, i);
    t->wait.fd = -1;
    proc_schedstat_fields sched = {0};
    bool known = live_sched(c, lp, i, proc_idle, now_ns, buf, sizeof buf, &sched);
    live_skip *k = live_skip_of(lp, i);
    bool quiet = live_cache_skips_quiet(c) && is_quiet(k, &sched, known, now_ns);
    if (!live_stat(c, lp, i, quiet, now_ns, buf, sizeof buf, &f))
        return TL_ENOENT;
    k->quiet = quiet;
    k->sched = sched;
    k->sched_valid = known;
    counters_fill_from_stat(ticks, &f, t);
    if (!(t->name = strdup(f.comm)))
        return TL_ENOMEM;
    return read_live_status(c, lp, i, t, &sched, known, buf, sizeof buf);
}

/* Did process pid use no CPU since the previous take? Its CPU clock (the sum over its
 * threads, the exited ones too) tells with one system call; read before its threads, so that
 * what they showed at the previous take is what they show now. */
static bool process_idle(live_cache *c, live_proc_skip *ps, int pid)
{
    clockid_t clock;
    struct timespec ts;
    bool read = live_cache_skips_quiet(c) && clock_getcpuclockid(pid, &clock) == 0 && clock_gettime(clock, &ts) == 0;
    uint64_t ns = read ? (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec : 0;
    bool idle = read && ps->cpu_valid && ps->cpu_ns == ns;
    ps->cpu_valid = read;
    ps->cpu_ns = ns;
    return idle;
}

tl_status counters_read_threads_live(live_cache *c, long ticks, tl_process *p, tl_error *err)
{
    live_proc *lp;
    live_proc *known = live_find_any(c, p->pid, p->start_time_ms);
    live_proc_skip before = known ? *live_proc_skip_of(known) : (live_proc_skip){0};
    bool idle = process_idle(c, &before, p->pid);
    uint64_t now_ns = monotonic_ns();
    tl_status st = live_list(c, p->pid, p->start_time_ms, p->nlwp > 0 ? (size_t)p->nlwp : 0, now_ns, &lp, err);
    if (st != TL_OK)
        return st;
    *live_proc_skip_of(lp) = before;
    size_t total = live_ntasks(lp), gone = 0;
    p->threads = calloc(total, sizeof *p->threads);
    if (!p->threads)
        return tl_error_set(err, TL_ENOMEM, "out of memory for %zu threads of process %d", total, p->pid);
    for (size_t i = 0; i < total; i++) {
        tl_thread *t = &p->threads[p->nthreads];
        st = read_live_thread(c, ticks, lp, i, t, now_ns, idle);
        if (st == TL_OK) {
            p->nthreads++;
            continue;
        }
        thread_clear(t);
        if (st == TL_ENOMEM)
            return tl_error_set(err, TL_ENOMEM, "out of memory reading threads of process %d", p->pid);
        gone++;
    }
    if (gone)
        live_list_again(lp);   /* a thread may have taken its place: the count would not say */
    return counters_threads_result(p, gone, false, err);
}

void platform_reader_skip_quiet(platform_reader *r, bool on)
{
    live_cache *c = platform_reader_live(r);
    if (c)
        live_cache_skip_quiet(c, on);
    mem_guard_set_max_age(on ? MEM_GUARD_QUIET_AGE_MS : MEM_GUARD_MAX_AGE_MS);
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
    char buf[256];
    live_cache *c = platform_reader_live(r);
    int dir = c ? live_task_dir(live_find(c, pid)) : -1;
    tl_status st = counters_read_syscall(dir, pid, t->tid, &t->syscall);
    if (st == TL_ENOENT || st == TL_EPERM)
        return st;
    free(t->wchan);
    t->wchan = NULL;
    if (procfs_read_task(dir, pid, t->tid, "wchan", buf, sizeof buf) > 0 && strcmp(buf, "0") != 0)
        t->wchan = strdup(buf);
    return TL_OK;
}

