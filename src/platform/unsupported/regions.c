/* Shared state of a process: not supported on this system. */
#include "platform/platform.h"

tl_status platform_read_regions(int pid, tl_shared *out, tl_error *err)
{
    shared_clear(out);
    out->nfds = -1;
    return tl_error_set(err, TL_EUNSUPPORTED,
                        "reading the memory map of process %d is not supported on this system yet", pid);
}
