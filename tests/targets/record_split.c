/* threadlens record's test target: thread "burner" spends ~70 % of each 100 ms in burn()
 * (on CPU) and ~30 % blocked on a mutex that "holder" keeps for 30 ms; thread "sleeper"
 * sleeps in sleep_outer -> sleep_inner -> nanosleep for good. With an argument N it exits
 * after N seconds (the "target exits mid-recording" test). Prints "ready". */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "burn.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static sem_t req, ack;

__attribute__((noinline)) static void wait_for_lock(void)
{
    pthread_mutex_lock(&lock);
    pthread_mutex_unlock(&lock);
}

static void *burner(void *arg)
{
    (void)arg;
    for (;;) {
        burn(0.070);
        sem_post(&req);
        sem_wait(&ack);            /* the holder has the lock now */
        wait_for_lock();           /* ~30 ms blocked */
    }
    return NULL;
}

static void *holder(void *arg)
{
    (void)arg;
    for (;;) {
        sem_wait(&req);
        pthread_mutex_lock(&lock);
        sem_post(&ack);
        usleep(30000);
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

__attribute__((noinline)) static void sleep_inner(void)
{
    for (;;)
        sleep(1000);
}

__attribute__((noinline)) static void sleep_outer(void)
{
    sleep_inner();
    __asm__ volatile("");
}

static void *sleeper(void *arg)
{
    (void)arg;
    sleep_outer();
    return NULL;
}

int main(int argc, char **argv)
{
    sem_init(&req, 0, 0);
    sem_init(&ack, 0, 0);
    pthread_t t[3];
    pthread_create(&t[0], NULL, burner, NULL);
    pthread_create(&t[1], NULL, holder, NULL);
    pthread_create(&t[2], NULL, sleeper, NULL);
    pthread_setname_np(t[0], "burner");
    pthread_setname_np(t[1], "holder");
    pthread_setname_np(t[2], "sleeper");
    printf("ready\n");
    fflush(stdout);
    if (argc > 1) {
        sleep((unsigned)atoi(argv[1]));
        return 0;
    }
    pause();
    return 0;
}
