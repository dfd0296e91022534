/* Key p: the picture (src/picture) of the selected process and its children, in a new SVG file
 * in the working directory (else the temporary directory); the status line says where. The
 * picture needs what the threads share, which the live view's samples do not read: it takes
 * one sample of its own, with stacks, while the view's worker is suspended (after the sample it
 * was taking: two tracers of one thread would fail each other), and without the JVM attach. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ui_state.h"

#ifdef THREADLENS_HAVE_PICTURE
#include "picture/picture.h"
#include "threadlens/sampler.h"

static tl_status take(int pid, tl_snapshot **snap, tl_error *err)
{
    tl_sampler_options o;
    sampler_default_options(&o);
    o.regions = true;
    o.jvm = false;   /* an attach can take seconds: the view would hang */
    tl_sampler *s = NULL;
    tl_status st = sampler_open(&s, &pid, 1, &o, err);
    if (st == TL_OK)
        st = sampler_take(s, snap, err);
    sampler_close(s);
    return st;
}

static void draw_into(ui_state *st, int pid, int fd, const char *path)
{
    tl_error err = {0};
    tl_snapshot *snap = NULL;
    if (st->worker)
        worker_suspend(st->worker);
    take(pid, &snap, &err);
    if (st->worker)
        worker_resume(st->worker);
    picture_stats ps = {0};
    tl_status rc = snap ? picture_write(snap, fd, PICTURE_SVG, &ps, &err) : TL_EIO;
    if (close(fd) != 0 && rc == TL_OK)
        rc = tl_error_set(&err, TL_EIO, "closing %s failed: %s", path, strerror(errno));
    if (rc == TL_OK)
        snprintf(st->status, sizeof st->status, "picture of process %d (%zu threads) written to %s", pid,
                 ps.threads, path);
    else
        snprintf(st->status, sizeof st->status, "picture to %s failed: %s", path, err.msg);
    snapshot_free(snap);
}

void picture_key(ui_state *st)
{
    st->dirty |= DIRTY_DRAW;
    const tl_process *proc = NULL;
    if (!st->cur || !rows_selected_thread(st, &proc) || !proc) {
        snprintf(st->status, sizeof st->status, "no process selected: nothing to draw");
        return;
    }
    int pid = proc->pid;
    time_t now = time(NULL);
    struct tm tm;
    char when[32], name[96], path[PATH_MAX + 100];
    localtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y%m%d-%H%M%S", &tm);
    int fd = -1;
    for (int k = 0; k < 10 && fd < 0; k++) {   /* p twice in a second, or a name already taken */
        snprintf(name, sizeof name, k ? "threadlens-picture-%d-%s-%d.svg" : "threadlens-picture-%d-%s.svg",
                 pid, when, k);
        fd = dump_create_file(name, path, sizeof path);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        snprintf(st->status, sizeof st->status, "cannot write the picture %s: %s (in . and in the temporary "
                 "directory); run from a writable directory", name, strerror(errno));
        return;
    }
    draw_into(st, pid, fd, path);
}
#else
void picture_key(ui_state *st)
{
    st->dirty |= DIRTY_DRAW;
    snprintf(st->status, sizeof st->status, "this threadlens was built without the picture (cairo, pango)");
}
#endif
