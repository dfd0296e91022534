#include "threadlens/escape.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

size_t escape_utf8_len(const unsigned char *s)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    uint32_t cp, min;
    if ((c & 0xe0) == 0xc0)
        len = 2, cp = c & 0x1f, min = 0x80;
    else if ((c & 0xf0) == 0xe0)
        len = 3, cp = c & 0x0f, min = 0x800;
    else if ((c & 0xf8) == 0xf0)
        len = 4, cp = c & 0x07, min = 0x10000;
    else
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)   /* also stops at the NUL terminator */
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

/* The code point of a valid sequence of length len. */
static uint32_t decode(const unsigned char *s, size_t len)
{
    static const unsigned char lead_mask[] = {0, 0x7f, 0x1f, 0x0f, 0x07};
    uint32_t cp = s[0] & lead_mask[len];
    for (size_t i = 1; i < len; i++)
        cp = (cp << 6) | (s[i] & 0x3f);
    return cp;
}

/* Appends piece (n bytes) if it fits whole; returns false when out is full. */
static bool put(char *out, size_t cap, size_t *used, const char *piece, size_t n)
{
    if (*used + n + 1 > cap)
        return false;
    memcpy(out + *used, piece, n);
    *used += n;
    return true;
}

/* The escaped form of the character at s (valid length len, or 0 for one invalid byte). */
static size_t escape_one(const unsigned char *s, size_t len, char piece[16])
{
    static const char hex[] = "0123456789abcdef";
    if (len == 0 || (len == 1 && (s[0] < 0x20 || s[0] == 0x7f))) {
        piece[0] = '\\', piece[1] = 'x', piece[2] = hex[s[0] >> 4], piece[3] = hex[s[0] & 15];
        return 4;
    }
    if (len == 1 && s[0] == '\\') {
        piece[0] = piece[1] = '\\';
        return 2;
    }
    uint32_t cp = decode(s, len);
    if (cp >= 0x80 && cp <= 0x9f) {   /* C1 controls: some terminals obey them */
        memcpy(piece, "\\u00", 4);
        piece[4] = hex[cp >> 4], piece[5] = hex[cp & 15];
        return 6;
    }
    memcpy(piece, s, len);
    return len;
}

size_t escape_terminal(const char *in, char *out, size_t cap)
{
    size_t used = 0;
    if (cap == 0)
        return 0;
    const unsigned char *s = (const unsigned char *)(in ? in : "");
    while (*s) {
        size_t len = escape_utf8_len(s);
        char piece[16];
        size_t n = escape_one(s, len, piece);
        if (!put(out, cap, &used, piece, n))
            break;
        s += len ? len : 1;
    }
    out[used] = '\0';
    return used;
}

char *escape_terminal_dup(const char *in)
{
    size_t cap = (in ? strlen(in) : 0) * 6 + 1;   /* worst case: every byte a C1 escape */
    char *out = malloc(cap);
    if (out)
        escape_terminal(in, out, cap);
    return out;
}

void escape_fputs(const char *in, FILE *f)
{
    char *e = escape_terminal_dup(in);
    if (e)
        fputs(e, f);
    free(e);
}

char *escape_utf8_dup(const char *in)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)(in ? in : "");
    char *out = malloc(strlen((const char *)s) * 4 + 1);
    if (!out)
        return NULL;
    size_t used = 0;
    while (*s) {
        size_t len = escape_utf8_len(s);
        if (len) {
            memcpy(out + used, s, len);
            used += len;
            s += len;
        } else {
            out[used++] = '\\', out[used++] = 'x';
            out[used++] = hex[*s >> 4], out[used++] = hex[*s & 15];
            s++;
        }
    }
    out[used] = '\0';
    return out;
}

void escape_json_controls_write(const char *json, size_t len, FILE *f)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)json;
    size_t start = 0;   /* first byte not yet written */
    for (size_t i = 0; i < len; i++) {
        unsigned cp;
        size_t n;
        if (s[i] == 0x7f)
            cp = 0x7f, n = 1;
        else if (s[i] == 0xc2 && i + 1 < len && s[i + 1] >= 0x80 && s[i + 1] <= 0x9f)
            cp = s[i + 1], n = 2;   /* U+0080..U+009F is C2 80..C2 9F in UTF-8 */
        else
            continue;
        fwrite(s + start, 1, i - start, f);
        char esc[6] = {'\\', 'u', '0', '0', hex[cp >> 4], hex[cp & 15]};
        fwrite(esc, 1, sizeof esc, f);
        i += n - 1;
        start = i + 1;
    }
    fwrite(s + start, 1, len - start, f);
}
