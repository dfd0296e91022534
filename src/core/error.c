#include "threadlens/error.h"

#include <stdarg.h>
#include <stdio.h>

tl_status tl_error_set(tl_error *err, tl_status code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

void tl_error_clear(tl_error *err)
{
    if (err) {
        err->code = TL_OK;
        err->msg[0] = '\0';
    }
}

const char *tl_status_name(tl_status code)
{
    static const char *const names[] = {
        [TL_OK] = "ok", [TL_PARTIAL] = "partial", [TL_ENOENT] = "no such process",
        [TL_EPERM] = "permission denied", [TL_EUNSUPPORTED] = "not supported",
        [TL_ENOMEM] = "out of memory", [TL_EIO] = "read error", [TL_EINVAL] = "invalid input",
    };
    if ((unsigned)code < sizeof names / sizeof names[0] && names[code])
        return names[code];
    return "unknown error";
}
