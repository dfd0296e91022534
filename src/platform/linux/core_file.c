/* Opening a core (platform_core.h): decompressed first when systemd-coredump compressed it,
 * refused when it is not a core of this architecture; its notes parsed (core_notes.c), its
 * memory segments listed so that the wait analysis reads the futex words it needs, and a core
 * cut short (ulimit -c, a full disk) told apart from a whole one. */
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core_internal.h"

#define NOTES_MAX_BYTES (64u << 20)   /* a PT_NOTE segment larger than this is not read */

static ssize_t pread_full(int fd, void *buf, size_t len, uint64_t off)
{
    size_t got = 0;
    while (got < len) {
        ssize_t r = pread(fd, (char *)buf + got, len - got, (off_t)(off + got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

static tl_status open_file(platform_core *c, tl_error *err)
{
    const char *path = c->opt.path;
    /* O_NONBLOCK: a FIFO given as the core must not hang the open */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return tl_error_set(err, errno == ENOENT ? TL_ENOENT : errno == EACCES ? TL_EPERM : TL_EIO,
                            "cannot open the core %s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return tl_error_set(err, TL_EINVAL, "%s is not a regular file: give a core file", path);
    }
    unsigned char head[8] = {0};
    ssize_t n = pread_full(fd, head, sizeof head, 0);
    c->compression = core_compression_of(head, n > 0 ? (size_t)n : 0);
    if (c->compression != CORE_PLAIN) {
        int plain = -1;
        tl_status s = core_decompress(fd, c->compression, c->opt.max_bytes, path, &plain, err);
        close(fd);
        if (s != TL_OK)
            return s;
        fd = plain;
        if (fstat(fd, &st) != 0)
            st.st_size = 0;
    }
    c->fd = fd;
    c->size = (uint64_t)st.st_size;
    return TL_OK;
}

static const char *machine_name(unsigned m)
{
    switch (m) {
    case EM_X86_64: return "x86_64";
    case EM_AARCH64: return "aarch64";
    case EM_386: return "i386";
    case EM_ARM: return "arm";
    case EM_RISCV: return "riscv";
    case EM_PPC64: return "ppc64";
    case EM_S390: return "s390x";
    default: return "another architecture";
    }
}

static tl_status check_header(platform_core *c, GElf_Ehdr *eh, tl_error *err)
{
    const char *path = c->opt.path;
    if (elf_kind(c->elf) != ELF_K_ELF || !gelf_getehdr(c->elf, eh))
        return tl_error_set(err, TL_EINVAL, "%s is not an ELF file, so not a core%s", path,
                            c->size == 0 ? " (it is empty)" : "");
    if (eh->e_type != ET_CORE)
        return tl_error_set(err, TL_EINVAL, "%s is an ELF file but not a core (ELF type %u): give a core "
                            "(gcore PID, coredumpctl dump -o FILE, or a kernel core)", path, eh->e_type);
    if (eh->e_machine != arch_elf_machine() || gelf_getclass(c->elf) != ELFCLASS64)
        return tl_error_set(err, TL_EUNSUPPORTED, "%s is a core of %s (ELF machine %u); this threadlens reads "
                            "%s cores: run a threadlens built for that architecture", path,
                            machine_name(eh->e_machine), eh->e_machine, arch_name());
    return TL_OK;
}

static int load_cmp(const void *a, const void *b)
{
    const core_load *x = a, *y = b;
    return x->vaddr < y->vaddr ? -1 : x->vaddr > y->vaddr;
}

static tl_status read_notes(platform_core *c, const GElf_Phdr *ph, tl_error *err)
{
    if (ph->p_filesz > NOTES_MAX_BYTES || ph->p_offset >= c->size)
        return TL_OK;   /* the missing threads are told by the caller */
    size_t len = (size_t)ph->p_filesz;
    uint8_t *buf = malloc(len ? len : 1);
    if (!buf)
        return tl_error_set(err, TL_ENOMEM, "out of memory reading the notes of %s", c->opt.path);
    ssize_t got = pread_full(c->fd, buf, len, ph->p_offset);
    tl_status st = got > 0 ? core_notes_parse(buf, (size_t)got, &c->notes, err) : TL_OK;
    free(buf);
    return st;
}

static tl_status read_segments(platform_core *c, const GElf_Ehdr *eh, tl_error *err)
{
    size_t nph = 0;
    if (elf_getphdrnum(c->elf, &nph) != 0)
        return tl_error_set(err, TL_EINVAL, "%s: cannot read its program headers: %s", c->opt.path, elf_errmsg(-1));
    if (!(c->loads = calloc(nph ? nph : 1, sizeof *c->loads)))
        return tl_error_set(err, TL_ENOMEM, "out of memory reading %s", c->opt.path);
    (void)eh;
    for (size_t i = 0; i < nph; i++) {
        GElf_Phdr ph;
        if (!gelf_getphdr(c->elf, (int)i, &ph))
            continue;
        if (ph.p_type == PT_NOTE) {
            tl_status st = read_notes(c, &ph, err);
            if (st != TL_OK)
                return st;
        }
        if (ph.p_type != PT_LOAD && ph.p_type != PT_NOTE)
            continue;
        if (ph.p_type == PT_LOAD)
            c->loads[c->nloads++] = (core_load){ph.p_vaddr, ph.p_filesz, ph.p_memsz, ph.p_offset};
        uint64_t end = ph.p_offset + ph.p_filesz;
        if (ph.p_filesz && end > c->size) {
            if (!c->truncated_at || ph.p_offset < c->truncated_at)
                c->truncated_at = ph.p_offset < c->size ? c->size : ph.p_offset;
            c->missing_bytes += end - (ph.p_offset > c->size ? ph.p_offset : c->size);
        }
    }
    qsort(c->loads, c->nloads, sizeof *c->loads, load_cmp);
    return TL_OK;
}

tl_status platform_core_open(platform_core **out, const platform_core_options *o, tl_error *err)
{
    *out = NULL;
    platform_core *c = calloc(1, sizeof *c);
    if (!c)
        return tl_error_set(err, TL_ENOMEM, "out of memory opening a core");
    c->opt = *o;
    c->fd = -1;
    elf_version(EV_CURRENT);
    tl_status st = open_file(c, err);
    GElf_Ehdr eh;
    if (st == TL_OK && !(c->elf = elf_begin(c->fd, ELF_C_READ, NULL)))
        st = tl_error_set(err, TL_EINVAL, "%s is not an ELF file, so not a core: %s", o->path, elf_errmsg(-1));
    if (st == TL_OK)
        st = check_header(c, &eh, err);
    if (st == TL_OK)
        st = read_segments(c, &eh, err);
    bool cut = st == TL_OK && (c->truncated_at || eh.e_phoff + (uint64_t)eh.e_phnum * eh.e_phentsize > c->size);
    if (st == TL_OK && c->notes.nthreads == 0)
        st = tl_error_set(err, TL_EINVAL, "%s holds no thread (no NT_PRSTATUS note)%s", o->path,
                          cut ? ": the core is truncated before its notes" : "");
    if (st != TL_OK) {
        platform_core_close(c);
        return st;
    }
    *out = c;
    return TL_OK;
}

ssize_t platform_core_read_memory(const platform_core *c, uint64_t addr, void *buf, size_t len)
{
    size_t lo = 0, hi = c->nloads;
    while (lo < hi) {   /* the last segment starting at or below addr */
        size_t mid = lo + (hi - lo) / 2;
        if (c->loads[mid].vaddr <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return -1;
    const core_load *l = &c->loads[lo - 1];
    uint64_t in = addr - l->vaddr;
    if (in >= l->filesz)   /* not dumped (read-only file pages), or past the segment */
        return -1;
    uint64_t avail = l->filesz - in, off = l->offset + in;
    if (off >= c->size)
        return -1;
    if (avail > c->size - off)
        avail = c->size - off;
    if (len > avail)
        len = (size_t)avail;
    ssize_t got = pread_full(c->fd, buf, len, off);
    return got > 0 ? got : -1;
}

void platform_core_close(platform_core *c)
{
    if (!c)
        return;
    if (c->dwfl)
        dwfl_end(c->dwfl);
    if (c->elf)
        elf_end(c->elf);
    if (c->fd >= 0)
        close(c->fd);
    core_notes_free(&c->notes);
    free(c->loads);
    free(c);
}

/* What the core does not hold, said once at the top. */
static void core_notes_for_reader(const platform_core *c, tl_snapshot *snap)
{
    const core_notes *n = &c->notes;
    if (c->truncated_at) {
        snapshot_add_note(snap, "the core is truncated: it ends at byte %" PRIu64 ", %" PRIu64 " bytes of its memory "
                          "are missing (a core size limit, ulimit -c, or a full disk?); stacks and waits that "
                          "needed them are cut short", c->size, c->missing_bytes);
        snap->partial = true;
    }
    if (n->malformed[0]) {
        snapshot_add_note(snap, "the core's notes are damaged: %s; what followed it was not read", n->malformed);
        snap->partial = true;
    }
    if (n->threads_truncated || n->files_truncated) {
        snapshot_add_note(snap, "the core has more than %d thread or file notes: the rest were not read",
                          CORE_MAX_THREADS);
        snap->partial = true;
    }
    if (!n->have_psinfo)
        snapshot_add_note(snap, "the core has no process note (NT_PRPSINFO): the process's name is unknown");
    if (n->nthreads > 1)
        snapshot_add_note(snap, "a core keeps no thread names: only the process's (\"%s\", NT_PRPSINFO), shown on "
                          "its main thread", n->have_psinfo ? n->fname : "?");
}

tl_status platform_core_read(platform_core *c, tl_snapshot *snap, tl_error *err)
{
    if (!(snap->procs = calloc(1, sizeof *snap->procs)))
        return tl_error_set(err, TL_ENOMEM, "out of memory reading %s", c->opt.path);
    snap->nprocs = 1;
    core_notes_for_reader(c, snap);
    tl_status st = core_threads_read(c, snap, err);
    if (st != TL_OK)
        return st;
    return snap->partial ? TL_PARTIAL : TL_OK;
}
