/* Where a thread's stack begins: frames past its first function are not real. CFI marks the
 * outermost frame (clone3, _start) for libunwind, but a walk that guessed its way there through
 * frame pointers, or went on through memory that only looks like frames, does not stop: it
 * shows "0x1", a second start_thread, operator new. Pure: names only, no I/O. */
#ifndef THREADLENS_OUTERMOST_H
#define THREADLENS_OUTERMOST_H

#include <stdbool.h>
#include <stddef.h>

#include "threadlens/model.h"

/* How many of the n named frames to keep: up to and including the thread's first function
 * (glibc's clone3/clone, or start_thread when its caller is not one of them; _start; Go's
 * runtime.clone, runtime.goexit, runtime.rt0_go, runtime.mstart unless runtime.clone or rt0_go
 * called it, and runtime.mcall, past which the g0 stack holds stale frames). The C names cut only when a frame after them was guessed or the walk
 * ended on an impossible frame (ended_badly): elsewhere CFI ended the walk, and a stripped
 * binary's code can be named after a nearby _start. n when there is nothing to cut. */
size_t frames_outermost_keep(const tl_frame *f, size_t n, bool ended_badly);

/* Whether the last of the n frames is such a first function: the walk reached the start of
 * the stack, whatever the memory above it looked like. */
bool frames_end_at_outermost(const tl_frame *f, size_t n);

#endif
