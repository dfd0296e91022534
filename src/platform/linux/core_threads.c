/* The threads of a core (platform_core_read): each NT_PRSTATUS note is a thread; its registers
 * give its system call (arch_core_syscall); libdwfl unwinds it over the core's memory
 * (dwfl_core_file_report finds the executable and libraries from the core's NT_FILE note and
 * link map, checking each file's build ID against the one in the core; dwfl_core_file_attach
 * gives it the registers) and names its frames from the files found. */
#include <fcntl.h>
#include <inttypes.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "core_internal.h"
#include "stacks_linux.h"

#define NOTES_MODULES_MAX 6       /* missing modules named in notes; more are counted */

static __thread const platform_core *core_current;   /* for find_elf, which has no argument */

/* libdwfl asks for a module's file when it did not find one itself (or found one whose build
 * ID is not the core's): --exe for the executable, then the path under --sysroot. Files only:
 * a FIFO or device under that name is not opened (O_NONBLOCK, then checked). */
static int open_regular(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat st;
    if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
        close(fd);
        fd = -1;
    }
    return fd;
}

static int find_elf(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base, char **file_name,
                    Elf **elfp)
{
    const platform_core *c = core_current;
    char path[4096] = "";
    Dwarf_Addr low = 0;
    dwfl_module_info(mod, NULL, &low, NULL, NULL, NULL, NULL, NULL);
    bool is_exe = c && (strcmp(modname, "[exe]") == 0 || strcmp(modname, "[pie]") == 0 ||
                        (c->notes.nfiles > 0 && c->notes.files[0].start == low &&
                         strcmp(c->notes.files[0].name, modname) == 0));
    if (c && c->opt.exe && is_exe)
        snprintf(path, sizeof path, "%s", c->opt.exe);
    else if (c && c->opt.sysroot && modname[0] == '/')
        snprintf(path, sizeof path, "%s%s", c->opt.sysroot, modname);
    if (path[0]) {
        int fd = open_regular(path);
        if (fd >= 0) {
            *file_name = strdup(path);
            return fd;   /* libdwfl checks the build ID and drops a file that does not match */
        }
    }
    return dwfl_build_id_find_elf(mod, userdata, modname, base, file_name, elfp);
}

static char *debuginfo_path = NULL;

static const Dwfl_Callbacks core_callbacks = {
    .find_elf = find_elf,
    .find_debuginfo = dwfl_build_id_find_debuginfo,   /* by build ID only, as for live dumps */
    .debuginfo_path = &debuginfo_path,
};

/* What is known of a module, kept in its libdwfl userdata (NULL: not looked at yet). */
#define MOD_NO_LINES ((void *)1)
#define MOD_LINES ((void *)2)
#define MOD_WRONG_BUILD ((void *)3)   /* its file is another build than the core's: no names */

/* Lines only from a module whose own file has them (as live: a separate debug file's DWARF
 * would be inflated whole). The answer is kept in the module's userdata. */
static bool module_has_lines(Dwfl_Module *m)
{
    void **ud = NULL;
    dwfl_module_info(m, &ud, NULL, NULL, NULL, NULL, NULL, NULL);
    if (ud && *ud)
        return *ud == MOD_LINES;
    bool lines = false;
    Dwarf_Addr bias;
    Elf *elf = dwfl_module_getelf(m, &bias);
    size_t shstrndx;
    if (elf && elf_getshdrstrndx(elf, &shstrndx) == 0) {
        Elf_Scn *scn = NULL;
        for (int i = 0; i < 4096 && (scn = elf_nextscn(elf, scn)); i++) {
            GElf_Shdr sh;
            const char *name = gelf_getshdr(scn, &sh) ? elf_strptr(elf, shstrndx, sh.sh_name) : NULL;
            if (name && strcmp(name, ".debug_line") == 0 && sh.sh_type != SHT_NOBITS) {
                lines = true;
                break;
            }
        }
    }
    if (ud)
        *ud = lines ? MOD_LINES : MOD_NO_LINES;
    return lines;
}

/* The module's path as the core's NT_FILE note has it (the mapping starting where the module
 * does), as live dumps show the path from the maps; else libdwfl's name (a soname, [vdso]). */
static const char *module_path(const platform_core *c, Dwfl_Module *m)
{
    Dwarf_Addr low = 0;
    const char *name = dwfl_module_info(m, NULL, &low, NULL, NULL, NULL, NULL, NULL);
    for (size_t i = 0; i < c->notes.nfiles; i++)
        if (c->notes.files[i].start == low)
            return c->notes.files[i].name;
    return name;
}

static void name_frame(const platform_core *c, tl_frame *f, uint64_t addr)
{
    Dwfl_Module *m = dwfl_addrmodule(c->dwfl, addr);
    if (!m)
        return;
    const char *mname = module_path(c, m);
    f->module = mname ? strdup(mname) : NULL;
    void **ud = NULL;
    dwfl_module_info(m, &ud, NULL, NULL, NULL, NULL, NULL, NULL);
    if (ud && *ud == MOD_WRONG_BUILD)
        return;
    GElf_Off off = 0;
    GElf_Sym sym;
    const char *fn = dwfl_module_addrinfo(m, addr, &off, &sym, NULL, NULL, NULL);
    if (fn) {
        f->function = symbols_readable_name(fn);
        f->offset = f->pc - (addr - off);
    }
    if (!module_has_lines(m))
        return;
    Dwfl_Line *line = dwfl_module_getsrc(m, addr);
    int lineno = 0;
    const char *file = line ? dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL) : NULL;
    if (file) {
        f->file = strdup(file);
        f->line = lineno;
    }
}

typedef struct walk {
    tl_thread *t;
    size_t max, cap;
    bool truncated;
} walk;

static int frame_cb(Dwfl_Frame *state, void *arg)
{
    walk *w = arg;
    Dwarf_Addr pc;
    bool activation;
    if (!dwfl_frame_pc(state, &pc, &activation))
        return DWARF_CB_ABORT;
    if (w->t->nframes == w->max) {
        w->truncated = true;
        return DWARF_CB_ABORT;
    }
    if (w->t->nframes == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 32;
        tl_frame *grown = realloc(w->t->frames, cap * sizeof *grown);
        if (!grown)
            return DWARF_CB_ABORT;
        w->t->frames = grown;
        w->cap = cap;
    }
    tl_frame *f = &w->t->frames[w->t->nframes];
    memset(f, 0, sizeof *f);
    f->pc = pc;
    f->signal_frame = activation && w->t->nframes > 0;
    w->t->nframes++;
    return DWARF_CB_OK;
}

/* The 4 bytes of code at pc: from the core when it holds them, else from the module's file
 * (cores leave out the text of mapped files). */
static bool code_at(const platform_core *c, uint64_t pc, uint8_t out[4])
{
    if (platform_core_read_memory(c, pc, out, 4) == 4)
        return true;
    Dwfl_Module *m = c->dwfl ? dwfl_addrmodule(c->dwfl, pc) : NULL;
    Dwarf_Addr addr = pc, bias = 0;
    Elf_Scn *scn = m ? dwfl_module_address_section(m, &addr, &bias) : NULL;
    Elf_Data *d = scn ? elf_getdata(scn, NULL) : NULL;
    if (!d || !d->d_buf || addr > d->d_size || d->d_size - addr < 4)
        return false;
    memcpy(out, (const uint8_t *)d->d_buf + addr, 4);
    return true;
}

static void fill_syscall(const platform_core *c, const core_thread_note *n, tl_thread *t)
{
    tl_syscall *sc = &t->syscall;
    sc->valid = true;
    sc->pc = arch_pc(&n->regs);
    sc->sp = arch_sp(&n->regs);
    long nr;
    uint8_t code[4];
    bool have_code = code_at(c, sc->pc, code);
    if (!arch_core_syscall(&n->regs, n->sysno_note, have_code ? code : NULL, &nr, sc->args)) {
        sc->running = true;
        sc->nr = -1;
        t->state = 'R';
        return;
    }
    sc->nr = nr;
    sc->running = false;
    t->state = 'S';
    char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, (int)nr);
    snprintf(sc->name, sizeof sc->name, "%s", name ? name : "");
    free(name);
}

static bool fill_thread(const platform_core *c, const core_thread_note *n, bool main_thread, tl_thread *t)
{
    t->tid = n->tid;
    t->wait.fd = -1;
    /* the kernel and gdb keep one name, the process's (NT_PRPSINFO): it is the main thread's */
    if (main_thread && c->notes.have_psinfo && !(t->name = strdup(c->notes.fname)))
        return false;
    char mask[20];
    snprintf(mask, sizeof mask, "%016" PRIx64, n->sighold);
    if (!(t->sig_blocked = strdup(mask)))
        return false;
    t->regs_valid = true;
    t->pc = arch_pc(&n->regs);
    t->sp = arch_sp(&n->regs);
    t->tls = n->regs.tls;
    t->state = 'R';   /* until fill_syscalls finds it in a call */
    t->syscall.valid = true;
    t->syscall.running = true;
    t->syscall.nr = -1;
    return true;
}

static tl_status fill_process(const platform_core *c, tl_process *p, tl_error *err)
{
    const core_notes *cn = &c->notes;
    p->pid = cn->have_psinfo && cn->pid > 0 ? cn->pid : cn->threads[0].tid;
    p->ppid = cn->ppid;
    p->uid = cn->uid;
    p->state = cn->state ? cn->state : '?';
    p->ns_pid = p->pid;
    char uid[16];
    snprintf(uid, sizeof uid, "%u", cn->uid);
    p->name = strdup(cn->have_psinfo ? cn->fname : "?");
    p->cmdline = strdup(cn->have_psinfo ? cn->psargs : "");
    p->user = strdup(uid);   /* the core's uid: the names of this system may not be the core's */
    p->threads = calloc(cn->nthreads, sizeof *p->threads);
    if (!p->name || !p->cmdline || !p->user || !p->threads)
        return tl_error_set(err, TL_ENOMEM, "out of memory reading the threads of %s", c->opt.path);
    for (size_t i = 0; i < cn->nthreads; i++) {
        if (!fill_thread(c, &cn->threads[i], cn->threads[i].tid == p->pid, &p->threads[i]))
            return tl_error_set(err, TL_ENOMEM, "out of memory reading the threads of %s", c->opt.path);
        p->nthreads++;
    }
    p->nlwp = (int)p->nthreads;
    return TL_OK;
}

/* Names already found, by the address looked up: a core's threads mostly sleep at the same few
 * return addresses, and libdwfl's dwfl_module_addrinfo walks a module's whole symbol table on
 * each lookup (1000 threads: 4010 frames, 5 addresses). */
#define NAME_CACHE_SLOTS 4096     /* a power of two; when full, names are looked up every time */

typedef struct named {
    uint64_t addr, sym_start;     /* sym_start: pc - offset, 0 without a function */
    bool used;
    char *module, *function, *file;
    int line;
} named;

typedef struct unwind_ctx {
    platform_core *c;
    tl_process *p;
    size_t next;                  /* the thread notes come in the order libdwfl walks them */
    size_t failed;
    char first_error[200];
    named *names;                 /* NAME_CACHE_SLOTS, or NULL (out of memory: no cache) */
    size_t nnames;
} unwind_ctx;

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void names_free(unwind_ctx *u)
{
    for (size_t i = 0; u->names && i < NAME_CACHE_SLOTS; i++)
        if (u->names[i].used) {
            free(u->names[i].module);
            free(u->names[i].function);
            free(u->names[i].file);
        }
    free(u->names);
    u->names = NULL;
}

/* f named as at addr: from the cache, else looked up and kept. */
static void name_frame_cached(unwind_ctx *u, tl_frame *f, uint64_t addr)
{
    named *slot = NULL;
    for (size_t k = 0, h = (size_t)((addr * 0x9e3779b97f4a7c15ull) >> 52); u->names && k < NAME_CACHE_SLOTS; k++) {
        named *e = &u->names[(h + k) & (NAME_CACHE_SLOTS - 1)];
        if (!e->used) {
            slot = u->nnames < NAME_CACHE_SLOTS / 2 ? e : NULL;   /* kept half empty: probes stay short */
            break;
        }
        if (e->addr == addr) {
            f->module = dup_or_null(e->module);
            f->function = dup_or_null(e->function);
            f->offset = e->function ? f->pc - e->sym_start : 0;
            f->file = dup_or_null(e->file);
            f->line = e->line;
            return;
        }
    }
    name_frame(u->c, f, addr);
    if (!slot)
        return;
    *slot = (named){.addr = addr, .used = true, .sym_start = f->function ? f->pc - f->offset : 0,
                    .module = dup_or_null(f->module), .function = dup_or_null(f->function),
                    .file = dup_or_null(f->file), .line = f->line};
    u->nnames++;
}

static tl_thread *thread_by_tid(unwind_ctx *u, int tid)
{
    for (size_t k = 0; k < u->p->nthreads; k++) {
        size_t i = (u->next + k) % u->p->nthreads;
        if (u->p->threads[i].tid == tid) {
            u->next = i + 1;
            return &u->p->threads[i];
        }
    }
    return NULL;
}

static int thread_cb(Dwfl_Thread *thread, void *arg)
{
    unwind_ctx *u = arg;
    tl_thread *t = thread_by_tid(u, (int)dwfl_thread_tid(thread));
    if (!t)
        return DWARF_CB_OK;
    walk w = {.t = t, .max = u->c->opt.max_frames ? u->c->opt.max_frames : 256};
    int rc = dwfl_thread_getframes(thread, frame_cb, &w);
    t->frames_truncated = w.truncated;
    if (rc == -1 && t->nframes > 0 && !w.truncated) {   /* ended before the stack's start */
        char why[200];
        snprintf(why, sizeof why, "the walk ended early: %s%s", dwfl_errmsg(-1),
                 u->c->truncated_at ? " (the core is truncated)" : "");
        t->stack_warning = strdup(why);
    }
    if (rc == -1 && t->nframes == 0) {
        u->failed++;
        char why[200];
        snprintf(why, sizeof why, "no stack: %s", dwfl_errmsg(-1));
        if (!u->first_error[0])
            snprintf(u->first_error, sizeof u->first_error, "%s", why);
        t->stack_error = strdup(why);
    }
    for (size_t i = 0; i < t->nframes; i++) {
        tl_frame *f = &t->frames[i];
        bool exact = i == 0 || f->signal_frame || t->frames[i - 1].signal_frame;
        name_frame_cached(u, f, exact ? f->pc : f->pc - 1);
    }
    return DWARF_CB_OK;
}

/* The modules whose file was not found (or did not match the core's build ID). */
typedef struct missing {
    const platform_core *c;
    size_t n;
    char names[NOTES_MODULES_MAX][200];
    size_t unchecked;
    char first_unchecked[200];
} missing;

static int module_cb(Dwfl_Module *m, void **ud, const char *name, Dwarf_Addr start, void *arg)
{
    (void)start;
    missing *ms = arg;
    if (name && (name[0] == '[' || strncmp(name, "linux-vdso", 10) == 0 || strncmp(name, "linux-gate", 10) == 0))
        return DWARF_CB_OK;   /* the vDSO: read from the core itself */
    core_build_id_check chk = core_build_id_check_module(ms->c, m);
    if (chk == CORE_BUILD_ID_MATCH)
        return DWARF_CB_OK;
    if (chk == CORE_BUILD_ID_UNCHECKED) {
        const char *path = module_path(ms->c, m);
        if (!ms->unchecked++)
            snprintf(ms->first_unchecked, sizeof ms->first_unchecked, "%s", path ? path : name ? name : "?");
        return DWARF_CB_OK;
    }
    if (chk == CORE_BUILD_ID_MISMATCH)
        *ud = MOD_WRONG_BUILD;
    const char *path = module_path(ms->c, m);
    if (ms->n < NOTES_MODULES_MAX)
        snprintf(ms->names[ms->n], sizeof ms->names[0], "%s: %s", path ? path : name ? name : "?",
                 chk == CORE_BUILD_ID_MISMATCH ? "the file found is another build (its build ID is not the core's)"
                                               : "file not found, or its build ID is not the core's");
    ms->n++;
    return DWARF_CB_OK;
}

static void note_missing(platform_core *c, tl_snapshot *snap)
{
    missing ms = {.c = c};
    dwfl_getmodules(c->dwfl, module_cb, &ms, 0);
    for (size_t i = 0; i < ms.n && i < NOTES_MODULES_MAX; i++)
        snapshot_add_note(snap, "%s: its frames keep their addresses, without names (give --exe for the "
                          "executable, --sysroot DIR for libraries kept elsewhere)", ms.names[i]);
    if (ms.unchecked)
        snapshot_add_note(snap, "%zu module%s (%s%s) not checked against the core's build ID (no build ID, or "
                          "the core lacks the page holding it)", ms.unchecked, ms.unchecked == 1 ? "" : "s",
                          ms.first_unchecked, ms.unchecked > 1 ? ", ..." : "");
    if (ms.n > NOTES_MODULES_MAX)
        snapshot_add_note(snap, "and %zu more modules without their files", ms.n - NOTES_MODULES_MAX);
    if (ms.n)
        snap->partial = true;
}

/* libdwfl opens the files the core's NT_FILE note names by those paths, with a plain open(): a
 * FIFO put there (the core's process chose its mappings) would block it for ever. While libdwfl
 * works, a SIGALRM without SA_RESTART arrives every 500 ms after the first 2 s: an open
 * blocked on a FIFO fails with EINTR (the module is then "not found"); reads of regular files
 * are not interrupted by signals. */
static void on_alarm(int sig)
{
    (void)sig;
}

typedef struct open_deadline {
    struct sigaction old_action;
    struct itimerval old_timer;
    bool armed;
} open_deadline;

static void deadline_arm(open_deadline *d)
{
    struct sigaction sa = {.sa_handler = on_alarm};   /* no SA_RESTART */
    sigemptyset(&sa.sa_mask);
    struct itimerval t = {.it_value = {2, 0}, .it_interval = {0, 500000}};
    d->armed = sigaction(SIGALRM, &sa, &d->old_action) == 0 && setitimer(ITIMER_REAL, &t, &d->old_timer) == 0;
}

static void deadline_disarm(open_deadline *d)
{
    if (!d->armed)
        return;
    setitimer(ITIMER_REAL, &d->old_timer, NULL);
    sigaction(SIGALRM, &d->old_action, NULL);
}

static tl_status unwind_all(platform_core *c, tl_snapshot *snap, tl_process *p, tl_error *err);

static tl_status unwind_all_bounded(platform_core *c, tl_snapshot *snap, tl_process *p, tl_error *err)
{
    open_deadline d = {0};
    deadline_arm(&d);
    tl_status st = unwind_all(c, snap, p, err);
    deadline_disarm(&d);
    return st;
}

/* After the modules were reported (the code at a pc may have to come from a module's file). */
static void fill_syscalls(const platform_core *c, tl_process *p)
{
    for (size_t i = 0; i < p->nthreads && i < c->notes.nthreads; i++)
        fill_syscall(c, &c->notes.threads[i], &p->threads[i]);
}

static tl_status unwind_all(platform_core *c, tl_snapshot *snap, tl_process *p, tl_error *err)
{
    core_current = c;
    if (!(c->dwfl = dwfl_begin(&core_callbacks))) {
        fill_syscalls(c, p);
        return tl_error_set(err, TL_ENOMEM, "cannot start libdwfl: %s", dwfl_errmsg(-1));
    }
    dwfl_report_begin(c->dwfl);
    int nmod = dwfl_core_file_report(c->dwfl, c->elf, c->opt.exe);
    dwfl_report_end(c->dwfl, NULL, NULL);
    fill_syscalls(c, p);
    if (nmod < 0) {
        snapshot_add_note(snap, "the modules of the core could not be listed (%s): no stacks", dwfl_errmsg(-1));
        snap->partial = true;
        return TL_OK;
    }
    note_missing(c, snap);
    if (dwfl_core_file_attach(c->dwfl, c->elf) < 0) {
        snapshot_add_note(snap, "the threads of the core could not be unwound (%s): no stacks", dwfl_errmsg(-1));
        snap->partial = true;
        return TL_OK;
    }
    unwind_ctx u = {.c = c, .p = p, .names = calloc(NAME_CACHE_SLOTS, sizeof(named))};
    dwfl_getthreads(c->dwfl, thread_cb, &u);
    names_free(&u);
    if (u.failed) {
        snapshot_add_note(snap, "%zu thread%s of the core could not be unwound (%s)", u.failed,
                          u.failed == 1 ? "" : "s", u.first_error);
        snap->partial = true;
    }
    snap->stacks_taken = true;
    core_current = NULL;
    return TL_OK;
}

tl_status core_threads_read(platform_core *c, tl_snapshot *snap, tl_error *err)
{
    tl_process *p = &snap->procs[0];
    tl_status st = fill_process(c, p, err);
    if (st == TL_OK)
        st = unwind_all_bounded(c, snap, p, err);
    return st;
}

/* The kernel restarts only timed futex waits, poll/ppoll and the nanosleeps so, and the
 * wrapper that made the call is frame 0 (glibc: __futex_abstimed_wait_common, __poll,
 * clock_nanosleep). The answer is in the words waits_calls.c looks for in a wait channel. */
const char *platform_core_restart_hint(const tl_thread *t)
{
    if (strcmp(t->syscall.name, "restart_syscall") != 0 || t->nframes == 0 || !t->frames[0].function)
        return NULL;
    const char *fn = t->frames[0].function;
    if (strstr(fn, "futex"))
        return "futex";
    if (strstr(fn, "poll") && !strstr(fn, "epoll"))
        return "poll";
    if (strstr(fn, "nanosleep"))
        return "nanosleep";
    return NULL;
}
