/* Pure parsers of kernel-written /proc text. No I/O, so they are unit-tested and fuzzed on
 * saved or arbitrary text. Every loop is bounded by the input's length. */
#ifndef THREADLENS_PROC_PARSE_H
#define THREADLENS_PROC_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "threadlens/model.h"

typedef struct proc_status_fields {
    uint64_t voluntary_ctxt_switches;
    uint64_t nonvoluntary_ctxt_switches;
    int tracer_pid;
    int nspid;                /* innermost NSpid, 0 if absent */
    unsigned uid;             /* real uid */
    char sig_blocked[17];     /* hex mask, "" if absent */
    char name[64];            /* Name, unescaped to the raw comm bytes; "" if absent */
    bool sig_valid;           /* SigCgt and SigIgn were found */
    uint64_t sig_caught, sig_ignored;
} proc_status_fields;

/* The counters of /proc/PID[/task/TID]/stat that threadlens shows. */
typedef struct proc_stat_fields {
    char comm[64];            /* raw bytes between the first '(' and the last ')', cut to fit */
    char state;
    int ppid;                 /* the parent process (its thread group), 0 for none */
    unsigned long flags;      /* PF_* (PF_KTHREAD: a kernel thread) */
    uint64_t minor_faults, major_faults;
    uint64_t utime_ticks, stime_ticks;
    long priority, nice;
    long num_threads;         /* the process's */
    uint64_t start_ticks;
    uint64_t vsize_bytes;
    long long rss_pages;
    int processor;
    unsigned rt_priority, policy;
} proc_stat_fields;

/* /proc/.../stat: the fields after the last ')' (comm may hold anything, ')' included).
 * false if malformed. */
bool proc_parse_stat(const char *text, proc_stat_fields *out);

/* /proc/PID/task/TID/schedstat: time on CPU, time waiting for one, times scheduled in. */
typedef struct proc_schedstat_fields {
    uint64_t run_ns, wait_ns, timeslices;
} proc_schedstat_fields;

/* "RUN WAIT COUNT"; false if malformed. */
bool proc_parse_schedstat(const char *text, proc_schedstat_fields *out);

/* Fields of /proc/PID[/task/TID]/status. Missing fields stay 0/"". */
void proc_parse_status(const char *text, proc_status_fields *out);

/* /proc/PID/task/TID/syscall: "running", "-1 SP PC", or "NR A0..A5 SP PC". false if malformed. */
bool proc_parse_syscall(const char *text, tl_syscall *out);

/* /proc/PID/cmdline (NUL-separated, len bytes) -> malloc'd, arguments joined by one space.
 * Returns NULL on allocation failure; "" for an empty command line. */
char *proc_join_cmdline(const char *buf, size_t len);

/* Whitespace-separated pids ("/proc/PID/task/TID/children"), appended to *pids (realloc'd).
 * Returns false on allocation failure. */
bool proc_parse_pid_list(const char *text, int **pids, size_t *n);

#endif
