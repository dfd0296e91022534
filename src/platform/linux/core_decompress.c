/* Decompressing a core (core_decompress.h). Streamed in 1 MiB pieces: the core is never whole in
 * memory. */
#include "core_decompress.h"

#include <errno.h>
#include <fcntl.h>
#include <lz4frame.h>
#include <lzma.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#define CHUNK (1u << 20)

core_compression core_compression_of(const unsigned char *h, size_t n)
{
    if (n >= 4 && h[0] == 0x28 && h[1] == 0xb5 && h[2] == 0x2f && h[3] == 0xfd)
        return CORE_ZSTD;
    if (n >= 4 && h[0] == 0x04 && h[1] == 0x22 && h[2] == 0x4d && h[3] == 0x18)
        return CORE_LZ4;
    if (n >= 6 && memcmp(h, "\xfd" "7zXZ\0", 6) == 0)
        return CORE_XZ;
    return CORE_PLAIN;
}

const char *core_compression_name(core_compression c)
{
    switch (c) {
    case CORE_ZSTD: return "zstd";
    case CORE_LZ4: return "lz4";
    case CORE_XZ: return "xz";
    default: return "none";
    }
}

static int temp_file(tl_error *err, tl_status *st)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || dir[0] != '/')
        dir = "/tmp";
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0)
        return fd;
    char path[4096];
    if (snprintf(path, sizeof path, "%s/threadlens-core-XXXXXX", dir) >= (int)sizeof path) {
        *st = tl_error_set(err, TL_EINVAL, "TMPDIR is too long a path: set TMPDIR to a shorter directory");
        return -1;
    }
    fd = mkostemp(path, O_CLOEXEC);   /* mode 0600, O_EXCL */
    if (fd < 0) {
        *st = tl_error_set(err, TL_EIO, "cannot create a temporary file in %s for the decompressed core: %s; "
                           "set TMPDIR to a writable directory", dir, strerror(errno));
        return -1;
    }
    unlink(path);
    return fd;
}

typedef struct sink {
    int fd;
    uint64_t written, max;
    const char *path;
    tl_error *err;
    tl_status st;
} sink;

static bool sink_write(sink *s, const void *buf, size_t n)
{
    if (s->written + n > s->max) {
        s->st = tl_error_set(s->err, TL_EINVAL, "%s decompresses to more than %llu bytes, the bound on a core",
                             s->path, (unsigned long long)s->max);
        return false;
    }
    const char *p = buf;
    while (n > 0) {
        ssize_t w = write(s->fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            s->st = tl_error_set(s->err, TL_EIO, "cannot write the decompressed core of %s: %s (is TMPDIR full?)",
                                 s->path, strerror(errno));
            return false;
        }
        p += w, n -= (size_t)w, s->written += (uint64_t)w;
    }
    return true;
}

static ssize_t read_some(int fd, void *buf, size_t n)
{
    ssize_t r;
    do
        r = read(fd, buf, n);
    while (r < 0 && errno == EINTR);
    return r;
}

static bool bad_input(sink *s, const char *kind, const char *why)
{
    s->st = tl_error_set(s->err, TL_EINVAL, "%s: not a valid %s-compressed core (%s)", s->path, kind, why);
    return false;
}

static bool run_zstd(int in, sink *s, unsigned char *ibuf, unsigned char *obuf)
{
    ZSTD_DStream *z = ZSTD_createDStream();
    if (!z)
        return bad_input(s, "zstd", "out of memory");
    bool ok = true, ended = true;
    ssize_t r;
    while (ok && (r = read_some(in, ibuf, CHUNK)) > 0) {
        ZSTD_inBuffer ib = {ibuf, (size_t)r, 0};
        while (ok && ib.pos < ib.size) {
            ZSTD_outBuffer ob = {obuf, CHUNK, 0};
            size_t rc = ZSTD_decompressStream(z, &ob, &ib);
            if (ZSTD_isError(rc))
                ok = bad_input(s, "zstd", ZSTD_getErrorName(rc));
            else
                ok = sink_write(s, obuf, ob.pos), ended = rc == 0;
        }
    }
    ZSTD_freeDStream(z);
    if (ok && !ended)
        ok = bad_input(s, "zstd", "it ends in the middle of a frame: truncated");
    return ok;
}

static bool run_lz4(int in, sink *s, unsigned char *ibuf, unsigned char *obuf)
{
    LZ4F_dctx *z = NULL;
    if (LZ4F_isError(LZ4F_createDecompressionContext(&z, LZ4F_VERSION)))
        return bad_input(s, "lz4", "out of memory");
    bool ok = true;
    size_t hint = 1;
    ssize_t r;
    while (ok && (r = read_some(in, ibuf, CHUNK)) > 0) {
        size_t pos = 0;
        while (ok && pos < (size_t)r) {
            size_t osz = CHUNK, isz = (size_t)r - pos;
            hint = LZ4F_decompress(z, obuf, &osz, ibuf + pos, &isz, NULL);
            if (LZ4F_isError(hint))
                ok = bad_input(s, "lz4", LZ4F_getErrorName(hint));
            else
                ok = sink_write(s, obuf, osz), pos += isz;
        }
    }
    LZ4F_freeDecompressionContext(z);
    if (ok && hint != 0)
        ok = bad_input(s, "lz4", "it ends in the middle of a frame: truncated");
    return ok;
}

static bool run_xz(int in, sink *s, unsigned char *ibuf, unsigned char *obuf)
{
    lzma_stream z = LZMA_STREAM_INIT;
    if (lzma_stream_decoder(&z, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
        return bad_input(s, "xz", "out of memory");
    bool ok = true, done = false;
    while (ok && !done) {
        if (z.avail_in == 0) {
            ssize_t r = read_some(in, ibuf, CHUNK);
            z.next_in = ibuf;
            z.avail_in = r > 0 ? (size_t)r : 0;
        }
        lzma_action act = z.avail_in == 0 ? LZMA_FINISH : LZMA_RUN;
        z.next_out = obuf;
        z.avail_out = CHUNK;
        lzma_ret rc = lzma_code(&z, act);
        ok = sink_write(s, obuf, CHUNK - z.avail_out);
        if (rc == LZMA_STREAM_END)
            done = true;
        else if (ok && rc != LZMA_OK)
            ok = bad_input(s, "xz", rc == LZMA_BUF_ERROR ? "truncated" : "corrupt data");
    }
    lzma_end(&z);
    return ok;
}

tl_status core_decompress(int in, core_compression c, uint64_t max_bytes, const char *path, int *out, tl_error *err)
{
    *out = -1;
    tl_status st = TL_OK;
    int fd = temp_file(err, &st);
    if (fd < 0)
        return st;
    unsigned char *ibuf = malloc(CHUNK), *obuf = malloc(CHUNK);
    sink s = {.fd = fd, .max = max_bytes, .path = path, .err = err, .st = TL_OK};
    bool ok = ibuf && obuf && lseek(in, 0, SEEK_SET) == 0;
    if (!ok)
        s.st = tl_error_set(err, ibuf && obuf ? TL_EIO : TL_ENOMEM, "cannot decompress %s: %s", path,
                            ibuf && obuf ? strerror(errno) : "out of memory");
    else if (c == CORE_ZSTD)
        ok = run_zstd(in, &s, ibuf, obuf);
    else if (c == CORE_LZ4)
        ok = run_lz4(in, &s, ibuf, obuf);
    else
        ok = run_xz(in, &s, ibuf, obuf);
    free(ibuf);
    free(obuf);
    if (!ok) {
        close(fd);
        return s.st;
    }
    *out = fd;
    return TL_OK;
}
