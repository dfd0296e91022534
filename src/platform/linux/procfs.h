/* Small helpers to read /proc files with bounds: the target writes much of what is there. */
#ifndef THREADLENS_PROCFS_H
#define THREADLENS_PROCFS_H

#include <stddef.h>
#include <sys/types.h>

/* Reads at most cap-1 bytes of path into buf and NUL-terminates. Returns bytes read or -1
 * with errno set. */
ssize_t procfs_read(const char *path, char *buf, size_t cap);

/* Same for a path built from a printf format. */
ssize_t procfs_readf(char *buf, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
