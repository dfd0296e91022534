/* Several samples of one target (`dump --count N`): per-thread verdicts over the window and
 * blocking chains. Pure analysis of snapshots, no I/O. */
#ifndef THREADLENS_HISTORY_H
#define THREADLENS_HISTORY_H

#include <stdint.h>

#include "threadlens/error.h"
#include "threadlens/model.h"

typedef struct tl_history_set tl_history_set;

tl_history_set *history_new(void);
/* Adds the next sample; takes ownership of s (the previous sample is freed, but the threads
 * that ended since are kept as they were last seen). TL_ENOMEM. */
tl_status history_add(tl_history_set *h, tl_snapshot *s, tl_error *err);
/* The sample before the one to be added (NULL before the first): its stacks can be reused. */
tl_snapshot *history_last(tl_history_set *h);
/* The last sample with every thread's history, the threads that ended appended to their
 * processes (state as last seen), window and chains set; ownership passes to the caller and h
 * is freed. TL_EINVAL when no sample was added. */
tl_status history_finish(tl_history_set *h, uint64_t interval_ms, size_t stops_saved, tl_snapshot **out,
                         tl_error *err);
void history_free(tl_history_set *h);

/* Verdicts over two samples the caller keeps (metrics: its window's two takes): the history of
 * every thread of now, as history_finish would give it; before is not changed. TL_ENOMEM. */
tl_status history_pair(const tl_snapshot *before, tl_snapshot *now, tl_error *err);

/* Blocking chains of the blocked threads of s (verdicts set): s->chains. TL_ENOMEM. */
tl_status history_chains(tl_snapshot *s, tl_error *err);

#endif
