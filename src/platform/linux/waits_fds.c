/* What a file descriptor is, who holds a pipe, what a socket is connected to: read from
 * /proc/PID/task/TID/fd, fdinfo and net (a thread may have an fd table of its own) without
 * stopping anything. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kcmp.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fdnet_parse.h"
#include "platform/byte_order.h"
#include "platform/platform.h"
#include "proc_parse.h"
#include "procfs.h"

#define NET_MAX_LINES 200000   /* lines read from one /proc/PID/net table per lookup */

void platform_proc_dirs_open(platform_proc_dirs *d, int pid)
{
    char path[64];
    d->pid = pid;
    snprintf(path, sizeof path, "/proc/%d/task", pid);
    d->task_dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    snprintf(path, sizeof path, "/proc/%d/fd", pid);
    d->fd_dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

void platform_proc_dirs_close(platform_proc_dirs *d)
{
    if (d->task_dir >= 0)
        close(d->task_dir);
    if (d->fd_dir >= 0)
        close(d->fd_dir);
    d->task_dir = d->fd_dir = -1;
}

tl_status platform_reread_syscall(const platform_proc_dirs *d, int tid, tl_syscall *out)
{
    char buf[512];
    if (procfs_read_task(d->task_dir, d->pid, tid, "syscall", buf, sizeof buf) < 0)
        return procfs_errno_status(errno);
    return proc_parse_syscall(buf, out) ? TL_OK : TL_EIO;
}

/* A thread's fds are the ones in its own /proc/PID/task/TID/fd: a thread made without
 * CLONE_FILES has a table of its own, whose fd N may be another file than the leader's. */
tl_status platform_fd_describe(const platform_proc_dirs *d, int tid, int fd, platform_fd_info *out)
{
    char path[64];
    int at = AT_FDCWD;
    memset(out, 0, sizeof *out);
    if (tid == d->pid && d->fd_dir >= 0)
        snprintf(path, sizeof path, "%d", fd), at = d->fd_dir;
    else if (d->task_dir >= 0)
        snprintf(path, sizeof path, "%d/fd/%d", tid, fd), at = d->task_dir;
    else
        snprintf(path, sizeof path, "/proc/%d/task/%d/fd/%d", d->pid, tid, fd);
    ssize_t n = readlinkat(at, path, out->target, sizeof out->target - 1);
    if (n < 0)
        return procfs_errno_status(errno);
    out->target[n] = '\0';
    fdnet_parse_link(out->target, &out->kind, &out->inode);
    return TL_OK;
}

/* The mode bits of a /proc/PID/task/TID/fd/N link mirror the file's open mode (read: r-x,
 * write: -wx): one lstat instead of opening fdinfo. fdinfo's flags are the fallback. */
tl_status platform_fd_access(int pid, int tid, int fd, bool *reads, bool *writes)
{
    char path[64], text[1024];
    struct stat st;
    unsigned flags;
    snprintf(path, sizeof path, "/proc/%d/task/%d/fd/%d", pid, tid, fd);
    if (lstat(path, &st) == 0 && (st.st_mode & (S_IRUSR | S_IWUSR))) {
        *reads = (st.st_mode & S_IRUSR) != 0;
        *writes = (st.st_mode & S_IWUSR) != 0;
        return TL_OK;
    }
    if (procfs_readf(text, sizeof text, "/proc/%d/task/%d/fdinfo/%d", pid, tid, fd) < 0)
        return procfs_errno_status(errno);
    if (!fdnet_parse_fdinfo_flags(text, &flags))
        return TL_EIO;
    *reads = (flags & O_ACCMODE) != O_WRONLY;
    *writes = (flags & O_ACCMODE) != O_RDONLY;
    return TL_OK;
}

typedef struct ipc_list {
    platform_ipc_fd *v;
    size_t n, cap;
} ipc_list;

static bool push_ipc(ipc_list *l, int pid, int tid, int fd, platform_fd_kind kind, uint64_t inode)
{
    if (l->n == l->cap) {
        size_t grown_cap = l->cap ? l->cap * 2 : 64;
        platform_ipc_fd *grown = realloc(l->v, grown_cap * sizeof *grown);
        if (!grown)
            return false;
        l->v = grown;
        l->cap = grown_cap;
    }
    l->v[l->n++] = (platform_ipc_fd){.pid = pid, .tid = tid, .fd = fd, .kind = kind, .inode = inode};
    return true;
}

/* One entry of /proc/PID/fd: appends it when it is a pipe or socket. false only when out of
 * memory. */
static bool scan_entry(DIR *dir, const struct dirent *de, int pid, int tid, ipc_list *l)
{
    char target[64];
    char *end;
    long fd = strtol(de->d_name, &end, 10);
    if (*end || end == de->d_name)
        return true;
    ssize_t len = readlinkat(dirfd(dir), de->d_name, target, sizeof target - 1);
    if (len < 0)
        return true;     /* closed meanwhile */
    target[len] = '\0';
    platform_fd_kind kind;
    uint64_t inode;
    fdnet_parse_link(target, &kind, &inode);
    if (kind != PLATFORM_FD_PIPE && kind != PLATFORM_FD_SOCKET)
        return true;
    return push_ipc(l, pid, tid, (int)fd, kind, inode);
}

/* Scans one fd directory (the table of thread tid) into l; false when out of memory. */
static bool scan_table(DIR *dir, int pid, int tid, size_t max, size_t *seen, bool *truncated, ipc_list *l)
{
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        if ((*seen)++ >= max) {
            *truncated = true;
            break;
        }
        if (!scan_entry(dir, de, pid, tid, l))
            return false;
    }
    return true;
}

/* Whether thread tid has an fd table of its own (made without CLONE_FILES). kcmp needs the
 * same right as reading the fds; when it fails the thread is taken to share the leader's. */
static bool own_fd_table(int pid, int tid)
{
    return tid != pid && syscall(SYS_kcmp, pid, tid, KCMP_FILES, 0, 0) > 0;
}

/* The threads of pid with fd tables of their own, scanned after the leader's. */
static bool scan_own_tables(int pid, size_t max, size_t *seen, bool *truncated, ipc_list *l)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", pid);
    DIR *tasks = opendir(path);
    if (!tasks)
        return true;
    bool ok = true;
    struct dirent *de;
    while (ok && !*truncated && (de = readdir(tasks)) != NULL) {
        char *end;
        long tid = strtol(de->d_name, &end, 10);
        if (*end || end == de->d_name || !own_fd_table(pid, (int)tid))
            continue;
        snprintf(path, sizeof path, "/proc/%d/task/%ld/fd", pid, tid);
        DIR *dir = opendir(path);
        if (!dir)
            continue;   /* exited meanwhile */
        ok = scan_table(dir, pid, (int)tid, max, seen, truncated, l);
        closedir(dir);
    }
    closedir(tasks);
    return ok;
}

tl_status platform_list_ipc_fds(int pid, size_t max, platform_ipc_fd **out, size_t *n, bool *truncated,
                                tl_error *err)
{
    char path[64];
    size_t seen = 0;
    ipc_list l = {0};
    *out = NULL, *n = 0, *truncated = false;
    snprintf(path, sizeof path, "/proc/%d/fd", pid);
    DIR *dir = opendir(path);
    if (!dir)
        return tl_error_set(err, procfs_errno_status(errno), "cannot list %s: %s; run as the process's user or root",
                            path, strerror(errno));
    bool ok = scan_table(dir, pid, pid, max, &seen, truncated, &l);
    closedir(dir);
    if (ok)
        ok = scan_own_tables(pid, max, &seen, truncated, &l);
    if (!ok) {
        free(l.v);
        return tl_error_set(err, TL_ENOMEM, "out of memory listing the pipes and sockets of process %d", pid);
    }
    *out = l.v, *n = l.n;
    return TL_OK;
}

/* ---- sockets ---- */

typedef enum net_table { NET_TCP, NET_TCP6, NET_UDP, NET_UDP6, NET_UNIX } net_table;

static const char *const net_names[] = {
    [NET_TCP] = "tcp", [NET_TCP6] = "tcp6", [NET_UDP] = "udp", [NET_UDP6] = "udp6", [NET_UNIX] = "unix",
};

static void describe_inet(net_table t, const fdnet_socket *s, char *buf, size_t cap)
{
    bool tcp = t == NET_TCP || t == NET_TCP6;
    bool listening = tcp && s->state == 10;
    bool unconnected = strcmp(s->remote, "0.0.0.0:0") == 0 || strcmp(s->remote, "[::]:0") == 0;
    if (listening || unconnected)
        snprintf(buf, cap, "%s %s%s%s", net_names[t], s->local, tcp ? " " : "",
                 tcp ? fdnet_tcp_state_name(s->state) : "");
    else
        snprintf(buf, cap, "%s %s -> %s%s%s", net_names[t], s->local, s->remote, tcp ? " " : "",
                 tcp ? fdnet_tcp_state_name(s->state) : "");
}

static bool match_line(net_table t, const char *line, uint64_t inode, char *buf, size_t cap)
{
    if (t == NET_UNIX) {
        uint64_t ino;
        int st;
        char path[256];
        if (!fdnet_parse_unix_line(line, &ino, &st, path, sizeof path) || ino != inode)
            return false;
        snprintf(buf, cap, "unix %s", path[0] ? path : "(unnamed)");
        return true;
    }
    fdnet_socket s;
    if (!fdnet_parse_inet_line(line, t == NET_TCP6 || t == NET_UDP6, tl_host_big_endian(), &s) || s.inode != inode)
        return false;
    describe_inet(t, &s, buf, cap);
    return true;
}

static bool search_table(int pid, int tid, net_table t, uint64_t inode, char *buf, size_t cap)
{
    char path[96], line[512];
    snprintf(path, sizeof path, "/proc/%d/task/%d/net/%s", pid, tid, net_names[t]);
    FILE *f = fopen(path, "re");
    if (!f)
        return false;
    bool found = false;
    for (size_t i = 0; !found && i < NET_MAX_LINES && fgets(line, sizeof line, f); i++)
        found = match_line(t, line, inode, buf, cap);
    fclose(f);
    return found;
}

tl_status platform_socket_describe(int pid, int tid, uint64_t inode, char *buf, size_t cap)
{
    for (net_table t = NET_TCP; t <= NET_UNIX; t++)
        if (search_table(pid, tid, t, inode, buf, cap))
            return TL_OK;
    return TL_ENOENT;
}

tl_status platform_epoll_fds(int pid, int tid, int epfd, int *fds, size_t max, size_t *n)
{
    char text[16384];
    *n = 0;
    if (procfs_readf(text, sizeof text, "/proc/%d/task/%d/fdinfo/%d", pid, tid, epfd) < 0)
        return procfs_errno_status(errno);
    *n = fdnet_parse_epoll_tfds(text, fds, max);
    return TL_OK;
}
