/* The text of /proc/PID/task/TID/stack: "[<0>] fuse_wait_answer+0x3e/0x90 [fuse]" lines. */
#ifndef THREADLENS_KSTACK_PARSE_H
#define THREADLENS_KSTACK_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "threadlens/model.h"

#define KSTACK_MAX_FRAMES 64   /* the kernel prints at most 64 */

/* Parses text (NUL-terminated) into *out (allocated, innermost first; NULL when none) and *n.
 * Lines that are not frames are skipped. false only when out of memory (*out NULL, *n 0). */
bool kstack_parse(const char *text, tl_kernel_frame **out, size_t *n);

#endif
