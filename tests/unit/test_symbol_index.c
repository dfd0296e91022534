/* The sorted symbol index that names frames in modules looked up often (libjvm.so): its rules
 * on hand-made entries, then the same names as libdwfl's own search for every function of the
 * libraries this test has loaded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <elfutils/libdwfl.h>

#include "platform/linux/stacks_linux.h"
#include "platform/linux/symbol_index.h"

static const char *name_at(const symbol_index *ix, uint64_t addr)
{
    const symbol_entry *e = symbol_index_find(ix, addr);
    return e ? e->name : "(none)";
}

static void ranges_gaps_and_ends(void **state)
{
    (void)state;
    symbol_index ix = {0};
    assert_true(symbol_index_add(&ix, 0x2000, 0x100, "b", 3));
    assert_true(symbol_index_add(&ix, 0x1000, 0x100, "a", 3));
    assert_true(symbol_index_add(&ix, 0x3000, 0, "sizeless", 3));   /* ignored: no range */
    assert_true(symbol_index_add(&ix, 0x4000, 0x10, "", 3));         /* ignored: no name */
    symbol_index_sort(&ix);
    assert_int_equal(ix.n, 2);
    assert_string_equal(name_at(&ix, 0x1000), "a");
    assert_string_equal(name_at(&ix, 0x10ff), "a");
    assert_string_equal(name_at(&ix, 0x1100), "(none)");   /* the end is not in the range */
    assert_string_equal(name_at(&ix, 0x0fff), "(none)");
    assert_string_equal(name_at(&ix, 0x2080), "b");
    assert_string_equal(name_at(&ix, 0x3000), "(none)");
    assert_string_equal(name_at(&ix, UINT64_MAX), "(none)");
    symbol_index_free(&ix);
    assert_string_equal(name_at(&ix, 0x1000), "(none)");   /* empty after free */
}

/* A symbol inside another names its own range; outside it the enclosing one again. */
static void nested_symbols(void **state)
{
    (void)state;
    symbol_index ix = {0};
    assert_true(symbol_index_add(&ix, 0x1000, 0x1000, "outer", 3));
    assert_true(symbol_index_add(&ix, 0x1400, 0x100, "inner", 1));
    symbol_index_sort(&ix);
    assert_string_equal(name_at(&ix, 0x1010), "outer");
    assert_string_equal(name_at(&ix, 0x1450), "inner");
    assert_string_equal(name_at(&ix, 0x1600), "outer");
    symbol_index_free(&ix);
}

/* At one address: global before weak before local, then the narrower, then the first added. */
static void aliases_at_one_address(void **state)
{
    (void)state;
    symbol_index ix = {0};
    assert_true(symbol_index_add(&ix, 0x1000, 0x80, "local_alias", 1));
    assert_true(symbol_index_add(&ix, 0x1000, 0x80, "weak_alias", 2));
    assert_true(symbol_index_add(&ix, 0x1000, 0x80, "global_name", 3));
    assert_true(symbol_index_add(&ix, 0x1000, 0x40, "narrow_global", 3));
    assert_true(symbol_index_add(&ix, 0x2000, 0x10, "__clone3", 1));
    assert_true(symbol_index_add(&ix, 0x2000, 0x10, "__GI___clone3", 1));
    symbol_index_sort(&ix);
    assert_string_equal(name_at(&ix, 0x1010), "narrow_global");
    assert_string_equal(name_at(&ix, 0x1050), "global_name");   /* outside the narrow one */
    assert_string_equal(name_at(&ix, 0x2004), "__clone3");
    symbol_index_free(&ix);
}

/* The batch's rule (symbol_entry_preferred over the entries as they stream by, no sort) picks
 * what the index finds, on nested, aliased and overlapping symbols at every address. */
static void preferred_matches_the_index(void **state)
{
    (void)state;
    enum { N = 400 };
    static char names[N][16];
    symbol_entry all[N];
    symbol_index ix = {0};
    uint64_t seed = 12345;
    for (int i = 0; i < N; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        uint64_t start = 0x10000 + ((seed >> 33) % 512) * 16;   /* many equal and nested starts */
        uint64_t size = 16 + ((seed >> 20) % 24) * 16;
        int binding = 1 + (int)((seed >> 12) % 3);
        snprintf(names[i], sizeof names[i], "s%d", i);
        all[i] = (symbol_entry){.start = start, .end = start + size, .name = names[i], .binding = binding, .order = (uint32_t)i};
        assert_true(symbol_index_add(&ix, start, size, names[i], binding));
    }
    symbol_index_sort(&ix);
    size_t compared_n = 0;
    for (uint64_t addr = 0xff00; addr < 0x10000 + 512 * 16 + 400 * 16; addr += 8) {
        const symbol_entry *best = NULL;
        for (int i = 0; i < N; i++)
            if (addr >= all[i].start && addr < all[i].end && (!best || symbol_entry_preferred(&all[i], best)))
                best = &all[i];
        const symbol_entry *got = symbol_index_find(&ix, addr);
        if (!got)   /* the index gives up 64 entries back; the batch does not (libdwfl then) */
            continue;
        assert_non_null(best);
        assert_string_equal(best->name, got->name);
        compared_n++;
    }
    assert_true(compared_n > 1000);
    symbol_index_free(&ix);
}

typedef struct compared {
    size_t every;                 /* every Nth symbol (TL_SYMBOL_SAMPLE_EVERY: emulated VMs) */
    size_t modules, addresses, differ;
} compared;

/* Every sized symbol's first, middle and last byte, named by the index and by libdwfl. */
static int compare_module(Dwfl_Module *m, void **userdata, const char *name, Dwarf_Addr start, void *arg)
{
    (void)userdata, (void)name, (void)start;
    compared *c = arg;
    symbol_index ix = {0};
    assert_true(symbols_index_build(m, &ix));
    c->modules++;
    for (size_t i = 0; i < ix.n; i += c->every) {
        const symbol_entry *e = &ix.e[i];
        uint64_t probes[3] = {e->start, e->start + (e->end - e->start) / 2, e->end - 1};
        for (int k = 0; k < 3; k++) {
            GElf_Off off;
            GElf_Sym sym;
            const char *want = dwfl_module_addrinfo(m, probes[k], &off, &sym, NULL, NULL, NULL);
            const symbol_entry *got = symbol_index_find(&ix, probes[k]);
            c->addresses++;
            if (!want || !got || strcmp(want, got->name) != 0 || probes[k] - off != got->start) {
                if (c->differ++ < 5)
                    print_message("differ at %#lx: libdwfl %s, index %s\n", (unsigned long)probes[k],
                                  want ? want : "(none)", got ? got->name : "(none)");
            }
        }
    }
    symbol_index_free(&ix);
    return DWARF_CB_OK;
}

/* The sort (a radix sort by start, then each start's aliases in order) against the rule
 * itself: starts spread over every byte of 64 bits, shuffled, many sharing one start. */
static void sorted_like_the_rule(void **state)
{
    (void)state;
    symbol_index ix = {0};
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    for (int i = 0; i < 5000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        uint64_t start = i % 3 ? (x >> (i % 40)) & ~0xfULL : 0x7f0000001000ULL + (uint64_t)(i % 7) * 16;
        assert_true(symbol_index_add(&ix, start | 1, 1 + (x & 0xff), "f", 1 + (int)(x >> 61) % 3));
    }
    symbol_index_sort(&ix);
    for (size_t i = 1; i < ix.n; i++) {
        const symbol_entry *a = &ix.e[i - 1], *b = &ix.e[i];
        bool in_order = a->start < b->start ||
                        (a->start == b->start &&
                         (a->binding > b->binding ||
                          (a->binding == b->binding && (a->end < b->end || (a->end == b->end && a->order < b->order)))));
        if (!in_order)
            fail_msg("entries %zu and %zu out of order: %#lx/%d/%#lx/%u then %#lx/%d/%#lx/%u", i - 1, i,
                     (unsigned long)a->start, a->binding, (unsigned long)a->end, (unsigned)a->order,
                     (unsigned long)b->start, b->binding, (unsigned long)b->end, (unsigned)b->order);
    }
    symbol_index_free(&ix);
}

static void same_names_as_libdwfl(void **state)
{
    (void)state;
    static char *debuginfo_path = NULL;
    static const Dwfl_Callbacks callbacks = {
        .find_elf = dwfl_linux_proc_find_elf,
        .find_debuginfo = dwfl_standard_find_debuginfo,
        .debuginfo_path = &debuginfo_path,
    };
    Dwfl *dwfl = dwfl_begin(&callbacks);
    assert_non_null(dwfl);
    dwfl_report_begin(dwfl);
    assert_int_equal(dwfl_linux_proc_report(dwfl, getpid()), 0);
    dwfl_report_end(dwfl, NULL, NULL);
    /* Under emulation on a loaded machine the full comparison can outlast any fair bound; the VM
     * compares a sample (every Nth symbol of every module), the host all of them. */
    const char *every = getenv("TL_SYMBOL_SAMPLE_EVERY");
    compared c = {.every = every && atoi(every) > 0 ? (size_t)atoi(every) : 1};
    dwfl_getmodules(dwfl, compare_module, &c, 0);
    print_message("%zu modules, %zu addresses compared, %zu differ\n", c.modules, c.addresses, c.differ);
    assert_true(c.modules >= 3);          /* this program, libc, libdw at least */
    assert_true(c.addresses > 3000 / c.every);
    assert_int_equal(c.differ, 0);
    dwfl_end(dwfl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ranges_gaps_and_ends),
        cmocka_unit_test(nested_symbols),
        cmocka_unit_test(aliases_at_one_address),
        cmocka_unit_test(sorted_like_the_rule),
        cmocka_unit_test(preferred_matches_the_index),
        cmocka_unit_test(same_names_as_libdwfl),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
