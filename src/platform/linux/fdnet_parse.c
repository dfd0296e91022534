#include "fdnet_parse.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/byte_order.h"

#define FDNET_MAX_FIELDS 32   /* columns read from one /proc/net line */

static bool parse_bracketed_inode(const char *s, uint64_t *inode)
{
    char *end;
    if (*s != '[')
        return false;
    unsigned long long v = strtoull(s + 1, &end, 10);
    if (end == s + 1 || *end != ']')
        return false;
    *inode = v;
    return true;
}

void fdnet_parse_link(const char *target, platform_fd_kind *kind, uint64_t *inode)
{
    *inode = 0;
    if (strncmp(target, "pipe:", 5) == 0 && parse_bracketed_inode(target + 5, inode))
        *kind = PLATFORM_FD_PIPE;
    else if (strncmp(target, "socket:", 7) == 0 && parse_bracketed_inode(target + 7, inode))
        *kind = PLATFORM_FD_SOCKET;
    else if (strncmp(target, "anon_inode:", 11) == 0)
        *kind = PLATFORM_FD_ANON;
    else if (target[0] == '/')
        *kind = PLATFORM_FD_FILE;
    else
        *kind = PLATFORM_FD_UNKNOWN;
}

/* The value after "key" at the start of a line of text, or NULL. */
static const char *field_after(const char *text, const char *key)
{
    size_t klen = strlen(key);
    for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncmp(p, key, klen) == 0)
            return p + klen;
    }
    return NULL;
}

bool fdnet_parse_fdinfo_flags(const char *text, unsigned *flags)
{
    const char *v = field_after(text, "flags:");
    if (!v)
        return false;
    char *end;
    unsigned long f = strtoul(v, &end, 8);
    if (end == v)
        return false;
    *flags = (unsigned)f;
    return true;
}

size_t fdnet_parse_epoll_tfds(const char *text, int *fds, size_t max)
{
    size_t n = 0;
    for (const char *p = text; p && *p && n < max; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncmp(p, "tfd:", 4) != 0)
            continue;
        char *end;
        long fd = strtol(p + 4, &end, 10);
        if (end != p + 4 && fd >= 0 && fd <= INT32_MAX)
            fds[n++] = (int)fd;
    }
    return n;
}

/* Splits a copy of line into whitespace-separated fields; returns the count. */
static size_t split_fields(char *copy, char **fields, size_t max)
{
    size_t n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(copy, " \t\n", &save); tok && n < max; tok = strtok_r(NULL, " \t\n", &save))
        fields[n++] = tok;
    return n;
}

static bool hex_u32(const char *s, size_t len, uint32_t *out)
{
    char buf[9];
    if (len == 0 || len > 8)
        return false;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    unsigned long v = strtoul(buf, &end, 16);
    if (*end)
        return false;
    *out = (uint32_t)v;
    return true;
}

/* "0100007F:1F90" (little-endian; "7F000001:1F90" big-endian) -> "127.0.0.1:8080"; v6 takes
 * 32 hex digits and prints "[addr]:port". */
static bool format_address(const char *field, bool v6, bool big_endian, char *out, size_t cap)
{
    const char *colon = strchr(field, ':');
    size_t digits = v6 ? 32 : 8;
    uint32_t word, port;
    unsigned char addr[16];
    if (!colon || (size_t)(colon - field) != digits || !hex_u32(colon + 1, strlen(colon + 1), &port))
        return false;
    for (size_t i = 0; i < digits / 8; i++) {
        if (!hex_u32(field + 8 * i, 8, &word))
            return false;
        tl_store_uint(addr + 4 * i, word, 4, big_endian);   /* the word's bytes as they were in memory */
    }
    char text[INET6_ADDRSTRLEN];
    if (!inet_ntop(v6 ? AF_INET6 : AF_INET, addr, text, sizeof text))
        return false;
    int n = snprintf(out, cap, v6 ? "[%s]:%u" : "%s:%u", text, (unsigned)port);
    return n > 0 && (size_t)n < cap;
}

bool fdnet_parse_inet_line(const char *line, bool v6, bool big_endian, fdnet_socket *out)
{
    char copy[512];
    char *f[FDNET_MAX_FIELDS];
    snprintf(copy, sizeof copy, "%s", line);
    size_t n = split_fields(copy, f, FDNET_MAX_FIELDS);
    if (n < 10 || f[0][strlen(f[0]) - 1] != ':')
        return false;
    memset(out, 0, sizeof *out);
    char *end;
    out->inode = strtoull(f[9], &end, 10);
    if (*end || !format_address(f[1], v6, big_endian, out->local, sizeof out->local) ||
        !format_address(f[2], v6, big_endian, out->remote, sizeof out->remote))
        return false;
    uint32_t st;
    if (!hex_u32(f[3], strlen(f[3]), &st))
        return false;
    out->state = (int)st;
    return true;
}

bool fdnet_parse_unix_line(const char *line, uint64_t *inode, int *state, char *path, size_t cap)
{
    char copy[512];
    char *f[FDNET_MAX_FIELDS];
    snprintf(copy, sizeof copy, "%s", line);
    size_t n = split_fields(copy, f, FDNET_MAX_FIELDS);
    if (n < 7 || f[0][strlen(f[0]) - 1] != ':')
        return false;
    char *end;
    *inode = strtoull(f[6], &end, 10);
    if (*end)
        return false;
    uint32_t st;
    if (!hex_u32(f[5], strlen(f[5]), &st))
        return false;
    *state = (int)st;
    /* The path is the rest of the line: it may hold spaces (the target named it). */
    const char *rest = n >= 8 ? line + (f[7] - copy) : "";
    size_t len = strcspn(rest, "\n");
    snprintf(path, cap, "%.*s", (int)len, rest);
    return true;
}

const char *fdnet_tcp_state_name(int state)
{
    static const char *const names[] = {
        [1] = "ESTABLISHED", [2] = "SYN_SENT", [3] = "SYN_RECV", [4] = "FIN_WAIT1",
        [5] = "FIN_WAIT2", [6] = "TIME_WAIT", [7] = "CLOSE", [8] = "CLOSE_WAIT",
        [9] = "LAST_ACK", [10] = "LISTEN", [11] = "CLOSING", [12] = "NEW_SYN_RECV",
    };
    if (state > 0 && (size_t)state < sizeof names / sizeof names[0] && names[state])
        return names[state];
    return "?";
}
