#include <pthread.h>
#include <signal.h>

#include "chain.h"

NOINLINE void signal_thread(void)
{
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    pthread_kill(pthread_self(), SIGUSR1);
    chain_sink++;
}
