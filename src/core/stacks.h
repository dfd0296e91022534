/* Native stacks for the threads of a snapshot: capture (platform), unwind, symbolize.
 * Internal to the core; the sampler calls it after counters and waits were read. */
#ifndef THREADLENS_STACKS_H
#define THREADLENS_STACKS_H

#include "threadlens/error.h"
#include "threadlens/model.h"
#include "threadlens/sampler.h"

typedef struct stacks_ctx stacks_ctx;   /* caches (symbols, unwinder) that live as long as the sampler */

tl_status stacks_open(stacks_ctx **out, tl_error *err);
void stacks_close(stacks_ctx *ctx);
/* A take without stacks: lets go of any thread that went into D while it was being interrupted
 * and has stopped since (the live view may not take a stack again for a long time). */
void stacks_idle(stacks_ctx *ctx);

/* Fills frames/regs/stall of every thread of s (and s->stall). A thread whose stack cannot be
 * taken gets stack_error and the result is TL_PARTIAL; the snapshot stays usable. */
tl_status stacks_take(stacks_ctx *ctx, tl_snapshot *s, const tl_sampler_options *o, tl_error *err);

#endif
