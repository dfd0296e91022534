/* dump --count: several samples folded into one report (dump_window.c). */
#ifndef THREADLENS_DUMP_WINDOW_H
#define THREADLENS_DUMP_WINDOW_H

#include <stdint.h>

#include "threadlens/sampler.h"

/* count takes interval_ms apart; *out is the last with verdicts, window and chains.
 * TL_OK / TL_PARTIAL with *out set, else an error. */
tl_status dump_window_take(const int *pids, size_t npids, const tl_sampler_options *o, unsigned count,
                           uint64_t interval_ms, tl_snapshot **out, tl_error *err);

#endif
