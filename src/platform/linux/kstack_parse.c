/* Parsing /proc/PID/task/TID/stack (kernel-written, but bounded and checked all the same). */
#include "kstack_parse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define KSYM_MAX 128   /* KSYM_NAME_LEN is 512; longer names are cut */

static char *dup_span(const char *s, size_t len)
{
    if (len > KSYM_MAX)
        len = KSYM_MAX;
    char *d = malloc(len + 1);
    if (!d)
        return NULL;
    for (size_t i = 0; i < len; i++)   /* a symbol is printable ASCII; anything else is shown as ? */
        d[i] = (unsigned char)s[i] > 0x20 && (unsigned char)s[i] < 0x7f ? s[i] : '?';
    d[len] = '\0';
    return d;
}

/* A hex number "0x..." at *p; advances *p past it. */
static bool parse_hex(const char **p, const char *end, uint64_t *v)
{
    const char *s = *p;
    if (end - s < 3 || s[0] != '0' || s[1] != 'x')
        return false;
    s += 2;
    uint64_t x = 0;
    const char *digits = s;
    for (; s < end; s++) {
        int d = *s >= '0' && *s <= '9' ? *s - '0' : *s >= 'a' && *s <= 'f' ? *s - 'a' + 10 : -1;
        if (d < 0)
            break;
        x = x << 4 | (uint64_t)d;
    }
    if (s == digits || s - digits > 16)
        return false;
    *v = x;
    *p = s;
    return true;
}

/* One line [line, end): false when it is not a frame. */
static bool parse_line(const char *line, const char *end, tl_kernel_frame *f, bool *oom)
{
    const char *p = line;
    if (p >= end || *p != '[')
        return false;
    const char *close = memchr(p, ']', (size_t)(end - p));
    if (!close || close + 1 >= end || close[1] != ' ')
        return false;
    p = close + 2;
    const char *name = p;
    while (p < end && *p != '+' && *p != ' ')
        p++;
    if (p == name)
        return false;
    memset(f, 0, sizeof *f);
    size_t name_len = (size_t)(p - name);
    if (p < end && *p == '+') {
        p++;
        if (!parse_hex(&p, end, &f->offset))
            return false;
        if (p < end && *p == '/') {
            p++;
            if (!parse_hex(&p, end, &f->size))
                return false;
        }
    }
    f->function = dup_span(name, name_len);
    if (!f->function) {
        *oom = true;
        return false;
    }
    if (end - p > 3 && p[0] == ' ' && p[1] == '[') {
        const char *m = p + 2, *mend = memchr(m, ']', (size_t)(end - m));
        if (mend && mend > m && !(f->module = dup_span(m, (size_t)(mend - m)))) {
            free(f->function);
            f->function = NULL;
            *oom = true;
            return false;
        }
    }
    return true;
}

bool kstack_parse(const char *text, tl_kernel_frame **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    tl_kernel_frame *frames = NULL;
    size_t count = 0;
    bool oom = false;
    for (const char *line = text; *line && count < KSTACK_MAX_FRAMES && !oom;) {
        const char *end = strchr(line, '\n');
        if (!end)
            end = line + strlen(line);
        tl_kernel_frame f;
        if (parse_line(line, end, &f, &oom)) {
            if (!frames && !(frames = calloc(KSTACK_MAX_FRAMES, sizeof *frames))) {
                free(f.function);
                free(f.module);
                oom = true;
                break;
            }
            frames[count++] = f;
        }
        line = *end ? end + 1 : end;
    }
    if (oom) {
        kernel_frames_free(frames, count);
        return false;
    }
    *out = frames;
    *n = count;
    return true;
}
