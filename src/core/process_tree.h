/* Reads the processes of a target tree (roots and, optionally, their descendants) with every
 * thread's counters into a snapshot. */
#ifndef THREADLENS_PROCESS_TREE_H
#define THREADLENS_PROCESS_TREE_H

#include "carry.h"
#include "platform/platform.h"
#include "threadlens/sampler.h"

/* TL_ENOENT when no root exists; TL_PARTIAL (with notes in snap) when something vanished.
 * c: incremental takes (a live reader), NULL otherwise: what the previous take saw, to reuse
 * the calls of threads that have not run since (the threads of o->stack_tids are read). */
tl_status process_tree_read(platform_reader *r, const int *roots, size_t nroots,
                            const tl_sampler_options *o, const carry *c, tl_snapshot *snap, tl_error *err);

#endif
