#include "target_file.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static int fail(char *why, size_t cap, int fd, const char *path, const char *detail)
{
    if (fd >= 0)
        close(fd);
    snprintf(why, cap, "%s: %s", path, detail);
    return -1;
}

/* From an O_PATH descriptor of a regular file, a readable one to the same inode: re-opened
 * through /proc/self/fd, which names that inode, not a path the target could change. */
static int reopen_regular(int pfd, const struct stat *st, const char *path, char *why, size_t cap)
{
    if (!S_ISREG(st->st_mode))
        return fail(why, cap, pfd, path, "not a regular file, not read");
    if ((uint64_t)st->st_size > TARGET_FILE_MAX_BYTES)
        return fail(why, cap, pfd, path, "larger than 1 GiB, not read");
    char self[64];
    snprintf(self, sizeof self, "/proc/self/fd/%d", pfd);
    int fd = open(self, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    int e = errno;
    close(pfd);
    struct stat again;
    if (fd < 0)
        return fail(why, cap, -1, path, strerror(e));
    if (fstat(fd, &again) != 0 || again.st_dev != st->st_dev || again.st_ino != st->st_ino)
        return fail(why, cap, fd, path, "changed while it was opened, not read");
    return fd;
}

/* The target's own path, resolved inside its root with no magic link followed. */
static int open_in_root(int pid, const target_mapping *m, char *why, size_t cap)
{
    static const char deleted[] = " (deleted)";
    size_t len = strlen(m->path);
    if (len >= sizeof deleted - 1 && strcmp(m->path + len - (sizeof deleted - 1), deleted) == 0)
        return fail(why, cap, -1, m->path, "deleted, and /proc/PID/map_files is not readable (root only)");
    char root[64];
    snprintf(root, sizeof root, "/proc/%d/root", pid);
    int rfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rfd < 0)
        return fail(why, cap, -1, root, strerror(errno));
    struct open_how how = {.flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};
    int pfd = (int)syscall(SYS_openat2, rfd, m->path, &how, sizeof how);
    int e = errno;
    close(rfd);
    if (pfd < 0)
        return fail(why, cap, -1, m->path, strerror(e));
    struct stat st;
    if (fstat(pfd, &st) != 0)
        return fail(why, cap, pfd, m->path, strerror(errno));
    if (major(st.st_dev) != m->dev_major || minor(st.st_dev) != m->dev_minor || st.st_ino != m->inode)
        return fail(why, cap, pfd, m->path, "not the file that is mapped (replaced since), not read");
    return reopen_regular(pfd, &st, m->path, why, cap);
}

int target_file_open(int pid, const target_mapping *m, char *why, size_t cap)
{
    char link[96];
    snprintf(link, sizeof link, "/proc/%d/map_files/%llx-%llx", pid, (unsigned long long)m->start,
             (unsigned long long)m->end);
    int pfd = open(link, O_PATH | O_CLOEXEC);
    if (pfd < 0 && (errno == EPERM || errno == EACCES))
        return open_in_root(pid, m, why, cap);
    if (pfd < 0)
        return fail(why, cap, -1, link, strerror(errno));
    struct stat st;
    if (fstat(pfd, &st) != 0)
        return fail(why, cap, pfd, m->path, strerror(errno));
    if (st.st_ino != m->inode)   /* the range was unmapped and mapped again since maps was read */
        return fail(why, cap, pfd, m->path, "mapped again since its maps line was read, not read");
    return reopen_regular(pfd, &st, m->path, why, cap);
}
