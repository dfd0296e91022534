/* Every PID of /proc, for the wait analysis's system-wide look for other holders of a pipe or
 * socket end (waits_confirm.c). Only numeric names are taken; /proc is the kernel's, but the
 * list is bounded all the same. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "platform/platform.h"
#include "procfs.h"

#define PIDS_MAX (1u << 22)       /* PID_MAX_LIMIT */

static int pid_of(const char *name)
{
    long v = 0;
    if (!*name)
        return 0;
    for (const char *c = name; *c; c++) {
        if (*c < '0' || *c > '9' || v > PIDS_MAX)
            return 0;
        v = v * 10 + (*c - '0');
    }
    return v > 0 && v <= (long)PIDS_MAX ? (int)v : 0;
}

tl_status platform_list_pids(int **out, size_t *n, tl_error *err)
{
    *out = NULL;
    *n = 0;
    DIR *d = opendir("/proc");
    if (!d) {
        int e = errno;
        return tl_error_set(err, procfs_errno_status(e), "cannot list /proc: %s (is /proc mounted?)", strerror(e));
    }
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && *n < PIDS_MAX) {
        int pid = pid_of(e->d_name);
        if (!pid)
            continue;
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 256;
            int *grown = realloc(*out, ncap * sizeof *grown);
            if (!grown) {
                closedir(d);
                free(*out);
                *out = NULL;
                *n = 0;
                return tl_error_set(err, TL_ENOMEM, "out of memory listing the processes of /proc");
            }
            *out = grown;
            cap = ncap;
        }
        (*out)[(*n)++] = pid;
    }
    closedir(d);
    return TL_OK;
}
