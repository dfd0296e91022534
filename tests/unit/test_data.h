/* Loading the saved kernel text of tests/data/ for the unit tests (include after cmocka.h). */
#ifndef THREADLENS_TEST_DATA_H
#define THREADLENS_TEST_DATA_H

#include <stdio.h>
#include <stdlib.h>

#define TEST_DATA_CAP (1 << 20)

/* tests/data/RELPATH into a malloc'd NUL-terminated buffer (at most 1 MiB); *len gets its size
 * when len is not NULL. Fails the test when the file cannot be opened. */
static inline char *test_data_load(const char *relpath, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", TL_TEST_DATA, relpath);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open test data %s", path);
    char *buf = malloc(TEST_DATA_CAP);
    assert_non_null(buf);
    size_t n = fread(buf, 1, TEST_DATA_CAP - 1, f);
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

#endif
