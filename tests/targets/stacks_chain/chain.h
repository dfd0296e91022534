/* A target with known call chains for the stack tests. Every function below lives in its own
 * file and is noinline, so each appears as its own frame whatever the optimisation level.
 * Threads (named with pthread_setname_np):
 *   chain     chain_one -> chain_two -> chain_three -> chain_wait (blocks in nanosleep)
 *   recurse   recurse_down, RECURSE_DEPTH deep (more than the default 256-frame bound)
 *   insignal  signal_thread raises SIGUSR1; on_signal -> handler_wait blocks inside the handler
 *   spin      spin_forever: a tight loop, no system call
 *   sleeper   sleeper_wait (nanosleep), N of them (argument 1, default 0)
 * Prints "ready" once every thread is in place, then waits. */
#ifndef STACKS_CHAIN_H
#define STACKS_CHAIN_H

#include <signal.h>

#define RECURSE_DEPTH 400
#define NOINLINE __attribute__((noinline, noclone))

extern volatile unsigned chain_sink;   /* defeats tail calls and dead-code removal */

void chain_ready(void);           /* a thread reached its waiting place */

void chain_one(void);
void chain_two(void);
void chain_three(void);
void chain_wait(void);

void recurse_down(int depth);
void recurse_wait(void);

void signal_thread(void);
void on_signal(int sig);
void handler_wait(void);

void spin_forever(void);

void sleeper_wait(void);

#endif
