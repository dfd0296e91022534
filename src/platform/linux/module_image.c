#include "module_image.h"

#include <elf.h>
#include <string.h>

#include "platform/platform.h"

#define HEADER_BYTES (sizeof(Elf64_Ehdr) + MODULE_IMAGE_PHDRS_MAX * sizeof(Elf64_Phdr))
#define PAGE_MASK_4K 0xfffULL

static bool is_elf64_le(const Elf64_Ehdr *eh)
{
    return memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0 && eh->e_ident[EI_CLASS] == ELFCLASS64 &&
           eh->e_ident[EI_DATA] == ELFDATA2LSB && eh->e_phentsize == sizeof(Elf64_Phdr);
}

bool module_image_end(const unsigned char *hdr, size_t len, uint64_t base, uint64_t *end)
{
    Elf64_Ehdr eh;
    if (len < sizeof eh)
        return false;
    memcpy(&eh, hdr, sizeof eh);
    if (!is_elf64_le(&eh) || eh.e_phnum == 0 || eh.e_phnum > MODULE_IMAGE_PHDRS_MAX || eh.e_phoff > len ||
        (size_t)eh.e_phnum * sizeof(Elf64_Phdr) > len - eh.e_phoff)
        return false;
    uint64_t lo = UINT64_MAX, hi = 0;
    for (size_t i = 0; i < eh.e_phnum; i++) {
        Elf64_Phdr ph;
        memcpy(&ph, hdr + eh.e_phoff + i * sizeof ph, sizeof ph);
        if (ph.p_type != PT_LOAD || ph.p_vaddr + ph.p_memsz < ph.p_vaddr)
            continue;
        if (ph.p_vaddr < lo)
            lo = ph.p_vaddr;
        if (ph.p_vaddr + ph.p_memsz > hi)
            hi = ph.p_vaddr + ph.p_memsz;
    }
    lo &= ~PAGE_MASK_4K;   /* the first segment is mapped from its page */
    if (hi <= lo || base + (hi - lo) < base)
        return false;
    *end = base + (hi - lo);
    return true;
}

bool module_eh_frame_hdr(const unsigned char *hdr, size_t len, uint64_t base, uint64_t *addr)
{
    Elf64_Ehdr eh;
    if (len < sizeof eh)
        return false;
    memcpy(&eh, hdr, sizeof eh);
    if (!is_elf64_le(&eh) || eh.e_phnum == 0 || eh.e_phnum > MODULE_IMAGE_PHDRS_MAX || eh.e_phoff > len ||
        (size_t)eh.e_phnum * sizeof(Elf64_Phdr) > len - eh.e_phoff)
        return false;
    uint64_t lo = UINT64_MAX, frame = 0;
    bool found = false;
    for (size_t i = 0; i < eh.e_phnum; i++) {
        Elf64_Phdr ph;
        memcpy(&ph, hdr + eh.e_phoff + i * sizeof ph, sizeof ph);
        if (ph.p_type == PT_LOAD && ph.p_vaddr < lo)
            lo = ph.p_vaddr;
        if (ph.p_type == PT_GNU_EH_FRAME && !found) {
            frame = ph.p_vaddr;
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
