/* dump --count: a thread that has not run since the previous sample keeps that sample's stack
 * instead of being stopped again (tl_sampler_options.stacks_since). Internal to the core. */
#ifndef THREADLENS_STACKS_REUSE_H
#define THREADLENS_STACKS_REUSE_H

#include "stacks.h"

/* Takes stacks in s for the threads that ran since prev, moves prev's stacks into the others;
 * s->window.stops_saved counts them. */
tl_status stacks_take_since(stacks_ctx *ctx, tl_snapshot *prev, tl_snapshot *s, const tl_sampler_options *o,
                            tl_error *err);

#endif
