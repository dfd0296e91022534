/* The snapshot data model: an immutable picture of a process tree at one moment.
 * Built by the sampler, read by analysis and the front ends. All strings are owned by the
 * snapshot (malloc'd, NUL-terminated, raw bytes exactly as the target wrote them: escape them
 * before they reach a terminal). Free with snapshot_free(). */
#ifndef THREADLENS_MODEL_H
#define THREADLENS_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One native stack frame. function/module/file may be NULL when unknown. */
typedef struct tl_frame {
    uint64_t pc;          /* return address as found (pc of frame 0) */
    char *function;
    uint64_t offset;      /* pc - function start */
    char *module;         /* path of the ELF object holding pc */
    char *file;           /* source file, when debug info is present */
    int line;             /* 0 when unknown */
    bool signal_frame;    /* a signal handler trampoline frame */
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

typedef struct tl_wait {
    tl_wait_kind kind;
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

/* How long a thread was kept stopped while its stack was copied. */
typedef struct tl_stall {
    bool stopped;         /* the thread was stopped by us */
    uint64_t ns;
} tl_stall;

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

    /* private registers, when the stack was captured */
    bool regs_valid;
    uint64_t pc, sp, tls;

    /* native stack (filled by the stacks issue); NULL/0 when not taken */
    tl_frame *frames;
    size_t nframes;
    bool frames_truncated;        /* hit --max-frames or a loop */
    char *stack_error;            /* why the stack could not be taken, NULL if fine */
    tl_stall stall;

    tl_wait wait;
    bool in_deadlock;             /* set by analysis */
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
} tl_deadlock;

typedef struct tl_stall_stats {
    size_t threads_stopped;
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
} tl_snapshot;

/* Words for people. */
const char *model_state_word(char state);
const char *model_policy_name(int policy);
const char *model_wait_kind_name(tl_wait_kind kind);

/* Lookup helpers: NULL when absent. */
const tl_thread *model_find_thread(const tl_snapshot *s, int tid, const tl_process **proc);
const tl_process *model_find_process(const tl_snapshot *s, int pid);
size_t model_thread_count(const tl_snapshot *s);

/* Adds a note (printf-style); returns false only when out of memory. */
bool snapshot_add_note(tl_snapshot *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void frame_clear(tl_frame *f);
void wait_clear(tl_wait *w);
void thread_clear(tl_thread *t);
void process_clear(tl_process *p);
void deadlock_clear(tl_deadlock *d);
void snapshot_free(tl_snapshot *s);

#endif
