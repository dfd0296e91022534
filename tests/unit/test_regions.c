/* Shared versus private (src/core/regions.h): classification of a saved memory map and the
 * attribution of each thread's stack from its SP. */
#include <elf.h>
#include <link.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_skip.h"

#include "platform/byte_order.h"
#include "platform/linux/maps_parse.h"
#include "platform/linux/module_image.h"
#include "platform/platform.h"
#include "regions.h"

#define DATA_CAP (64 * 1024)
#define LINES_MAX 256

/* Builds a tl_shared from tests/data/maps/NAME as the platform would (without I/O). */
static void load_shared(const char *name, tl_shared *sh)
{
    char path[512], line[1024];
    snprintf(path, sizeof path, "%s/maps/%s", TL_TEST_DATA, name);
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot open test data %s", path);
    memset(sh, 0, sizeof *sh);
    sh->regions = calloc(LINES_MAX, sizeof *sh->regions);
    assert_non_null(sh->regions);
    while (sh->nregions < LINES_MAX && fgets(line, sizeof line, f)) {
        maps_line m;
        if (!maps_parse_line(line, strlen(line), &m))
            continue;
        tl_region *r = &sh->regions[sh->nregions++];
        r->start = m.start;
        r->end = m.end;
        memcpy(r->perms, m.perms, sizeof r->perms);
        r->inode = m.inode;
        r->path = m.path_len ? strndup(m.path, m.path_len) : NULL;
    }
    fclose(f);
    sh->nmappings = sh->nregions;
    sh->valid = true;
    regions_classify(sh);
}

static tl_region_class class_at(tl_shared *sh, uint64_t addr)
{
    tl_region *r = regions_find(sh, addr);
    if (!r)
        fail_msg("no region at 0x%llx", (unsigned long long)addr);
    return r->cls;
}

static void classifies_saved_map(void **state)
{
    (void)state;
    tl_shared sh;
    load_shared("maps-shared_target.txt", &sh);
    assert_int_equal(sh.nregions, 31);
    assert_int_equal(class_at(&sh, 0x56093b7ab000ULL), TL_REGION_CODE);     /* program text */
    assert_int_equal(class_at(&sh, 0x56093b7aa000ULL), TL_REGION_DATA);     /* its headers */
    assert_int_equal(class_at(&sh, 0x56093b7ae000ULL), TL_REGION_DATA);     /* its .data */
    assert_int_equal(class_at(&sh, 0x56093c48c000ULL), TL_REGION_HEAP);     /* [heap] */
    assert_int_equal(class_at(&sh, 0x7f2e2325c000ULL), TL_REGION_GUARD);    /* stack guard */
    assert_int_equal(class_at(&sh, 0x7f2e2325d000ULL), TL_REGION_HEAP);     /* SP not known yet */
    assert_int_equal(class_at(&sh, 0x7f2e24a5f000ULL), TL_REGION_FILE);     /* the mapped file */
    assert_int_equal(class_at(&sh, 0x7f2e24b5f010ULL), TL_REGION_HEAP);     /* the 64 MiB block */
    assert_int_equal(class_at(&sh, 0x7f2e28b89000ULL), TL_REGION_CODE);     /* libc text */
    assert_int_equal(class_at(&sh, 0x7f2e28cdf000ULL), TL_REGION_DATA);     /* libc rodata */
    assert_int_equal(class_at(&sh, 0x7f2e28d38000ULL), TL_REGION_DATA);     /* libc bss */
    assert_int_equal(class_at(&sh, 0x7f2e28d51000ULL), TL_REGION_HEAP);
    assert_int_equal(class_at(&sh, 0x7f2e28d59000ULL), TL_REGION_KERNEL);   /* [vdso] */
    assert_int_equal(class_at(&sh, 0x7f2e28d57000ULL), TL_REGION_KERNEL);   /* [vvar_vclock] */
    assert_int_equal(class_at(&sh, 0x7ffc806fb000ULL), TL_REGION_STACK);    /* [stack] */
    assert_int_equal(class_at(&sh, 0xffffffffff600000ULL), TL_REGION_KERNEL);
    assert_null(regions_find(&sh, 0x1000));
    assert_null(regions_find(&sh, 0x7f2e28d45000ULL));                       /* a gap */
    shared_clear(&sh);
}

static void classifies_edge_cases(void **state)
{
    (void)state;
    tl_shared sh;
    load_shared("maps-edge.txt", &sh);
    assert_int_equal(sh.nregions, 10);
    assert_int_equal(sh.regions[0].cls, TL_REGION_CODE);
    assert_int_equal(sh.regions[1].cls, TL_REGION_DATA);
    assert_int_equal(sh.regions[2].cls, TL_REGION_DATA);
    assert_int_equal(sh.regions[3].cls, TL_REGION_DATA);    /* bss right after .data */
    assert_int_equal(sh.regions[4].cls, TL_REGION_HEAP);    /* [anon:glibc malloc] */
    assert_int_equal(sh.regions[5].cls, TL_REGION_SHM);     /* /dev/shm */
    assert_int_equal(sh.regions[6].cls, TL_REGION_SHM);     /* memfd, MAP_SHARED */
    assert_int_equal(sh.regions[7].cls, TL_REGION_CODE);    /* anonymous rwx: JIT */
    assert_int_equal(sh.regions[8].cls, TL_REGION_FILE);    /* locale-archive: not a module */
    assert_int_equal(sh.regions[9].cls, TL_REGION_STACK);
    shared_clear(&sh);
}

static tl_thread blocked_thread(int tid, uint64_t sp, uint64_t pc)
{
    tl_thread t;
    memset(&t, 0, sizeof t);
    t.tid = tid;
    t.syscall.valid = true;
    t.syscall.nr = 0;
    t.syscall.sp = sp;
    t.syscall.pc = pc;
    return t;
}

static void thread_stacks_from_syscall_sp(void **state)
{
    (void)state;
    tl_shared sh;
    load_shared("maps-shared_target.txt", &sh);
    tl_thread w1 = blocked_thread(101, 0x7f2e24a5de70ULL, 0x7f2e28c5b2ecULL);
    regions_thread_private(&w1, &sh, 100);
    assert_true(w1.priv.valid && w1.priv.stack_known);
    assert_int_equal(w1.priv.source, TL_REGS_SYSCALL);
    assert_false(w1.priv.tls_known);
    assert_true(w1.priv.stack_start == 0x7f2e2425f000ULL && w1.priv.stack_end == 0x7f2e24a5f000ULL);
    assert_true(w1.priv.stack_used == 0x7f2e24a5f000ULL - 0x7f2e24a5de70ULL);
    assert_false(w1.priv.main_stack);
    tl_region *r = regions_find(&sh, 0x7f2e24a5de70ULL);
    assert_int_equal(r->cls, TL_REGION_STACK);
    assert_int_equal(r->stack_tid, 101);
    shared_clear(&sh);
}

static void registers_win_over_syscall(void **state)
{
    (void)state;
    tl_shared sh;
    load_shared("maps-shared_target.txt", &sh);
    tl_thread w = blocked_thread(102, 0x7f2e24a5de70ULL, 1);
    w.regs_valid = true;
    w.sp = 0x7f2e2425ce70ULL;
    w.pc = 0x7f2e28c5b2ecULL;
    w.tls = 0x7f2e2425d6c0ULL;
    regions_thread_private(&w, &sh, 100);
    assert_int_equal(w.priv.source, TL_REGS_PTRACE);
    assert_true(w.priv.tls_known && w.priv.tls == 0x7f2e2425d6c0ULL);
    assert_true(w.priv.stack_start == 0x7f2e23a5e000ULL);
    shared_clear(&sh);
}

static void main_thread_without_sp_gets_stack(void **state)
{
    (void)state;
    tl_shared sh;
    load_shared("maps-shared_target.txt", &sh);
    tl_thread m;
    memset(&m, 0, sizeof m);
    m.tid = 100;
    m.syscall.valid = true;
    m.syscall.running = true;
    regions_thread_private(&m, &sh, 100);
    assert_int_equal(m.priv.source, TL_REGS_NONE);
    assert_true(m.priv.stack_known && m.priv.main_stack);
    assert_true(m.priv.stack_start == 0x7ffc806fb000ULL);
    tl_thread other = m;
    other.tid = 101;
    regions_thread_private(&other, &sh, 100);   /* a running worker: its stack is unknown */
    assert_false(other.priv.stack_known);
    shared_clear(&sh);
}

static void sums_per_class(void **state)
{
    (void)state;
    tl_shared sh;
    load_shared("maps-shared_target.txt", &sh);
    uint64_t sps[] = {0x7f2e24a5de70ULL, 0x7f2e2425ce70ULL, 0x7f2e23a5be70ULL};
    for (int i = 0; i < 3; i++) {
        tl_thread t = blocked_thread(101 + i, sps[i], 0);
        regions_thread_private(&t, &sh, 100);
    }
    regions_sum(&sh);
    assert_int_equal(sh.by_class[TL_REGION_STACK].nregions, 4);    /* 3 workers + [stack] */
    assert_true(sh.by_class[TL_REGION_STACK].mapped_bytes == 3 * 8388608ULL + 0x21000);
    assert_int_equal(sh.by_class[TL_REGION_HEAP].nregions, 3);
    assert_true(sh.by_class[TL_REGION_HEAP].mapped_bytes >= 64ULL * 1024 * 1024);
    assert_int_equal(sh.by_class[TL_REGION_GUARD].nregions, 3);
    uint64_t total = 0;
    size_t n = 0;
    for (int c = 0; c < TL_REGION_NCLASSES; c++) {
        total += sh.by_class[c].mapped_bytes;
        n += sh.by_class[c].nregions;
    }
    assert_int_equal(n, 31);
    uint64_t expect = 0;
    for (size_t i = 0; i < sh.nregions; i++)
        expect += sh.regions[i].end - sh.regions[i].start;
    assert_true(total == expect);
    shared_clear(&sh);
}

/* regions_read on this very process and its parent, read first by the process stage as the
 * sampler does (it reads status once, signal masks included): the platform reader for real,
 * and the option that limits it to one process. */
static void reads_live_processes(void **state)
{
    (void)state;
    tl_snapshot snap;
    memset(&snap, 0, sizeof snap);
    tl_process procs[2];
    memset(procs, 0, sizeof procs);
    procs[0].pid = getpid();
    procs[1].pid = getppid();
    snap.procs = procs;
    snap.nprocs = 2;
    tl_error err = {0};
    platform_reader *reader;
    assert_int_equal(platform_reader_open(&reader, false, &err), TL_OK);
    assert_int_equal(platform_read_process(reader, &procs[0], &err), TL_OK);
    assert_int_equal(platform_read_process(reader, &procs[1], &err), TL_OK);
    platform_reader_close(reader);
    /* allocated last, once the reader's own mappings came and went */
    char *block = malloc(8u << 20);
    assert_non_null(block);
    memset(block, 1, 8u << 20);
    assert_int_equal(regions_read(&snap, getpid(), &err), TL_OK);
    assert_true(procs[0].shared.valid);
    assert_false(procs[1].shared.valid);                /* not the one asked for */
    tl_region *r = regions_find(&procs[0].shared, (uint64_t)(uintptr_t)block);
    assert_non_null(r);
    assert_int_equal(r->cls, TL_REGION_HEAP);
    assert_true(procs[0].shared.nfds >= 3 && procs[0].shared.rollup.valid);
    assert_true(procs[0].shared.sig_valid);
    shared_clear(&procs[0].shared);
    assert_int_equal(regions_read(&snap, 0, &err), TL_OK);
    assert_true(procs[0].shared.valid && procs[1].shared.valid);
    process_clear(&procs[0]);
    process_clear(&procs[1]);
    for (size_t i = 0; i < snap.nnotes; i++)
        free(snap.notes[i]);
    free(snap.notes);
    free(block);
}

/* An ELF header and program headers as a module has them in memory. */
static size_t fake_elf(unsigned char *buf, size_t cap, uint16_t phnum)
{
    memset(buf, 0, cap);
    Elf64_Ehdr eh = {.e_phoff = sizeof(Elf64_Ehdr), .e_phentsize = sizeof(Elf64_Phdr), .e_phnum = phnum};
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = tl_host_big_endian() ? ELFDATA2MSB : ELFDATA2LSB;   /* structs copied as the host has them */
    memcpy(buf, &eh, sizeof eh);
    Elf64_Phdr ph[3] = {
        {.p_type = PT_LOAD, .p_vaddr = 0, .p_memsz = 0x1000},
        {.p_type = PT_DYNAMIC, .p_vaddr = 0x9000, .p_memsz = 0x100000},   /* not a load: ignored */
        {.p_type = PT_LOAD, .p_vaddr = 0x3000, .p_memsz = 0x2500},        /* data + bss */
    };
    memcpy(buf + sizeof eh, ph, sizeof ph);
    return sizeof eh + sizeof ph;
}

static void module_image_from_headers(void **state)
{
    (void)state;
    unsigned char buf[512];
    size_t len = fake_elf(buf, sizeof buf, 3);
    uint64_t end = 0;
    assert_true(module_image_end(buf, len, 0x7f0000000000, &end));
    assert_int_equal(end, 0x7f0000005500);
    assert_false(module_image_end(buf, len - 1, 0x7f0000000000, &end));   /* headers cut short */
    assert_false(module_image_end(buf, 10, 0x7f0000000000, &end));
    fake_elf(buf, sizeof buf, 0);
    assert_false(module_image_end(buf, len, 0x7f0000000000, &end));       /* no program headers */
    fake_elf(buf, sizeof buf, MODULE_IMAGE_PHDRS_MAX + 1);
    assert_false(module_image_end(buf, sizeof buf, 0x7f0000000000, &end));
    len = fake_elf(buf, sizeof buf, 3);
    buf[EI_CLASS] = ELFCLASS32;
    assert_false(module_image_end(buf, len, 0x7f0000000000, &end));
    len = fake_elf(buf, sizeof buf, 3);
    buf[0] = 0;
    assert_false(module_image_end(buf, len, 0x7f0000000000, &end));       /* not ELF */
    len = fake_elf(buf, sizeof buf, 3);
    assert_false(module_image_end(buf, len, UINT64_MAX - 0x1000, &end));  /* would wrap */
}

/* module_eh_frame_hdr on this process's own modules, from their headers as mapped, against
 * the program headers the dynamic linker reports (dl_iterate_phdr). */
typedef struct eh_check {
    size_t modules, checked;
} eh_check;

static int check_module(struct dl_phdr_info *info, size_t size, void *arg)
{
    (void)size;
    eh_check *c = arg;
    uint64_t lo = UINT64_MAX, want = 0;
    for (size_t i = 0; i < info->dlpi_phnum; i++) {
        if (info->dlpi_phdr[i].p_type == PT_LOAD && info->dlpi_phdr[i].p_vaddr < lo)
            lo = info->dlpi_phdr[i].p_vaddr;
        if (info->dlpi_phdr[i].p_type == PT_GNU_EH_FRAME)
            want = info->dlpi_addr + info->dlpi_phdr[i].p_vaddr;
    }
    c->modules++;
    if (lo == UINT64_MAX || !want)
        return 0;   /* the vDSO of some kernels has none */
    uint64_t base = info->dlpi_addr + (lo & ~0xfffULL), got = 0;
    /* the headers are in the first page of the module's first mapping */
    assert_true(module_eh_frame_hdr((const unsigned char *)(uintptr_t)base, 4096, base, &got));
    assert_true(got == want);
    c->checked++;
    return 0;
}

static void eh_frame_hdr_of_own_modules(void **state)
{
    (void)state;
    eh_check c = {0};
    dl_iterate_phdr(check_module, &c);
    assert_true(c.modules >= 3);   /* the test, libc, ld.so at least */
    assert_true(c.checked >= 3);
    unsigned char buf[512];
    size_t len = fake_elf(buf, sizeof buf, 3);
    uint64_t got;
    assert_false(module_eh_frame_hdr(buf, len, 0x7f0000000000, &got));   /* no PT_GNU_EH_FRAME */
    assert_false(module_eh_frame_hdr(buf, 10, 0x7f0000000000, &got));
}

/* This process's regions, read and classified. */
static tl_shared read_self(void)
{
    tl_snapshot snap;
    memset(&snap, 0, sizeof snap);
    tl_process proc;
    memset(&proc, 0, sizeof proc);
    proc.pid = getpid();
    snap.procs = &proc;
    snap.nprocs = 1;
    tl_error err = {0};
    assert_int_equal(regions_read(&snap, getpid(), &err), TL_OK);
    for (size_t i = 0; i < snap.nnotes; i++)
        free(snap.notes[i]);
    free(snap.notes);
    return proc.shared;
}

/* An 8 MiB block mapped right where a library's image ends: adjacent to its data (or merged
 * by the kernel with its bss region), it is still heap, not the library's bss. */
static void memory_after_a_module_image_is_heap(void **state)
{
    (void)state;
    enum { BLOCK = 8u << 20 };
    tl_shared sh = read_self();
    char *block = MAP_FAILED;
    uint64_t image_end = 0;
    for (size_t i = 0; i + 1 < sh.nregions && block == MAP_FAILED; i++) {
        const tl_region *r = &sh.regions[i];
        if (r->cls != TL_REGION_DATA || !r->image_end || !r->path)
            continue;
        uint64_t at = (r->image_end + 0xfff) & ~0xfffULL;
        void *want = (void *)(uintptr_t)at;
        void *got = mmap(want, BLOCK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        if (got == want) {
            block = got;
            image_end = r->image_end;
        } else if (got != MAP_FAILED) {
            munmap(got, BLOCK);   /* an old kernel placed it elsewhere */
        }
    }
    shared_clear(&sh);
    if (block == MAP_FAILED)
        skip_because("no library here is followed by free address space");
    memset(block, 1, BLOCK);
    sh = read_self();
    const tl_region *r = regions_find(&sh, (uint64_t)(uintptr_t)block);
    assert_non_null(r);
    assert_int_equal(r->cls, TL_REGION_HEAP);
    const tl_region *before = regions_find(&sh, (uint64_t)(uintptr_t)block - 1);
    assert_non_null(before);   /* the library's data or bss, right before */
    assert_int_equal(before == r ? TL_REGION_HEAP : before->cls, before == r ? TL_REGION_HEAP : TL_REGION_DATA);
    assert_true(image_end <= (uint64_t)(uintptr_t)block);
    shared_clear(&sh);
    munmap(block, BLOCK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(classifies_saved_map),
        cmocka_unit_test(classifies_edge_cases),
        cmocka_unit_test(thread_stacks_from_syscall_sp),
        cmocka_unit_test(registers_win_over_syscall),
        cmocka_unit_test(main_thread_without_sp_gets_stack),
        cmocka_unit_test(sums_per_class),
        cmocka_unit_test(reads_live_processes),
        cmocka_unit_test(memory_after_a_module_image_is_heap),
        cmocka_unit_test(module_image_from_headers),
        cmocka_unit_test(eh_frame_hdr_of_own_modules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
