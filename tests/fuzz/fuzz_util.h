/* Turns the fuzzer's bytes into the NUL-terminated text the parsers expect. */
#ifndef THREADLENS_FUZZ_UTIL_H
#define THREADLENS_FUZZ_UTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static inline char *fuzz_text(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s) {
        memcpy(s, data, size);
        s[size] = '\0';
    }
    return s;
}

#endif
