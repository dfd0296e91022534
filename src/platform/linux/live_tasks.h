/* The live reader's kept descriptors: per process its /proc/PID/task directory, per thread its
 * stat, schedstat and children files, opened once and re-read with pread on every refresh.
 * Reading a kept /proc file again regenerates it, so a refresh costs one system call per file
 * instead of a path walk, open, read and close (measured: stat 3.0 us kept vs 7.7 us by path).
 * status, the costliest (6.7 us even kept), is read only when schedstat says the thread ran
 * since it was last read (live_memo). A kept file of a thread that has exited fails with ESRCH,
 * also when its TID was reused since, so a reused TID is never read through the old thread's
 * descriptor. At most a budget of descriptors (from RLIMIT_NOFILE) is kept (each holds a page
 * of kernel memory); the threads beyond it are read by path each time. */
#ifndef THREADLENS_LIVE_TASKS_H
#define THREADLENS_LIVE_TASKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "threadlens/error.h"

#include "proc_parse.h"

typedef enum live_file { LIVE_STAT = 0, LIVE_SCHEDSTAT, LIVE_STATUS, LIVE_CHILDREN, LIVE_NFILES } live_file;

/* What the reader last took from a thread's status, with the schedstat read just before it:
 * while schedstat is unchanged the thread has not been scheduled in, so neither its context
 * switch counts nor its signal mask can have changed. Forgotten with the thread's files. */
typedef struct live_memo {
    bool valid;
    proc_schedstat_fields sched;
    uint64_t voluntary, involuntary;
    char sig_blocked[17];
    unsigned stop_switches;       /* switches a stop of ours added since: not the thread running */
} live_memo;

/* skip_quiet: what the last full read of a thread gave, for the takes in which its schedstat
 * shows it was not scheduled in since (it cannot have changed its counters, state or children
 * then). Every thread is read in full at least once a second anyway (due_ns), for what another
 * thread can change of a sleeper without it running (its name through comm, its nice value,
 * a child reparented to it). Forgotten with the thread's files. */
typedef struct live_skip {
    bool stat_valid, sched_valid;
    bool quiet;                   /* this take: not scheduled in since the previous one */
    bool moved;                   /* its schedstat moved at its last read: it may be running */
    bool children_empty;          /* its children file read empty last time */
    proc_stat_fields stat;
    proc_schedstat_fields sched;  /* read by the previous take */
    uint64_t due_ns;              /* CLOCK_MONOTONIC: a full read is due from then */
} live_skip;

#define LIVE_FULL_READ_NS 1000000000ull

/* skip_quiet for a whole process: its CPU clock at the previous take, a reading at which every
 * thread's run time was at most the one held for it (counters_live.c's sched_accounting). */
typedef struct live_proc_skip {
    bool cpu_valid;
    uint64_t cpu_ns;
} live_proc_skip;

typedef struct live_cache live_cache;
typedef struct live_proc live_proc;

live_cache *live_cache_new(void);
void live_cache_free(live_cache *c);
/* skip_quiet on or off (default off: every thread's stat is read on every take). */
void live_cache_skip_quiet(live_cache *c, bool on);
bool live_cache_skips_quiet(const live_cache *c);
/* Closes what belongs to processes not listed since the previous sweep. */
void live_cache_sweep(live_cache *c);

/* Lists the threads of process pid, which started at start_ms since boot (a different start
 * time: the PID was reused, and what was kept for it is dropped). TL_ENOENT when it is gone,
 * TL_EPERM when its task directory cannot be read, TL_ENOMEM. With skip_quiet, the previous
 * listing stands (no readdir) while the kernel's thread count nlwp is the listing's, for a
 * second at most, and until live_list_again. */
tl_status live_list(live_cache *c, int pid, uint64_t start_ms, size_t nlwp, uint64_t now_ns, live_proc **out,
                    tl_error *err);
/* The next live_list of lp reads its task directory (one of its threads was gone). */
void live_list_again(live_proc *lp);
live_proc *live_find_any(live_cache *c, int pid, uint64_t start_ms);
/* The process with that pid listed since the last sweep, or NULL. */
live_proc *live_find(live_cache *c, int pid);

live_proc_skip *live_proc_skip_of(live_proc *lp);
size_t live_ntasks(const live_proc *lp);
int live_tid(const live_proc *lp, size_t i);
/* The kept /proc/PID/task directory, -1 when none. */
int live_task_dir(const live_proc *lp);

/* The memo of the i-th listed thread (valid false: nothing remembered). */
live_memo *live_memo_of(live_proc *lp, size_t i);

/* The skip_quiet record of the i-th listed thread. */
live_skip *live_skip_of(live_proc *lp, size_t i);

/* The memo of thread tid of a listed process, NULL when it is not listed. */
live_memo *live_memo_find(live_proc *lp, int tid);

/* Reads file f of the i-th listed thread into buf (NUL-terminated, at most cap-1 bytes).
 * Returns the bytes read, or -1 with errno (ENOENT or ESRCH: the thread exited). The children
 * of a quiet thread (live_skip) whose list was empty are not read again: still empty. */
ssize_t live_read(live_cache *c, live_proc *lp, size_t i, live_file f, char *buf, size_t cap);

/* The live cache of a reader (counters.c), NULL when the reader is not live. */
struct platform_reader;
live_cache *platform_reader_live(struct platform_reader *r);

#endif
