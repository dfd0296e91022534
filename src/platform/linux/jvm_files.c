/* The JVM's files (see jvm_files.h). */
#include "jvm_files.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "procfs.h"

static bool parse_fourth(const char *status, const char *key, unsigned *out)
{
    const char *p = strstr(status, key);
    unsigned a, b, c, d;
    if (!p || sscanf(p + strlen(key), "%u %u %u %u", &a, &b, &c, &d) != 4)
        return false;
    *out = d;
    return true;
}

bool jvm_files_parse_creds(const char *status, jvm_creds *out)
{
    unsigned uid, gid;
    memset(out, 0, sizeof *out);
    if (!parse_fourth(status, "\nUid:", &uid) || !parse_fourth(status, "\nGid:", &gid))
        return false;
    out->fsuid = (uid_t)uid;
    out->fsgid = (gid_t)gid;
    const char *g = strstr(status, "\nGroups:");
    if (!g)
        return false;
    g += 8;
    while (out->ngroups < JVM_FILES_MAX_GROUPS) {
        char *end;
        while (*g == ' ' || *g == '\t')
            g++;
        unsigned long v = strtoul(g, &end, 10);
        if (end == g || v > 0xffffffffUL)
            break;
        out->groups[out->ngroups++] = (gid_t)v;
        g = end;
    }
    return true;
}

bool jvm_files_creds(int pid, jvm_creds *out)
{
    char text[8192];
    if (procfs_readf(text, sizeof text, "/proc/%d/status", pid) < 0)
        return false;
    return jvm_files_parse_creds(text, out);
}

int jvm_files_open_in_root(int pid, const char *path, int flags)
{
    char root[64];
    snprintf(root, sizeof root, "/proc/%d/root", pid);
    int rfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rfd < 0)
        return -1;
    while (*path == '/')
        path++;
    struct open_how how = {.flags = (unsigned)(flags | O_CLOEXEC),
                           .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS};
    int fd = (int)syscall(SYS_openat2, rfd, path, &how, sizeof how);
    if (fd < 0 && errno == ENOSYS)   /* before Linux 5.6 */
        fd = openat(rfd, path, flags | O_CLOEXEC | O_NOFOLLOW);
    int saved = errno;
    close(rfd);
    errno = saved;
    return fd;
}

int jvm_files_open_regular(int pid, const char *path, size_t max, size_t *size)
{
    int pfd = jvm_files_open_in_root(pid, path, O_PATH | O_NOFOLLOW);
    if (pfd < 0)
        return -1;
    struct stat st, again;
    int err = 0, fd = -1;
    if (fstat(pfd, &st) != 0)
        err = errno;
    else if (!S_ISREG(st.st_mode))
        err = EINVAL;
    else if ((unsigned long long)st.st_size > max)
        err = EFBIG;
    if (!err) {
        char self[64];
        snprintf(self, sizeof self, "/proc/self/fd/%d", pfd);   /* the very inode checked */
        fd = open(self, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0)
            err = errno;
        else if (fstat(fd, &again) != 0 || again.st_ino != st.st_ino || again.st_dev != st.st_dev)
            err = EINVAL;
    }
    close(pfd);
    if (err) {
        if (fd >= 0)
            close(fd);
        errno = err;
        return -1;
    }
    *size = (size_t)st.st_size;
    return fd;
}

/* In the child: take on c (raw system calls: they change this thread only, and the child has
 * one), then create or remove. Never returns. */
static void child_as_target(const jvm_creds *c, int dirfd, const char *name, bool create)
{
    bool root = geteuid() == 0;
    if (syscall(SYS_setgroups, c->ngroups, c->groups) != 0 && root)
        _exit(EPERM);
    syscall(SYS_setfsgid, c->fsgid);
    syscall(SYS_setfsuid, c->fsuid);
    /* setfsuid/setfsgid report the previous value: ask again to know they took effect */
    if ((uid_t)syscall(SYS_setfsuid, -1) != c->fsuid || (gid_t)syscall(SYS_setfsgid, -1) != c->fsgid)
        _exit(EPERM);
    if (create) {
        int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
            _exit(errno > 0 && errno < 256 ? errno : EIO);
        close(fd);
    } else if (unlinkat(dirfd, name, 0) != 0) {
        _exit(errno > 0 && errno < 256 ? errno : EIO);
    }
    _exit(0);
}

int jvm_files_as_target(const jvm_creds *c, int dirfd, const char *name, bool create, int timeout_ms)
{
    pid_t kid = fork();
    if (kid < 0)
        return errno;
    if (kid == 0)
        child_as_target(c, dirfd, name, create);
    struct timespec step = {0, 1000000};   /* 1 ms */
    for (int waited = 0;; waited++) {
        int status;
        pid_t r = waitpid(kid, &status, WNOHANG);
        if (r == kid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : EIO;
        if (r < 0 && errno != EINTR)
            return errno;
        if (waited >= timeout_ms) {
            kill(kid, SIGKILL);   /* stuck on a hung file system: it dies when it leaves D */
            return ETIMEDOUT;
        }
        nanosleep(&step, NULL);
    }
}
