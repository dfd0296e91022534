#include "unwind_cfi.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <libunwind.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "maps_parse.h"
#include "target_file.h"

#define EXPR_STACK 16              /* DWARF expression stack depth we evaluate */
#define EXPR_OPS_MAX 64            /* longer CFI expressions are not evaluated */
#define DEBUG_INFLATED_MAX (256ULL << 20)   /* compressed debug sections inflate to at most this */

typedef struct cfi_module {
    uint64_t start, inode;         /* the module's first mapping; start 0: empty slot */
    bool ok;                       /* opened, with CFI */
    int fd;
    Elf *elf;
    Dwarf *dw;                     /* owns cfi_debug */
    Dwarf_CFI *cfi_debug;          /* .debug_frame */
    Dwarf_CFI *cfi_eh;             /* .eh_frame of the file (dwarf_cfi_end frees it) */
    uint64_t bias;                 /* load address - link-time address */
} cfi_module;

struct cfi_cache {
    int pid;
    cfi_module mods[CFI_MODULES_MAX];
    size_t next;                   /* round robin when full */
};

cfi_cache *cfi_cache_new(int pid)
{
    cfi_cache *c = calloc(1, sizeof *c);
    if (c)
        c->pid = pid;
    return c;
}

static void module_close(cfi_module *m)
{
    if (m->cfi_eh)
        dwarf_cfi_end(m->cfi_eh);
    if (m->dw)
        dwarf_end(m->dw);
    if (m->elf)
        elf_end(m->elf);
    if (m->fd >= 0)
        close(m->fd);
    *m = (cfi_module){.fd = -1};
}

void cfi_cache_free(cfi_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < CFI_MODULES_MAX; i++)
        if (c->mods[i].start)
            module_close(&c->mods[i]);
    free(c);
}

/* The path maps shows for the mapping at start (target_file.h needs it where map_files is not
 * readable); false when there is none. */
static bool mapping_path(int pid, uint64_t start, char *buf, size_t cap)
{
    char maps[64];
    snprintf(maps, sizeof maps, "/proc/%d/maps", pid);
    FILE *f = fopen(maps, "re");
    if (!f)
        return false;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    bool found = false;
    while (!found && (len = getline(&line, &lcap, f)) > 0) {
        maps_line ml;
        if (maps_parse_line(line, (size_t)len, &ml) && ml.start == start && ml.path_len && ml.path_len < cap) {
            memcpy(buf, ml.path, ml.path_len);
            buf[ml.path_len] = '\0';
            found = true;
        }
    }
    free(line);
    fclose(f);
    return found;
}

/* Load bias from the file's program headers: its first PT_LOAD page is mapped at first. */
static bool module_bias(Elf *elf, uint64_t first, uint64_t *bias)
{
    size_t n;
    if (elf_getphdrnum(elf, &n) != 0)
        return false;
    uint64_t lo = UINT64_MAX;
    for (size_t i = 0; i < n; i++) {
        GElf_Phdr ph;
        if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_LOAD && ph.p_vaddr < lo)
            lo = ph.p_vaddr;
    }
    if (lo == UINT64_MAX)
        return false;
    *bias = first - (lo & ~0xfffULL);
    return true;
}

/* The sizes the compressed debug sections say they inflate to, summed: libdw inflates them all
 * in dwarf_begin_elf, and the file is the target's (a small file could ask for gigabytes). */
static uint64_t inflated_bytes(Elf *elf)
{
    size_t shstrndx;
    uint64_t sum = 0;
    if (elf_getshdrstrndx(elf, &shstrndx) != 0)
        return UINT64_MAX;
    for (Elf_Scn *scn = NULL; (scn = elf_nextscn(elf, scn)) != NULL;) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh))
            return UINT64_MAX;
        const char *name = elf_strptr(elf, shstrndx, sh.sh_name);
        uint64_t size = 0;
        if (sh.sh_flags & SHF_COMPRESSED) {
            GElf_Chdr ch;
            if (!gelf_getchdr(scn, &ch))
                return UINT64_MAX;
            size = ch.ch_size;
        } else if (name && strncmp(name, ".zdebug", 7) == 0) {
            Elf_Data *d = elf_rawdata(scn, NULL);   /* "ZLIB", then the size big-endian */
            if (!d || d->d_size < 12 || memcmp(d->d_buf, "ZLIB", 4) != 0)
                return UINT64_MAX;
            for (int i = 0; i < 8; i++)
                size = size << 8 | ((const unsigned char *)d->d_buf)[4 + i];
        }
        if (size > DEBUG_INFLATED_MAX - sum)
            return UINT64_MAX;
        sum += size;
    }
    return sum;
}

static void module_open(cfi_cache *c, platform_stacks *ps, const maps_region *first, cfi_module *m)
{
    char path[4096], why[320];
    *m = (cfi_module){.start = first->start, .inode = first->inode, .fd = -1};
    /* a file on FUSE or NFS could hang its reader as its mapping could (mem_guard.h) */
    if (!stacks_may_read(ps, first->start, first->end - first->start, NULL) ||
        !mapping_path(c->pid, first->start, path, sizeof path))
        return;
    target_mapping tm = {.start = first->start, .end = first->end, .dev_major = first->dev_major,
                         .dev_minor = first->dev_minor, .inode = first->inode, .path = path};
    m->fd = target_file_open(c->pid, &tm, why, sizeof why);
    if (m->fd < 0)
        return;
    m->elf = elf_begin(m->fd, ELF_C_READ_MMAP, NULL);
    if (!m->elf || elf_kind(m->elf) != ELF_K_ELF || !module_bias(m->elf, first->start, &m->bias))
        return;
    if (inflated_bytes(m->elf) <= DEBUG_INFLATED_MAX)
        m->dw = dwarf_begin_elf(m->elf, DWARF_C_READ, NULL);   /* inflates the debug sections */
    if (m->dw)
        m->cfi_debug = dwarf_getcfi(m->dw);
    m->cfi_eh = dwarf_getcfi_elf(m->elf);
    m->ok = m->cfi_debug || m->cfi_eh;
}

static cfi_module *module_of(cfi_cache *c, platform_stacks *ps, const maps_region *first)
{
    for (size_t i = 0; i < CFI_MODULES_MAX; i++)
        if (c->mods[i].start == first->start && c->mods[i].inode == first->inode)
            return &c->mods[i];
    cfi_module *m = &c->mods[c->next++ % CFI_MODULES_MAX];
    if (m->start)
        module_close(m);
    module_open(c, ps, first, m);
    return m;
}

/* ---- DWARF expressions of CFI rules, over the callee's registers -------------------------- */

static bool reg_value(const wregs *r, uint64_t regno, uint64_t *v)
{
    if (regno >= WREGS_MAX || (int)regno >= arch_dwarf_nregs() || !(r->known & (1u << regno)))
        return false;
    *v = r->v[regno];
    return true;
}

/* Evaluates ops (a CFA expression, or a register rule with DW_OP_call_frame_cfa = cfa). *value
 * is the result; *is_location when it is an address the value is stored at. Only the
 * operations CFI uses; anything else fails. */
static bool expr_eval(platform_stacks *ps, const Dwarf_Op *ops, size_t nops, const wregs *r, uint64_t cfa,
                      uint64_t *value, bool *is_location)
{
    uint64_t st[EXPR_STACK];
    size_t sp = 0;
    *is_location = true;
    if (nops == 0 || nops > EXPR_OPS_MAX)
        return false;
    for (size_t i = 0; i < nops; i++) {
        const Dwarf_Op *op = &ops[i];
        uint64_t v, a, b;
        if (sp == EXPR_STACK)
            return false;
        switch (op->atom) {
        case DW_OP_breg0 ... DW_OP_breg31:
            if (!reg_value(r, op->atom - DW_OP_breg0, &v))
                return false;
            st[sp++] = v + op->number;
            break;
        case DW_OP_bregx:
            if (!reg_value(r, op->number, &v))
                return false;
            st[sp++] = v + op->number2;
            break;
        case DW_OP_reg0 ... DW_OP_reg31:
        case DW_OP_regx:
            /* the value is in that register of the callee: only as the whole rule */
            if (nops != 1 || !reg_value(r, op->atom == DW_OP_regx ? op->number : (uint64_t)(op->atom - DW_OP_reg0), value))
                return false;
            *is_location = false;
            return true;
        case DW_OP_call_frame_cfa:
            st[sp++] = cfa;
            break;
        case DW_OP_lit0 ... DW_OP_lit31:
            st[sp++] = op->atom - DW_OP_lit0;
            break;
        case DW_OP_addr: case DW_OP_const1u: case DW_OP_const1s: case DW_OP_const2u: case DW_OP_const2s:
        case DW_OP_const4u: case DW_OP_const4s: case DW_OP_const8u: case DW_OP_const8s:
        case DW_OP_constu: case DW_OP_consts:
            st[sp++] = op->number;
            break;
        case DW_OP_plus_uconst:
            if (sp < 1)
                return false;
            st[sp - 1] += op->number;
            break;
        case DW_OP_deref:
            if (sp < 1 || stacks_read_word(ps, st[sp - 1], &st[sp - 1]) != 0)
                return false;
            break;
        case DW_OP_dup:
            if (sp < 1)
                return false;
            st[sp] = st[sp - 1];
            sp++;
            break;
        case DW_OP_plus: case DW_OP_minus: case DW_OP_and: case DW_OP_or: case DW_OP_mul:
            if (sp < 2)
                return false;
            b = st[--sp];
            a = st[sp - 1];
            st[sp - 1] = op->atom == DW_OP_plus ? a + b : op->atom == DW_OP_minus ? a - b
                       : op->atom == DW_OP_and ? (a & b) : op->atom == DW_OP_or ? (a | b) : a * b;
            break;
        case DW_OP_stack_value:
            if (i + 1 != nops)
                return false;
            *is_location = false;
            break;
        default:
            return false;
        }
    }
    if (sp < 1)
        return false;
    *value = st[sp - 1];
    return true;
}

/* The caller's value of regno by the frame's rule. 1: known (*v), 0: undefined (the CFI says
 * it cannot be recovered), -1: not known here (same value as a register we do not know, or a
 * rule that could not be applied). */
static int caller_reg(platform_stacks *ps, Dwarf_Frame *fr, int regno, const wregs *r, uint64_t cfa, uint64_t *v)
{
    Dwarf_Op mem[3], *ops;
    size_t nops;
    if (dwarf_frame_register(fr, regno, mem, &ops, &nops) != 0)
        return -1;
    if (nops == 0 && ops != NULL)
        return 0;   /* undefined */
    if (nops == 0)   /* same value */
        return reg_value(r, (uint64_t)regno, v) ? 1 : -1;
    bool loc;
    uint64_t x;
    if (!expr_eval(ps, ops, nops, r, cfa, &x, &loc))
        return -1;
    if (loc && stacks_read_word(ps, x, &x) != 0)
        return -1;
    *v = x;
    return 1;
}

cfi_result cfi_step(cfi_cache *c, platform_stacks *ps, const maps_region *first, uint64_t lookup, wregs *r)
{
    if (!c || !first)
        return CFI_NONE;
    cfi_module *m = module_of(c, ps, first);
    if (!m->ok || lookup < m->bias)
        return CFI_NONE;
    Dwarf_Frame *fr = NULL;
    if (!(m->cfi_debug && dwarf_cfi_addrframe(m->cfi_debug, lookup - m->bias, &fr) == 0) &&
        !(m->cfi_eh && dwarf_cfi_addrframe(m->cfi_eh, lookup - m->bias, &fr) == 0))
        return CFI_NONE;
    cfi_result res = CFI_NONE;
    Dwarf_Op *ops;
    size_t nops;
    uint64_t cfa, ra;
    bool loc;
    int ra_col = dwarf_frame_info(fr, NULL, NULL, NULL);
    if (ra_col < 0 || dwarf_frame_cfa(fr, &ops, &nops) != 0 || !expr_eval(ps, ops, nops, r, 0, &cfa, &loc))
        goto out;
    int got = caller_reg(ps, fr, ra_col, r, cfa, &ra);
    if (got == 0) {
        res = CFI_OUTERMOST;   /* the return address is undefined: the thread's first frame */
        goto out;
    }
    if (got < 0)
        goto out;
    wregs n = {.pc = arch_strip_pac(&ps->cap.regs, ra)};
    for (int i = 0; i < arch_dwarf_nregs() && i < WREGS_MAX; i++) {
        uint64_t v;
        if (i != UNW_REG_SP && caller_reg(ps, fr, i, r, cfa, &v) == 1) {
            n.v[i] = v;
            n.known |= 1u << i;
        }
    }
    n.v[UNW_REG_SP] = cfa;   /* the CFA is the caller's stack pointer */
    n.known |= 1u << UNW_REG_SP;
    *r = n;
    res = CFI_STEPPED;
out:
    free(fr);
    return res;
}
