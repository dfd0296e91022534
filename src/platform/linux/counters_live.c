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

/* One take's schedstat of a listed thread: read, or proven unchanged (sched_accounting). */
typedef struct sched_read {
    proc_schedstat_fields s;
    bool known;                   /* readable and not all zeros */
} sched_read;

static void read_sched(live_cache *c, live_proc *lp, size_t i, sched_read *r)
{
    char buf[256];
    r->known = live_read(c, lp, i, LIVE_SCHEDSTAT, buf, sizeof buf) >= 0 && proc_parse_schedstat(buf, &r->s) &&
               (r->s.run_ns || r->s.timeslices);
}

static bool process_cpu_ns(int pid, uint64_t *ns)
{
    clockid_t clock;
    struct timespec ts;
    if (clock_getcpuclockid(pid, &clock) != 0 || clock_gettime(clock, &ts) != 0)
        return false;
    *ns = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
    return true;
}

/* Read between the two clock reads: the threads that may be running (their schedstat moved at
 * their last read, or runnable, or new). As few as possible: the clock check fails when one
 * of them runs between a clock read and its own read. */
static bool must_check(const live_skip *k)
{
    return !k->sched_valid || !k->stat_valid || k->moved || k->stat.state == 'R';
}

/* Attempts of "C's schedstat, then the clock" before every schedstat is read: a thread of C
 * that runs between its read and the clock read fails one attempt, not the take. */
#define SCHED_ATTEMPTS 5

/* One attempt: read C's schedstat (marking read[]), then the clock (*clock_ns). True when the
 * clock grew from the reference by exactly C's growth from what we hold. False, and *readable
 * false, when a thread of C or the clock cannot tell (unreadable, new, run time went back): no
 * retry helps. */
static bool sched_attempt(live_cache *c, live_proc *lp, int pid, uint64_t ref_ns, sched_read *r, bool *read,
                          bool *readable, uint64_t *clock_ns)
{
    size_t n = live_ntasks(lp);
    uint64_t moved = 0;
    for (size_t i = 0; i < n; i++) {
        const live_skip *k = live_skip_of(lp, i);
        if (!must_check(k))
            continue;
        read_sched(c, lp, i, &r[i]);
        read[i] = true;
        if (!r[i].known || !k->sched_valid || r[i].s.run_ns < k->sched.run_ns) {
            *readable = false;
            return false;
        }
        moved += r[i].s.run_ns - k->sched.run_ns;
    }
    if (!process_cpu_ns(pid, clock_ns)) {
        *readable = false;
        return false;
    }
    return *clock_ns >= ref_ns && *clock_ns - ref_ns == moved;
}

/* C, the threads that may be running, are at most this many for the settling's retries. */
#define SCHED_SETTLE_MAX 64

/* Reads the schedstat of C (marking read[]); returns how many. */
static size_t read_may_run(live_cache *c, live_proc *lp, sched_read *r, bool *read)
{
    size_t n = live_ntasks(lp), count = 0;
    for (size_t i = 0; i < n; i++)
        if (must_check(live_skip_of(lp, i))) {
            read_sched(c, lp, i, &r[i]);
            read[i] = true;
            count++;
        }
    return count;
}

/* No proof this take: a reference for the next. Sound is any clock reading before every run
 * time we will hold (the other threads are read after this returns); useful is one at which
 * they were all exact, else the next take's check fails by the difference whatever runs (it
 * did: a thread of C that ran between the reference and its read failed every attempt of the
 * next take). The clock unmoved across C's reads proves C's run times exact at it; the others,
 * read next, are asleep. False: the clock cannot be read. */
static bool settle_reference(live_cache *c, live_proc *lp, int pid, sched_read *r, bool *read, uint64_t *ref_ns)
{
    uint64_t before, after;
    for (int attempt = 0; attempt < SCHED_ATTEMPTS; attempt++) {
        if (!process_cpu_ns(pid, &before))
            return false;
        size_t count = read_may_run(c, lp, r, read);
        *ref_ns = before;
        if (!process_cpu_ns(pid, &after))
            return false;
        if (after == before || count > SCHED_SETTLE_MAX)
            break;
    }
    return true;
}

/* skip_quiet's accounting: the process's CPU clock is the sum of its threads' run times (the
 * same sum_exec_runtime schedstat shows, without a running thread's time since its last tick
 * in either; exited threads' kept in it). We hold, for every thread, a run time at least what
 * it had at a reference reading R of the clock (the previous take's). Read the schedstat of
 * the threads that may be running (the set C), then the clock (P): P - R >= (growth of the
 * others) + (growth of C as read), so when P - R equals C's growth, no other thread was
 * scheduled in since R and their schedstat need not be read; and then every thread's held
 * run time is the one it had at P (C's proven so), which becomes the next reference. Else a
 * thread of C ran between its read and P: try again, up to SCHED_ATTEMPTS; then (or when a
 * thread came or went) every other schedstat is read too, after settle_reference has read C
 * again and chosen the next reference. Exact, never approximate: a thread that runs often
 * (bench/target.c's SCHED_FIFO heartbeat, every 100 us) fails an attempt now and then; a
 * process at rest never does. One limit, the kernel's: a thread switched in since R and still
 * on its first slice (no tick, no switch out yet) has no run time accounted in its schedstat
 * or the clock, so it is seen at the next take, when that slice is accounted
 * (test_record_clock allows that one sample, and fails at more). */
static void sched_accounting(live_cache *c, live_proc *lp, int pid, uint64_t now_ns, sched_read *r)
{
    live_proc_skip *ps = live_proc_skip_of(lp);
    size_t n = live_ntasks(lp);
    uint64_t ref_next = 0;
    bool on = live_cache_skips_quiet(c);
    bool *read = calloc(n ? n : 1, sizeof *read);
    bool exact = false, readable = on && ps->cpu_valid && read;
    for (int attempt = 0; readable && !exact && attempt < SCHED_ATTEMPTS; attempt++)
        exact = sched_attempt(c, lp, pid, ps->cpu_ns, r, read, &readable, &ref_next);
    bool ref_valid = exact;
    if (!exact && on && read)
        ref_valid = settle_reference(c, lp, pid, r, read, &ref_next);
    for (size_t i = 0; i < n; i++) {
        const live_skip *k = live_skip_of(lp, i);
        if (read && read[i])
            continue;
        if (exact && now_ns < k->due_ns) {
            r[i] = (sched_read){.s = k->sched, .known = true};
        } else {
            read_sched(c, lp, i, &r[i]);
        }
    }
    free(read);
    ps->cpu_valid = ref_valid;
    ps->cpu_ns = ref_next;
}

/* One thread through the live reader's kept files: TL_ENOENT when it exited. The name is
 * stat's comm: the same raw bytes as status's Name, without its escapes. schedstat first:
 * it says whether the rest needs reading (skip_quiet). */
static tl_status read_live_thread(live_cache *c, long ticks, live_proc *lp, size_t i, tl_thread *t, uint64_t now_ns,
                                  const sched_read *r)
{
    char buf[4096];
    t->tid = live_tid(lp, i);
    t->wait.fd = -1;
    proc_stat_fields f;
    proc_schedstat_fields sched = r->s;
    bool known = r->known;
    live_skip *k = live_skip_of(lp, i);
    bool quiet = live_cache_skips_quiet(c) && is_quiet(k, &sched, known, now_ns);
    if (!live_stat(c, lp, i, quiet, now_ns, buf, sizeof buf, &f))
        return TL_ENOENT;
    k->quiet = quiet;
    k->moved = !(known && k->sched_valid && same_sched(&sched, &k->sched));
    k->sched = sched;
    k->sched_valid = known;
    tl_status st = thread_read_fill_stat_fields(ticks, &f, t);   /* the dump's filler (thread_read.h) */
    if (st != TL_OK)
        return st;
    return read_live_status(c, lp, i, t, &sched, known, buf, sizeof buf);
}

tl_status counters_read_threads_live(live_cache *c, long ticks, tl_process *p, tl_error *err)
{
    live_proc *lp;
    uint64_t now_ns = monotonic_ns();
    tl_status st = live_list(c, p->pid, p->start_time_ms, p->nlwp > 0 ? (size_t)p->nlwp : 0, now_ns, &lp, err);
    if (st != TL_OK)
        return st;
    size_t total = live_ntasks(lp), gone = 0;
    p->threads = calloc(total, sizeof *p->threads);
    sched_read *reads = calloc(total ? total : 1, sizeof *reads);
    if (!p->threads || !reads) {
        free(reads);
        return tl_error_set(err, TL_ENOMEM, "out of memory for %zu threads of process %d", total, p->pid);
    }
    sched_accounting(c, lp, p->pid, now_ns, reads);
    for (size_t i = 0; i < total; i++) {
        tl_thread *t = &p->threads[p->nthreads];
        st = read_live_thread(c, ticks, lp, i, t, now_ns, &reads[i]);
        if (st == TL_OK) {
            p->nthreads++;
            continue;
        }
        thread_clear(t);
        if (st == TL_ENOMEM) {
            free(reads);
            return tl_error_set(err, TL_ENOMEM, "out of memory reading threads of process %d", p->pid);
        }
        gone++;
    }
    free(reads);
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
    live_cache *c = platform_reader_live(r);
    int dir = c ? live_task_dir(live_find(c, pid)) : -1;
    tl_status st = counters_read_syscall(dir, pid, t->tid, &t->syscall);
    if (st == TL_ENOENT || st == TL_EPERM)
        return st;
    thread_read_wchan(dir, pid, t);   /* out of memory: no wait channel shown, as before */
    return TL_OK;
}

