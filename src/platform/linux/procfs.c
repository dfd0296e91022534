#include "procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* A file the kernel shows as one record (single_open: stat, status, schedstat, syscall, wchan,
 * statm): one read() returns all of it when the buffer has room, so a short read is its end
 * and the second read(), that only returns 0, is spared. Multi-record files (children, maps)
 * may return a page at a time and are read to the end. */
static bool one_record(const char *file)
{
    static const char *const names[] = {"stat", "status", "schedstat", "syscall", "wchan", "statm"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(file, names[i]) == 0)
            return true;
    return false;
}

static ssize_t read_at(int dir, const char *path, char *buf, size_t cap, bool one)
{
    if (cap == 0)
        return errno = EINVAL, -1;
    int fd = openat(dir, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t got = 0;
    while (got < cap - 1) {
        ssize_t n = read(fd, buf + got, cap - 1 - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int saved = errno;
            close(fd);
            return errno = saved, -1;
        }
        if (n == 0)
            break;
        got += (size_t)n;
        if (one && got < cap - 1)
            break;
    }
    close(fd);
    buf[got] = '\0';
    return (ssize_t)got;
}

ssize_t procfs_readf(char *buf, size_t cap, const char *fmt, ...)
{
    char path[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(path, sizeof path, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof path)
        return errno = ENAMETOOLONG, -1;
    return procfs_read(path, buf, cap);
}

ssize_t procfs_read(const char *path, char *buf, size_t cap)
{
    return read_at(AT_FDCWD, path, buf, cap, false);
}

ssize_t procfs_read_task(int task_dir, int pid, int tid, const char *file, char *buf, size_t cap)
{
    char path[96];
    if (task_dir >= 0)
        snprintf(path, sizeof path, "%d/%s", tid, file);
    else
        snprintf(path, sizeof path, "/proc/%d/task/%d/%s", pid, tid, file);
    return read_at(task_dir >= 0 ? task_dir : AT_FDCWD, path, buf, cap, one_record(file));
}

tl_status procfs_errno_status(int e)
{
    if (e == ENOENT || e == ESRCH)
        return TL_ENOENT;
    if (e == EACCES || e == EPERM)
        return TL_EPERM;
    return e == ENOMEM ? TL_ENOMEM : TL_EIO;
}
