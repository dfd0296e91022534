/* The workload's thread bodies: requests in the named chain, a producer/consumer pair on a
 * condition variable, a CPU-busy thread and a thread blocked reading a pipe. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "demo.h"

#define PRODUCE_EVERY_MS 500
#define QUEUE_CAP 16
#define CRUNCH_BUSY_MS 100      /* the cruncher spins this long ... */
#define CRUNCH_REST_MS 25       /* ... then rests, so it stays well under one CPU */

static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t queue_ready = PTHREAD_COND_INITIALIZER;
static int queue_len;

void demo_thread_begin(demo_thread_arg *a)
{
    pthread_setname_np(pthread_self(), a->name);
    a->tid = (int)gettid();
    pthread_barrier_wait(a->started);
}

bool demo_spawn(void *(*fn)(void *), demo_thread_arg *a)
{
    pthread_t t;
    int rc = pthread_create(&t, NULL, fn, a);
    if (rc != 0) {
        fprintf(stderr, "threadlens demo: cannot start thread %s: %s\n", a->name, strerror(rc));
        return false;
    }
    pthread_detach(t);
    return true;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        continue;
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void *demo_request_thread(void *arg)
{
    demo_thread_arg *a = arg;
    demo_thread_begin(a);
    demo_handle_request(a->number);
    return NULL;
}

void *demo_producer_thread(void *arg)
{
    demo_thread_begin(arg);
    for (;;) {
        sleep_ms(PRODUCE_EVERY_MS);
        pthread_mutex_lock(&queue_lock);
        if (queue_len < QUEUE_CAP)
            queue_len++;
        pthread_cond_signal(&queue_ready);
        pthread_mutex_unlock(&queue_lock);
    }
    return NULL;
}

void *demo_consumer_thread(void *arg)
{
    demo_thread_begin(arg);
    for (;;) {
        pthread_mutex_lock(&queue_lock);
        while (queue_len == 0)
            pthread_cond_wait(&queue_ready, &queue_lock);
        queue_len--;
        pthread_mutex_unlock(&queue_lock);
    }
    return NULL;
}

/* Busy work the compiler cannot drop. */
static volatile unsigned long crunch_sink;

void *demo_cruncher_thread(void *arg)
{
    demo_thread_begin(arg);
    unsigned long x = 1;
    for (;;) {
        long until = now_ms() + CRUNCH_BUSY_MS;
        while (now_ms() < until)
            for (int i = 0; i < 10000; i++)
                x = x * 6364136223846793005UL + 1442695040888963407UL;
        crunch_sink = x;
        sleep_ms(CRUNCH_REST_MS);
    }
    return NULL;
}

/* Blocks in read(2) on a pipe nobody writes to; ends if the write end ever closes. */
void *demo_pipe_reader_thread(void *arg)
{
    demo_thread_arg *a = arg;
    demo_thread_begin(a);
    char buf[64];
    for (;;) {
        ssize_t n = read(a->fd, buf, sizeof buf);
        if (n == 0 || (n < 0 && errno != EINTR))
            break;
    }
    return NULL;
}
