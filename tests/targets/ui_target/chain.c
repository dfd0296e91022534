#include <pthread.h>
#include <unistd.h>

#include "ui_target.h"

static volatile int depth_seen;   /* a use after each call: no tail calls, every frame stays */

__attribute__((noinline)) static void ui_chain_bottom(pthread_barrier_t *named)
{
    pthread_barrier_wait(named);
    for (;;)
        pause();
}

__attribute__((noinline)) static void ui_chain_middle(pthread_barrier_t *named)
{
    ui_chain_bottom(named);
    depth_seen = 2;
}

__attribute__((noinline)) void *ui_chain_top(void *named)
{
    pthread_setname_np(pthread_self(), "ui-chain");
    ui_chain_middle(named);
    depth_seen = 1;
    return NULL;
}
