/* The process tree below a PID, from /proc/PID/task/TID/children (a fork from any thread
 * makes the child a child of that thread, so every task's list is read). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/platform.h"
#include "proc_parse.h"
#include "procfs.h"

#define CHILDREN_CAP (64 * 1024)

tl_status platform_list_children(int pid, int **out, size_t *n, tl_error *err)
{
    *out = NULL;
    *n = 0;
    char dirpath[64];
    snprintf(dirpath, sizeof dirpath, "/proc/%d/task", pid);
    DIR *d = opendir(dirpath);
    if (!d)
        return tl_error_set(err, errno == ENOENT ? TL_ENOENT : TL_EPERM,
                            "cannot list threads of process %d: %s", pid, strerror(errno));
    char *buf = malloc(CHILDREN_CAP);
    if (!buf) {
        closedir(d);
        return tl_error_set(err, TL_ENOMEM, "out of memory listing children of %d", pid);
    }
    tl_status st = TL_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        if (procfs_readf(buf, CHILDREN_CAP, "/proc/%d/task/%s/children", pid, e->d_name) < 0)
            continue;  /* thread exited, or the kernel lacks CONFIG_PROC_CHILDREN */
        if (!proc_parse_pid_list(buf, out, n)) {
            st = tl_error_set(err, TL_ENOMEM, "out of memory listing children of %d", pid);
            break;
        }
    }
    free(buf);
    closedir(d);
    return st;
}

