#include "json_parts.h"

static json_t *json_frame(const tl_frame *f)
{
    int ok = 1;
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_put(o, "pc", json_hex(f->pc), &ok);
    json_put(o, "function", json_str(f->function), &ok);
    json_put(o, "offset", json_integer((json_int_t)f->offset), &ok);
    json_put(o, "module", json_str(f->module), &ok);
    json_put(o, "file", json_str(f->file), &ok);
    json_put(o, "line", f->line > 0 ? json_integer(f->line) : json_null(), &ok);
    if (f->signal_frame)
        json_put(o, "signal_frame", json_true(), &ok);
    json_put(o, "guessed", json_boolean(f->guessed), &ok);   /* found by frame pointers only */
    return ok ? o : (json_decref(o), NULL);
}

json_t *json_frames(const tl_thread *t)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < t->nframes; i++) {
        if (json_array_append_new(a, json_frame(&t->frames[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* The kernel stack of a thread found in D: [{"function", "offset", "size", "module"}]. */
json_t *json_kernel_frames(const tl_thread *t)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < t->nkernel_frames; i++) {
        const tl_kernel_frame *f = &t->kernel_frames[i];
        int ok = 1;
        json_t *o = json_object();
        json_put(o, "function", json_str(f->function), &ok);
        json_put(o, "offset", json_integer((json_int_t)f->offset), &ok);
        json_put(o, "size", json_integer((json_int_t)f->size), &ok);
        json_put(o, "module", json_str(f->module), &ok);
        if (!o || !ok || json_array_append_new(a, o) != 0) {
            json_decref(o);
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

json_t *json_stall(const tl_snapshot *s)
{
    const tl_stall_stats *st = &s->stall;
    int ok = 1;
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_put(o, "threads_stopped", json_integer((json_int_t)st->threads_stopped), &ok);
    json_put(o, "median_us", json_real((double)st->median_ns / 1e3), &ok);
    json_put(o, "max_us", json_real((double)st->max_ns / 1e3), &ok);
    json_put(o, "total_ms", json_real((double)st->total_ns / 1e6), &ok);
    json_put(o, "capture_wall_ms", json_real((double)st->capture_wall_ns / 1e6), &ok);
    json_put(o, "threads_not_stopped", json_integer((json_int_t)st->threads_not_stopped), &ok);
    json_t *fb = json_object();
    for (int r = 0; fb && r < TL_STOP_NREASONS; r++)
        json_put(fb, model_stop_reason_name((tl_stop_reason)r), json_integer((json_int_t)st->fallbacks[r]), &ok);
    json_put(o, "fallbacks", fb, &ok);
    json_put(o, "stop_wait_median_us", json_real((double)st->wait_median_ns / 1e3), &ok);
    json_put(o, "stop_wait_max_us", json_real((double)st->wait_max_ns / 1e3), &ok);
    json_put(o, "held_median_us", json_real((double)st->held_median_ns / 1e3), &ok);
    json_put(o, "held_max_us", json_real((double)st->held_max_ns / 1e3), &ok);
    return ok ? o : (json_decref(o), NULL);
}
