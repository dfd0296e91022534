/* Errors returned by the core library: a code the caller can branch on and a message that
 * says what failed, on what, and what to do. Only front ends print them. */
#ifndef THREADLENS_ERROR_H
#define THREADLENS_ERROR_H

#include <stddef.h>

typedef enum tl_status {
    TL_OK = 0,
    TL_PARTIAL,       /* result usable, but something was missing (thread exited, no permission) */
    TL_ENOENT,        /* no such process or thread */
    TL_EPERM,         /* not allowed to read or trace it */
    TL_EUNSUPPORTED,  /* not supported on this system */
    TL_ENOMEM,
    TL_EIO,           /* a read of /proc or of target memory failed */
    TL_EINVAL,        /* bad argument or malformed input */
} tl_status;

typedef struct tl_error {
    tl_status code;
    char msg[512];
} tl_error;

/* Sets err (when not NULL) and returns code, so callers can `return tl_error_set(...)`. */
tl_status tl_error_set(tl_error *err, tl_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void tl_error_clear(tl_error *err);
const char *tl_status_name(tl_status code);

#endif
