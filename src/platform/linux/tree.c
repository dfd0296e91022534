/* The process tree below a PID. Either from /proc/PID/task/TID/children (a fork from any
 * thread makes the child a child of that thread, so every task's list is read), or, when the
 * process has more threads than the system has processes, from every process's parent in
 * /proc/N/stat (the kernel's PPid is the parent's thread group: the same children, fewer
 * files: 1000 threads of a process cost 1000 children reads, a system of 150 processes 150
 * stat reads). Both are one look at a moving tree: a fork during it may be missed by either. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live_tasks.h"
#include "platform/platform.h"
#include "proc_parse.h"
#include "procfs.h"

#define CHILDREN_CAP (64 * 1024)

/* Through the live reader's kept children files of the threads it listed this take. */
static tl_status list_live(live_cache *c, live_proc *lp, char *buf, int **out, size_t *n)
{
    for (size_t i = 0; i < live_ntasks(lp); i++) {
        if (live_read(c, lp, i, LIVE_CHILDREN, buf, CHILDREN_CAP) < 0)
            continue;   /* thread exited */
        if (!proc_parse_pid_list(buf, out, n))
            return TL_ENOMEM;
    }
    return TL_OK;
}

#define SCAN_MIN_THREADS 64   /* below it, the children files are the fewer reads anyway */
#define STAT_CAP 1024

static bool is_pid_name(const char *name)
{
    return name[0] >= '1' && name[0] <= '9';
}

/* The numeric entries of an open /proc or /proc/PID/task: pids or tids; NULL (n = 0) when
 * out of memory. */
static int *list_pids(DIR *d, size_t *n)
{
    int *pids = NULL;
    size_t cap = 0;
    *n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!is_pid_name(e->d_name))
            continue;
        if (*n == cap) {
            size_t grown_cap = cap ? cap * 2 : 64;
            int *grown = realloc(pids, grown_cap * sizeof *grown);
            if (!grown) {
                free(pids);
                *n = 0;
                return NULL;
            }
            pids = grown;
            cap = grown_cap;
        }
        pids[(*n)++] = atoi(e->d_name);
    }
    return pids;
}

static bool append_pid(int **pids, size_t *n, int pid)
{
    int *grown = realloc(*pids, (*n + 1) * sizeof *grown);
    if (!grown)
        return false;
    grown[(*n)++] = pid;
    *pids = grown;
    return true;
}

/* Children of pid as the processes whose parent it is; false when this is not the cheaper
 * way (more processes than the nthreads children files) or /proc cannot be listed. */
static bool list_by_parent(int pid, size_t nthreads, char *buf, int **out, size_t *n, tl_status *st)
{
    /* tests only: take one way or the other whatever the counts (test_dump_children.sh) */
    const char *force = getenv("THREADLENS_TEST_TREE_FROM");
    bool forced = force && strcmp(force, "parents") == 0;
    if ((force && !forced) || (!forced && nthreads < SCAN_MIN_THREADS))
        return false;
    DIR *d = opendir("/proc");
    size_t nprocs = 0;
    int *procs = d ? list_pids(d, &nprocs) : NULL;
    if (d)
        closedir(d);
    bool cheaper = procs && (forced || nprocs < nthreads);
    *st = TL_OK;
    for (size_t i = 0; cheaper && i < nprocs && *st == TL_OK; i++) {
        proc_stat_fields f;
        if (procs[i] == pid || procfs_readf(buf, STAT_CAP, "/proc/%d/stat", procs[i]) <= 0)
            continue;   /* exited */
        if (proc_parse_stat(buf, &f) && f.ppid == pid && !append_pid(out, n, procs[i]))
            *st = TL_ENOMEM;
    }
    free(procs);
    return cheaper;
}

static tl_status list_by_path(int pid, char *buf, int **out, size_t *n, tl_error *err)
{
    char dirpath[64];
    snprintf(dirpath, sizeof dirpath, "/proc/%d/task", pid);
    DIR *d = opendir(dirpath);
    if (!d)
        return tl_error_set(err, errno == ENOENT ? TL_ENOENT : TL_EPERM,
                            "cannot list threads of process %d: %s", pid, strerror(errno));
    size_t ntids;
    int *tids = list_pids(d, &ntids);
    tl_status st = tids ? TL_OK : TL_ENOMEM;
    if (st == TL_OK && !list_by_parent(pid, ntids, buf, out, n, &st)) {
        for (size_t i = 0; i < ntids && st == TL_OK; i++) {
            if (procfs_read_task(dirfd(d), pid, tids[i], "children", buf, CHILDREN_CAP) < 0)
                continue;  /* thread exited, or the kernel lacks CONFIG_PROC_CHILDREN */
            if (!proc_parse_pid_list(buf, out, n))
                st = TL_ENOMEM;
        }
    }
    free(tids);
    closedir(d);
    return st;
}

tl_status platform_list_children(platform_reader *r, int pid, int **out, size_t *n, tl_error *err)
{
    *out = NULL;
    *n = 0;
    char *buf = malloc(CHILDREN_CAP);
    if (!buf)
        return tl_error_set(err, TL_ENOMEM, "out of memory listing children of %d", pid);
    live_cache *c = platform_reader_live(r);
    live_proc *lp = c ? live_find(c, pid) : NULL;
    tl_status st = lp ? list_live(c, lp, buf, out, n) : list_by_path(pid, buf, out, n, err);
    free(buf);
    if (st == TL_ENOMEM)
        return tl_error_set(err, TL_ENOMEM, "out of memory listing children of %d", pid);
    return st;
}
