#include <stdlib.h>
#include <string.h>

#include "json_read_parts.h"

int64_t jr_int(const json_t *o, const char *key, int64_t lo, int64_t hi, int64_t dflt)
{
    const json_t *v = json_object_get(o, key);
    if (!json_is_integer(v))
        return dflt;
    json_int_t i = json_integer_value(v);
    return i < lo ? lo : i > hi ? hi : (int64_t)i;
}

uint64_t jr_u64(const json_t *o, const char *key)
{
    return (uint64_t)jr_int(o, key, 0, INT64_MAX, 0);
}

uint64_t jr_hex(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    if (!s || strncmp(s, "0x", 2) != 0)
        return 0;
    char *end = NULL;
    unsigned long long v = strtoull(s + 2, &end, 16);
    return end && *end == '\0' ? (uint64_t)v : 0;
}

bool jr_bool(const json_t *o, const char *key)
{
    return json_is_true(json_object_get(o, key));
}

bool jr_strdup(const json_t *o, const char *key, char **out)
{
    const char *s = json_string_value(json_object_get(o, key));
    *out = NULL;
    if (!s)
        return true;
    *out = strdup(s);
    return *out != NULL;
}

char jr_state(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s && s[0] > ' ' && s[0] < 127 && s[1] == '\0' ? s[0] : '?';
}
