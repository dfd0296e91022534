/* HotSpot's hsperfdata file (PerfDataPrologue, then PerfDataEntry records; hotspot's
 * perfMemory.hpp): the magic 0xcafec0c0 is stored big-endian always, byte 4 says the order of
 * every other number (0 big, 1 little: the JVM's own, so big on s390x). */
#include "jvm_perf.h"

#include <stdbool.h>
#include <string.h>

#include "platform/byte_order.h"

#define PERF_MAX_ENTRIES 65536        /* bound on its entry walk */

static uint32_t perf_u32(const unsigned char *p, bool little)
{
    return (uint32_t)tl_load_uint(p, 4, !little);
}

int jvm_perf_attach_capability(const unsigned char *d, size_t len)
{
    static const char key[] = "sun.rt.jvmCapabilities";
    if (len < 32 || d[0] != 0xca || d[1] != 0xfe || d[2] != 0xc0 || d[3] != 0xc0)
        return -1;
    bool little = d[4] == 1;
    size_t off = perf_u32(d + 24, little);
    size_t count = perf_u32(d + 28, little);
    for (size_t i = 0; i < count && i < PERF_MAX_ENTRIES && off + 20 <= len; i++) {
        size_t elen = perf_u32(d + off, little), name = perf_u32(d + off + 4, little);
        size_t data = perf_u32(d + off + 16, little);
        if (elen < 20 || off + elen > len)
            return -1;
        if (name < elen && elen - name >= sizeof key && !memcmp(d + off + name, key, sizeof key))
            return data < elen ? d[off + data] == '1' : -1;
        off += elen;
    }
    return -1;
}
