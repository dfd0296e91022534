/* Core files on systems threadlens does not support: none is read. */
#include "platform/platform_core.h"

tl_status platform_core_open(platform_core **out, const platform_core_options *o, tl_error *err)
{
    *out = NULL;
    return tl_error_set(err, TL_EUNSUPPORTED, "cannot read the core %s: core files are not supported on this "
                        "system", o->path);
}

tl_status platform_core_read(platform_core *c, tl_snapshot *snap, tl_error *err)
{
    (void)c, (void)snap;
    return tl_error_set(err, TL_EUNSUPPORTED, "core files are not supported on this system");
}

ssize_t platform_core_read_memory(const platform_core *c, uint64_t addr, void *buf, size_t len)
{
    (void)c, (void)addr, (void)buf, (void)len;
    return -1;
}

void platform_core_close(platform_core *c)
{
    (void)c;
}

const char *platform_core_restart_hint(const tl_thread *t)
{
    (void)t;
    return NULL;
}
