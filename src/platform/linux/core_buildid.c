/* Build IDs checked: a module's file (found by libdwfl, given by --exe, under --sysroot) is
 * used to name frames only when the build ID in its note is the one the core's memory holds at
 * the same place (the kernel and gdb dump the first page of every mapped ELF file, where the
 * note is). libdwfl checks the files it finds from the core's notes itself, but not an
 * executable it is given. */
#include <elfutils/libdwelf.h>
#include <string.h>

#include "core_internal.h"

#define BUILD_ID_MAX 64

/* The vaddr (unbiased) of the file's build-ID descriptor, and its length; false when none. */
static bool build_id_place(Elf *elf, uint64_t *vaddr, size_t *len)
{
    size_t nph = 0;
    if (elf_getphdrnum(elf, &nph) != 0)
        return false;
    for (size_t i = 0; i < nph && i < 256; i++) {
        GElf_Phdr ph;
        if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_NOTE || ph.p_filesz > (1u << 20))
            continue;
        Elf_Data *d = elf_getdata_rawchunk(elf, (int64_t)ph.p_offset, ph.p_filesz, ELF_T_NHDR);
        if (!d)
            continue;
        size_t off = 0, name_off, desc_off;
        GElf_Nhdr nh;
        while ((off = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
            if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
                memcmp((const char *)d->d_buf + name_off, "GNU", 4) == 0 && nh.n_descsz <= BUILD_ID_MAX) {
                *vaddr = ph.p_vaddr + desc_off;
                *len = nh.n_descsz;
                return true;
            }
        }
    }
    return false;
}

core_build_id_check core_build_id_check_module(const platform_core *c, Dwfl_Module *m)
{
    Dwarf_Addr bias = 0;
    Elf *elf = dwfl_module_getelf(m, &bias);
    if (!elf)
        return CORE_BUILD_ID_NO_FILE;
    const void *file_id = NULL;
    ssize_t n = dwelf_elf_gnu_build_id(elf, &file_id);
    uint64_t vaddr;
    size_t len;
    if (n <= 0 || !build_id_place(elf, &vaddr, &len) || (size_t)n != len)
        return CORE_BUILD_ID_UNCHECKED;
    unsigned char in_core[BUILD_ID_MAX];
    if (platform_core_read_memory(c, bias + vaddr, in_core, len) != (ssize_t)len)
        return CORE_BUILD_ID_UNCHECKED;
    return memcmp(in_core, file_id, len) == 0 ? CORE_BUILD_ID_MATCH : CORE_BUILD_ID_MISMATCH;
}
