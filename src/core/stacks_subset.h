/* Stacks for a chosen few threads (tl_sampler_options.stack_tids): the live view re-takes the
 * selected thread's stack on every refresh without stopping the others. Internal to the core. */
#ifndef THREADLENS_STACKS_SUBSET_H
#define THREADLENS_STACKS_SUBSET_H

#include "stacks.h"

/* Like stacks_take, but only for the threads listed in o->stack_tids; the other threads keep
 * no frames. Works on a view of the snapshot that holds only those threads, so stacks_take
 * needs no knowledge of the subset. */
tl_status stacks_take_subset(stacks_ctx *ctx, tl_snapshot *s, const tl_sampler_options *o, tl_error *err);

#endif
