/* PLACEHOLDER until the wait-analysis work lands. */
#include "threadlens/analysis.h"

tl_status analysis_find_deadlocks(tl_snapshot *s, tl_error *err)
{
    (void)s, (void)err;
    return TL_OK;
}
