/* Where an ELF module's memory image ends: its last PT_LOAD segment's end (bss included),
 * relocated. The anonymous mapping right after a module's data is its bss only up to there:
 * past it, the kernel may have merged an unrelated anonymous mapping (malloc's) into the same
 * region, or placed one there. */
#ifndef THREADLENS_MODULE_IMAGE_H
#define THREADLENS_MODULE_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "threadlens/model.h"

#define MODULE_IMAGE_PHDRS_MAX 64      /* program headers looked at (an ELF object has ~10) */

/* Pure: from the first bytes of a mapped ELF object (its ELF header and program headers,
 * len bytes, as mapped at base), the address where its image ends. false when hdr is not a
 * 64-bit ELF object (of either byte order: the fields are read in the one EI_DATA names) with
 * its program headers inside the len bytes. The bytes
 * come from the target's memory: every field is checked before use. */
bool module_image_end(const unsigned char *hdr, size_t len, uint64_t base, uint64_t *end);

/* Pure: the address of the module's .eh_frame_hdr (its PT_GNU_EH_FRAME segment), from the same
 * bytes as module_image_end. false when there is none or the headers are not valid. */
bool module_eh_frame_hdr(const unsigned char *hdr, size_t len, uint64_t base, uint64_t *addr);

/* Sets image_end on the file-backed regions of every ELF module of process pid (read from its
 * memory, at the mapping of each file's offset 0); leaves 0 where it cannot be known. */
void module_images_fill(int pid, tl_shared *sh);

#endif
