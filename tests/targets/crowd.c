/* N threads (default 2000) asleep in pause(), plus a "heartbeat" thread that wakes every 10 ms
 * so a test can see the process still makes progress (its voluntary context switches grow).
 * Usage: crowd [N]; prints "ready" once every thread is up. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static void *sleeper(void *arg)
{
    (void)arg;
    for (;;)
        pause();
    return NULL;
}

static void *heartbeat(void *arg)
{
    (void)arg;
    struct timespec ts = {0, 10 * 1000 * 1000};
    for (;;)
        nanosleep(&ts, NULL);
    return NULL;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 2000;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 * 1024);   /* 2000 threads in little memory */
    pthread_t t;
    for (int i = 0; i < n; i++) {
        if (pthread_create(&t, &attr, sleeper, NULL) != 0) {
            perror("pthread_create");
            return 1;
        }
    }
    pthread_create(&t, &attr, heartbeat, NULL);
    pthread_setname_np(t, "heartbeat");
    printf("ready\n");
    fflush(stdout);
    for (;;)
        pause();
}
