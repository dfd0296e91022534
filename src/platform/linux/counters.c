/* Process counters from the PIDs' own stat, status and cmdline (never a scan of all of /proc),
 * parsed by the same proc_parse.c as every thread's; threads through the backend's one thread
 * reader (thread_read.h): the task directory opened once, each thread's stat, status, wchan
 * and syscall opened relative to it. A live reader (the live view's refreshes) keeps its
 * descriptors: counters_live.c.
 * libproc2 read the process's stat until issue 15: loading it (and libsystemd, libgcrypt,
 * libgpg-error, libcap, liblz4 with it) and its NUMA probe (45 failed opens looking for
 * libnuma, then loading it) cost 2.4 ms a start, 18 % of a 10-thread dump, for nine fields of
 * one file this parser reads anyway; its name had to be replaced from status (escaped bytes). */
#include <dirent.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <seccomp.h>

#include "ptrace_hint.h"
#include "platform/platform.h"
#include "counters.h"
#include "live_tasks.h"
#include "proc_parse.h"
#include "procfs.h"
#include "thread_read.h"

#define KTHREAD_FLAG 0x00200000UL  /* PF_KTHREAD in /proc/PID/stat flags */
#define CMDLINE_CAP (64 * 1024)    /* the target writes its command line: bound what we keep */

struct platform_reader {
    long ticks;
    long page_kib;
    live_cache *live;             /* live readers only */
    bool schedstat;               /* platform_reader_schedstat */
    unsigned last_uid;            /* the user name of the last uid looked up (one NSS lookup */
    char *last_user;              /* per process and refresh would read /etc/passwd each time) */
};

tl_status platform_reader_open(platform_reader **out, bool live, tl_error *err)
{
    platform_reader *r = calloc(1, sizeof *r);
    if (!r || (live && !(r->live = live_cache_new()))) {
        free(r);
        return tl_error_set(err, TL_ENOMEM, "out of memory opening the /proc reader");
    }
    r->ticks = platform_clock_ticks();
    r->page_kib = sysconf(_SC_PAGESIZE) / 1024;
    *out = r;
    return TL_OK;
}

void platform_reader_close(platform_reader *r)
{
    if (!r)
        return;
    live_cache_free(r->live);
    free(r->last_user);
    free(r);
}

void platform_reader_schedstat(platform_reader *r, bool on)
{
    r->schedstat = on;
}

live_cache *platform_reader_live(platform_reader *r)
{
    return r->live;
}

void platform_reader_sweep(platform_reader *r)
{
    if (r->live)
        live_cache_sweep(r->live);
}

long platform_clock_ticks(void)
{
    long hz = sysconf(_SC_CLK_TCK);
    return hz > 0 ? hz : 100;
}

uint64_t platform_uptime_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_BOOTTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t ticks_to_ms(const platform_reader *r, unsigned long long ticks)
{
    return (uint64_t)(ticks * 1000ULL / (unsigned long long)r->ticks);
}

static char *user_name(platform_reader *r, unsigned uid)
{
    if (r->last_user && r->last_uid == uid)
        return strdup(r->last_user);
    struct passwd pw, *found = NULL;
    char buf[1024], num[16];
    snprintf(num, sizeof num, "%u", uid);
    const char *name = getpwuid_r(uid, &pw, buf, sizeof buf, &found) == 0 && found ? found->pw_name : num;
    char *copy = strdup(name);
    if (copy) {
        free(r->last_user);
        r->last_user = copy;
        r->last_uid = uid;
    }
    return strdup(name);
}

static tl_status read_cmdline(tl_process *p)
{
    char *buf = malloc(CMDLINE_CAP);
    if (!buf)
        return TL_ENOMEM;
    ssize_t n = procfs_readf(buf, CMDLINE_CAP, "/proc/%d/cmdline", p->pid);
    tl_status st = TL_OK;
    if (n < 0)
        st = errno == ENOENT || errno == ESRCH ? TL_ENOENT : TL_EPERM;
    else if (!p->kernel_thread)
        p->cmdline = proc_join_cmdline(buf, (size_t)n);
    free(buf);
    return st;
}

/* The process's own stat: its name is the comm's raw bytes, as a thread's (thread_read.c),
 * escaped at output time. */
static tl_status fill_process(const platform_reader *r, const char *text, tl_process *p)
{
    proc_stat_fields f;
    if (!proc_parse_stat(text, &f))
        return TL_EIO;
    p->ppid = f.ppid;
    p->name = strdup(f.comm);
    p->state = f.state;
    p->nlwp = (int)f.num_threads;
    p->start_time_ms = ticks_to_ms(r, f.start_ticks);
    p->rss_kib = f.rss_pages > 0 ? (unsigned long)f.rss_pages * (unsigned long)r->page_kib : 0;
    p->vsize_kib = f.vsize_bytes / 1024;
    p->kernel_thread = (f.flags & KTHREAD_FLAG) != 0;
    p->zombie = p->state == 'Z';
    return TL_OK;
}

tl_status platform_read_process(platform_reader *r, tl_process *p, tl_error *err)
{
    char stat[1024];
    if (procfs_readf(stat, sizeof stat, "/proc/%d/stat", p->pid) < 0)
        return tl_error_set(err, TL_ENOENT, "no process with PID %d (it may have exited)", p->pid);
    if (fill_process(r, stat, p) != TL_OK)
        return tl_error_set(err, TL_EIO, "cannot parse /proc/%d/stat (a kernel this reader does not know?)", p->pid);

    char status[4096];
    if (procfs_readf(status, sizeof status, "/proc/%d/status", p->pid) < 0)
        return tl_error_set(err, TL_ENOENT, "process %d exited while being read", p->pid);
    proc_status_fields sf;
    proc_parse_status(status, &sf);
    p->uid = sf.uid;
    p->tracer_pid = sf.tracer_pid;
    p->ns_pid = sf.nspid;
    p->user = user_name(r, sf.uid);
    /* shared by every thread: the regions stage shows them, without reading status again */
    p->shared.sig_valid = sf.sig_valid;
    p->shared.sig_caught = sf.sig_caught;
    p->shared.sig_ignored = sf.sig_ignored;

    tl_status st = read_cmdline(p);
    if (st == TL_ENOENT)
        return tl_error_set(err, st, "process %d exited while being read", p->pid);
    if (st != TL_OK)
        return tl_error_set(err, st, "cannot read the command line of process %d: %s", p->pid,
                            strerror(errno));
    if (!p->name || !p->user || (!p->cmdline && !p->kernel_thread))
        return tl_error_set(err, TL_ENOMEM, "out of memory reading process %d", p->pid);
    return TL_OK;
}

/* libseccomp knows every architecture's syscall table, so no table of our own to keep. */
static void syscall_name(long nr, char *out, size_t cap)
{
    out[0] = '\0';
    if (nr < 0)
        return;
    char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, (int)nr);
    if (name)
        snprintf(out, cap, "%s", name);
    free(name);
}

tl_status counters_read_syscall(int task_dir, int pid, int tid, tl_syscall *out)
{
    char buf[256];
    memset(out, 0, sizeof *out);
    if (procfs_read_task(task_dir, pid, tid, "syscall", buf, sizeof buf) < 0)
        return errno == ENOENT || errno == ESRCH ? TL_ENOENT : TL_EPERM;
    if (!proc_parse_syscall(buf, out))
        return TL_EIO;
    syscall_name(out->nr, out->name, sizeof out->name);
    return TL_OK;
}

tl_status platform_read_syscall(int pid, int tid, tl_syscall *out)
{
    return counters_read_syscall(-1, pid, tid, out);
}

tl_status counters_threads_result(const tl_process *p, size_t gone, bool denied, tl_error *err)
{
    if (gone)
        return tl_error_set(err, TL_PARTIAL, "%zu thread(s) of process %d exited while being read",
                            gone, p->pid);
    if (denied)
        return platform_calls_denied(p->pid, err);
    return TL_OK;
}

tl_status platform_calls_denied(int pid, tl_error *err)
{
    return tl_error_set(err, TL_PARTIAL, "cannot see what the threads of process %d wait on "
                        "(system call, wait channel): permission denied; %s", pid, ptrace_hint());
}

/* The TIDs in the open task directory d, in the kernel's order (appended to *tids). */
static tl_status list_tids(DIR *d, int **tids, size_t *n)
{
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        char *end;
        long tid = strtol(e->d_name, &end, 10);
        if (end == e->d_name || *end || tid <= 0 || tid > 0x7fffffff)
            continue;   /* "." and ".." */
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            int *grown = realloc(*tids, cap * sizeof *grown);
            if (!grown)
                return TL_ENOMEM;
            *tids = grown;
        }
        (*tids)[(*n)++] = (int)tid;
    }
    return TL_OK;
}

/* One thread: its counters, then (user threads) its system call. TL_ENOENT: it exited;
 * sets *denied when the kernel would not show its call to us (the call stays invalid). */
static tl_status read_one_thread(const platform_reader *r, int dir, const tl_process *p, int tid, tl_thread *t,
                                 bool *denied)
{
    unsigned what = p->kernel_thread ? 0 : THREAD_READ_STATUS | (r->schedstat ? THREAD_READ_SCHEDSTAT : 0);
    tl_status st = thread_read_counters(dir, p->pid, tid, r->ticks, what, t);
    if (st != TL_OK || p->kernel_thread)
        return st;
    st = counters_read_syscall(dir, p->pid, tid, &t->syscall);
    if (st == TL_EPERM)
        *denied = true;
    return st == TL_ENOENT ? TL_ENOENT : TL_OK;   /* unreadable text: no call shown */
}

/* Every listed thread of p read into p->threads (calloc'd for n). */
static tl_status read_listed_threads(const platform_reader *r, int dir, tl_process *p, const int *tids, size_t n,
                                     tl_error *err)
{
    p->threads = calloc(n, sizeof *p->threads);
    if (!p->threads)
        return tl_error_set(err, TL_ENOMEM, "out of memory for %zu threads of process %d", n, p->pid);
    size_t gone = 0;
    bool denied = false;
    for (size_t i = 0; i < n; i++) {
        tl_thread *t = &p->threads[p->nthreads];
        tl_status st = read_one_thread(r, dir, p, tids[i], t, &denied);
        if (st == TL_OK) {
            p->nthreads++;
            continue;
        }
        thread_clear(t);
        if (st == TL_ENOMEM)
            return tl_error_set(err, TL_ENOMEM, "out of memory reading threads of process %d", p->pid);
        gone++;   /* exited between the listing and now */
    }
    return counters_threads_result(p, gone, denied, err);
}

tl_status platform_read_threads(platform_reader *r, tl_process *p, tl_error *err)
{
    if (r->live)
        return counters_read_threads_live(r->live, r->ticks, p, err);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", p->pid);
    DIR *d = opendir(path);
    if (!d)
        return tl_error_set(err, TL_ENOENT, "process %d exited while its threads were read", p->pid);
    int *tids = NULL;
    size_t n = 0;
    tl_status st = list_tids(d, &tids, &n);
    if (st != TL_OK)
        st = tl_error_set(err, st, "out of memory listing the threads of process %d", p->pid);
    else if (n == 0)
        st = tl_error_set(err, TL_ENOENT, "process %d exited while its threads were read", p->pid);
    else
        st = read_listed_threads(r, dirfd(d), p, tids, n, err);
    free(tids);
    closedir(d);
    return st;
}
