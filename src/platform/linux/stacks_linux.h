/* Internal to the Linux stacks backend (capture.c, unwind.c, symbols.c, stacks_linux.c):
 * the per-sampler state behind platform_stacks. */
#ifndef THREADLENS_STACKS_LINUX_H
#define THREADLENS_STACKS_LINUX_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "platform/platform.h"

#define MAPS_MAX_REGIONS 262144   /* bound on /proc/PID/maps lines we keep */
#define PROC_CACHE_MAX 32         /* processes whose unwinder/symbol caches we keep */
#define PAGE_CACHE_SLOTS 64       /* remote pages (code, unwind tables) cached per process pass */
#define PAGE_CACHE_PAGE 4096
#define STOP_DEADLINE_NS 200000000ULL   /* longest wait for one thread's ptrace stop */
#define STOP_PASS_BUDGET_NS 1000000000ULL   /* all timed-out waits of one process pass */
#define STOP_MIN_WAIT_NS 10000000ULL    /* once the budget is spent, each thread still gets this */
#define STOP_GRACE_NS 20000000ULL      /* a signal came: a thread not in D stops within µs */
#define STOP_PENDING_MAX 256            /* seized threads that went into D, let go when they stop */

/* Internal reasons a thread was not stopped (besides errnos). */
#define STOP_E_D (-1000)        /* in uninterruptible sleep: not interrupted at all */
#define STOP_E_TIMEOUT (-1001)  /* interrupted, no stop by the deadline (it went into D) */
#define STOP_E_SIGNAL (-1002)   /* one of our signals came: everything was let go */

typedef struct maps_region {
    uint64_t start, end;
    bool readable, writable, executable;
    bool unwind_tables;           /* executable and backed by an ELF file or the vDSO */
    uint64_t offset, inode;       /* of the mapped file (inode 0: anonymous) */
    unsigned dev_major, dev_minor;
} maps_region;

/* The mappings of the process being taken, read once per pass. */
typedef struct maps_table {
    maps_region *r;
    size_t n, cap;
    uint64_t hash;                /* of the maps text: tells a changed address space */
} maps_table;

/* The one capture buffer: registers plus the copy of the live stack. */
typedef struct capture {
    int pid, tid;
    arch_regs regs;
    uint64_t base;                /* target address of buf[0] */
    size_t len;                   /* bytes of buf that hold the copy */
    unsigned char *buf;
    size_t cap;                   /* allocated bytes of buf */
    size_t max_bytes;             /* the copy cap asked for */
    bool valid;
    bool reg_missing;             /* regs.sp_pc_only: the unwinder asked for another register */
} capture;

/* Target memory outside the copy (code, unwind tables), read through process_vm_readv and
 * cached by page for one process pass. */
typedef struct page_slot {
    uint64_t page;                /* page address + 1; 0 = empty */
    unsigned long pass;           /* the process pass that read it (platform_stacks.page_pass) */
    bool ok;
    unsigned char data[PAGE_CACHE_PAGE];
} page_slot;

typedef struct unwind_proc unwind_proc;     /* zero_stop.c: a blocked thread's stack without a stop */
/* -1 when taken (the walk is in zs_frames, info filled), else a tl_stop_reason. */
int zero_stop_capture(platform_stacks *ps, int tid, platform_capture_info *info);
/* platform_unwind of a zero-stop capture: hands out the walk made while capturing. */
tl_status zero_stop_result(platform_stacks *ps, tl_frame *frames, size_t max, size_t *n, bool *truncated);
/* Whether the next thread is worth interrupting ahead (zero-stop would not take it). */
bool zero_stop_wants_stop(platform_stacks *ps, int tid);

/* unwind.c */
/* The walk of the capture in ps (platform_unwind without the zero-stop result). */
tl_status unwind_capture(platform_stacks *ps, tl_frame *frames, size_t max, size_t *n, bool *truncated,
                         tl_error *err);
typedef struct symbols_proc symbols_proc;   /* symbols.c */

typedef struct proc_cache {
    int pid;
    uint64_t maps_hash;
    unsigned long last_use;
    unwind_proc *unw;
    symbols_proc *sym;
} proc_cache;

/* One thread of a group stop (--consistent). */
typedef struct group_entry {
    int tid;
    bool held;                    /* in a ptrace stop of ours now */
    bool captured;                /* its copy was taken */
    int err_no;                   /* why it is not held: an errno or a STOP_E_ reason */
    int sig;                      /* signal to re-inject at detach, 0 for none */
    uint64_t t0_ns;
} group_entry;

#define MAPS_REREAD_NS 1000000000ULL   /* maps are read again at least this often */

struct platform_stacks {
    capture cap;
    maps_table maps;
    int maps_pid;                 /* whose maps `maps` holds, 0: none */
    int task_dir;                 /* /proc/PID/task of this process pass, -1: full paths */
    char maps_statm[128];         /* that process's statm when they were read */
    uint64_t maps_read_ns;
    proc_cache procs[PROC_CACHE_MAX];
    proc_cache *cur;
    unsigned long clock;
    page_slot *pages;             /* PAGE_CACHE_SLOTS */
    unsigned long page_pass;      /* slots of other passes are empty: none is cleared (or touched) */
    group_entry *group;
    size_t ngroup, group_hint;
    bool group_active;
    sigset_t saved_mask;
    int ahead_tid;                /* interrupted for the next capture, 0: none */
    uint64_t ahead_t0_ns;
    uint64_t returned_ns;         /* when the last capture of this process pass returned */
    bool signals_held;            /* our INT, TERM... are blocked while a thread is held */
    sigset_t held_mask;           /* the mask to restore then */
    tl_mem_range skipped[TL_SKIPPED_MAX];   /* memory not read for this thread (mem_guard.h) */
    size_t nskipped;
    char warning[256];            /* why the last unwind ended early, "" if it did not */
    sigset_t act_set;             /* of those, the ones not ignored (they end or suspend us) */
    uint64_t wait_budget_ns;      /* left for timed-out stop waits in this process pass */
    bool zs_allowed;              /* zero-stop capture (platform_stacks_zero_stop) */
    bool zs_ready;                /* the capture was unwound already: zs_frames is its walk */
    tl_frame *zs_frames;
    size_t zs_cap, zs_n;
    bool zs_truncated;
    long zs_test_delay_us;        /* THREADLENS_TEST_ZERO_STOP_DELAY_US (tests only) */
    struct {                      /* platform_capture_listed: the counters' call and schedstat */
        int tid;                  /* 0: none for the next capture */
        tl_syscall sc;
        tl_schedstat sched;
    } zs_listed;
    int pending[STOP_PENDING_MAX];   /* seized, not stopped (in D): detached once they stop */
    size_t npending;
};

/* capture.c */
tl_status maps_read(int pid, maps_table *m, tl_error *err);
void maps_free(maps_table *m);
const maps_region *maps_find(const maps_table *m, uint64_t addr);
uint64_t stacks_now_ns(void);
/* Copies the stack of ps->cap.tid from the SP in ps->cap.regs (never guarded memory). */
tl_status capture_copy_stack(platform_stacks *ps, tl_error *err);

/* stop.c: reaching a ptrace stop with a deadline, while watching our own signals */
void stop_signals_block(platform_stacks *ps, sigset_t *old);
bool stop_signal_waiting(const platform_stacks *ps);
void stop_signals_act(platform_stacks *ps, const sigset_t *old);
char stop_thread_state(int pid, int tid);   /* 'R', 'S', 'D'...; 0 when unreadable */
void stop_thread_wchan(int pid, int tid, char *buf, size_t cap);
int stop_seize(int tid);                    /* SEIZE + INTERRUPT: 0 or an errno */
void stop_detach(int tid, int sig);
/* Waits until deadline_ns for tid's stop: 0, ESRCH (gone), STOP_E_TIMEOUT, STOP_E_SIGNAL. */
int stop_wait(platform_stacks *ps, int tid, int *sig, uint64_t deadline_ns, bool watch_signals);
uint64_t stop_deadline(platform_stacks *ps, uint64_t t0);
/* stop_wait that, when a signal comes, gives the thread a short grace to stop (*interrupted);
 * on STOP_E_TIMEOUT the thread is kept in ps->pending. */
int stop_collect(platform_stacks *ps, int tid, uint64_t deadline_ns, int *sig, bool *interrupted);
void stop_pending_add(platform_stacks *ps, int tid);
void stop_pending_reap(platform_stacks *ps);   /* detaches the pending threads that stopped */
tl_status stop_error(int pid, int tid, int err_no, tl_error *err);

/* zero_stop.c: a blocked thread's stack without a stop */
/* -1 when taken (the walk is in zs_frames, info filled), else a tl_stop_reason. */
int zero_stop_capture(platform_stacks *ps, int tid, platform_capture_info *info);
/* platform_unwind of a zero-stop capture: hands out the walk made while capturing. */
tl_status zero_stop_result(platform_stacks *ps, tl_frame *frames, size_t max, size_t *n, bool *truncated);
/* Whether the next thread is worth interrupting ahead (zero-stop would not take it). */
bool zero_stop_wants_stop(platform_stacks *ps, int tid);

/* unwind.c */
/* The walk of the capture in ps (platform_unwind without the zero-stop result). */
tl_status unwind_capture(platform_stacks *ps, tl_frame *frames, size_t max, size_t *n, bool *truncated,
                         tl_error *err);
/* Forgets the skipped ranges and warning of the previous thread (a new capture begins). */
void stacks_notes_reset(platform_stacks *ps);
/* Whether [addr, addr+len) may be read; when not, the range is recorded as skipped. */
bool stacks_may_read(platform_stacks *ps, uint64_t addr, uint64_t len, tl_mem_range *hit);
unwind_proc *unwind_proc_new(int pid);
void unwind_proc_free(unwind_proc *u);
/* Reads target memory for the unwinder: from the copy when it holds addr, else remote. */
int stacks_read_word(platform_stacks *ps, uint64_t addr, uint64_t *val);

/* symbols.c */
symbols_proc *symbols_proc_new(int pid, tl_error *err);
void symbols_proc_free(symbols_proc *sp);
/* Re-reports the modules after the address space changed. */
tl_status symbols_proc_refresh(symbols_proc *sp, tl_error *err);
/* Fills ix with every defined code symbol of m (function, or untyped as assembly labels are)
 * that has a size, sorted: what libdwfl's own search would choose among for a pc. An address
 * only a sizeless label names is left to libdwfl. false when out of memory. */
struct Dwfl_Module;
struct symbol_index;
bool symbols_index_build(struct Dwfl_Module *m, struct symbol_index *ix);
/* A symbol as people read it: "name@VERSION" without the version, C++ names demangled; malloc'd. */
char *symbols_readable_name(const char *sym);

#endif
