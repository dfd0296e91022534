/* Names and strings from the target, escaped for a terminal and for JSON: the output must
 * never contain a control byte (JSON: a raw DEL or C1) or invalid UTF-8. */
#include "fuzz_util.h"
#include "threadlens/escape.h"

#include <jansson.h>
#include <stdio.h>

static void check_clean(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t len = escape_utf8_len(p);
        if (len == 0 || (len == 1 && (*p < 0x20 || *p == 0x7f)))
            abort();
        if (len == 2 && p[0] == 0xc2 && p[1] < 0xa0)   /* C1 control */
            abort();
        p += len;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    char small[17];
    escape_terminal(text, small, sizeof small);
    check_clean(small);
    char *big = escape_terminal_dup(text);
    if (big)
        check_clean(big);
    char *json = escape_utf8_dup(text);
    if (json && strlen(json) > 0 && escape_utf8_len((const unsigned char *)json) == 0)
        abort();
    if (json) {   /* the encoded JSON string carries no raw DEL or C1 control and parses back */
        json_t *str = json_string(json);
        char *enc = str ? json_dumps(str, JSON_ENCODE_ANY) : NULL;
        char *buf = NULL;
        size_t len = 0;
        FILE *f = enc ? open_memstream(&buf, &len) : NULL;
        if (f) {
            escape_json_controls_write(enc, strlen(enc), f);
            fclose(f);
            for (size_t i = 0; i < len; i++)
                if ((unsigned char)buf[i] == 0x7f || ((unsigned char)buf[i] == 0xc2 && i + 1 < len &&
                                                      (unsigned char)buf[i + 1] < 0xa0))
                    abort();
            json_t *back = json_loads(buf, JSON_DECODE_ANY, NULL);
            if (!back || strcmp(json_string_value(back), json) != 0)
                abort();
            json_decref(back);
        }
        free(buf);
        free(enc);
        json_decref(str);
    }
    free(big);
    free(json);
    free(text);
    return 0;
}
