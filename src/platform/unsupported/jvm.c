/* HotSpot attach on systems threadlens does not support: no process is a JVM we can reach. */
#include <string.h>

#include "platform/platform.h"

tl_status platform_jvm_probe(int pid, platform_jvm_target *out, tl_error *err)
{
    (void)err;
    memset(out, 0, sizeof *out);
    out->pid = pid;
    out->attach_enabled = -1;
    return TL_OK;
}

tl_status platform_jvm_start_listener(const platform_jvm_target *t, int timeout_ms, bool *started,
                                      tl_error *err)
{
    (void)timeout_ms;
    *started = false;
    return tl_error_set(err, TL_EUNSUPPORTED, "attaching to the JVM %d is not supported on this system", t->pid);
}

tl_status platform_jvm_request(const platform_jvm_target *t, const char *cmd, const char *const args[3],
                               int timeout_ms, size_t max_bytes, char **reply, size_t *len, tl_error *err)
{
    (void)cmd, (void)args, (void)timeout_ms, (void)max_bytes;
    *reply = NULL;
    *len = 0;
    return tl_error_set(err, TL_EUNSUPPORTED, "attaching to the JVM %d is not supported on this system", t->pid);
}

void platform_jvm_thread_nstids(int pid, const int *tids, size_t n, int *nstids)
{
    (void)pid, (void)tids;
    for (size_t i = 0; i < n; i++)
        nstids[i] = 0;
}
