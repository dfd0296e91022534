#include "perf_map.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "jvm_files.h"
#include "proc_parse.h"
#include "procfs.h"

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void perf_map_file_free(perf_map_file *pf)
{
    perf_map_free(&pf->map);
    memset(pf, 0, sizeof *pf);
}

/* size bytes of fd (a regular file that may still grow: no more than fstat said). */
static char *read_all(int fd, size_t size, size_t *got)
{
    char *buf = malloc(size ? size : 1);
    size_t n = 0;
    while (buf && n < size) {
        ssize_t r = read(fd, buf + n, size - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    *got = n;
    return buf;
}

static void refuse(perf_map_file *pf, const char *path, const char *detail)
{
    perf_map_free(&pf->map);
    pf->dev = pf->ino = pf->size = pf->mtime_ns = 0;
    snprintf(pf->why, sizeof pf->why, "perf map %s: %s", path, detail);
}

void perf_map_file_update(perf_map_file *pf, int pid)
{
    uint64_t now = now_ns();
    if (pf->checked_ns && now - pf->checked_ns < PERF_MAP_RECHECK_NS)
        return;
    pf->checked_ns = now;
    char status[4096];
    proc_status_fields sf;
    if (procfs_readf(status, sizeof status, "/proc/%d/status", pid) < 0)
        return;
    proc_parse_status(status, &sf);
    char path[64];
    snprintf(path, sizeof path, "/tmp/perf-%d.map", sf.nspid > 0 ? sf.nspid : pid);
    size_t size = 0;
    int fd = jvm_files_open_regular(pid, path, PERF_MAP_MAX_BYTES, &size);
    struct stat st;
    if (fd < 0) {
        int e = errno;
        refuse(pf, path, "");
        if (e == ENOENT)   /* no map: the usual case, nothing to say */
            pf->why[0] = '\0';
        else
            refuse(pf, path, e == EFBIG ? "larger than 64 MiB, not read" : e == EINVAL ? "not a regular file (a FIFO, device or link), not read"
                                : e == ELOOP ? "a symbolic link, not followed" : strerror(e));
        return;
    }
    if (fstat(fd, &st) != 0 || (st.st_uid != sf.uid && st.st_uid != 0)) {
        close(fd);
        refuse(pf, path, "not owned by the process's user, not read");
        return;
    }
    uint64_t mtime = (uint64_t)st.st_mtim.tv_sec * 1000000000ULL + (uint64_t)st.st_mtim.tv_nsec;
    if (pf->ino == st.st_ino && pf->dev == st.st_dev && pf->size == (uint64_t)st.st_size && pf->mtime_ns == mtime) {
        close(fd);
        return;   /* unchanged */
    }
    size_t got = 0;
    char *text = read_all(fd, size, &got);
    close(fd);
    perf_map fresh;
    if (!text || !perf_map_parse(text, got, &fresh)) {
        free(text);
        refuse(pf, path, "out of memory");
        return;
    }
    free(text);
    perf_map_free(&pf->map);
    pf->map = fresh;
    pf->dev = st.st_dev;
    pf->ino = st.st_ino;
    pf->size = (uint64_t)st.st_size;
    pf->mtime_ns = mtime;
    pf->why[0] = '\0';
}
