/* Small helpers to read /proc files with bounds: the target writes much of what is there. */
#ifndef THREADLENS_PROCFS_H
#define THREADLENS_PROCFS_H

#include <stddef.h>
#include <sys/types.h>

#include "threadlens/error.h"

/* Reads at most cap-1 bytes of path into buf and NUL-terminates. Returns bytes read or -1
 * with errno set. */
ssize_t procfs_read(const char *path, char *buf, size_t cap);

/* Same for a path built from a printf format. */
ssize_t procfs_readf(char *buf, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* File `file` of thread tid of process pid, through task_dir (an open /proc/PID/task, shorter
 * path walks) when it is >= 0, else by its full path. Same return as procfs_read; a
 * one-record file (stat, status, schedstat, syscall, wchan, statm) is taken in one read(). */
ssize_t procfs_read_task(int task_dir, int pid, int tid, const char *file, char *buf, size_t cap);

/* What an errno of a /proc read means: ENOENT/ESRCH gone, EACCES/EPERM not allowed, ENOMEM,
 * else TL_EIO. */
tl_status procfs_errno_status(int e);

#endif
