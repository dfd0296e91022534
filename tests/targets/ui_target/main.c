/* Threads: "ui-main" (main), "ui-chain" (in the known chain), "ui-alpha", "ui-beta" (asleep).
 * 4 MiB of small blocks (below the mmap threshold: they grow [heap]) are allocated and touched
 * so the heap is plainly there. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "ui_target.h"

#define HEAP_BLOCKS 1024
#define HEAP_BLOCK 4096

static pthread_barrier_t named;

static void *sleeper(void *arg)
{
    const char *name = arg;
    pthread_setname_np(pthread_self(), name);
    pthread_barrier_wait(&named);
    for (;;)
        pause();
    return NULL;
}

static void start(void *(*fn)(void *), void *arg)
{
    pthread_t t;
    int rc = pthread_create(&t, NULL, fn, arg);
    if (rc != 0) {
        fprintf(stderr, "ui_target: pthread_create: %s\n", strerror(rc));
        exit(2);
    }
    pthread_detach(t);
}

static void fill_heap(void)
{
    for (int i = 0; i < HEAP_BLOCKS; i++) {
        char *block = malloc(HEAP_BLOCK);
        if (!block) {
            fprintf(stderr, "ui_target: malloc: %s\n", strerror(ENOMEM));
            exit(2);
        }
        memset(block, 0x5a, HEAP_BLOCK);   /* kept for good: the heap stays this big */
    }
}

int main(void)
{
    prctl(PR_SET_NAME, "ui-main");
    fill_heap();
    pthread_barrier_init(&named, NULL, 2);
    start(ui_chain_top, &named);
    pthread_barrier_wait(&named);
    pthread_barrier_destroy(&named);
    pthread_barrier_init(&named, NULL, 3);
    start(sleeper, "ui-alpha");
    start(sleeper, "ui-beta");
    pthread_barrier_wait(&named);
    printf("ready\n");
    fflush(stdout);
    for (;;)
        pause();
}
