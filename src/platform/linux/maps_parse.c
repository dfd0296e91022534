#include "maps_parse.h"

#include <ctype.h>
#include <string.h>

#define HEX_DIGITS_MAX 16     /* a 64-bit number */
#define DEC_DIGITS_MAX 20

/* Reads a hex number of at most HEX_DIGITS_MAX digits at *p (< end); advances *p. */
static bool take_hex(const char **p, const char *end, uint64_t *v)
{
    uint64_t x = 0;
    size_t n = 0;
    for (; *p < end && isxdigit((unsigned char)**p); (*p)++, n++) {
        if (n == HEX_DIGITS_MAX)
            return false;
        char c = (char)tolower((unsigned char)**p);
        x = x * 16 + (uint64_t)(c <= '9' ? c - '0' : c - 'a' + 10);
    }
    *v = x;
    return n > 0;
}

static bool take_dec(const char **p, const char *end, uint64_t *v)
{
    uint64_t x = 0;
    size_t n = 0;
    for (; *p < end && isdigit((unsigned char)**p); (*p)++, n++) {
        if (n == DEC_DIGITS_MAX)
            return false;
        x = x * 10 + (uint64_t)(**p - '0');
    }
    *v = x;
    return n > 0;
}

static bool take_char(const char **p, const char *end, char c)
{
    if (*p >= end || **p != c)
        return false;
    (*p)++;
    return true;
}

static void skip_spaces(const char **p, const char *end)
{
    while (*p < end && (**p == ' ' || **p == '\t'))
        (*p)++;
}

static bool take_perms(const char **p, const char *end, char perms[5])
{
    if (end - *p < 4)
        return false;
    static const char allowed[4][3] = {"r-", "w-", "x-", "ps"};
    for (int i = 0; i < 4; i++) {
        if (!memchr(allowed[i], (*p)[i], 2))
            return false;
        perms[i] = (*p)[i];
    }
    perms[4] = '\0';
    *p += 4;
    return true;
}

static bool take_range(const char **p, const char *end, maps_line *out)
{
    return take_hex(p, end, &out->start) && take_char(p, end, '-') && take_hex(p, end, &out->end) &&
           out->start <= out->end && take_char(p, end, ' ') && take_perms(p, end, out->perms) &&
           take_char(p, end, ' ');
}

static bool take_dev_inode(const char **p, const char *end, maps_line *out)
{
    uint64_t major, minor;
    if (!take_hex(p, end, &out->offset) || !take_char(p, end, ' ') || !take_hex(p, end, &major) ||
        !take_char(p, end, ':') || !take_hex(p, end, &minor) || !take_char(p, end, ' ') ||
        !take_dec(p, end, &out->inode))
        return false;
    out->dev_major = (unsigned)major;
    out->dev_minor = (unsigned)minor;
    return *p == end || **p == ' ' || **p == '\n';
}

bool maps_parse_line(const char *line, size_t len, maps_line *out)
{
    const char *p = line, *end = line + len;
    memset(out, 0, sizeof *out);
    if (!take_range(&p, end, out) || !take_dev_inode(&p, end, out))
        return false;
    skip_spaces(&p, end);
    const char *stop = end;
    if (stop > p && stop[-1] == '\n')
        stop--;
    out->path = p < stop ? p : NULL;
    out->path_len = p < stop ? (size_t)(stop - p) : 0;
    return true;
}

bool maps_parse_kib_field(const char *line, size_t len, const char *key, uint64_t *kib)
{
    size_t klen = strlen(key);
    if (len < klen || memcmp(line, key, klen) != 0)
        return false;
    const char *p = line + klen, *end = line + len;
    skip_spaces(&p, end);
    return take_dec(&p, end, kib);
}

/* Calls maps_parse_kib_field on each line of text for key. */
static bool find_kib(const char *text, const char *key, uint64_t *kib)
{
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (maps_parse_kib_field(p, len, key, kib))
            return true;
        if (!nl)
            break;
        p = nl + 1;
    }
    return false;
}

void maps_parse_rollup(const char *text, tl_mem_rollup *out)
{
    memset(out, 0, sizeof *out);
    out->valid = find_kib(text, "Rss:", &out->rss_kib);
    find_kib(text, "Pss:", &out->pss_kib);
    find_kib(text, "Anonymous:", &out->anonymous_kib);
    find_kib(text, "Swap:", &out->swap_kib);
    find_kib(text, "Shared_Clean:", &out->shared_clean_kib);
    find_kib(text, "Shared_Dirty:", &out->shared_dirty_kib);
    find_kib(text, "Private_Clean:", &out->private_clean_kib);
    find_kib(text, "Private_Dirty:", &out->private_dirty_kib);
}

/* "KEY:\tHEX" anywhere at a line start in text. */
static bool find_hex(const char *text, const char *key, uint64_t *v)
{
    size_t klen = strlen(key);
    for (const char *p = text; *p;) {
        if (strncmp(p, key, klen) == 0) {
            const char *q = p + klen, *end = q + strcspn(q, "\n");
            skip_spaces(&q, end);
            return take_hex(&q, end, v) && q == end;
        }
        const char *nl = strchr(p, '\n');
        if (!nl)
            break;
        p = nl + 1;
    }
    return false;
}

bool maps_parse_sigmasks(const char *text, uint64_t *caught, uint64_t *ignored)
{
    *caught = *ignored = 0;
    bool a = find_hex(text, "SigCgt:", caught);
    bool b = find_hex(text, "SigIgn:", ignored);
    return a && b;
}

/* ---- what makes a read of target memory able to hang (mem_guard.c) ------------------------ */

bool maps_parse_vmflags(const char *line, size_t len, bool *uffd)
{
    static const char key[] = "VmFlags:";
    *uffd = false;
    if (len < sizeof key - 1 || memcmp(line, key, sizeof key - 1) != 0)
        return false;
    /* two-letter flags separated by spaces: "um" = userfaultfd missing, "uw" = write-protect,
     * "ui" = minor faults (a read of a page not mapped yet waits for the handler) */
    for (const char *p = line + sizeof key - 1, *end = line + len; p < end;) {
        skip_spaces(&p, end);
        const char *w = p;
        while (p < end && *p != ' ' && *p != '\n')
            p++;
        if (p - w == 2 && w[0] == 'u' && (w[1] == 'm' || w[1] == 'w' || w[1] == 'i'))
            *uffd = true;
        if (p < end && *p == '\n')
            break;
    }
    return true;
}

/* The next space-separated field of [*p, end): sets *w and *wlen, advances past it. */
static bool take_field(const char **p, const char *end, const char **w, size_t *wlen)
{
    skip_spaces(p, end);
    *w = *p;
    while (*p < end && **p != ' ' && **p != '\t' && **p != '\n')
        (*p)++;
    *wlen = (size_t)(*p - *w);
    return *wlen > 0;
}

bool maps_parse_mountinfo(const char *line, size_t len, unsigned *dev_major, unsigned *dev_minor, char *fstype,
                          size_t cap)
{
    const char *p = line, *end = line + len, *w;
    size_t wlen;
    uint64_t major, minor;
    if (cap == 0 || !take_field(&p, end, &w, &wlen) || !take_field(&p, end, &w, &wlen))
        return false;   /* mount id, parent id */
    skip_spaces(&p, end);
    if (!take_dec(&p, end, &major) || !take_char(&p, end, ':') || !take_dec(&p, end, &minor) ||
        major > 0xfff || minor > 0xfffff)
        return false;
    /* root, mount point, options, optional fields, then "-" alone, then the fs type */
    for (unsigned n = 0; n < 64 && take_field(&p, end, &w, &wlen); n++) {
        if (wlen != 1 || w[0] != '-')
            continue;
        if (!take_field(&p, end, &w, &wlen) || wlen >= cap)
            return false;
        memcpy(fstype, w, wlen);
        fstype[wlen] = '\0';
        *dev_major = (unsigned)major;
        *dev_minor = (unsigned)minor;
        return true;
    }
    return false;
}

bool maps_fstype_may_hang(const char *fstype)
{
    /* served by a process (FUSE, virtiofs) or over a network: a page not in the page cache
     * waits for that daemon or server, uninterruptibly */
    static const char *const kinds[] = {"fuse", "fuseblk", "virtiofs", "nfs", "nfs4", "cifs", "smb3", "smbfs",
                                        "9p", "ceph", "afs", "lustre", "glusterfs", "orangefs", "coda",
                                        "ncpfs", "gfs2", "ocfs2", "sshfs"};
    if (strncmp(fstype, "fuse.", 5) == 0)
        return true;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(fstype, kinds[i]) == 0)
            return true;
    return false;
}
