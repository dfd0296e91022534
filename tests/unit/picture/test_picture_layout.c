/* The picture's layout (src/picture/picture_layout.c) on made-up address spaces: proportional
 * heights with a label line as the least, huge gaps folded, low addresses at the bottom, and
 * 60 000 distinct mappings grouped into a readable number of blocks without losing a stack. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "picture_int.h"

#define PAGE 4096ULL

static tl_region *add(tl_process *p, uint64_t start, uint64_t size, tl_region_class cls, const char *path)
{
    tl_shared *sh = &p->shared;
    tl_region *r = &sh->regions[sh->nregions++];
    *r = (tl_region){.start = start, .end = start + size, .cls = cls, .path = (char *)path};
    return r;
}

static void check_band(const pic_column *col)
{
    double sum = 0;
    for (size_t i = 0; i < col->nblocks; i++) {
        const pic_block *b = &col->blocks[i];
        sum += b->h;
        if (i) {
            assert_int_equal(col->blocks[i - 1].end, b->start);   /* contiguous: gaps are blocks */
            assert_true(b->y < col->blocks[i - 1].y);             /* higher address, higher up */
        }
        if (!b->gap)
            assert_true(b->h >= PIC_MIN_BLOCK_H - 1e-9);
    }
    assert_true(sum > col->band_h - 0.5 && sum < col->band_h + 0.5);
}

static void test_small_map_in_proportion(void **state)
{
    (void)state;
    tl_region regions[8];
    tl_process p = {.shared = {.valid = true, .regions = regions}};
    add(&p, 0x400000, 4 * PAGE, TL_REGION_CODE, "/bin/prog");
    add(&p, 0x404000, 2 * PAGE, TL_REGION_DATA, "/bin/prog");
    add(&p, 0x500000, 256 * PAGE, TL_REGION_HEAP, "[heap]");
    add(&p, 0x7f0000000000, 2048 * PAGE, TL_REGION_STACK, NULL)->stack_tid = 7;
    add(&p, 0x7f0000800000, 4096 * PAGE, TL_REGION_STACK, NULL)->stack_tid = 8;   /* twice as big */
    pic_column col;
    assert_true(layout_column(&col, &p));
    assert_int_equal(col.nreal, 5);
    assert_int_equal(col.nfolded, 0);
    check_band(&col);
    const pic_block *s7 = layout_block_of(&col, 0x7f0000000000), *s8 = layout_block_of(&col, 0x7f0000800000);
    assert_non_null(s7);
    assert_non_null(s8);
    assert_true(s8->h > 1.9 * s7->h && s8->h < 2.1 * s7->h);
    const pic_block *gap = layout_block_of(&col, 0x600000);   /* heap .. stacks: ~127 TiB */
    assert_non_null(gap);
    assert_true(gap->gap && gap->folded);
    assert_true(layout_y_of(&col, 0x400000) > layout_y_of(&col, 0x7f0000000000));   /* low at the bottom */
    layout_free(&col);
}

static void test_many_mappings_grouped(void **state)
{
    (void)state;
    enum { N = 60000, STACKS = 5 };
    tl_region *regions = calloc(N + STACKS, sizeof *regions);
    char (*paths)[24] = calloc(N, sizeof *paths);
    assert_non_null(regions);
    assert_non_null(paths);
    tl_process p = {.shared = {.valid = true, .regions = regions}};
    uint64_t a = 0x10000000;
    for (int i = 0; i < N; i++) {   /* distinct files with a page between: nothing merges */
        snprintf(paths[i], sizeof paths[i], "/lib/lib%d.so", i);
        add(&p, a, PAGE, i % 2 ? TL_REGION_CODE : TL_REGION_FILE, paths[i]);
        a += 2 * PAGE;
    }
    a = 0x7f0000000000;
    for (int i = 0; i < STACKS; i++, a += 0x900000)
        add(&p, a, 0x800000, TL_REGION_STACK, NULL)->stack_tid = 100 + i;
    pic_column col;
    assert_true(layout_column(&col, &p));
    check_band(&col);
    assert_true(col.nreal <= PIC_MAX_BLOCKS + 2);
    assert_true(col.nfolded >= N - PIC_MAX_BLOCKS);
    size_t in_blocks = 0, grouped = 0;
    for (size_t i = 0; i < col.nblocks; i++) {
        in_blocks += col.blocks[i].nregions;
        grouped += col.blocks[i].grouped;
    }
    assert_int_equal(in_blocks, N + STACKS);   /* every region is in some block */
    assert_true(grouped >= 1);
    for (int i = 0; i < STACKS; i++) {
        const pic_block *b = layout_block_of(&col, 0x7f0000000000 + (uint64_t)i * 0x900000);
        assert_non_null(b);
        assert_false(b->grouped);
        assert_int_equal(b->cls, TL_REGION_STACK);
    }
    layout_free(&col);
    free(regions);
    free(paths);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_map_in_proportion),
        cmocka_unit_test(test_many_mappings_grouped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
