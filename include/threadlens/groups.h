/* Stack groups and the triage summary: pure analysis of a snapshot, no I/O.
 * Threads of one process whose stacks are the same sequence of frames (module + function for
 * named frames, module + pc for unnamed ones, the Java frames of a JVM thread as well) form one
 * group; offsets inside a function do not split a group. A process with no stack at all (taken
 * without stacks, permission denied, kernel threads) is grouped by state and wait instead.
 * The results point into the snapshot: free them before it. */
#ifndef THREADLENS_GROUPS_H
#define THREADLENS_GROUPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "threadlens/error.h"
#include "threadlens/model.h"

typedef struct tl_stack_group {
    int id;                       /* 1.., unique in the snapshot, in the order below */
    size_t proc;                  /* index into s->procs */
    size_t *threads;              /* indexes into that process's threads, by ascending tid */
    size_t count;
    int first_tid;                /* the tid of threads[0] */
} tl_stack_group;

typedef struct tl_process_groups {
    tl_stack_group *groups;       /* largest first, then by first tid */
    size_t ngroups;
    int *group_of;                /* per thread index: its group's id, 0 = in none (no stack) */
    size_t nfailed;               /* threads whose stack failed: in no group */
    bool by_state;                /* no stacks in this process: grouped by state and wait */
} tl_process_groups;

typedef struct tl_groups {
    tl_process_groups *procs;     /* parallel to s->procs */
    size_t nprocs;
    size_t ngroups;               /* over all processes */
} tl_groups;

tl_status groups_build(const tl_snapshot *s, tl_groups **out, tl_error *err);
/* Every process by state and wait, stacks or not (the live view, which takes only some). */
tl_status groups_build_by_state(const tl_snapshot *s, tl_groups **out, tl_error *err);
void groups_free(tl_groups *g);
/* The group with this id, NULL when none. */
const tl_stack_group *groups_find(const tl_groups *g, int id);

/* The distinct waits of a group's threads, most common first (kind NONE is left out). */
typedef struct tl_group_wait {
    const tl_wait *wait;          /* the first thread's wait of this kind (its description) */
    size_t count;
} tl_group_wait;

/* Fills up to cap entries of out; returns how many distinct waits there are in all. */
size_t groups_waits(const tl_snapshot *s, const tl_stack_group *grp, tl_group_wait *out, size_t cap);

/* Names shortened for one line, sorted: runs of "prefix<number>" become "worker-1..worker-37",
 * repeats "name (x12)", then "+N more" once about `budget` bytes are used; with quote each name
 * is in double quotes. The result holds the raw names: escape it before a terminal.
 * malloc'd, NULL on failure. */
char *groups_names_compress(const char *const *names, size_t n, size_t budget, bool quote);
/* The names of a group's threads compressed as above. */
char *groups_names(const tl_snapshot *s, const tl_stack_group *grp, size_t budget, bool quote);
/* Its tids as ranges ("101..312, 400 +3 more"). */
char *groups_tids(const tl_snapshot *s, const tl_stack_group *grp, size_t budget);

#define TL_SUMMARY_TOP 5

/* An object many threads wait on. */
typedef struct tl_waited {
    const char *kind;             /* "mutex", "condvar", "pipe", "socket", "java monitor", ... */
    uint64_t address;             /* 0 when it has none (pipes, sockets) */
    int fd;                       /* the first waiter's fd for a pipe or socket, else -1 */
    const char *description;      /* the first waiter's description (target-written: escape) */
    const char *object;           /* pipe:[..], socket ...: the fd's object, else NULL */
    size_t waiters;
    int owner_tid;                /* 0 unknown */
    const tl_thread *owner;       /* the owner in this snapshot, NULL when not in it */
} tl_waited;

typedef struct tl_summary {
    size_t nthreads;
    size_t states[128];           /* threads by state letter */
    size_t cpu_used;              /* threads that used CPU since they started */
    const tl_stack_group *top[TL_SUMMARY_TOP];  /* largest groups of two threads or more */
    size_t ntop;
    size_t nshared_groups;        /* groups of two threads or more */
    size_t nunique;               /* threads alone in their group */
    size_t nfailed;               /* threads in no group (their stack failed) */
    size_t nby_state;             /* processes grouped by state and wait (no stacks) */
    tl_waited waited[TL_SUMMARY_TOP];   /* most waited-on first */
    size_t nwaited;
    size_t ndeadlocks;
} tl_summary;

tl_status summary_build(const tl_snapshot *s, const tl_groups *g, tl_summary *out, tl_error *err);

#endif
