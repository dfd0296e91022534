/* Shared by the core-file backend's files (core_file.c opens and serves memory, core_threads.c
 * unwinds and names). */
#ifndef THREADLENS_CORE_INTERNAL_H
#define THREADLENS_CORE_INTERNAL_H

#include <elfutils/libdwfl.h>
#include <gelf.h>
#include <stdbool.h>

#include "core_decompress.h"
#include "core_notes.h"
#include "platform/platform_core.h"

typedef struct core_load {
    uint64_t vaddr, filesz, memsz, offset;
} core_load;

struct platform_core {
    platform_core_options opt;
    int fd;                       /* the core, or the temporary file it was decompressed into */
    uint64_t size;                /* of that file */
    core_compression compression;
    Elf *elf;
    core_load *loads;             /* PT_LOAD segments, by vaddr */
    size_t nloads;
    uint64_t truncated_at;        /* the file ends before its segments do: their bytes from here
                                   * on are missing (0: complete) */
    uint64_t missing_bytes;
    core_notes notes;
    Dwfl *dwfl;
};

typedef enum core_build_id_check {
    CORE_BUILD_ID_MATCH = 0,
    CORE_BUILD_ID_UNCHECKED,      /* the file has no build ID, or the core lacks that page */
    CORE_BUILD_ID_MISMATCH,       /* another build: its names would be wrong */
    CORE_BUILD_ID_NO_FILE,
} core_build_id_check;

/* Compares the build ID of the module's file with the core's copy (core_buildid.c). */
core_build_id_check core_build_id_check_module(const platform_core *c, Dwfl_Module *m);

/* Fills snap->procs[0] from c (core_threads.c). */
tl_status core_threads_read(platform_core *c, tl_snapshot *snap, tl_error *err);

#endif
