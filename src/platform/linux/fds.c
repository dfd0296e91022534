/* Open file descriptors of a process: all counted, the lowest few listed with their targets. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "maps_io.h"

#define FDS_COUNT_MAX (16 * 1024 * 1024)   /* entries of /proc/PID/fd walked at most */
#define FD_TARGET_MAX 4096                  /* bytes of a link target kept */

/* Keeps the TL_MAX_FDS_LISTED smallest fd numbers seen, sorted ascending. */
static void keep_lowest(int *low, size_t *n, int fd)
{
    if (*n == TL_MAX_FDS_LISTED && fd > low[*n - 1])
        return;
    size_t i = *n < TL_MAX_FDS_LISTED ? (*n)++ : *n - 1;
    while (i > 0 && low[i - 1] > fd) {
        low[i] = low[i - 1];
        i--;
    }
    low[i] = fd;
}

static int parse_fd_name(const char *name)
{
    char *end;
    errno = 0;
    long v = strtol(name, &end, 10);
    if (errno || *end || end == name || v < 0 || v > 0x7fffffff)
        return -1;
    return (int)v;
}

static tl_status list_targets(int pid, tl_shared *sh, const int *low, size_t n)
{
    if (n == 0)
        return TL_OK;
    if (!(sh->fds = calloc(n, sizeof *sh->fds)))
        return TL_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        char path[64], target[FD_TARGET_MAX];
        snprintf(path, sizeof path, "/proc/%d/fd/%d", pid, low[i]);
        ssize_t len = readlink(path, target, sizeof target - 1);
        if (len < 0)
            continue;   /* closed meanwhile */
        target[len] = '\0';
        tl_fd_entry *e = &sh->fds[sh->nfds_listed];
        e->fd = low[i];
        if (!(e->target = strdup(target)))
            return TL_ENOMEM;
        sh->nfds_listed++;
    }
    return TL_OK;
}

tl_status fds_read(int pid, tl_shared *sh, tl_error *err)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/fd", pid);
    DIR *d = opendir(path);
    if (!d)
        return maps_io_fail(err, errno, pid, "fd");
    int low[TL_MAX_FDS_LISTED];
    size_t nlow = 0;
    int count = 0;
    struct dirent *de;
    while (count < FDS_COUNT_MAX && (de = readdir(d))) {
        int fd = parse_fd_name(de->d_name);
        if (fd < 0)
            continue;
        count++;
        keep_lowest(low, &nlow, fd);
    }
    closedir(d);
    sh->nfds = count;
    if (list_targets(pid, sh, low, nlow) != TL_OK)
        return tl_error_set(err, TL_ENOMEM, "out of memory listing the fds of process %d", pid);
    return TL_OK;
}
