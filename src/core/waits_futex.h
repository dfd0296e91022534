/* The pure part of the futex analysis: which glibc object a futex word belongs to, from a copy
 * of the words around it (src/core/waits_futex_decode.c). Internal to the core; unit tests and
 * a fuzz target call it directly. */
#ifndef THREADLENS_WAITS_FUTEX_H
#define THREADLENS_WAITS_FUTEX_H

#include <stdbool.h>
#include <stdint.h>

#include "platform/platform.h"
#include "threadlens/model.h"

#define FUTEX_WINDOW_BEFORE 48       /* bytes copied before the futex word */
#define FUTEX_WINDOW_AFTER 24        /* bytes copied from the futex word on */

/* Words copied around the futex address. */
typedef struct futex_window {
    uint64_t addr;
    bool before_ok;                  /* the bytes before addr could be read */
    bool big_endian;                 /* the words' byte order (the target's: the host's) */
    unsigned char bytes[FUTEX_WINDOW_BEFORE + FUTEX_WINDOW_AFTER];
} futex_window;

/* What the decoder may ask of the snapshot: is tid a live thread of the waiter's process? */
typedef struct futex_decode_env {
    bool (*is_live)(int tid, void *arg);
    void *arg;
} futex_decode_env;

typedef struct futex_found {
    tl_wait_kind kind;               /* TL_WAIT_FUTEX when nothing fits */
    uint64_t base;                   /* the object's address (the futex word's when unknown) */
    const char *what;                /* "condition", "mutex (normal)", ... (static) */
    bool owned;                      /* a lock whose holder the words record (owner_tid, 0: none) */
    int owner_tid;                   /* as the words say: not yet checked to be live, except a
                                      * join's and a write-locked rwlock's */
} futex_found;

/* The 32-bit word at addr + off (off may be negative down to -FUTEX_WINDOW_BEFORE), in the
 * window's byte order. */
bool futex_window_word(const futex_window *win, int off, uint32_t *out);

void waits_futex_decode(const futex_window *win, const platform_call *call, const futex_decode_env *env,
                        futex_found *out);

#endif
