/* fp_guess: code with frame pointers and no unwind tables at all (issue 14, item 4), as
 * Chromium builds it: -fno-asynchronous-unwind-tables -fno-unwind-tables -fno-omit-frame-pointer
 * and no -g, so neither .eh_frame nor .debug_frame describes these functions (tests/targets/
 * fp_guess.cmake). GUESS_THREADS threads named "guess" sit in the chain
 * guess_thread -> guess_one -> guess_two -> guess_three -> guess_wait -> nanosleep, and the
 * main thread in main -> guess_one -> ... the same way. One thread named "corrupt" waits in
 * corrupt_wait with its frame pointer aimed at a frame record outside the stack that looks
 * real (its return address is in guess_two): a walk that follows it shows a frame that is not
 * there. Prints "threads N" (the guess threads) and "ready". */
#include <assert.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>

#define GUESS_THREADS 3

/* noinline and no sibling calls (the flags): every function keeps its frame */
__attribute__((noinline)) void guess_wait(void)
{
    struct timespec ts = {.tv_sec = 3600};
    for (;;)
        nanosleep(&ts, NULL);
}

__attribute__((noinline)) void guess_three(void)
{
    guess_wait();
    __asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void guess_two(void)
{
    guess_three();
    __asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void guess_one(void)
{
    guess_two();
    __asm__ volatile("" ::: "memory");
}

static struct timespec corrupt_ts = {.tv_sec = 3600};

/* Never returns, and keeps nothing on its frame: its frame pointer may point anywhere. Here at
 * rec, {caller's frame pointer, return address} on the main thread's stack, above this
 * thread's (so only the check that a record is in the thread's own stack refuses it). */
__attribute__((noinline)) void corrupt_wait(uint64_t *rec)
{
    rec[0] = 0;
    rec[1] = (uint64_t)(uintptr_t)guess_two + 4;
#if defined(__x86_64__)
    __asm__ volatile("mov %0, %%rbp" ::"r"(rec));
#elif defined(__aarch64__)
    __asm__ volatile("mov x29, %0" ::"r"(rec));
#endif
    for (;;)
        nanosleep(&corrupt_ts, NULL);
}

static void *corrupt_thread(void *arg)
{
    pthread_setname_np(pthread_self(), "corrupt");
    corrupt_wait(arg);
    return NULL;
}

static void *guess_thread(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "guess");
    guess_one();
    return NULL;
}

int main(void)
{
    pthread_t t[GUESS_THREADS];
    for (int i = 0; i < GUESS_THREADS; i++)
        if (pthread_create(&t[i], NULL, guess_thread, NULL) != 0)
            return 1;
    pthread_t c;
    static_assert(sizeof(uint64_t) == 8, "frame records of 64-bit words");
    uint64_t record[2];   /* main never returns: it stays */
    if (pthread_create(&c, NULL, corrupt_thread, record) != 0)
        return 1;
    struct timespec ts = {.tv_nsec = 100000000};
    nanosleep(&ts, NULL);   /* the threads have named themselves */
    printf("threads %d\nready\n", GUESS_THREADS);
    fflush(stdout);
    guess_one();
    return 0;
}
