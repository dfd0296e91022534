#include <errno.h>
#include <sys/uio.h>

#include "mem_guard.h"
#include "platform/platform.h"

ssize_t platform_read_memory(int pid, uint64_t addr, void *buf, size_t len)
{
    /* a read that could wait for a userfaultfd handler or a FUSE/NFS server is not made at
     * all: process_vm_readv would wait in D state, beyond any deadline or signal */
    if (mem_guard_unsafe(pid, addr, len, NULL)) {
        errno = EAGAIN;
        return -1;
    }
    struct iovec local = {.iov_base = buf, .iov_len = len};
    struct iovec remote = {.iov_base = (void *)(uintptr_t)addr, .iov_len = len};
    return process_vm_readv(pid, &local, 1, &remote, 1, 0);
}
