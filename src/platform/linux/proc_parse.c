#include "proc_parse.h"

#include "maps_parse.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The value after "Key:" at the start of a line, or NULL. */
static const char *status_value(const char *text, const char *key)
{
    size_t klen = strlen(key);
    for (const char *line = text; line && *line;) {
        if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
            const char *v = line + klen + 1;
            while (*v == ' ' || *v == '\t')
                v++;
            return v;
        }
        line = strchr(line, '\n');
        if (line)
            line++;
    }
    return NULL;
}

static uint64_t status_u64(const char *text, const char *key)
{
    const char *v = status_value(text, key);
    return v ? strtoull(v, NULL, 10) : 0;
}

/* NSpid lists the pid in each namespace, outermost first: take the last on the line. */
static int last_number_on_line(const char *v)
{
    int last = 0;
    while (v && *v && *v != '\n') {
        char *end;
        long n = strtol(v, &end, 10);
        if (end == v)
            break;
        last = (int)n;
        v = end;
        while (*v == ' ' || *v == '\t')
            v++;
    }
    return last;
}

/* status's Name has exactly two escapes (the kernel's proc_task_name): "\\n" for a newline
 * and "\\\\" for a backslash; every other byte is raw. */
static void unescape_name(const char *v, char *out, size_t cap)
{
    size_t n = 0;
    while (v && *v && *v != '\n' && n + 1 < cap) {
        if (v[0] == '\\' && (v[1] == 'n' || v[1] == '\\')) {
            out[n++] = v[1] == 'n' ? '\n' : '\\';
            v += 2;
        } else {
            out[n++] = *v++;
        }
    }
    out[n] = '\0';
}

void proc_parse_status(const char *text, proc_status_fields *out)
{
    memset(out, 0, sizeof *out);
    out->voluntary_ctxt_switches = status_u64(text, "voluntary_ctxt_switches");
    out->nonvoluntary_ctxt_switches = status_u64(text, "nonvoluntary_ctxt_switches");
    out->tracer_pid = (int)status_u64(text, "TracerPid");
    out->uid = (unsigned)status_u64(text, "Uid");
    out->nspid = last_number_on_line(status_value(text, "NSpid"));
    unescape_name(status_value(text, "Name"), out->name, sizeof out->name);
    out->sig_valid = maps_parse_sigmasks(text, &out->sig_caught, &out->sig_ignored);
    const char *sig = status_value(text, "SigBlk");
    size_t i = 0;
    while (sig && i < sizeof out->sig_blocked - 1 && isxdigit((unsigned char)sig[i])) {
        out->sig_blocked[i] = sig[i];
        i++;
    }
    out->sig_blocked[i] = '\0';
}

bool proc_parse_syscall(const char *text, tl_syscall *out)
{
    memset(out, 0, sizeof *out);
    if (strncmp(text, "running", 7) == 0) {
        out->valid = out->running = true;
        out->nr = -1;
        return true;
    }
    uint64_t v[9];
    size_t n = 0;
    const char *p = text;
    char *end;
    long nr = strtol(p, &end, 10);
    if (end == p)
        return false;
    p = end;
    while (n < 9) {
        while (*p == ' ')
            p++;
        if (!*p || *p == '\n')
            break;
        v[n] = strtoull(p, &end, 0);
        if (end == p)
            return false;
        p = end;
        n++;
    }
    out->nr = nr;
    if (nr == -1 && n == 2) {
        out->sp = v[0], out->pc = v[1];
    } else if (n == 8) {
        memcpy(out->args, v, sizeof out->args);
        out->sp = v[6], out->pc = v[7];
    } else {
        return false;
    }
    out->valid = true;
    return true;
}

char *proc_join_cmdline(const char *buf, size_t len)
{
    while (len > 0 && buf[len - 1] == '\0')
        len--;
    char *s = malloc(len + 1);
    if (!s)
        return NULL;
    for (size_t i = 0; i < len; i++)
        s[i] = buf[i] ? buf[i] : ' ';
    s[len] = '\0';
    return s;
}

bool proc_parse_pid_list(const char *text, int **pids, size_t *n)
{
    const char *p = text;
    while (*p) {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p) {
            p++;
            continue;
        }
        p = end;
        if (v <= 0 || v > 0x7fffffff)
            continue;
        int *grown = realloc(*pids, (*n + 1) * sizeof *grown);
        if (!grown)
            return false;
        *pids = grown;
        (*pids)[(*n)++] = (int)v;
    }
    return true;
}

/* Field numbers as in proc(5), counted from 3 (state), the first after the comm. */
enum { STAT_STATE = 3, STAT_PPID = 4, STAT_FLAGS = 9, STAT_MINFLT = 10, STAT_MAJFLT = 12, STAT_UTIME = 14, STAT_STIME = 15,
       STAT_PRIORITY = 18, STAT_NICE = 19, STAT_NUM_THREADS = 20, STAT_STARTTIME = 22, STAT_VSIZE = 23,
       STAT_RSS = 24, STAT_PROCESSOR = 39,
       STAT_RT_PRIORITY = 40, STAT_POLICY = 41 };

static void stat_store(proc_stat_fields *out, int field, const char *v)
{
    switch (field) {
    case STAT_PPID: out->ppid = (int)strtol(v, NULL, 10); break;
    case STAT_FLAGS: out->flags = strtoul(v, NULL, 10); break;
    case STAT_MINFLT: out->minor_faults = strtoull(v, NULL, 10); break;
    case STAT_MAJFLT: out->major_faults = strtoull(v, NULL, 10); break;
    case STAT_UTIME: out->utime_ticks = strtoull(v, NULL, 10); break;
    case STAT_STIME: out->stime_ticks = strtoull(v, NULL, 10); break;
    case STAT_PRIORITY: out->priority = strtol(v, NULL, 10); break;
    case STAT_NICE: out->nice = strtol(v, NULL, 10); break;
    case STAT_NUM_THREADS: out->num_threads = strtol(v, NULL, 10); break;
    case STAT_STARTTIME: out->start_ticks = strtoull(v, NULL, 10); break;
    case STAT_VSIZE: out->vsize_bytes = strtoull(v, NULL, 10); break;
    case STAT_RSS: out->rss_pages = strtoll(v, NULL, 10); break;
    case STAT_PROCESSOR: out->processor = (int)strtol(v, NULL, 10); break;
    case STAT_RT_PRIORITY: out->rt_priority = (unsigned)strtoul(v, NULL, 10); break;
    case STAT_POLICY: out->policy = (unsigned)strtoul(v, NULL, 10); break;
    default: break;
    }
}

/* The comm between the first '(' and the last ')', raw bytes, cut to fit. */
static void stat_comm(const char *text, const char *close, char *out, size_t cap)
{
    const char *open = strchr(text, '(');
    size_t n = open && open < close ? (size_t)(close - open - 1) : 0;
    if (n > cap - 1)
        n = cap - 1;
    memcpy(out, open ? open + 1 : "", n);
    out[n] = '\0';
}

bool proc_parse_stat(const char *text, proc_stat_fields *out)
{
    memset(out, 0, sizeof *out);
    const char *p = strrchr(text, ')');
    if (!p || p[1] != ' ' || !p[2])
        return false;
    stat_comm(text, p, out->comm, sizeof out->comm);
    p += 2;
    out->state = *p;
    int field = STAT_STATE;
    while (*p && field < STAT_POLICY) {
        p = strchr(p, ' ');
        if (!p)
            break;
        p++;
        stat_store(out, ++field, p);
    }
    return field >= STAT_STARTTIME;
}

bool proc_parse_schedstat(const char *text, proc_schedstat_fields *out)
{
    memset(out, 0, sizeof *out);
    char *end;
    const char *p = text;
    uint64_t *fields[] = {&out->run_ns, &out->wait_ns, &out->timeslices};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        while (*p == ' ')
            p++;
        if (*p < '0' || *p > '9')
            return false;
        *fields[i] = strtoull(p, &end, 10);
        p = end;
    }
    return true;
}
