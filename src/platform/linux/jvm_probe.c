/* Is this process a HotSpot JVM, and can we attach to it? Read-only: /proc/PID/maps (libjvm.so
 * mapped, and the JVM's hsperfdata file), /proc/PID/status (NSpid, Uid, SigCgt) and the
 * hsperfdata counter sun.rt.jvmCapabilities, whose first character is '1' when the attach
 * mechanism is on (the JDK's own `jps`/VirtualMachine.list() read the same counter). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jvm_files.h"
#include "jvm_perf.h"
#include "platform/platform.h"
#include "proc_parse.h"
#include "procfs.h"

#define JVM_MAX_MAP_LINES 1000000     /* bound on the maps walk */
#define PERF_MAX_BYTES (1u << 20)     /* bound on the hsperfdata file we read (HotSpot's: 32 KiB) */

/* Scans maps for libjvm.so and the hsperfdata file (path as the JVM sees it). */
static tl_status scan_maps(int pid, platform_jvm_target *t, char *perf, size_t cap, tl_error *err)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/maps", pid);
    FILE *f = fopen(path, "re");
    if (!f)
        return tl_error_set(err, errno == ENOENT ? TL_ENOENT : TL_EPERM,
                            "cannot read %s: %s; run as the process's user or as root", path, strerror(errno));
    char *line = NULL;
    size_t n = 0;
    for (size_t i = 0; i < JVM_MAX_MAP_LINES && getline(&line, &n, f) > 0; i++) {
        const char *slash = strrchr(line, '/');
        if (slash && !strncmp(slash, "/libjvm.so", 10) && (slash[10] == '\n' || slash[10] == ' '))
            t->is_jvm = true;
        if (slash && !strncmp(slash, "/libj9vm", 8))
            t->openj9 = true;
        const char *hs = strstr(line, "/hsperfdata_");
        const char *abs = strchr(line, '/');
        if (hs && abs && !perf[0])
            snprintf(perf, cap, "%.*s", (int)strcspn(abs, "\n"), abs);
    }
    free(line);
    fclose(f);
    return TL_OK;
}

/* Second field of "Uid:" (the effective uid) and bit SIGQUIT of "SigCgt:". */
static void status_extras(const char *text, unsigned *euid, bool *quit)
{
    const char *u = strstr(text, "\nUid:");
    unsigned r, e;
    if (u && sscanf(u + 5, "%u %u", &r, &e) == 2)
        *euid = e;
    const char *c = strstr(text, "\nSigCgt:");
    unsigned long long mask;
    if (c && sscanf(c + 8, "%llx", &mask) == 1)
        *quit = (mask >> (3 - 1)) & 1;   /* SIGQUIT is signal 3, bit 2 */
}

/* The perf data path comes from the target's maps (it may have replaced the file by a FIFO
 * or a link since): only a regular file, in its root, is opened for reading. */
static int perf_read_capability(int pid, const char *perf)
{
    size_t size;
    int fd = jvm_files_open_regular(pid, perf, PERF_MAX_BYTES, &size);
    if (fd < 0)
        return -1;
    unsigned char *buf = NULL;
    int cap = -1;
    if (size > 0 && (buf = malloc(size))) {
        ssize_t got = pread(fd, buf, size, 0);
        if (got > 0)
            cap = jvm_perf_attach_capability(buf, (size_t)got);
    }
    free(buf);
    close(fd);
    return cap;
}

tl_status platform_jvm_probe(int pid, platform_jvm_target *out, tl_error *err)
{
    memset(out, 0, sizeof *out);
    out->pid = pid;
    out->attach_enabled = -1;
    char perf[4096] = "";
    tl_status st = scan_maps(pid, out, perf, sizeof perf, err);
    if (st != TL_OK || !out->is_jvm)
        return st;
    char text[4096];
    if (procfs_readf(text, sizeof text, "/proc/%d/status", pid) < 0)
        return tl_error_set(err, TL_ENOENT, "cannot read /proc/%d/status: %s", pid, strerror(errno));
    proc_status_fields f;
    proc_parse_status(text, &f);
    out->nspid = f.nspid > 0 ? f.nspid : pid;
    out->euid = f.uid;
    status_extras(text, &out->euid, &out->catches_sigquit);
    if (perf[0])
        out->attach_enabled = perf_read_capability(pid, perf);
    return TL_OK;
}

void platform_jvm_thread_nstids(int pid, const int *tids, size_t n, int *nstids)
{
    char text[4096];
    for (size_t i = 0; i < n; i++) {
        nstids[i] = 0;
        if (procfs_readf(text, sizeof text, "/proc/%d/task/%d/status", pid, tids[i]) < 0)
            continue;
        proc_status_fields f;
        proc_parse_status(text, &f);
        nstids[i] = f.nspid;
    }
}
