/* The attach capability from a JVM's hsperfdata bytes (jvm_perf.c). Pure: the bytes come from
 * a file the target writes, every offset is checked; unit-tested on samples of both orders. */
#ifndef THREADLENS_JVM_PERF_H
#define THREADLENS_JVM_PERF_H

#include <stddef.h>

/* Walks the PerfDataPrologue's entries (in the byte order its header names) for
 * sun.rt.jvmCapabilities, whose first character is '1' when the attach listener is there:
 * 1, 0, or -1 when the bytes are no perf data or have no such entry. */
int jvm_perf_attach_capability(const unsigned char *d, size_t len);

#endif
