/* The snapshot data model: an immutable picture of a process tree at one moment.
 * Built by the sampler, read by analysis and the front ends. All strings are owned by the
 * snapshot (malloc'd, NUL-terminated, raw bytes exactly as the target wrote them: escape them
 * before they reach a terminal). Free with snapshot_free(). */
#ifndef THREADLENS_MODEL_H
#define THREADLENS_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Target memory that was not read because reading it could hang threadlens (a userfaultfd
 * range, a file on FUSE or a network file system): docs/stacks.md. */
#define TL_MEM_REASON_MAX 40
typedef struct tl_mem_range {
    uint64_t start, end;
    char reason[TL_MEM_REASON_MAX];   /* "userfaultfd", or the file-system type ("fuse.sshfs") */
} tl_mem_range;
#define TL_SKIPPED_MAX 8              /* skipped ranges kept per thread */

/* One native stack frame. function/module/file may be NULL when unknown. */
typedef struct tl_frame {
    uint64_t pc;          /* return address as found (pc of frame 0) */
    char *function;
    uint64_t offset;      /* pc - function start */
    char *module;         /* path of the ELF object holding pc */
    char *file;           /* source file, when debug info is present */
    int line;             /* 0 when unknown */
    bool signal_frame;    /* a signal handler trampoline frame */
    bool guessed;         /* found by following frame pointers (no CFI): may be wrong */
} tl_frame;

/* What a thread is blocked on, as far as can honestly be said. */
typedef enum tl_wait_kind {
    TL_WAIT_NONE = 0,     /* running, or not blocked in a call we understand */
    TL_WAIT_MUTEX,        /* pthread mutex (owner_tid from the mutex word) */
    TL_WAIT_PI_MUTEX,     /* priority-inheritance mutex (owner in the futex word) */
    TL_WAIT_JOIN,         /* pthread_join: owner_tid is the joined thread */
    TL_WAIT_CONDVAR,
    TL_WAIT_RWLOCK,
    TL_WAIT_SEMAPHORE,
    TL_WAIT_FUTEX,        /* some other futex */
    TL_WAIT_FD,           /* read/write/poll/accept/... on fd */
    TL_WAIT_SLEEP,
    TL_WAIT_CHILD,        /* wait4/waitid on a child */
    TL_WAIT_OTHER,        /* a blocking call we name but do not analyse */
} tl_wait_kind;

/* How a wait can end other than by its holder's doing. Only a wait that nothing else can end
 * is a deadlock edge. */
typedef enum tl_wait_end {
    TL_END_HOLDER_ONLY = 0,   /* only its holder can end it (or nothing else is known) */
    TL_END_TIMEOUT,           /* a timed wait: it ends by itself */
    TL_END_SIGNAL,            /* a pipe/socket/child wait in a process with a signal handler the
                               * thread can run (it may write the pipe: the self-pipe trick) */
    TL_END_ANOTHER_HOLDER,    /* a process outside the cycle also holds the other end */
} tl_wait_end;

typedef struct tl_wait {
    tl_wait_kind kind;
    tl_wait_end can_end_by;
    uint64_t address;     /* futex/lock address, 0 when not applicable */
    int owner_tid;        /* thread that holds it; 0 = unknown or none */
    int owner_pid;        /* process of owner_tid (or of the fd's other end) */
    int fd;               /* for TL_WAIT_FD, else -1 */
    char *syscall_name;   /* "futex", "read", ... or NULL */
    char *object;         /* "pipe:[1234]", "socket 127.0.0.1:80 -> ...", file path, or NULL */
    char *description;    /* one line for people: "mutex 0x... held by tid 123 (worker)" */
} tl_wait;

/* The thread's current system call, from /proc/PID/task/TID/syscall. */
typedef struct tl_syscall {
    bool valid;           /* file was readable */
    bool running;         /* "running": in user space */
    long nr;              /* -1: blocked but not in a syscall */
    uint64_t args[6];
    uint64_t sp, pc;
    char name[32];        /* "futex", "read", ... ("" when unknown or not in a call) */
} tl_syscall;

/* A thread's scheduler counters (/proc/PID/task/TID/schedstat) as read with its other
 * counters: unchanged later means it has not run since (the stack pass relies on it). */
typedef struct tl_schedstat {
    bool valid;           /* read, and the kernel keeps them (not all zeros) */
    uint64_t run_ns, wait_ns, timeslices;
} tl_schedstat;

/* One frame of a thread's kernel stack (/proc/PID/task/TID/stack: root only), innermost first:
 * where a thread in uninterruptible sleep (D) is stuck. */
typedef struct tl_kernel_frame {
    char *function;       /* kernel symbol, e.g. "fuse_wait_answer"; never NULL */
    uint64_t offset;      /* into the function */
    uint64_t size;        /* of the function, 0 when unknown */
    char *module;         /* "fuse" for "[fuse]", NULL for the kernel image */
} tl_kernel_frame;

/* How long a thread was kept stopped while its stack was copied. */
typedef struct tl_stall {
    bool stopped;         /* the thread was stopped by us */
    bool zero_stop;       /* its stack was taken this time without a stop (blocked: issue 15) */
    uint64_t ns;
} tl_stall;

/* ---- shared versus private state (sampler option `regions`) ----------------------------- */

/* What a mapping of the address space is, for people: see regions_classify in the core. */
typedef enum tl_region_class {
    TL_REGION_OTHER = 0,
    TL_REGION_CODE,       /* executable text of the program, its libraries (or JIT code) */
    TL_REGION_DATA,       /* data, rodata and bss of the program and its libraries */
    TL_REGION_HEAP,       /* [heap] and anonymous private memory (malloc arenas, mmap) */
    TL_REGION_STACK,      /* a thread's stack: holds some thread's SP; the main thread's [stack] */
    TL_REGION_GUARD,      /* no access (---p): guard pages below stacks, reserved holes */
    TL_REGION_FILE,       /* a mapped file that is not a module of the program */
    TL_REGION_SHM,        /* shared memory (MAP_SHARED: /dev/shm, SysV, memfd, shared anon) */
    TL_REGION_KERNEL,     /* [vdso], [vvar], [vsyscall] */
    TL_REGION_NCLASSES
} tl_region_class;

/* One line of /proc/PID/maps. */
typedef struct tl_region {
    uint64_t start, end;          /* [start, end) */
    char perms[5];                /* "r-xp" */
    uint64_t offset;
    uint64_t inode;
    char *path;                   /* NULL for anonymous memory; "[heap]", "[stack]", ... */
    tl_region_class cls;
    int stack_tid;                /* TL_REGION_STACK: the thread whose SP is inside (0: unknown) */
    bool rss_known;               /* from /proc/PID/smaps (read only for small maps) */
    uint64_t rss_kib;
    uint64_t image_end;           /* the regions of an ELF module: where its memory image ends
                                   * (its last segment, bss included); 0 unknown */
} tl_region;

/* Totals of one class: mapped bytes always, resident bytes when smaps was read. */
typedef struct tl_class_size {
    size_t nregions;
    uint64_t mapped_bytes;
    uint64_t rss_bytes;
} tl_class_size;

/* /proc/PID/smaps_rollup, in KiB. */
typedef struct tl_mem_rollup {
    bool valid;
    uint64_t rss_kib, pss_kib, anonymous_kib, swap_kib;
    uint64_t shared_clean_kib, shared_dirty_kib, private_clean_kib, private_dirty_kib;
} tl_mem_rollup;

/* One open file descriptor and what it points to (readlink of /proc/PID/fd/N). */
typedef struct tl_fd_entry {
    int fd;
    char *target;                 /* "/etc/passwd", "pipe:[123]", "socket:[456]", ... */
} tl_fd_entry;

#define TL_MAX_REGIONS 65536      /* regions kept per process; more is noted (regions_truncated) */
#define TL_MAX_FDS_LISTED 32      /* fds listed per process (all are counted) */

/* What all threads of a process share. valid is false when the option was off or it failed. */
typedef struct tl_shared {
    bool valid;
    char *error;                  /* why part of it is missing, NULL if complete */
    tl_region *regions;           /* sorted by start */
    size_t nregions;
    size_t nmappings;             /* lines in maps (may exceed nregions when truncated) */
    bool regions_truncated;
    bool class_rss_known;         /* by_class[].rss_bytes are meaningful */
    tl_class_size by_class[TL_REGION_NCLASSES];
    tl_mem_rollup rollup;
    int nfds;                     /* open fds, -1 when unreadable */
    tl_fd_entry *fds;             /* the first TL_MAX_FDS_LISTED, by fd number */
    size_t nfds_listed;
    bool sig_valid;
    uint64_t sig_caught, sig_ignored;   /* SigCgt / SigIgn masks: bit n-1 = signal n */
} tl_shared;

/* Where a thread's PC/SP came from. */
typedef enum tl_regs_source {
    TL_REGS_NONE = 0,             /* unknown: the thread was running and no stack was taken */
    TL_REGS_PTRACE,               /* captured registers (tl_thread.regs_valid) */
    TL_REGS_SYSCALL,              /* /proc/PID/task/TID/syscall while blocked (no TLS there) */
} tl_regs_source;

/* What one thread owns (filled with the option `regions`). */
typedef struct tl_private {
    bool valid;
    tl_regs_source source;
    uint64_t pc, sp;
    bool tls_known;
    uint64_t tls;                 /* fs_base on x86_64, tpidr_el0 on arm64 */
    bool stack_known;             /* the mapping holding sp was found */
    uint64_t stack_start, stack_end;   /* reserved = end - start */
    uint64_t stack_used;          /* end - sp: the live part (when stack_known and sp known,
                                   * i.e. source != TL_REGS_NONE) */
    bool main_stack;              /* the mapping is [stack] */
} tl_private;

/* A thread over several samples (`dump --count N`): what it did across the window. */
typedef enum tl_verdict {
    TL_VERDICT_NONE = 0,          /* one sample only: no verdict */
    TL_VERDICT_BLOCKED,           /* waited on the same lock/object in every sample */
    TL_VERDICT_BUSY,              /* on CPU in (nearly) every sample */
    TL_VERDICT_IDLE,              /* the same non-lock wait in every sample */
    TL_VERDICT_CHANGING,          /* its stack or wait changed between samples */
    TL_VERDICT_NEW,               /* appeared during the window */
    TL_VERDICT_ENDED,             /* exited during the window (kept as last seen) */
} tl_verdict;

typedef struct tl_history {
    tl_verdict verdict;
    unsigned samples;             /* samples the thread was seen in */
    unsigned same_stack;          /* consecutive samples, up to the last, with the last stack */
    uint64_t cpu_ms_delta;        /* CPU used from its first sample to its last */
    uint64_t since_ms;            /* how long the last stack/wait has held, at least */
} tl_history;

/* The samples a multi-sample dump was made of. samples == 0: a single snapshot. */
typedef struct tl_window {
    unsigned samples;
    uint64_t interval_ms;
    int64_t first_unix_ms, last_unix_ms;
    size_t stops_saved;           /* thread stops not made: the thread had not run since */
} tl_window;

/* A blocking chain: a blocked thread, its lock's holder, that holder's holder ... */
typedef struct tl_chain {
    int *tids;
    size_t ntids;
    bool cycle;                   /* the last thread waits on one earlier in the chain */
} tl_chain;

typedef struct tl_thread {
    int tid;
    char *name;
    char state;                   /* R S D T t Z X I ... */
    uint64_t cpu_user_ms, cpu_system_ms;
    uint64_t voluntary_ctxt_switches, nonvoluntary_ctxt_switches;
    uint64_t minor_faults, major_faults;
    int last_cpu, priority, nice, policy, rt_priority;
    uint64_t start_time_ms;       /* since boot */
    char *wchan;                  /* NULL or "" when not waiting in the kernel */
    char *sig_blocked;            /* hex mask from status, may be NULL */
    tl_syscall syscall;
    tl_schedstat sched;           /* dumps that take stacks; not shown */

    /* private registers, when the stack was captured */
    bool regs_valid;
    bool regs_sp_pc_only;         /* regs_valid, taken without a stop: pc and sp only, no tls */
    uint64_t pc, sp, tls;

    /* native stack (filled by the stacks issue); NULL/0 when not taken */
    tl_frame *frames;
    size_t nframes;
    bool frames_truncated;        /* hit --max-frames, or stack_warning ended the walk */
    char *stack_error;            /* why the stack could not be taken, NULL if fine */
    char *stack_warning;          /* why the walk ended before the stack's start (an impossible
                                   * return address, memory not read), NULL if it did not */
    tl_mem_range skipped[TL_SKIPPED_MAX];   /* memory this thread's stack needed, not read */
    size_t nskipped;
    tl_kernel_frame *kernel_frames;   /* threads found in D during the stack pass (root) */
    size_t nkernel_frames;
    tl_stall stall;

    tl_wait wait;
    bool calls_reused;            /* incremental takes (the live view): syscall and wchan are
                                   * the previous take's, as the thread has not run since; so is
                                   * the wait unless it names a holder (looked at again: a
                                   * lock can change hands while its waiter sleeps) */
    bool in_deadlock;             /* set by analysis */
    tl_private priv;              /* own stack, pc/sp/tls (sampler option `regions`) */
    struct tl_java_thread *java;  /* the JVM's view of this thread (threadlens/java.h), or NULL */
    tl_history history;           /* dump --count: its verdict over the window */
} tl_thread;

typedef struct tl_process {
    int pid, ppid;
    char *name;                   /* comm */
    char *cmdline;                /* arguments joined by spaces; NULL for kernel threads */
    char *user;                   /* user name, or uid as text */
    unsigned uid;
    char state;
    int nlwp;                     /* thread count from the kernel */
    uint64_t start_time_ms;       /* since boot */
    uint64_t rss_kib, vsize_kib;
    bool kernel_thread, zombie;
    int tracer_pid;               /* TracerPid from status, 0 if none */
    char *error;                  /* why this process is incomplete, NULL if complete */
    tl_thread *threads;
    size_t nthreads;
    tl_shared shared;             /* what its threads share (sampler option `regions`) */
    struct tl_jvm *jvm;           /* set when the process is a HotSpot JVM (threadlens/java.h) */
    int ns_pid;                   /* its PID in its own (innermost) PID namespace: NSpid in status;
                                   * equal to pid outside containers, 0 when unknown */
} tl_process;

/* A wait-for edge: waiter waits for holder. */
typedef struct tl_wait_edge {
    int waiter_tid, holder_tid;
    tl_wait_kind kind;
    uint64_t address;
} tl_wait_edge;

typedef struct tl_deadlock {
    int *tids;                    /* the cycle, in wait-for order */
    size_t ntids;
    tl_wait_edge *edges;
    size_t nedges;
    bool reported_by_jvm;         /* the JVM's own dump reports it as a Java-level deadlock */
} tl_deadlock;

/* Why a thread's stack was taken with a stop rather than without one (issue 15). */
typedef enum tl_stop_reason {
    TL_STOP_RUNNING,              /* not blocked in the kernel (syscall file: "running") */
    TL_STOP_WOKE,                 /* it ran while its stack was copied (a torn observation) */
    TL_STOP_REGISTER,             /* the unwinder needed a register besides SP and PC */
    TL_STOP_MEMORY,               /* its stack could not be copied without a stop */
    TL_STOP_UNREADABLE,           /* its syscall or schedstat file could not be read */
    TL_STOP_ARCH,                 /* this architecture cannot tell yet (aarch64 PAC mask) */
    TL_STOP_DISABLED,             /* zero-stop capture switched off (THREADLENS_NO_ZERO_STOP) */
    TL_STOP_CONSISTENT,           /* --consistent: every thread stopped together */
    TL_STOP_NREASONS
} tl_stop_reason;

typedef struct tl_stall_stats {
    size_t threads_stopped;
    size_t threads_not_stopped;   /* stacks copied while blocked, with no stop at all */
    size_t fallbacks[TL_STOP_NREASONS];   /* taken with a stop, by reason */
    uint64_t wait_median_ns, wait_max_ns;   /* INTERRUPT to the stop seen (the scheduler's) */
    uint64_t held_median_ns, held_max_ns;   /* from the stop seen to the detach (ours) */
    uint64_t median_ns, max_ns, total_ns;
    uint64_t capture_wall_ns;     /* wall time of the whole stack pass */
} tl_stall_stats;

typedef struct tl_snapshot {
    int64_t taken_unix_ms;        /* wall clock when sampling started */
    uint64_t monotonic_ns;        /* CLOCK_MONOTONIC when sampling started */
    uint64_t uptime_ms;           /* since boot, for elapsed times */
    long clock_ticks;             /* USER_HZ used for the conversions */
    bool stacks_taken;
    tl_process *procs;            /* the root first, then descendants (parents before children) */
    size_t nprocs;
    tl_deadlock *deadlocks;
    size_t ndeadlocks;
    tl_stall_stats stall;
    char **notes;                 /* things a reader should know ("3 threads exited while read") */
    size_t nnotes;
    bool partial;                 /* something asked for could not be read */
    tl_window window;             /* dump --count: the samples behind the verdicts */
    tl_chain *chains;             /* dump --count: blocking chains of the blocked threads */
    size_t nchains;
} tl_snapshot;

/* Words for people. */
const char *model_state_word(char state);
const char *model_policy_name(int policy);
const char *model_wait_kind_name(tl_wait_kind kind);
/* JSON's waiting_on.can_end_by: NULL (holder only), "timeout", "signal", "another holder". */
const char *model_wait_end_name(tl_wait_end end);
const char *model_region_class_name(tl_region_class cls);   /* "code", "heap", ... */
const char *model_regs_source_name(tl_regs_source src);
const char *model_stop_reason_name(tl_stop_reason r);     /* "running", "woke", ... */     /* "registers", "syscall", "none" */
/* "INT", "TERM", "RTMIN+3", ... for signal signo (1..64), written into buf; returns buf. */
const char *model_signal_name(int signo, char buf[16]);
const char *model_verdict_name(tl_verdict v);               /* "blocked", ...; NULL for NONE */

/* Lookup helpers: NULL when absent. */
const tl_thread *model_find_thread(const tl_snapshot *s, int tid, const tl_process **proc);
const tl_process *model_find_process(const tl_snapshot *s, int pid);
size_t model_thread_count(const tl_snapshot *s);

/* Adds a note (printf-style); returns false only when out of memory. */
bool snapshot_add_note(tl_snapshot *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void frame_clear(tl_frame *f);
void kernel_frames_free(tl_kernel_frame *f, size_t n);
void wait_clear(tl_wait *w);
/* Deep copy of src into dst (cleared first); false when out of memory (dst is then cleared). */
bool wait_copy(tl_wait *dst, const tl_wait *src);
void thread_clear(tl_thread *t);
void shared_clear(tl_shared *sh);
void process_clear(tl_process *p);
void deadlock_clear(tl_deadlock *d);
void snapshot_free(tl_snapshot *s);

#endif
