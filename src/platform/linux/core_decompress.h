/* Cores as systemd-coredump keeps them (zstd, lz4 or xz): decompressed with the libraries into
 * an unnamed temporary file, bounded in size. */
#ifndef THREADLENS_CORE_DECOMPRESS_H
#define THREADLENS_CORE_DECOMPRESS_H

#include <stdint.h>

#include "threadlens/error.h"

typedef enum core_compression { CORE_PLAIN = 0, CORE_ZSTD, CORE_LZ4, CORE_XZ } core_compression;

/* What the first bytes of a file say it is compressed with. */
core_compression core_compression_of(const unsigned char *head, size_t n);
const char *core_compression_name(core_compression c);

/* Decompresses fd (at its start) into a new temporary file, created in $TMPDIR (else /tmp)
 * with O_TMPFILE (no name anyone can see or replace; mkstemp and unlink where the file system
 * has no O_TMPFILE), readable by us only. *out is its fd. At most max_bytes are written: a
 * larger core is TL_EINVAL, named as such. */
tl_status core_decompress(int fd, core_compression c, uint64_t max_bytes, const char *path, int *out,
                          tl_error *err);

#endif
