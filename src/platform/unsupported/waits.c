/* The wait-analysis readers for systems threadlens does not support: nothing is decoded, every
 * read answers "not supported", so the core reports no waits there. */
#include <string.h>

#include "platform/platform.h"

void platform_decode_call(const tl_syscall *sc, const char *wchan, platform_call *out)
{
    (void)sc, (void)wchan;
    memset(out, 0, sizeof *out);
    out->fd = -1;
}

int platform_futex_word_owner(uint32_t word)
{
    (void)word;
    return 0;
}

void platform_proc_dirs_open(platform_proc_dirs *d, int pid)
{
    d->pid = pid;
    d->task_dir = d->fd_dir = -1;
}

void platform_proc_dirs_close(platform_proc_dirs *d)
{
    d->task_dir = d->fd_dir = -1;
}

tl_status platform_reread_syscall(const platform_proc_dirs *d, int tid, tl_syscall *out)
{
    (void)d, (void)tid;
    memset(out, 0, sizeof *out);
    return TL_EUNSUPPORTED;
}

tl_status platform_fd_describe(const platform_proc_dirs *d, int tid, int fd, platform_fd_info *out)
{
    (void)d, (void)tid, (void)fd;
    memset(out, 0, sizeof *out);
    return TL_EUNSUPPORTED;
}

tl_status platform_fd_access(int pid, int tid, int fd, bool *reads, bool *writes)
{
    (void)pid, (void)tid, (void)fd;
    *reads = *writes = false;
    return TL_EUNSUPPORTED;
}

tl_status platform_list_ipc_fds(int pid, size_t max, platform_ipc_fd **out, size_t *n, bool *truncated,
                                tl_error *err)
{
    (void)pid, (void)max;
    *out = NULL, *n = 0, *truncated = false;
    return tl_error_set(err, TL_EUNSUPPORTED, "listing file descriptors is not supported on this system yet");
}

tl_status platform_unix_peer(uint64_t inode, uint64_t *peer)
{
    (void)inode;
    *peer = 0;
    return TL_EUNSUPPORTED;
}

tl_status platform_socket_describe(int pid, int tid, uint64_t inode, char *buf, size_t cap)
{
    (void)pid, (void)tid, (void)inode;
    if (cap)
        buf[0] = '\0';
    return TL_EUNSUPPORTED;
}

tl_status platform_epoll_fds(int pid, int tid, int epfd, int *fds, size_t max, size_t *n)
{
    (void)pid, (void)tid, (void)epfd, (void)fds, (void)max;
    *n = 0;
    return TL_EUNSUPPORTED;
}

tl_status platform_list_pids(int **out, size_t *n, tl_error *err)
{
    *out = NULL;
    *n = 0;
    return tl_error_set(err, TL_EUNSUPPORTED, "listing processes is not supported on this system yet");
}
