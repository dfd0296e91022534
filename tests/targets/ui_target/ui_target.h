/* ui_target: the live view's test target. Named threads, one of them parked in a known call
 * chain of non-inlinable functions in their own file (chain.c), and a heap block it touches. */
#ifndef UI_TARGET_H
#define UI_TARGET_H

#include <pthread.h>

/* ui_chain_top -> ui_chain_middle -> ui_chain_bottom -> pause(), forever. */
void *ui_chain_top(void *named);

#endif
