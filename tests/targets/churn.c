/* Threads created and destroyed at a high rate: the dump must come out whole (exit 0 or 1),
 * never attributing a stack to the wrong thread. Prints "ready" once churning. */
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define CHURNERS 4
#define STEADY 20

static void *short_lived(void *arg)
{
    (void)arg;
    struct timespec ts = {0, 200 * 1000};
    nanosleep(&ts, NULL);
    return NULL;
}

static void *churner(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_t t;
        if (pthread_create(&t, NULL, short_lived, NULL) == 0)
            pthread_join(t, NULL);
    }
    return NULL;
}

static void *steady(void *arg)
{
    (void)arg;
    for (;;)
        pause();
    return NULL;
}

int main(void)
{
    pthread_t t;
    for (int i = 0; i < STEADY; i++) {
        pthread_create(&t, NULL, steady, NULL);
        pthread_setname_np(t, "steady");
    }
    for (int i = 0; i < CHURNERS; i++) {
        pthread_create(&t, NULL, churner, NULL);
        pthread_setname_np(t, "churner");
    }
    printf("ready\n");
    fflush(stdout);
    for (;;)
        pause();
}
