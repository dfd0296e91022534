/* What the threads of a process share, read from /proc without stopping anything: the memory
 * map (maps, and smaps for per-region Rss when the map is small), smaps_rollup, the signal
 * dispositions (status). Open files are read in fds.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptrace_hint.h"
#include "maps_io.h"
#include "maps_parse.h"
#include "module_image.h"
#include "platform/platform.h"
#include "procfs.h"

#define MAPS_LINES_MAX (16u * 1024 * 1024)  /* lines counted at most (vm.max_map_count is ~65530) */
#define MAPS_PATH_MAX 4096                  /* bytes of a mapping's path kept */
#define SMAPS_REGIONS_MAX 2048              /* above this, per-region Rss is skipped: smaps is slow */
#define ROLLUP_CAP 4096

tl_status maps_io_fail(tl_error *err, int e, int pid, const char *file)
{
    if (e == ENOENT || e == ESRCH)
        return tl_error_set(err, TL_ENOENT, "process %d exited while /proc/%d/%s was read", pid, pid, file);
    if (e == EACCES || e == EPERM)
        return tl_error_set(err, TL_EPERM, "cannot read /proc/%d/%s: %s; %s",
                            pid, file, strerror(e), ptrace_hint());
    return tl_error_set(err, TL_EIO, "cannot read /proc/%d/%s: %s", pid, file, strerror(e));
}

static tl_status grow_regions(tl_shared *sh, size_t *cap)
{
    if (sh->nregions < *cap)
        return TL_OK;
    size_t ncap = *cap ? *cap * 2 : 256;
    tl_region *grown = realloc(sh->regions, ncap * sizeof *grown);
    if (!grown)
        return TL_ENOMEM;
    sh->regions = grown;
    *cap = ncap;
    return TL_OK;
}

static tl_status keep_region(tl_shared *sh, size_t *cap, const maps_line *ml)
{
    if (grow_regions(sh, cap) != TL_OK)
        return TL_ENOMEM;
    tl_region *r = &sh->regions[sh->nregions];
    memset(r, 0, sizeof *r);
    r->start = ml->start;
    r->end = ml->end;
    memcpy(r->perms, ml->perms, sizeof r->perms);
    r->offset = ml->offset;
    r->inode = ml->inode;
    if (ml->path_len) {
        size_t n = ml->path_len < MAPS_PATH_MAX ? ml->path_len : MAPS_PATH_MAX;
        if (!(r->path = strndup(ml->path, n)))
            return TL_ENOMEM;
    }
    sh->nregions++;
    return TL_OK;
}

/* Streams lines of an open file into fn; stops at MAPS_LINES_MAX or when fn returns non-OK. */
static tl_status each_line(FILE *f, tl_status (*fn)(const char *, size_t, void *), void *ctx)
{
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    tl_status st = TL_OK;
    for (size_t n = 0; st == TL_OK && n < MAPS_LINES_MAX && (len = getline(&line, &lcap, f)) > 0; n++)
        st = fn(line, (size_t)len, ctx);
    free(line);
    return st;
}

typedef struct maps_ctx {
    tl_shared *sh;
    size_t cap;
} maps_ctx;

static tl_status on_maps_line(const char *line, size_t len, void *arg)
{
    maps_ctx *c = arg;
    maps_line ml;
    if (!maps_parse_line(line, len, &ml))
        return TL_OK;   /* not a map line: nothing to keep */
    c->sh->nmappings++;
    if (c->sh->nregions >= TL_MAX_REGIONS) {
        c->sh->regions_truncated = true;
        return TL_OK;
    }
    return keep_region(c->sh, &c->cap, &ml);
}

static FILE *open_proc(int pid, const char *file)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", pid, file);
    return fopen(path, "re");
}

static tl_status read_maps(int pid, tl_shared *sh, tl_error *err)
{
    FILE *f = open_proc(pid, "maps");
    if (!f)
        return maps_io_fail(err, errno, pid, "maps");
    maps_ctx c = {.sh = sh};
    tl_status st = each_line(f, on_maps_line, &c);
    fclose(f);
    if (st == TL_ENOMEM)
        return tl_error_set(err, TL_ENOMEM, "out of memory reading the map of process %d", pid);
    sh->valid = true;
    return TL_OK;
}

typedef struct smaps_ctx {
    tl_shared *sh;
    size_t next;        /* regions are sorted and smaps lists them in the same order */
    tl_region *cur;
} smaps_ctx;

static tl_status on_smaps_line(const char *line, size_t len, void *arg)
{
    smaps_ctx *c = arg;
    maps_line ml;
    uint64_t kib;
    if (maps_parse_line(line, len, &ml)) {
        c->cur = NULL;
        while (c->next < c->sh->nregions && c->sh->regions[c->next].start < ml.start)
            c->next++;
        if (c->next < c->sh->nregions && c->sh->regions[c->next].start == ml.start)
            c->cur = &c->sh->regions[c->next++];
    } else if (c->cur && maps_parse_kib_field(line, len, "Rss:", &kib)) {
        c->cur->rss_known = true;
        c->cur->rss_kib = kib;
    }
    return TL_OK;
}

/* Per-region Rss; quietly skipped for big maps (the totals come from smaps_rollup). */
static void read_smaps_rss(int pid, tl_shared *sh)
{
    if (sh->nregions > SMAPS_REGIONS_MAX)
        return;
    FILE *f = open_proc(pid, "smaps");
    if (!f)
        return;
    smaps_ctx c = {.sh = sh};
    each_line(f, on_smaps_line, &c);
    fclose(f);
    sh->class_rss_known = true;
}

static tl_status read_rollup(int pid, tl_shared *sh, tl_error *err)
{
    char buf[ROLLUP_CAP];
    if (procfs_readf(buf, sizeof buf, "/proc/%d/smaps_rollup", pid) < 0)
        return maps_io_fail(err, errno, pid, "smaps_rollup");
    maps_parse_rollup(buf, &sh->rollup);
    return TL_OK;
}

/* Runs one optional part; a failure other than ENOMEM becomes a note in sh->error. */
static tl_status optional_part(tl_status st, tl_shared *sh, const tl_error *part, tl_status *total)
{
    if (st == TL_OK || st == TL_ENOMEM)
        return st;
    *total = TL_PARTIAL;
    if (!sh->error)
        sh->error = strdup(part->msg);
    return TL_OK;
}

tl_status platform_read_regions(int pid, tl_shared *out, tl_error *err)
{
    /* out is the process's own, filled only with the signal masks of its status (read once,
     * with the counters) */
    out->nfds = -1;
    tl_error part = {0};
    tl_status total = TL_OK;
    tl_status st = read_maps(pid, out, &part);
    if (st == TL_ENOENT || st == TL_ENOMEM)
        return *err = part, st;
    st = optional_part(st, out, &part, &total);
    if (out->valid) {
        read_smaps_rss(pid, out);
        module_images_fill(pid, out);
    }
    if (st == TL_OK)
        st = optional_part(read_rollup(pid, out, &part), out, &part, &total);
    if (st == TL_OK)
        st = optional_part(fds_read(pid, out, &part), out, &part, &total);
    if (st == TL_ENOMEM)
        return *err = part, st;
    if (total == TL_PARTIAL)
        tl_error_set(err, TL_PARTIAL, "%s", out->error ? out->error : "part of the shared state is missing");
    return total;
}
