/* Byte order of what threadlens reads from a target (its memory, files the kernel formats
 * from native words): always the host's, as a target runs on the host's architecture; s390x
 * is big-endian, the others little. The parsers of such data take the order as a parameter
 * (true: big-endian), so the unit tests run them on data of either order on every host. */
#ifndef THREADLENS_BYTE_ORDER_H
#define THREADLENS_BYTE_ORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

static inline bool tl_host_big_endian(void)
{
    const union { uint16_t word; unsigned char first; } probe = {.word = 1};
    return probe.first == 0;
}

/* The size-byte unsigned number at p (size <= 8) in the given order. */
static inline uint64_t tl_load_uint(const unsigned char *p, size_t size, bool big)
{
    uint64_t x = 0;
    for (size_t i = 0; i < size; i++)
        x = x << 8 | p[big ? i : size - 1 - i];
    return x;
}

/* Writes v as a size-byte number at p in the given order. */
static inline void tl_store_uint(unsigned char *p, uint64_t v, size_t size, bool big)
{
    for (size_t i = 0; i < size; i++, v >>= 8)
        p[big ? size - 1 - i : i] = (unsigned char)v;
}

#endif
