/* What each thread waits on, observed without stopping anything (/proc + process_vm_readv).
 * Internal to the core; the sampler calls it right after the counters were read. */
#ifndef THREADLENS_WAITS_H
#define THREADLENS_WAITS_H

#include "threadlens/error.h"
#include "threadlens/model.h"

tl_status waits_observe(tl_snapshot *s, tl_error *err);

#endif
