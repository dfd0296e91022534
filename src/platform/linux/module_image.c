#include "module_image.h"

#include <elf.h>
#include <stddef.h>
#include <string.h>

#include "platform/byte_order.h"
#include "platform/platform.h"

#define HEADER_BYTES (sizeof(Elf64_Ehdr) + MODULE_IMAGE_PHDRS_MAX * sizeof(Elf64_Phdr))
#define PAGE_MASK_4K 0xfffULL

/* The ELF header and program header fields used here, read in the object's own byte order
 * (EI_DATA: s390x objects are big-endian), so that the parse is right whatever the host's. */
typedef struct elf_view {
    const unsigned char *p;
    size_t len;
    bool big;
    uint64_t phoff;
    uint16_t phnum;
} elf_view;

static uint64_t elf_uint(const elf_view *v, size_t off, size_t size)
{
    return tl_load_uint(v->p + off, size, v->big);
}

/* A 64-bit ELF object of either byte order with its program headers inside the len bytes. */
static bool elf_open(const unsigned char *hdr, size_t len, elf_view *v)
{
    if (len < sizeof(Elf64_Ehdr) || memcmp(hdr, ELFMAG, SELFMAG) != 0 || hdr[EI_CLASS] != ELFCLASS64 ||
        (hdr[EI_DATA] != ELFDATA2LSB && hdr[EI_DATA] != ELFDATA2MSB))
        return false;
    *v = (elf_view){.p = hdr, .len = len, .big = hdr[EI_DATA] == ELFDATA2MSB};
    if (elf_uint(v, offsetof(Elf64_Ehdr, e_phentsize), 2) != sizeof(Elf64_Phdr))
        return false;
    v->phoff = elf_uint(v, offsetof(Elf64_Ehdr, e_phoff), 8);
    v->phnum = (uint16_t)elf_uint(v, offsetof(Elf64_Ehdr, e_phnum), 2);
    return v->phnum > 0 && v->phnum <= MODULE_IMAGE_PHDRS_MAX && v->phoff <= len &&
           (size_t)v->phnum * sizeof(Elf64_Phdr) <= len - v->phoff;
}

typedef struct elf_phdr {
    uint32_t type;
    uint64_t vaddr, memsz;
} elf_phdr;

static elf_phdr elf_phdr_at(const elf_view *v, size_t i)
{
    size_t at = (size_t)v->phoff + i * sizeof(Elf64_Phdr);
    return (elf_phdr){.type = (uint32_t)elf_uint(v, at + offsetof(Elf64_Phdr, p_type), 4),
                      .vaddr = elf_uint(v, at + offsetof(Elf64_Phdr, p_vaddr), 8),
                      .memsz = elf_uint(v, at + offsetof(Elf64_Phdr, p_memsz), 8)};
}

bool module_image_end(const unsigned char *hdr, size_t len, uint64_t base, uint64_t *end)
{
    elf_view v;
    if (!elf_open(hdr, len, &v))
        return false;
    uint64_t lo = UINT64_MAX, hi = 0;
    for (size_t i = 0; i < v.phnum; i++) {
        elf_phdr ph = elf_phdr_at(&v, i);
        if (ph.type != PT_LOAD || ph.vaddr + ph.memsz < ph.vaddr)
            continue;
        if (ph.vaddr < lo)
            lo = ph.vaddr;
        if (ph.vaddr + ph.memsz > hi)
            hi = ph.vaddr + ph.memsz;
    }
    lo &= ~PAGE_MASK_4K;   /* the first segment is mapped from its page */
    if (hi <= lo || base + (hi - lo) < base)
        return false;
    *end = base + (hi - lo);
    return true;
}

bool module_eh_frame_hdr(const unsigned char *hdr, size_t len, uint64_t base, uint64_t *addr)
{
    elf_view v;
    if (!elf_open(hdr, len, &v))
        return false;
    uint64_t lo = UINT64_MAX, frame = 0;
    bool found = false;
    for (size_t i = 0; i < v.phnum; i++) {
        elf_phdr ph = elf_phdr_at(&v, i);
        if (ph.type == PT_LOAD && ph.vaddr < lo)
            lo = ph.vaddr;
        if (ph.type == PT_GNU_EH_FRAME && !found) {
            frame = ph.vaddr;
            found = true;
        }
    }
    lo &= ~PAGE_MASK_4K;   /* base is where the first segment's page was mapped */
    if (!found || lo == (UINT64_MAX & ~PAGE_MASK_4K) || frame < lo)
        return false;
    *addr = base + (frame - lo);
    return *addr >= base;
}

/* The first mapping of a file at offset 0 starts a module; its regions follow it. */
static size_t fill_module(int pid, tl_shared *sh, size_t i)
{
    const tl_region *first = &sh->regions[i];
    unsigned char hdr[HEADER_BYTES];
    size_t want = first->end - first->start < sizeof hdr ? (size_t)(first->end - first->start) : sizeof hdr;
    ssize_t got = platform_read_memory(pid, first->start, hdr, want);
    uint64_t end = 0;
    if (got <= 0 || !module_image_end(hdr, (size_t)got, first->start, &end))
        return i + 1;
    size_t j = i;
    for (; j < sh->nregions && sh->regions[j].start < end && sh->regions[j].path &&
           sh->regions[j].inode == first->inode && strcmp(sh->regions[j].path, first->path) == 0;
         j++)
        sh->regions[j].image_end = end;
    return j > i ? j : i + 1;
}

void module_images_fill(int pid, tl_shared *sh)
{
    for (size_t i = 0; i < sh->nregions;) {
        const tl_region *r = &sh->regions[i];
        bool starts_module = r->path && r->path[0] == '/' && r->offset == 0 && r->perms[0] == 'r';
        i = starts_module ? fill_module(pid, sh, i) : i + 1;
    }
}
