/* The notes of a core file (the PT_NOTE segments), parsed from bytes the core holds: one entry
 * per thread (NT_PRSTATUS: TID, signal, blocked signals, registers), the process (NT_PRPSINFO),
 * the mapped files (NT_FILE). Pure: no I/O, so unit tests and a fuzz target feed it bytes. A
 * core is input from elsewhere (hostile): every length is checked against what is there. */
#ifndef THREADLENS_CORE_NOTES_H
#define THREADLENS_CORE_NOTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "threadlens/error.h"

#define CORE_MAX_THREADS 65536      /* NT_PRSTATUS notes kept */
#define CORE_MAX_FILES 65536        /* NT_FILE entries kept */

typedef struct core_thread_note {
    int tid;
    int cursig;                     /* the signal being handled (the one that dumped, or 0) */
    uint64_t sighold;               /* blocked signals: bit n-1 = signal n */
    arch_regs regs;
    long sysno_note;                /* NT_ARM_SYSTEM_CALL after it (-2 when none) */
} core_thread_note;

typedef struct core_file_note {
    uint64_t start, end;            /* the mapping, [start, end) */
    uint64_t offset;                /* into the file, in bytes */
    char *name;                     /* path as the dumping kernel wrote it (raw bytes) */
} core_file_note;

typedef struct core_notes {
    core_thread_note *threads;
    size_t nthreads;
    bool threads_truncated;         /* more than CORE_MAX_THREADS */
    bool have_psinfo;
    char fname[17];                 /* NT_PRPSINFO pr_fname: the process name (comm) */
    char psargs[81];                /* its first arguments, as the kernel cut them */
    int pid, ppid;
    unsigned uid;
    char state;                     /* pr_sname */
    core_file_note *files;
    size_t nfiles;
    bool files_truncated;
    char malformed[160];            /* the first malformed note seen, "" when none */
} core_notes;

/* Adds the notes of one PT_NOTE segment (len bytes at buf) to out (zeroed before the first
 * call). TL_OK also when some note was malformed (out->malformed says which; the rest is
 * kept); TL_ENOMEM. */
tl_status core_notes_parse(const uint8_t *buf, size_t len, core_notes *out, tl_error *err);
void core_notes_free(core_notes *n);

#endif
