/* The address-space strip: the process's mappings from low to high addresses, one cell per
 * slice of the map (by mapping, not by bytes: the address space is mostly holes), with each
 * thread's stack marked and the selected thread's stack highlighted. */
#include "ui_state.h"
#include "ui_term.h"

#define STRIP_MAX_W 512

/* Higher wins when several mappings share a cell. */
static int class_rank(tl_region_class c)
{
    switch (c) {
    case TL_REGION_STACK: return 7;
    case TL_REGION_HEAP: return 6;
    case TL_REGION_CODE: return 5;
    case TL_REGION_DATA: return 4;
    case TL_REGION_FILE: return 3;
    case TL_REGION_SHM: return 2;
    case TL_REGION_KERNEL: return 1;
    default: return 0;
    }
}

static char class_char(tl_region_class c)
{
    switch (c) {
    case TL_REGION_CODE: return 'C';
    case TL_REGION_DATA: return 'd';
    case TL_REGION_HEAP: return 'h';
    case TL_REGION_STACK: return 's';
    case TL_REGION_GUARD: return '.';
    case TL_REGION_FILE: return 'f';
    case TL_REGION_SHM: return 'm';
    case TL_REGION_KERNEL: return 'k';
    default: return '-';
    }
}

static bool is_selected_stack(const tl_region *r, const tl_thread *sel)
{
    if (!sel)
        return false;
    if (r->cls == TL_REGION_STACK && r->stack_tid == sel->tid)
        return true;
    return sel->priv.valid && sel->priv.stack_known && r->start == sel->priv.stack_start;
}

/* The character for cell c of w over n regions; *selected when it holds the selected stack. */
static char cell_char(const tl_shared *sh, const tl_thread *sel, int c, int w, bool *selected)
{
    size_t n = sh->nregions;
    size_t from = (size_t)c * n / (size_t)w, to = (size_t)(c + 1) * n / (size_t)w;
    if (to <= from)
        to = from + 1;
    int best = -1;
    char ch = ' ';
    *selected = false;
    for (size_t i = from; i < to && i < n; i++) {
        const tl_region *r = &sh->regions[i];
        if (is_selected_stack(r, sel))
            *selected = true;
        if (class_rank(r->cls) > best) {
            best = class_rank(r->cls);
            ch = class_char(r->cls);
        }
    }
    return *selected ? 'S' : ch;
}

void strip_draw(const tl_process *p, const tl_thread *sel, int y, int x, int w)
{
    const tl_shared *sh = &p->shared;
    if (w > STRIP_MAX_W)
        w = STRIP_MAX_W;
    if (!sh->valid || sh->nregions == 0 || w < 3) {
        term_text(y, x, w, ROLE_DIM, "(no memory map)");
        return;
    }
    term_text(y, x, 1, ROLE_STRIP, "[");
    term_text(y, x + w - 1, 1, ROLE_STRIP, "]");
    for (int c = 0; c < w - 2; c++) {
        bool selected;
        char text[2] = {cell_char(sh, sel, c, w - 2, &selected), 0};
        ui_role role = selected ? ROLE_STRIP_SEL : text[0] == 's' ? ROLE_STRIP_STACK : ROLE_STRIP;
        term_text(y, x + 1 + c, 1, role, text);
    }
}
