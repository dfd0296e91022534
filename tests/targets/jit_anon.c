/* Code in anonymous memory, as a JIT makes it (tests/integration/test_hazard_perf_map.sh):
 * a thread runs a few instructions copied into an anonymous executable mapping, which sleep
 * in a loop (x86_64: pause(2) via syscall; elsewhere a spin). Prints "code=0xADDR size=N"
 * and "ready". A frame there belongs to no file; only a perf map can name it. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__x86_64__)
static const unsigned char code[] = {0xb8, 0x22, 0x00, 0x00, 0x00, /* mov $34 (pause), %eax */
                                     0x0f, 0x05,                   /* syscall */
                                     0xeb, 0xf7};                  /* jmp back to the mov */
#elif defined(__aarch64__)
static const unsigned char code[] = {0x00, 0x00, 0x00, 0x14};      /* b . */
#elif defined(__s390x__)
static const unsigned char code[] = {0xa7, 0xf4, 0x00, 0x00};      /* j . (brc 15,.) */
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)
static const unsigned char code[] = {0x00, 0x00, 0x00, 0x48};      /* b . */
#else
#error "jit_anon: no code for this architecture"
#endif

static void *runner(void *entry)
{
    ((void (*)(void))entry)();
    return NULL;
}

int main(void)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    unsigned char *mem = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED)
        return perror("mmap"), 1;
    unsigned char *entry = mem + 0x40;   /* not the mapping's start: offsets must show */
    memcpy(entry, code, sizeof code);
    if (mprotect(mem, page, PROT_READ | PROT_EXEC) != 0)
        return perror("mprotect"), 1;
    __builtin___clear_cache((char *)entry, (char *)entry + sizeof code);
    pthread_t t;
    if (pthread_create(&t, NULL, runner, entry) != 0)
        return 1;
    printf("code=%p size=%zu\nready\n", (void *)entry, sizeof code);
    fflush(stdout);
    pthread_join(t, NULL);
    return 0;
}
