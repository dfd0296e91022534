/* The process tree below a PID, from /proc/PID/task/TID/children (a fork from any thread
 * makes the child a child of that thread, so every task's list is read). */
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

static tl_status list_by_path(int pid, char *buf, int **out, size_t *n, tl_error *err)
{
    char dirpath[64];
    snprintf(dirpath, sizeof dirpath, "/proc/%d/task", pid);
    DIR *d = opendir(dirpath);
    if (!d)
        return tl_error_set(err, errno == ENOENT ? TL_ENOENT : TL_EPERM,
                            "cannot list threads of process %d: %s", pid, strerror(errno));
    tl_status st = TL_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && st == TL_OK) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        if (procfs_read_task(dirfd(d), pid, atoi(e->d_name), "children", buf, CHILDREN_CAP) < 0)
            continue;  /* thread exited, or the kernel lacks CONFIG_PROC_CHILDREN */
        if (!proc_parse_pid_list(buf, out, n))
            st = TL_ENOMEM;
    }
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
