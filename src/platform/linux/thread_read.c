/* One thread's counters from its own /proc files (thread_read.h). A dump opens the process's
 * task directory once and every file relative to it; the live view reads the same text
 * through descriptors it keeps and hands it to the same fill functions. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "procfs.h"
#include "thread_read.h"

#define STAT_CAP 1024     /* ~300 bytes of numbers plus a comm of at most 64 */
#define STATUS_CAP 4096   /* a thread's status is ~1.5 KiB */
#define WCHAN_CAP 128     /* a kernel symbol */
#define SCHEDSTAT_CAP 96  /* three numbers */

tl_status thread_read_fill_stat(long ticks_per_s, const char *text, tl_thread *t)
{
    proc_stat_fields f;
    if (!proc_parse_stat(text, &f))
        return TL_EIO;
    return thread_read_fill_stat_fields(ticks_per_s, &f, t);
}

tl_status thread_read_fill_stat_fields(long ticks_per_s, const proc_stat_fields *fp, tl_thread *t)
{
    const proc_stat_fields f = *fp;
    uint64_t hz = (uint64_t)(ticks_per_s > 0 ? ticks_per_s : 100);
    t->state = f.state;
    t->cpu_user_ms = f.utime_ticks * 1000 / hz;
    t->cpu_system_ms = f.stime_ticks * 1000 / hz;
    t->minor_faults = f.minor_faults;
    t->major_faults = f.major_faults;
    t->last_cpu = f.processor;
    t->priority = (int)f.priority;
    t->nice = (int)f.nice;
    t->policy = (int)f.policy;
    t->rt_priority = (int)f.rt_priority;
    t->start_time_ms = f.start_ticks * 1000 / hz;
    char *name = strdup(f.comm);
    if (!name)
        return TL_ENOMEM;
    free(t->name);
    t->name = name;
    return TL_OK;
}

tl_status thread_read_fill_status(const proc_status_fields *sf, tl_thread *t)
{
    t->voluntary_ctxt_switches = sf->voluntary_ctxt_switches;
    t->nonvoluntary_ctxt_switches = sf->nonvoluntary_ctxt_switches;
    free(t->sig_blocked);
    t->sig_blocked = NULL;
    if (sf->sig_blocked[0] && !(t->sig_blocked = strdup(sf->sig_blocked)))
        return TL_ENOMEM;
    return TL_OK;
}

tl_status thread_read_wchan(int task_dir, int pid, tl_thread *t)
{
    char buf[WCHAN_CAP];
    free(t->wchan);
    t->wchan = NULL;
    if (procfs_read_task(task_dir, pid, t->tid, "wchan", buf, sizeof buf) <= 0)
        return TL_OK;
    const char *name = buf + strspn(buf, "_");   /* as ps and libproc2 show it: do_sys_poll */
    if (!name[0] || strcmp(name, "0") == 0)
        return TL_OK;
    return (t->wchan = strdup(name)) ? TL_OK : TL_ENOMEM;
}

static tl_status read_status(int task_dir, int pid, tl_thread *t)
{
    char buf[STATUS_CAP];
    if (procfs_read_task(task_dir, pid, t->tid, "status", buf, sizeof buf) < 0)
        return procfs_errno_status(errno) == TL_ENOENT ? TL_ENOENT : TL_OK;   /* kept without */
    proc_status_fields sf;
    proc_parse_status(buf, &sf);
    return thread_read_fill_status(&sf, t);
}

/* t->sched; unreadable or all zeros (no scheduler statistics in this kernel): not valid. */
static void read_schedstat(int task_dir, int pid, tl_thread *t)
{
    char buf[SCHEDSTAT_CAP];
    proc_schedstat_fields f;
    memset(&t->sched, 0, sizeof t->sched);
    if (procfs_read_task(task_dir, pid, t->tid, "schedstat", buf, sizeof buf) <= 0 || !proc_parse_schedstat(buf, &f))
        return;
    t->sched = (tl_schedstat){.valid = f.run_ns || f.wait_ns || f.timeslices, .run_ns = f.run_ns,
                              .wait_ns = f.wait_ns, .timeslices = f.timeslices};
}

tl_status thread_read_counters(int task_dir, int pid, int tid, long ticks_per_s, unsigned what, tl_thread *t)
{
    char buf[STAT_CAP];
    t->tid = tid;
    t->wait.fd = -1;
    if (procfs_read_task(task_dir, pid, tid, "stat", buf, sizeof buf) < 0) {
        tl_status st = procfs_errno_status(errno);
        return st == TL_ENOMEM ? st : TL_ENOENT;
    }
    tl_status st = thread_read_fill_stat(ticks_per_s, buf, t);
    if (st == TL_OK && (what & THREAD_READ_STATUS))
        st = read_status(task_dir, pid, t);
    if (st == TL_OK && (what & THREAD_READ_SCHEDSTAT))
        read_schedstat(task_dir, pid, t);
    if (st == TL_OK)
        st = thread_read_wchan(task_dir, pid, t);
    return st;
}

tl_status thread_read_start_ms(int task_dir, int pid, int tid, long ticks_per_s, uint64_t *ms)
{
    char buf[STAT_CAP];
    proc_stat_fields f;
    *ms = 0;
    if (procfs_read_task(task_dir, pid, tid, "stat", buf, sizeof buf) < 0)
        return TL_ENOENT;
    if (!proc_parse_stat(buf, &f))
        return TL_EIO;
    *ms = f.start_ticks * 1000 / (uint64_t)(ticks_per_s > 0 ? ticks_per_s : 100);
    return TL_OK;
}
