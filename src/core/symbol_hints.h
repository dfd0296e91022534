/* One hint per module whose frames are mostly unnamed (a stripped binary): where its names
 * can come from (its -dbgsym package, or a debuginfod server through DEBUGINFOD_URLS). */
#ifndef THREADLENS_SYMBOL_HINTS_H
#define THREADLENS_SYMBOL_HINTS_H

#include "threadlens/model.h"

/* Adds to s a note for each module of p with more than half of its frames unnamed, unless
 * a note of s already names that module. */
void symbol_hints_note(tl_snapshot *s, const tl_process *p);

#endif
