#include "http_mhd.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>

/* dlsym into a function pointer: ISO C has no cast between object and function pointers. */
static bool bind_call(void *lib, const char *name, void *slot, char *why, size_t len)
{
    void *sym = dlsym(lib, name);
    if (!sym) {
        snprintf(why, len, "%s lacks %s", THREADLENS_MHD_SONAME, name);
        return false;
    }
    *(void **)slot = sym;
    return true;
}

const http_mhd *http_mhd_load(char *why, size_t len)
{
    static http_mhd mhd;
    static bool loaded;
    if (loaded)
        return &mhd;
    void *lib = dlopen(THREADLENS_MHD_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char *e = dlerror();
        snprintf(why, len, "%s", e ? e : THREADLENS_MHD_SONAME " cannot be loaded");
        return NULL;
    }
    if (!bind_call(lib, "MHD_start_daemon", &mhd.start_daemon, why, len) ||
        !bind_call(lib, "MHD_stop_daemon", &mhd.stop_daemon, why, len) ||
        !bind_call(lib, "MHD_create_response_from_buffer", &mhd.create_response_from_buffer, why, len) ||
        !bind_call(lib, "MHD_add_response_header", &mhd.add_response_header, why, len) ||
        !bind_call(lib, "MHD_queue_response", &mhd.queue_response, why, len) ||
        !bind_call(lib, "MHD_destroy_response", &mhd.destroy_response, why, len)) {
        dlclose(lib);
        return NULL;
    }
    loaded = true;
    return &mhd;
}
