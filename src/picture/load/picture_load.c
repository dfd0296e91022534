/* The picture in the binary: threadlens-picture.so (cairo, pango, libxml2 and their ~40
 * libraries) is opened with dlopen by the first picture only, so no other command loads and
 * relocates them at start-up (README, "Performance"). Where it is looked for, in order: next
 * to the binary (the build tree), ../LIBDIR/threadlens from the binary (make install with any
 * PREFIX or DESTDIR, the unpacked .deb), then the directory set at build time. */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "picture/picture.h"

#define MODULE_NAME "threadlens-picture.so"

#ifndef THREADLENS_PICTURE_MODULE_DIR
#define THREADLENS_PICTURE_MODULE_DIR "/usr/local/lib/threadlens"
#endif
#ifndef THREADLENS_PICTURE_MODULE_RELDIR
#define THREADLENS_PICTURE_MODULE_RELDIR "../lib/threadlens"
#endif

typedef tl_status (*module_write_fn)(const tl_snapshot *, int, picture_format, picture_stats *, tl_error *);

/* The directory of the running binary, with a trailing '/', or "" when unknown. */
static void exe_dir(char *out, size_t len)
{
    ssize_t n = readlink("/proc/self/exe", out, len - 1);
    out[n > 0 ? n : 0] = '\0';
    char *slash = strrchr(out, '/');
    if (slash)
        slash[1] = '\0';
    else
        out[0] = '\0';
}

static void *open_module(char *tried, size_t len)
{
    char dir[PATH_MAX], path[PATH_MAX + 64];
    exe_dir(dir, sizeof dir);
    const char *where[3][2] = {
        {dir, ""},
        {dir, THREADLENS_PICTURE_MODULE_RELDIR "/"},
        {THREADLENS_PICTURE_MODULE_DIR "/", ""},
    };
    const char *last_error = "not found";
    tried[0] = '\0';
    for (size_t i = 0; i < 3; i++) {
        if (!where[i][0][0])
            continue;
        snprintf(path, sizeof path, "%s%s" MODULE_NAME, where[i][0], where[i][1]);
        if (access(path, F_OK) != 0)
            continue;
        void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        if (lib)
            return lib;
        const char *e = dlerror();
        last_error = e ? e : "dlopen failed";
        snprintf(tried, len, "%s", last_error);
        return NULL;   /* found but unusable (a missing cairo, say): that is the message */
    }
    snprintf(tried, len, MODULE_NAME " %s next to the binary, in %s%s/ or in " THREADLENS_PICTURE_MODULE_DIR "/",
             last_error, dir, THREADLENS_PICTURE_MODULE_RELDIR);
    return NULL;
}

static module_write_fn module_write(tl_error *err)
{
    static module_write_fn fn;
    static char why[PATH_MAX * 2 + 256];
    static int looked;
    if (!looked) {
        looked = 1;
        void *lib = open_module(why, sizeof why);
        if (lib) {
            *(void **)&fn = dlsym(lib, "picture_module_write");
            if (!fn)
                snprintf(why, sizeof why, MODULE_NAME " lacks picture_module_write (a module of another version?)");
        }
    }
    if (!fn)
        tl_error_set(err, TL_EUNSUPPORTED, "the picture module cannot be loaded: %s", why);
    return fn;
}

tl_status picture_module_load(tl_error *err)
{
    return module_write(err) ? TL_OK : TL_EUNSUPPORTED;
}

tl_status picture_write(const tl_snapshot *snap, int fd, picture_format f, picture_stats *stats, tl_error *err)
{
    module_write_fn fn = module_write(err);
    return fn ? fn(snap, fd, f, stats, err) : TL_EUNSUPPORTED;
}
