/* What a JVM (or something pretending to be one on its attach socket) answers: the attach
 * reply's code line, the thread dump parser and the three jcmd area parsers. The bytes are
 * given without a NUL terminator, as they arrive from the socket. */
#include "fuzz_util.h"
#include "jvm/java_dump.h"

static void areas(const char *text, size_t len)
{
    tl_jvm_area *a = NULL;
    size_t n = 0;
    jvm_areas_parse_heap_info(text, len, &a, &n);
    jvm_areas_parse_metaspace(text, len, &a, &n);
    jvm_areas_parse_codecache(text, len, &a, &n);
    for (size_t i = 0; i < n; i++)
        jvm_area_clear(&a[i]);
    free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    int code;
    const char *body;
    size_t n;
    if (!java_reply_split(text, size, &code, &body, &n)) {
        body = text;
        n = size;
    }
    java_dump d;
    if (java_dump_parse(body, n, &d, NULL) == TL_OK)
        java_dump_clear(&d);
    areas(body, n);
    free(text);
    return 0;
}
