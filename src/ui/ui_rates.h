#ifndef THREADLENS_UI_RATES_H
#define THREADLENS_UI_RATES_H

#include "ui_state.h"

/* One rate per thread of cur, in snapshot order (zeros without prev); malloc'd, NULL when out
 * of memory. */
ui_rate *rates_compute(const tl_snapshot *prev, const tl_snapshot *cur);

#endif
