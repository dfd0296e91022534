/* A thread's kernel stack, from /proc/PID/task/TID/stack (root only: CAP_SYS_ADMIN). */
#include <errno.h>
#include <string.h>

#include "kstack_parse.h"
#include "platform/platform.h"
#include "procfs.h"

#define KSTACK_CAP 8192   /* 64 frames of at most ~100 bytes */

tl_status platform_kernel_stack(int pid, int tid, tl_kernel_frame **out, size_t *n, tl_error *err)
{
    char buf[KSTACK_CAP];
    *out = NULL;
    *n = 0;
    if (procfs_readf(buf, sizeof buf, "/proc/%d/task/%d/stack", pid, tid) < 0) {
        int e = errno;
        return tl_error_set(err, procfs_errno_status(e), "cannot read the kernel stack of thread %d: %s%s", tid,
                            strerror(e), e == EACCES || e == EPERM ? " (it needs root)" : "");
    }
    if (!kstack_parse(buf, out, n))
        return tl_error_set(err, TL_ENOMEM, "out of memory for the kernel stack of thread %d", tid);
    return TL_OK;
}
