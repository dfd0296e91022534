/* Parsing a core's notes (core_notes.h). Layouts: <elf.h> (Elf64_Nhdr, 4-byte padded name and
 * descriptor in cores), <sys/procfs.h> (struct elf_prstatus, elf_prpsinfo of this
 * architecture: a core of another one is refused before its notes are read), and the kernel's
 * fill_files_note() for NT_FILE: count, page size, count (start, end, page offset) triples,
 * then count NUL-terminated names. */
#include "core_notes.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/procfs.h>

#ifndef NT_ARM_SYSTEM_CALL
#define NT_ARM_SYSTEM_CALL 0x404
#endif

static void malformed(core_notes *n, const char *what, const char *why, size_t at)
{
    if (!n->malformed[0])
        snprintf(n->malformed, sizeof n->malformed, "a%s note at byte %zu %s", what, at, why);
}

static size_t pad4(size_t v)
{
    return (v + 3) & ~(size_t)3;
}

static bool add_thread(core_notes *n, const uint8_t *d, size_t len, size_t at)
{
    struct elf_prstatus ps;
    if (len < sizeof ps) {
        malformed(n, " NT_PRSTATUS", "is too short", at);
        return true;
    }
    if (n->nthreads >= CORE_MAX_THREADS) {
        n->threads_truncated = true;
        return true;
    }
    memcpy(&ps, d, sizeof ps);
    if (n->nthreads % 64 == 0) {
        core_thread_note *grown = realloc(n->threads, (n->nthreads + 64) * sizeof *grown);
        if (!grown)
            return false;
        n->threads = grown;
    }
    core_thread_note *t = &n->threads[n->nthreads++];
    memset(t, 0, sizeof *t);
    t->tid = ps.pr_pid;
    t->cursig = ps.pr_cursig;
    t->sighold = ps.pr_sighold;
    _Static_assert(sizeof ps.pr_reg <= sizeof t->regs.words, "NT_PRSTATUS registers fit arch_regs");
    memcpy(t->regs.words, &ps.pr_reg, sizeof ps.pr_reg);
    t->regs.len = sizeof ps.pr_reg;
    t->sysno_note = -2;
    return true;
}

static void add_psinfo(core_notes *n, const uint8_t *d, size_t len, size_t at)
{
    struct elf_prpsinfo pi;
    if (len < sizeof pi) {
        malformed(n, "n NT_PRPSINFO", "is too short", at);
        return;
    }
    memcpy(&pi, d, sizeof pi);
    n->have_psinfo = true;
    /* a comm has at most 15 bytes (TASK_COMM_LEN 16 with its NUL); gdb fills all 16 from the
     * program's name */
    memcpy(n->fname, pi.pr_fname, sizeof pi.pr_fname);
    n->fname[sizeof pi.pr_fname - 1] = '\0';
    memcpy(n->psargs, pi.pr_psargs, sizeof pi.pr_psargs);
    n->psargs[sizeof pi.pr_psargs] = '\0';
    n->pid = pi.pr_pid;
    n->ppid = pi.pr_ppid;
    n->uid = pi.pr_uid;
    n->state = pi.pr_sname;
}

static uint64_t word_at(const uint8_t *d, size_t i)
{
    uint64_t v;
    memcpy(&v, d + i * 8, 8);
    return v;
}

static bool add_files(core_notes *n, const uint8_t *d, size_t len, size_t at)
{
    if (len < 16) {
        malformed(n, "n NT_FILE", "is too short", at);
        return true;
    }
    uint64_t count = word_at(d, 0), page = word_at(d, 1);
    if (count > (len - 16) / 24) {
        malformed(n, "n NT_FILE", "counts more files than it holds", at);
        return true;
    }
    const char *names = (const char *)d + 16 + count * 24, *end = (const char *)d + len;
    for (uint64_t i = 0; i < count; i++) {
        const char *nul = memchr(names, '\0', (size_t)(end - names));
        if (!nul) {
            malformed(n, "n NT_FILE", "has an unterminated name", at);
            return true;
        }
        if (n->nfiles >= CORE_MAX_FILES) {
            n->files_truncated = true;
            return true;
        }
        if (n->nfiles % 64 == 0) {
            core_file_note *grown = realloc(n->files, (n->nfiles + 64) * sizeof *grown);
            if (!grown)
                return false;
            n->files = grown;
        }
        core_file_note *f = &n->files[n->nfiles];
        f->start = word_at(d, 2 + i * 3);
        f->end = word_at(d, 3 + i * 3);
        uint64_t pgoff = word_at(d, 4 + i * 3);
        f->offset = page && pgoff <= UINT64_MAX / page ? pgoff * page : 0;
        if (!(f->name = strdup(names)))
            return false;
        n->nfiles++;
        names = nul + 1;
    }
    return true;
}

static bool add_note(core_notes *n, uint32_t type, const char *name, size_t namesz, const uint8_t *d, size_t len,
                     size_t at)
{
    bool core = namesz == 5 && memcmp(name, "CORE", 5) == 0;
    bool is_linux = namesz == 6 && memcmp(name, "LINUX", 6) == 0;
    if (core && type == NT_PRSTATUS)
        return add_thread(n, d, len, at);
    if (core && type == NT_PRPSINFO)
        add_psinfo(n, d, len, at);
    else if (core && type == NT_FILE)
        return add_files(n, d, len, at);
    else if (is_linux && type == NT_ARM_SYSTEM_CALL && len >= 4 && n->nthreads > 0) {
        int32_t nr;   /* follows the NT_PRSTATUS of its thread */
        memcpy(&nr, d, 4);
        n->threads[n->nthreads - 1].sysno_note = nr;
    }
    return true;
}

tl_status core_notes_parse(const uint8_t *buf, size_t len, core_notes *out, tl_error *err)
{
    size_t at = 0;
    while (len - at >= sizeof(Elf64_Nhdr)) {
        Elf64_Nhdr h;
        memcpy(&h, buf + at, sizeof h);
        size_t name_at = at + sizeof h, left = len - name_at;
        if (h.n_namesz > left || pad4(h.n_namesz) > left || h.n_descsz > left - pad4(h.n_namesz)) {
            malformed(out, "", "runs past its segment", at);
            return TL_OK;
        }
        size_t desc_at = name_at + pad4(h.n_namesz);
        if (!add_note(out, h.n_type, (const char *)buf + name_at, h.n_namesz, buf + desc_at, h.n_descsz, at))
            return tl_error_set(err, TL_ENOMEM, "out of memory reading the notes of the core");
        size_t next = desc_at + pad4(h.n_descsz);
        if (next > len)
            break;
        at = next;
    }
    return TL_OK;
}

void core_notes_free(core_notes *n)
{
    for (size_t i = 0; i < n->nfiles; i++)
        free(n->files[i].name);
    free(n->files);
    free(n->threads);
    memset(n, 0, sizeof *n);
}
