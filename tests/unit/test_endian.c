/* The parsers of target-written binary data on samples of both byte orders, on every host:
 * s390x is big-endian, so there the futex words, glibc's 64-bit condvar counters and sem_t
 * halves, the ELF headers of mapped modules, the kernel's /proc/net address words and the
 * JVM's hsperfdata numbers are all big-endian. Each sample is written with an explicit byte
 * order (tl_store_uint), the same object in both orders must decode the same, and where the
 * order changes the layout (sem_t) or a misread would change the answer, that is checked too. */
#include <elf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "platform/byte_order.h"
#include "platform/linux/fdnet_parse.h"
#include "platform/linux/jvm_perf.h"
#include "platform/linux/module_image.h"
#include "waits_futex.h"

#define LIVE_TID 4242
#define FUTEX_WAITERS_BIT 0x80000000u

static const bool orders[2] = {false, true};

static void test_load_store(void **state)
{
    (void)state;
    unsigned char b[8];
    tl_store_uint(b, 0x0102030405060708ull, 8, true);
    assert_memory_equal(b, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
    assert_true(tl_load_uint(b, 8, true) == 0x0102030405060708ull);
    assert_true(tl_load_uint(b, 8, false) == 0x0807060504030201ull);
    tl_store_uint(b, 0x0a0b, 2, false);
    assert_memory_equal(b, "\x0b\x0a", 2);
    uint32_t native = 0x11223344u;
    assert_true(tl_load_uint((const unsigned char *)&native, 4, tl_host_big_endian()) == native);
}

/* ---- ELF headers ---------------------------------------------------------------------------- */

/* An ELF header and three program headers (load, eh_frame, load) in the given order. */
static size_t elf_sample(unsigned char *buf, size_t cap, bool big)
{
    memset(buf, 0, cap);
    memcpy(buf, ELFMAG, SELFMAG);
    buf[EI_CLASS] = ELFCLASS64;
    buf[EI_DATA] = big ? ELFDATA2MSB : ELFDATA2LSB;
    tl_store_uint(buf + offsetof(Elf64_Ehdr, e_phoff), sizeof(Elf64_Ehdr), 8, big);
    tl_store_uint(buf + offsetof(Elf64_Ehdr, e_phentsize), sizeof(Elf64_Phdr), 2, big);
    tl_store_uint(buf + offsetof(Elf64_Ehdr, e_phnum), 3, 2, big);
    static const struct { uint32_t type; uint64_t vaddr, memsz; } ph[3] = {
        {PT_LOAD, 0x0, 0x1000}, {PT_GNU_EH_FRAME, 0x1800, 0x40}, {PT_LOAD, 0x3000, 0x2500}};
    for (size_t i = 0; i < 3; i++) {
        unsigned char *p = buf + sizeof(Elf64_Ehdr) + i * sizeof(Elf64_Phdr);
        tl_store_uint(p + offsetof(Elf64_Phdr, p_type), ph[i].type, 4, big);
        tl_store_uint(p + offsetof(Elf64_Phdr, p_vaddr), ph[i].vaddr, 8, big);
        tl_store_uint(p + offsetof(Elf64_Phdr, p_memsz), ph[i].memsz, 8, big);
    }
    return sizeof(Elf64_Ehdr) + 3 * sizeof(Elf64_Phdr);
}

static void test_elf_headers_both_orders(void **state)
{
    (void)state;
    unsigned char buf[512];
    for (int i = 0; i < 2; i++) {
        size_t len = elf_sample(buf, sizeof buf, orders[i]);
        uint64_t end = 0, eh = 0;
        assert_true(module_image_end(buf, len, 0x3ff00000000, &end));
        assert_true(end == 0x3ff00005500);
        assert_true(module_eh_frame_hdr(buf, len, 0x3ff00000000, &eh));
        assert_true(eh == 0x3ff00001800);
        /* the same bytes under the other EI_DATA: the program headers no longer parse */
        buf[EI_DATA] = orders[i] ? ELFDATA2LSB : ELFDATA2MSB;
        assert_false(module_image_end(buf, len, 0x3ff00000000, &end));
        buf[EI_DATA] = 3;   /* neither order */
        assert_false(module_eh_frame_hdr(buf, len, 0x3ff00000000, &eh));
    }
}

/* ---- futex words and glibc's layouts --------------------------------------------------------- */

static bool is_live(int tid, void *arg)
{
    (void)arg;
    return tid == LIVE_TID;
}

static const futex_decode_env env = {.is_live = is_live};

static void win_init(futex_window *w, uint64_t addr, bool big)
{
    memset(w, 0, sizeof *w);
    w->addr = addr;
    w->before_ok = true;
    w->big_endian = big;
}

static void put(futex_window *w, int off, uint64_t v, size_t size)
{
    tl_store_uint(w->bytes + FUTEX_WINDOW_BEFORE + off, v, size, w->big_endian);
}

static platform_call futex_call(platform_futex_op op, uint64_t addr, uint32_t val)
{
    return (platform_call){.kind = PLATFORM_CALL_FUTEX, .fd = -1, .addr = addr, .futex_op = op,
                           .futex_val = val, .futex_private = true, .futex_realtime = true};
}

static void test_mutex_and_pi_words(void **state)
{
    (void)state;
    for (int i = 0; i < 2; i++) {
        futex_window w;
        futex_found f;
        win_init(&w, 0x3ffa0001000, orders[i]);
        put(&w, 0, 2, 4);            /* __lock: locked, waiters */
        put(&w, 8, LIVE_TID, 4);     /* __owner */
        platform_call c = futex_call(PLATFORM_FUTEX_WAIT, w.addr, 2);
        waits_futex_decode(&w, &c, &env, &f);
        assert_int_equal(f.kind, TL_WAIT_MUTEX);
        assert_int_equal(f.owner_tid, LIVE_TID);
        /* read in the other order, the owner is a different number */
        w.big_endian = !orders[i];
        waits_futex_decode(&w, &c, &env, &f);
        assert_int_not_equal(f.owner_tid, LIVE_TID);

        win_init(&w, 0x3ffa0002000, orders[i]);
        put(&w, 0, FUTEX_WAITERS_BIT | LIVE_TID, 4);
        c = futex_call(PLATFORM_FUTEX_LOCK_PI, w.addr, 0);
        waits_futex_decode(&w, &c, &env, &f);
        assert_int_equal(f.kind, TL_WAIT_PI_MUTEX);
        assert_int_equal(f.owner_tid, LIVE_TID);
    }
}

/* A condvar whose 64-bit counters only fit when read in the right order: __wseq has its
 * waiters-ever count in the high half (2^31 waiters started), __g1_start a small one. */
static void condvar_sample(futex_window *w, uint64_t base, bool big)
{
    win_init(w, base + 40, big);           /* waiters of group 0 sleep on __g_signals[0] */
    put(w, -40, 0x100000000ull, 8);        /* __wseq */
    put(w, -32, 4, 8);                     /* __g1_start */
    put(w, -24, 2, 4);                     /* __g_refs[0]: one waiter of group 0 */
    put(w, -4, 1u << 3, 4);                /* __wrefs: one waiter, private, realtime */
}

static void test_condvar_counters(void **state)
{
    (void)state;
    for (int i = 0; i < 2; i++) {
        futex_window w;
        futex_found f;
        condvar_sample(&w, 0x3ffa0003000, orders[i]);
        platform_call c = futex_call(PLATFORM_FUTEX_WAIT_BITSET, w.addr, 0);
        waits_futex_decode(&w, &c, &env, &f);
        assert_int_equal(f.kind, TL_WAIT_CONDVAR);
        assert_true(f.base == 0x3ffa0003000);
        w.big_endian = !orders[i];   /* the halves swapped: __wseq >> 1 is 0, no waiter at all */
        waits_futex_decode(&w, &c, &env, &f);
        assert_int_not_equal(f.kind, TL_WAIT_CONDVAR);
    }
}

/* sem_t's 64-bit data: the value is its low half, so the futex word is at sem + 0
 * little-endian and at sem + 4 big-endian, with the waiter count in the other half. */
static void test_semaphore_halves(void **state)
{
    (void)state;
    const uint64_t sem = 0x3ffa0004000;
    for (int i = 0; i < 2; i++) {
        bool big = orders[i];
        futex_window w;
        futex_found f;
        win_init(&w, sem + (big ? 4 : 0), big);
        put(&w, big ? -4 : 0, (uint64_t)3 << 32, 8);   /* data: 3 waiters, value 0 */
        put(&w, big ? 4 : 8, 0, 4);                     /* private */
        platform_call c = futex_call(PLATFORM_FUTEX_WAIT_BITSET, w.addr, 0);
        waits_futex_decode(&w, &c, &env, &f);
        assert_int_equal(f.kind, TL_WAIT_SEMAPHORE);
        assert_true(f.base == sem);
        w.big_endian = !big;   /* the other order's layout does not fit these words */
        waits_futex_decode(&w, &c, &env, &f);
        assert_int_not_equal(f.kind, TL_WAIT_SEMAPHORE);
    }
}

static void test_rwlock_writer(void **state)
{
    (void)state;
    for (int i = 0; i < 2; i++) {
        futex_window w;
        futex_found f;
        win_init(&w, 0x3ffa0005000 + 8, orders[i]);   /* __wrphase_futex */
        put(&w, -8, 0x2 | 0x1, 4);                    /* __readers: write-locked, write phase */
        put(&w, 0, 0x1 | 0x2, 4);                     /* write phase | FUTEX_USED */
        put(&w, 16, LIVE_TID, 4);                     /* __cur_writer */
        platform_call c = futex_call(PLATFORM_FUTEX_WAIT_BITSET, w.addr, 3);
        waits_futex_decode(&w, &c, &env, &f);
        assert_int_equal(f.kind, TL_WAIT_RWLOCK);
        assert_int_equal(f.owner_tid, LIVE_TID);
        assert_true(f.base == 0x3ffa0005000);
    }
}

/* ---- /proc/net address words ------------------------------------------------------------------ */

static void test_net_words(void **state)
{
    (void)state;
    fdnet_socket s;
    /* an s390x kernel prints 127.0.0.1 as the big-endian word 7F000001 */
    assert_true(fdnet_parse_inet_line("   0: 7F000001:B26E 0A000002:01BB 01 0:0 0:0 0 0 0 12", false, true, &s));
    assert_string_equal(s.local, "127.0.0.1:45678");
    assert_string_equal(s.remote, "10.0.0.2:443");
    assert_true(fdnet_parse_inet_line("   0: 0100007F:B26E 0200000A:01BB 01 0:0 0:0 0 0 0 12", false, false, &s));
    assert_string_equal(s.local, "127.0.0.1:45678");
    assert_string_equal(s.remote, "10.0.0.2:443");
    assert_true(fdnet_parse_inet_line("   0: 7F000001:B26E 0A000002:01BB 01 0:0 0:0 0 0 0 12", false, false, &s));
    assert_string_equal(s.local, "1.0.0.127:45678");   /* the order matters */
    assert_true(fdnet_parse_inet_line(
        "   1: 00000000000000000000000000000001:B26F 00000000000000000000000000000000:0000 0A 0:0 0:0 0 0 0 13",
        true, true, &s));
    assert_string_equal(s.local, "[::1]:45679");
    assert_true(fdnet_parse_inet_line(
        "   1: 00000000000000000000000001000000:B26F 00000000000000000000000000000000:0000 0A 0:0 0:0 0 0 0 13",
        true, false, &s));
    assert_string_equal(s.local, "[::1]:45679");
}

/* ---- hsperfdata -------------------------------------------------------------------------------- */

/* A PerfDataPrologue with two entries in the given order; the second is the capability. */
static size_t perf_sample(unsigned char *d, size_t cap, bool big, char capability)
{
    static const char *const names[2] = {"sun.rt.createVmBeginTime", "sun.rt.jvmCapabilities"};
    memset(d, 0, cap);
    memcpy(d, "\xca\xfe\xc0\xc0", 4);   /* the magic is big-endian in both orders */
    d[4] = big ? 0 : 1;
    tl_store_uint(d + 24, 32, 4, big);  /* entry_offset */
    tl_store_uint(d + 28, 2, 4, big);   /* num_entries */
    size_t off = 32;
    for (int i = 0; i < 2; i++) {
        size_t name_len = strlen(names[i]) + 1, elen = (20 + name_len + 8 + 7) & ~(size_t)7;
        tl_store_uint(d + off, elen, 4, big);                  /* entry_length */
        tl_store_uint(d + off + 4, 20, 4, big);                /* name_offset */
        tl_store_uint(d + off + 16, 20 + name_len, 4, big);    /* data_offset */
        memcpy(d + off + 20, names[i], name_len);
        d[off + 20 + name_len] = i == 1 ? (unsigned char)capability : '1';
        off += elen;
    }
    return off;
}

static void test_hsperfdata_both_orders(void **state)
{
    (void)state;
    unsigned char d[512];
    for (int i = 0; i < 2; i++) {
        size_t len = perf_sample(d, sizeof d, orders[i], '1');
        assert_int_equal(jvm_perf_attach_capability(d, len), 1);
        len = perf_sample(d, sizeof d, orders[i], '0');
        assert_int_equal(jvm_perf_attach_capability(d, len), 0);
        d[4] = orders[i] ? 1 : 0;   /* the other order: the offsets point nowhere */
        assert_int_equal(jvm_perf_attach_capability(d, len), -1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_store),
        cmocka_unit_test(test_elf_headers_both_orders),
        cmocka_unit_test(test_mutex_and_pi_words),
        cmocka_unit_test(test_condvar_counters),
        cmocka_unit_test(test_semaphore_halves),
        cmocka_unit_test(test_rwlock_writer),
        cmocka_unit_test(test_net_words),
        cmocka_unit_test(test_hsperfdata_both_orders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
