/* Reads the processes of a target tree (roots and, optionally, their descendants) with every
 * thread's counters into a snapshot. */
#ifndef THREADLENS_PROCESS_TREE_H
#define THREADLENS_PROCESS_TREE_H

#include "platform/platform.h"
#include "threadlens/sampler.h"

/* TL_ENOENT when no root exists; TL_PARTIAL (with notes in snap) when something vanished. */
tl_status process_tree_read(platform_reader *r, const int *roots, size_t nroots,
                            const tl_sampler_options *o, tl_snapshot *snap, tl_error *err);

#endif
