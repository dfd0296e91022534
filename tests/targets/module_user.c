/* Maps a shared library by path (dlopen) and parks a thread "parked" in its park(), so that a
 * test can then replace, delete or shadow that path (issue 12, items 4, 9, 10). Prints
 * "ready" once the thread is parked. Usage: module_user LIBRARY */
#include <dlfcn.h>

#include "tl_target.h"

static void (*park)(void);
static pthread_barrier_t named;

static void *parker(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "parked");
    pthread_barrier_wait(&named);
    park();
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 2)
        target_die("usage: module_user LIBRARY", EINVAL);
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        fprintf(stderr, "target: %s\n", dlerror());
        exit(2);
    }
    *(void **)&park = dlsym(lib, "park");
    if (!park)
        target_die("dlsym park", ENOENT);
    pthread_barrier_init(&named, NULL, 2);
    pthread_t t;
    if (pthread_create(&t, NULL, parker, NULL) != 0)
        target_die("pthread_create", errno);
    pthread_barrier_wait(&named);
    usleep(100000);
    target_ready();
    target_wait_forever();
}
