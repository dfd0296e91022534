/* Naming frames with elfutils' libdwfl: one Dwfl per process, kept for the sampler's life and
 * re-reported when the process's mappings changed. libdwfl caches each module's symbol table
 * and line information, and finds separate debug files by build-id under /usr/lib/debug
 * (libc6-dbg), so stripped libraries get their real function names. */
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "debuginfod.h"
#include "maps_parse.h"
#include "perf_map.h"
#include "stacks_linux.h"
#include "symbol_index.h"
#include "target_file.h"

#define NAME_CACHE_SLOTS 2048   /* looked-up addresses remembered per process (direct-mapped) */
#define INDEX_AFTER_MISSES 2    /* a module is indexed at its third lookup (one scan each before) */
#define INDEX_MODULES_MAX 1024  /* modules of a process indexed at most (then: libdwfl's search) */
#define BATCH_MAX 16            /* announced addresses named in one pass over a module's symbols */

/* What one address resolved to. The strings belong to libdwfl (module name, symbol and line
 * tables) and stay valid until the modules are re-reported, when the cache is emptied. */
typedef struct name_slot {
    uint64_t addr;            /* lookup address + 1; 0 = empty */
    const char *module, *function, *file;
    uint64_t start;           /* function start */
    int line;
} name_slot;

/* The addresses of a module announced before its first lookup (platform_symbolize_expect),
 * named in one pass over its symbols: what the index would choose, without building it. */
typedef struct module_batch {
    uint64_t addr[BATCH_MAX];
    symbol_entry best[BATCH_MAX];
    bool found[BATCH_MAX];
    unsigned n;
    bool overflow;            /* more than BATCH_MAX, or announced after the pass: the index */
    bool done;                /* the pass ran */
} module_batch;

/* A module's sorted function symbols, built once it is looked up often enough. */
typedef struct module_index {
    Dwfl_Module *module;
    unsigned lookups;
    module_batch batch;
    bool built;
    symbol_index ix;
} module_index;

struct symbols_proc {
    int pid;
    target_mapping *files;    /* the file mappings of the last report, by address */
    size_t nfiles;
    bool files_complete;      /* every file mapping is in files (none left out by the bound) */
    char refused[320];        /* the first module file not opened since the last report, "" */
    Dwfl *dwfl;
    name_slot *names;         /* NAME_CACHE_SLOTS */
    module_index *mods;       /* valid until the modules are re-reported */
    size_t nmods;
    perf_map_file perf;       /* names of JIT code (/tmp/perf-PID.map), when the target writes one */
    debuginfod_budget dfd;    /* time spent asking debuginfod servers for this process */
};

static void indexes_free(symbols_proc *sp)
{
    for (size_t i = 0; i < sp->nmods; i++)
        symbol_index_free(&sp->mods[i].ix);
    free(sp->mods);
    sp->mods = NULL;
    sp->nmods = 0;
}

/* The process whose modules libdwfl may ask for now (its callbacks carry no argument of ours). */
static _Thread_local symbols_proc *symbols_current;

static void files_free(symbols_proc *sp)
{
    for (size_t i = 0; i < sp->nfiles; i++)
        free((char *)sp->files[i].path);
    free(sp->files);
    sp->files = NULL;
    sp->nfiles = 0;
    sp->files_complete = false;
}

static bool files_push(symbols_proc *sp, size_t *cap, const maps_line *ml)
{
    if (sp->nfiles == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        target_mapping *grown = realloc(sp->files, ncap * sizeof *grown);
        if (!grown)
            return false;
        sp->files = grown;
        *cap = ncap;
    }
    char *path = strndup(ml->path, ml->path_len);
    if (!path)
        return false;
    sp->files[sp->nfiles++] = (target_mapping){.start = ml->start, .end = ml->end, .dev_major = ml->dev_major,
                                               .dev_minor = ml->dev_minor, .inode = ml->inode, .path = path};
    return true;
}

/* The file mappings of the process (device, inode, range): what find_elf opens a module by. */
static void files_read(symbols_proc *sp)
{
    files_free(sp);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/maps", sp->pid);
    FILE *f = fopen(path, "re");
    if (!f)
        return;
    char *line = NULL;
    size_t lcap = 0, cap = 0;
    ssize_t len;
    bool ok = true;
    while (ok && sp->nfiles < MAPS_MAX_REGIONS && (len = getline(&line, &lcap, f)) > 0) {
        maps_line ml;
        if (maps_parse_line(line, (size_t)len, &ml) && ml.path_len && ml.path[0] == '/' && ml.inode)
            ok = files_push(sp, &cap, &ml);
    }
    free(line);
    sp->files_complete = ok && !ferror(f) && sp->nfiles < MAPS_MAX_REGIONS;
    fclose(f);
}

static const target_mapping *file_at(const symbols_proc *sp, uint64_t start)
{
    size_t lo = 0, hi = sp->nfiles;
    while (lo < hi) {   /* maps lists mappings in address order */
        size_t mid = lo + (hi - lo) / 2;
        if (sp->files[mid].start < start)
            lo = mid + 1;
        else if (sp->files[mid].start > start)
            hi = mid;
        else
            return &sp->files[mid];
    }
    return NULL;
}

/* The file mapping holding addr, NULL when none does (anonymous memory: JIT code). */
static const target_mapping *file_holding(const symbols_proc *sp, uint64_t addr)
{
    size_t lo = 0, hi = sp->nfiles;   /* the first mapping starting after addr */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sp->files[mid].start <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo && addr < sp->files[lo - 1].end ? &sp->files[lo - 1] : NULL;
}

/* Whether mapping fm is of the file libdwfl named module (maps may add " (deleted)"). */
static bool same_file(const target_mapping *fm, const char *module)
{
    size_t len = strlen(module);
    return fm && strncmp(fm->path, module, len) == 0 && (!fm->path[len] || !strcmp(fm->path + len, " (deleted)"));
}

/* libdwfl's find_elf: a module's file through the mapping itself (target_file.h), never its
 * path. The vDSO and other names not starting with '/' come from memory (libdwfl's own). */
static int find_elf(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base, char **file_name,
                    Elf **elfp)
{
    if (modname[0] != '/')
        return dwfl_linux_proc_find_elf(mod, userdata, modname, base, file_name, elfp);
    symbols_proc *sp = symbols_current;
    Dwarf_Addr low = 0;
    dwfl_module_info(mod, NULL, &low, NULL, NULL, NULL, NULL, NULL);
    const target_mapping *m = sp ? file_at(sp, low) : NULL;
    char why[256];
    if (!m)
        snprintf(why, sizeof why, "%s: no mapping starts at 0x%llx", modname, (unsigned long long)low);
    int fd = m ? target_file_open(sp->pid, m, why, sizeof why) : -1;
    if (fd < 0) {   /* the module keeps its name from maps; its frames get no function names */
        if (sp && !sp->refused[0])
            snprintf(sp->refused, sizeof sp->refused, "%s", why);
        return -1;
    }
    /* read, not mmap: a file the target truncates under us must not be a SIGBUS of ours */
    Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
    if (!elf) {
        close(fd);
        return -1;
    }
    char shown[96];
    snprintf(shown, sizeof shown, "/proc/%d/map_files/%llx-%llx", sp->pid, (unsigned long long)m->start,
             (unsigned long long)m->end);
    *file_name = strdup(shown);
    *elfp = elf;
    return fd;
}

/* Separate debug files by build-id only (/usr/lib/debug/.build-id: libc6-dbg), then from the
 * debuginfod servers of DEBUGINFOD_URLS (bounded in time, debuginfod.h): the module's
 * .gnu_debuglink names a file next to a path the target chose, which it could have planted. */
static int find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base,
                          const char *file_name, const char *debuglink_file, GElf_Word debuglink_crc,
                          char **debuginfo_file_name)
{
    int fd = dwfl_build_id_find_debuginfo(mod, userdata, modname, base, file_name, debuglink_file, debuglink_crc,
                                          debuginfo_file_name);
    symbols_proc *sp = symbols_current;
    if (fd >= 0 || !sp || !debuginfod_enabled())
        return fd;
    const unsigned char *id = NULL;
    GElf_Addr id_vaddr;
    int len = dwfl_module_build_id(mod, &id, &id_vaddr);
    return len > 0 ? debuginfod_fetch(&sp->dfd, id, (size_t)len, debuginfo_file_name) : -1;
}

static char *debuginfo_path = NULL;   /* libdwfl's default: /usr/lib/debug */

static const Dwfl_Callbacks proc_callbacks = {
    .find_elf = find_elf,
    .find_debuginfo = find_debuginfo,
    .debuginfo_path = &debuginfo_path,
};

static tl_status symbols_report(symbols_proc *sp, tl_error *err)
{
    indexes_free(sp);
    files_read(sp);
    sp->refused[0] = '\0';
    sp->perf.checked_ns = 0;   /* new code was mapped: look at the perf map again */
    symbols_current = sp;
    dwfl_report_begin(sp->dwfl);
    int rc = dwfl_linux_proc_report(sp->dwfl, sp->pid);
    dwfl_report_end(sp->dwfl, NULL, NULL);
    if (rc == 0)
        return TL_OK;
    if (rc > 0)
        return tl_error_set(err, rc == ENOENT ? TL_ENOENT : TL_EPERM, "cannot list the modules of process %d: %s",
                            sp->pid, strerror(rc));
    return tl_error_set(err, TL_EIO, "cannot list the modules of process %d: %s", sp->pid, dwfl_errmsg(-1));
}

symbols_proc *symbols_proc_new(int pid, tl_error *err)
{
    symbols_proc *sp = calloc(1, sizeof *sp);
    if (!sp) {
        tl_error_set(err, TL_ENOMEM, "out of memory for the symbols of process %d", pid);
        return NULL;
    }
    sp->pid = pid;
    sp->names = calloc(NAME_CACHE_SLOTS, sizeof *sp->names);
    sp->dwfl = sp->names ? dwfl_begin(&proc_callbacks) : NULL;
    if (!sp->dwfl) {
        tl_error_set(err, TL_ENOMEM, "libdwfl could not start for process %d: %s", pid, dwfl_errmsg(-1));
        free(sp->names);
        free(sp);
        return NULL;
    }
    if (symbols_report(sp, err) != TL_OK) {
        symbols_proc_free(sp);
        return NULL;
    }
    return sp;
}

void symbols_proc_free(symbols_proc *sp)
{
    if (!sp)
        return;
    indexes_free(sp);
    perf_map_file_free(&sp->perf);
    dwfl_end(sp->dwfl);
    files_free(sp);
    free(sp->names);
    free(sp);
}

tl_status symbols_proc_refresh(symbols_proc *sp, tl_error *err)
{
    /* the names point into the modules about to be re-reported; a new process's cache is
     * calloc's (untouched pages: 96 KiB it never uses) */
    memset(sp->names, 0, NAME_CACHE_SLOTS * sizeof *sp->names);
    return symbols_report(sp, err);
}

/* The address to look up: a return address points after the call, so pc-1 lands in the
 * calling line, except for the first frame, a signal frame, and the frame a signal interrupted
 * (their pc is exact). */
static uint64_t lookup_address(const tl_frame *frames, size_t i)
{
    if (i == 0 || frames[i].signal_frame || frames[i - 1].signal_frame || frames[i].pc == 0)
        return frames[i].pc;
    return frames[i].pc - 1;
}

static void name_source(Dwfl_Module *m, uint64_t addr, name_slot *n)
{
    Dwfl_Line *line = dwfl_module_getsrc(m, addr);
    int lineno = 0;
    const char *file = line ? dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL) : NULL;
    if (!file)
        return;
    n->file = file;
    n->line = lineno;
}

#define SECTIONS_MAX 4096   /* bound on the section headers looked at per module */

/* Whether the module's own file carries line tables. Lines from a separate debug file are not
 * looked up: libdw inflates every compressed DWARF section of the file it opens, which for
 * libc6-dbg's libc costs ~16 MiB and ~100 ms per process; names come from its symbol table. */
static bool elf_has_lines(Elf *elf)
{
    size_t shstrndx, count = 0;
    if (!elf || elf_getshdrstrndx(elf, &shstrndx) != 0)
        return false;
    for (Elf_Scn *scn = elf_nextscn(elf, NULL); scn && count < SECTIONS_MAX; scn = elf_nextscn(elf, scn), count++) {
        GElf_Shdr shdr;
        const char *name = gelf_getshdr(scn, &shdr) ? elf_strptr(elf, shstrndx, shdr.sh_name) : NULL;
        if (name && shdr.sh_type != SHT_NOBITS && strcmp(name, ".debug_line") == 0)
            return true;
    }
    return false;
}

/* The answer is kept in the module's user-data slot: 1 = has lines, 2 = has not. */
static bool module_has_own_lines(Dwfl_Module *m)
{
    void **slot = NULL;
    dwfl_module_info(m, &slot, NULL, NULL, NULL, NULL, NULL, NULL);
    if (slot && *slot)
        return *slot == (void *)1;
    GElf_Addr bias;
    bool yes = elf_has_lines(dwfl_module_getelf(m, &bias));
    if (slot)
        *slot = yes ? (void *)1 : (void *)2;
    return yes;
}

static int binding_rank(const GElf_Sym *sym)
{
    switch (GELF_ST_BIND(sym->st_info)) {
    case STB_GLOBAL: return 3;
    case STB_WEAK: return 2;
    case STB_LOCAL: return 1;
    default: return 0;
    }
}

/* Symbol i of m as an index entry when it is a defined code symbol (function, or untyped as
 * assembly labels are) with a size and a name: the ones the index and the batch choose among. */
static bool code_symbol(Dwfl_Module *m, int i, symbol_entry *e)
{
    GElf_Sym sym;
    GElf_Addr addr;
    GElf_Word shndx;
    const char *name = dwfl_module_getsym_info(m, i, &sym, &addr, &shndx, NULL, NULL);
    int type = GELF_ST_TYPE(sym.st_info);
    if (!name || !name[0] || sym.st_shndx == SHN_UNDEF || (type != STT_FUNC && type != STT_GNU_IFUNC && type != STT_NOTYPE) ||
        sym.st_size == 0 || addr + sym.st_size < addr)
        return false;
    *e = (symbol_entry){.start = addr, .end = addr + sym.st_size, .name = name, .binding = binding_rank(&sym), .order = (uint32_t)i};
    return true;
}

bool symbols_index_build(Dwfl_Module *m, symbol_index *ix)
{
    int count = dwfl_module_getsymtab(m);
    if (count > 1)
        symbol_index_reserve(ix, (size_t)count);   /* at most one entry a symbol; failing is no error */
    symbol_entry e;
    for (int i = 1; i < count; i++)
        if (code_symbol(m, i, &e) && !symbol_index_add(ix, e.start, e.end - e.start, e.name, e.binding))
            return false;
    symbol_index_sort(ix);
    return true;
}

/* One pass over m's code symbols keeping, for each announced address, the entry the index would
 * find (symbol_entry_preferred): a 10-thread dump names five libc addresses, and sorting
 * libc's 6800 functions for them cost more than the pass itself. */
static void batch_resolve(Dwfl_Module *m, module_batch *b)
{
    b->done = true;
    int count = dwfl_module_getsymtab(m);
    symbol_entry e;
    for (int i = 1; i < count; i++) {
        if (!code_symbol(m, i, &e))
            continue;
        for (unsigned k = 0; k < b->n; k++) {
            if (b->addr[k] < e.start || b->addr[k] >= e.end || (b->found[k] && !symbol_entry_preferred(&e, &b->best[k])))
                continue;
            b->best[k] = e;
            b->found[k] = true;
        }
    }
}

/* The batch's answer for addr: 1 named (*e set), 0 announced but in no sized symbol (libdwfl's
 * search then, as when the index finds none), -1 not in the batch (the index's way). */
static int batch_find(Dwfl_Module *m, module_index *mi, uint64_t addr, const symbol_entry **e)
{
    module_batch *b = &mi->batch;
    if (mi->built || b->overflow)
        return -1;
    for (unsigned k = 0; k < b->n; k++) {
        if (b->addr[k] != addr)
            continue;
        if (!b->done)
            batch_resolve(m, b);
        *e = b->found[k] ? &b->best[k] : NULL;
        return *e ? 1 : 0;
    }
    return -1;
}

/* The bookkeeping of module m (made on first need); NULL past INDEX_MODULES_MAX or out of memory. */
static module_index *module_entry(symbols_proc *sp, Dwfl_Module *m)
{
    module_index *mi = NULL;
    for (size_t i = 0; i < sp->nmods && !mi; i++)
        if (sp->mods[i].module == m)
            mi = &sp->mods[i];
    if (!mi) {
        module_index *grown = sp->nmods < INDEX_MODULES_MAX ? realloc(sp->mods, (sp->nmods + 1) * sizeof *grown) : NULL;
        if (!grown)
            return NULL;
        sp->mods = grown;
        mi = &sp->mods[sp->nmods++];
        *mi = (module_index){.module = m};
    }
    return mi;
}

/* The index of m once it was looked up INDEX_AFTER_MISSES times, or at once when more
 * addresses were announced than a batch names (each scan of libdwfl's costs about what
 * building the index does), else NULL (libdwfl's own search is cheaper for a module named
 * once or twice). */
static const symbol_index *module_index_of(module_index *mi)
{
    if (!mi)
        return NULL;
    if (!mi->built && (mi->batch.overflow || ++mi->lookups > INDEX_AFTER_MISSES)) {
        mi->built = true;
        if (!symbols_index_build(mi->module, &mi->ix))
            symbol_index_free(&mi->ix);   /* out of memory: libdwfl's search it stays */
    }
    return mi->built && mi->ix.n ? &mi->ix : NULL;
}

/* The function holding addr in m: from the module's index when it has one and a sized symbol
 * holds addr, else libdwfl's search (linear in the symbol count). */
static const char *function_of(symbols_proc *sp, Dwfl_Module *m, uint64_t addr, uint64_t *start)
{
    module_index *mi = module_entry(sp, m);
    const symbol_entry *e = NULL;
    if (!mi || batch_find(m, mi, addr, &e) < 0) {
        const symbol_index *ix = module_index_of(mi);
        e = ix ? symbol_index_find(ix, addr) : NULL;
    }
    if (e) {
        *start = e->start;
        return e->name;
    }
    GElf_Off off = 0;
    GElf_Sym sym;
    const char *name = dwfl_module_addrinfo(m, addr, &off, &sym, NULL, NULL, NULL);
    *start = addr - off;
    return name;
}

/* Resolves addr through the module's symbols (a cache of addresses in front). */
static void name_resolve(symbols_proc *sp, uint64_t addr, name_slot *n)
{
    Dwfl *dwfl = sp->dwfl;
    memset(n, 0, sizeof *n);
    n->addr = addr + 1;
    Dwfl_Module *m = dwfl_addrmodule(dwfl, addr);
    Dwarf_Addr low = 0, high = 0;
    const char *module = m ? dwfl_module_info(m, NULL, &low, &high, NULL, NULL, NULL, NULL) : NULL;
    if (!m || addr < low || addr >= high)
        return;   /* in no module (JIT code, a bad address): no name is better than a wrong one */
    /* libdwfl's module spans its file's first to last mapping; what lies between (V8's code
     * pages, a JVM's code cache) is not that file: a frame's module is its mapping's file. */
    const target_mapping *fm = sp->files_complete ? file_holding(sp, addr) : NULL;
    if (sp->files_complete && module[0] == '/' && !same_file(fm, module)) {
        n->module = fm ? fm->path : NULL;
        return;
    }
    n->module = module;
    n->function = function_of(sp, m, addr, &n->start);
    if (module_has_own_lines(m))
        name_source(m, addr, n);
}

static const name_slot *name_lookup(symbols_proc *sp, uint64_t addr)
{
    uint64_t h = (addr ^ (addr >> 12)) * 0x9e3779b97f4a7c15ULL;
    name_slot *n = &sp->names[(h >> 32) % NAME_CACHE_SLOTS];
    if (n->addr != addr + 1)
        name_resolve(sp, addr, n);
    return n;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* The C++ runtime's demangler, __cxa_demangle (eu-stack uses it too), looked up at run time:
 * libstdc++ is on every system that runs C++ programs, and threadlens itself stays plain C
 * (no link against libstdc++, which cross-builds would need too). NULL: names stay mangled. */
typedef char *(*demangle_fn)(const char *mangled, char *out, size_t *len, int *status);

static demangle_fn cxa_demangle(void)
{
    static demangle_fn fn;
    static bool looked;
    if (!looked) {
        looked = true;
        void *lib = dlopen("libstdc++.so.6", RTLD_LAZY | RTLD_LOCAL);
        if (lib)
            *(void **)&fn = dlsym(lib, "__cxa_demangle");
    }
    return fn;
}

/* "name@VERSION" -> "name" (the symbol version says nothing here), and C++ names demangled
 * ("_ZN2os13PlatformEvent4parkEl" -> "os::PlatformEvent::park(long)"). */
char *symbols_readable_name(const char *sym)
{
    size_t len = strcspn(sym, "@");
    char *plain = strndup(sym, len ? len : strlen(sym));
    if (!plain || strncmp(plain, "_Z", 2) != 0)
        return plain;
    demangle_fn demangle = cxa_demangle();   /* opened by the first C++ name only: 3.5M instructions */
    if (!demangle)
        return plain;
    int status = -1;
    char *demangled = demangle(plain, NULL, NULL, &status);
    if (status != 0 || !demangled) {
        free(demangled);
        return plain;
    }
    free(plain);
    return demangled;
}

/* Code in no file (JIT-compiled) named from the target's perf map; module "[perf-map]". */
static bool name_from_perf_map(symbols_proc *sp, tl_frame *f, uint64_t addr)
{
    perf_map_file_update(&sp->perf, sp->pid);
    uint64_t start = 0;
    const char *name = perf_map_find(&sp->perf.map, addr, &start);
    if (!name)
        return false;
    f->module = strdup("[perf-map]");
    f->function = strdup(name);
    f->offset = f->pc - start;
    return true;
}

static void name_frame(symbols_proc *sp, tl_frame *f, uint64_t addr)
{
    const name_slot *n = name_lookup(sp, addr);
    if (!n->module && !n->function && f->pc && name_from_perf_map(sp, f, addr))
        return;
    f->module = dup_or_null(n->module);
    f->function = n->function ? symbols_readable_name(n->function) : NULL;
    if (n->function)
        f->offset = f->pc - n->start;
    f->file = dup_or_null(n->file);
    f->line = n->file ? n->line : 0;
}

const char *platform_symbols_refused(const platform_stacks *ps)
{
    return ps->cur && ps->cur->sym && ps->cur->sym->refused[0] ? ps->cur->sym->refused : NULL;
}

const char *platform_perf_map_refused(const platform_stacks *ps)
{
    return ps->cur && ps->cur->sym && ps->cur->sym->perf.why[0] ? ps->cur->sym->perf.why : NULL;
}

/* Named with the batch if it is announced before the batch's pass; later ones go to the index. */
static void batch_announce(module_batch *b, uint64_t addr)
{
    for (unsigned k = 0; k < b->n; k++)
        if (b->addr[k] == addr)
            return;
    if (b->done || b->n == BATCH_MAX)
        b->overflow = true;
    else
        b->addr[b->n++] = addr;
}

void platform_symbolize_expect(platform_stacks *ps, const tl_frame *frames, size_t n)
{
    symbols_proc *sp = ps->cur ? ps->cur->sym : NULL;
    if (!sp)
        return;
    symbols_current = sp;
    for (size_t i = 0; i < n; i++) {
        uint64_t addr = lookup_address(frames, i);
        Dwfl_Module *m = dwfl_addrmodule(sp->dwfl, addr);
        module_index *mi = m ? module_entry(sp, m) : NULL;
        if (mi)
            batch_announce(&mi->batch, addr);
    }
}

tl_status platform_symbolize(platform_stacks *ps, tl_frame *frames, size_t n, tl_error *err)
{
    if (!ps->cur || !ps->cur->sym)
        return tl_error_set(err, TL_EINVAL, "no process to name frames in");
    symbols_current = ps->cur->sym;
    for (size_t i = 0; i < n; i++)
        name_frame(ps->cur->sym, &frames[i], lookup_address(frames, i));
    return TL_OK;
}
