/* Key d: the current sample as a text dump in a new file; the status line says where. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "threadlens/format.h"
#include "ui_state.h"

/* Creates dir/name exclusively (never follows or overwrites an existing file); -1 on failure. */
static int create_fd_in(const char *dir, const char *name, char *path, size_t cap)
{
    char real[PATH_MAX];
    if (!realpath(dir, real))
        return -1;
    snprintf(path, cap, "%s/%s", strcmp(real, "/") ? real : "", name);
    return open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
}

int dump_create_file(const char *name, char *path, size_t cap)
{
    const char *tmp = getenv("TMPDIR");
    int fd = create_fd_in(".", name, path, cap);
    if (fd < 0)
        fd = create_fd_in(tmp && *tmp ? tmp : "/tmp", name, path, cap);
    return fd;
}

static FILE *create_in(const char *dir, const char *name, char *path, size_t cap)
{
    int fd = create_fd_in(dir, name, path, cap);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "w");
    if (!f)
        close(fd);
    return f;
}

static void file_name(const ui_state *st, char *buf, size_t cap)
{
    time_t now = (time_t)(st->cur->taken_unix_ms / 1000);
    struct tm tm;
    char when[32];
    localtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y%m%d-%H%M%S", &tm);
    int pid = st->cur->nprocs ? st->cur->procs[0].pid : 0;
    snprintf(buf, cap, "threadlens-%d-%s-%03d.txt", pid, when, (int)(st->cur->taken_unix_ms % 1000));
}

void dump_write(ui_state *st)
{
    st->dirty |= DIRTY_DRAW;
    if (!st->cur) {
        snprintf(st->status, sizeof st->status, "no sample yet: nothing to dump");
        return;
    }
    char name[96], path[PATH_MAX + 100];
    file_name(st, name, sizeof name);
    const char *tmp = getenv("TMPDIR");
    FILE *f = create_in(".", name, path, sizeof path);
    if (!f)
        f = create_in(tmp && *tmp ? tmp : "/tmp", name, path, sizeof path);
    if (!f) {
        snprintf(st->status, sizeof st->status, "cannot write the dump: %s (in . and in the temporary "
                 "directory); run from a writable directory", strerror(errno));
        return;
    }
    tl_error err = {0};
    tl_format_options fo = {.stats = false};
    tl_status rc = format_text(f, st->cur, &fo, &err);
    if (fclose(f) != 0 && rc == TL_OK)
        rc = tl_error_set(&err, TL_EIO, "closing %s failed: %s", path, strerror(errno));
    if (rc == TL_OK)
        snprintf(st->status, sizeof st->status, "dump written to %s", path);
    else
        snprintf(st->status, sizeof st->status, "dump to %s failed: %s", path, err.msg);
}
