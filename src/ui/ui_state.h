/* The state of the live view, shared by its files. Key handlers change it and set dirty flags;
 * the loop rebuilds rows and redraws once per pass. */
#ifndef THREADLENS_UI_STATE_H
#define THREADLENS_UI_STATE_H

#include <stdbool.h>
#include <stddef.h>

#include "threadlens/groups.h"
#include "threadlens/model.h"
#include "ui.h"
#include "ui_worker.h"

#define UI_FILTER_MAX 64
#define UI_STATUS_MAX 5120   /* room for a full path in "dump written to PATH" */

typedef enum ui_col {
    COL_TID = 0, COL_NAME, COL_STATE, COL_CPU, COL_USER, COL_SYS, COL_CSW, COL_LASTCPU, COL_PRIO,
    COL_WAIT, COL_COUNT
} ui_col;

typedef enum ui_pane { PANE_NONE = 0, PANE_STACK, PANE_SHARED } ui_pane;
typedef enum ui_mode { MODE_TABLE = 0, MODE_FILTER, MODE_SORT, MODE_HELP } ui_mode;

enum {
    DIRTY_ROWS = 1u << 0,     /* rebuild the row list (new snapshot, sort, filter, tree) */
    DIRTY_DRAW = 1u << 1,     /* redraw the screen */
    DIRTY_REQUEST = 1u << 2,  /* tell the worker what to sample (selection or pane changed) */
    DIRTY_NOW = 1u << 3,      /* ... and to sample at once */
};

typedef struct ui_rate {
    double cpu;               /* % of one CPU */
    double csw;               /* context switches per second */
} ui_rate;

/* One line of the table: a process (thread NULL) or one of its threads. */
typedef struct ui_row {
    const tl_process *proc;
    const tl_thread *thread;
    const ui_rate *rate;      /* NULL for process rows */
    double proc_cpu;          /* process rows: CPU% of all its threads */
    int depth;                /* nesting of the process in the tree */
    bool last;                /* last thread of its process (tree drawing) */
    const tl_stack_group *group;  /* grouped table (g): the group, thread is its first thread */
} ui_row;

/* Which row is selected, by identity, so it follows its thread across refreshes. */
typedef struct ui_sel {
    bool is_proc;
    int id;                   /* tid, or pid of a process row */
} ui_sel;

typedef struct ui_layout {
    int rows, cols;
    int header_y;             /* line of the column titles */
    int table_y, table_h;     /* the thread lines */
    int pane_y, pane_h;       /* the open pane, 0 lines when closed */
    int col_x[COL_COUNT], col_w[COL_COUNT];
    int hist_x, hist_w;       /* the state-history column (key H), 0 wide when hidden */
} ui_layout;

typedef struct ui_state {
    const ui_options *opt;
    ui_worker *worker;
    tl_snapshot *prev, *cur;          /* the two newest samples (rates come from both) */
    ui_result last;                   /* facts about cur's sample (snap moved to cur) */
    ui_rate *rates;                   /* per thread of cur, in snapshot order */
    ui_row *rows;
    size_t nrows, rows_cap;
    ui_sel sel_id;
    size_t sel, top;                  /* selected row, first row shown */
    ui_col sort_col;
    bool sort_desc, tree;
    bool grouped;                     /* g: one row per group of threads */
    tl_groups *groups;                /* of cur, while grouped */
    ui_rate *group_rates;             /* summed per group, while grouped */
    char filter[UI_FILTER_MAX];       /* applied */
    char edit[UI_FILTER_MAX];         /* being typed after '/' */
    bool filter_jump;                 /* a filter was just applied: select its first thread */
    ui_mode mode;
    ui_pane pane;
    bool explain, frozen, quit;
    int sort_menu;                    /* highlighted entry of the F6 menu */
    int pane_scroll;
    unsigned dirty;
    unsigned refreshes;               /* samples drawn */
    bool want_all_stacks;
    char status[UI_STATUS_MAX];       /* one-line message (dump written to ...) */
    int lesson_step;                  /* the guided lesson: 1..4, 5 done, 0 none */
    ui_layout lay;
    bool show_history;                /* H: the state-history column */
    struct ui_history *history;       /* ui_statehist.c: per thread its last HISTORY_LEN states */
} ui_state;

/* ui_statehist.c: the state-history column (key H) */
#define HISTORY_LEN 20
void statehist_update(ui_state *st);   /* after a new snapshot became cur */
const char *statehist_of(const ui_state *st, const tl_thread *t);
void statehist_free(ui_state *st);
void statehist_layout(ui_state *st);   /* after columns_layout: takes its room from WAITING ON */
void statehist_draw_title(const ui_state *st, int y);
void statehist_draw_cell(const ui_state *st, int y, const tl_thread *t, int role);   /* role: a ui_role */

/* ui_rows.c */
void rows_apply_snapshot(ui_state *st, tl_snapshot *snap);
bool rows_rebuild(ui_state *st);
void rows_select_index(ui_state *st, size_t i);
void rows_scroll_into_view(ui_state *st);
const ui_row *rows_selected(const ui_state *st);
/* The selected thread, or the main thread of a selected process row (NULL when none). */
const tl_thread *rows_selected_thread(const ui_state *st, const tl_process **proc);

/* ui_groups.c: the grouped table (by stack once every stack is in a sample, else by state and
 * wait). The selection moves to the first thread of the selected thread's group. */
bool groups_rows_build(ui_state *st);
void groups_rows_free(ui_state *st);
void groups_row_draw(ui_state *st, int y, const ui_row *r, bool selected);

/* ui_columns.c */
const char *columns_title(ui_col c);
const char *columns_long_name(ui_col c);
void columns_layout(ui_layout *lay);
/* The cell text of a thread row (raw: *target says it came from the target and needs escaping). */
void columns_cell(const ui_row *r, ui_col c, char *buf, size_t cap, bool *target);
/* What the thread waits on, for people (raw target text: escape it). */
const char *columns_wait_text(const tl_thread *t, char *buf, size_t cap);
int columns_compare(const ui_row *a, const ui_row *b, ui_col c);
bool columns_right_aligned(ui_col c);
void columns_format_time(uint64_t ms, char *buf, size_t cap);
void columns_format_size(uint64_t bytes, char *buf, size_t cap);

/* ui_dump.c: creates name in the working directory, else in $TMPDIR (or /tmp), exclusively and
 * never through a link (mode 0600); the full path into path. A fd, or -1 (errno says why). */
int dump_create_file(const char *name, char *path, size_t cap);
/* ui_picture.c: key p, the selected process's picture in a new SVG file; the status says where. */
void picture_key(ui_state *st);

/* ui_lesson.c: the guided lesson (ui_options.lesson); Space goes on while it is active. */
void lesson_start(ui_state *st);
bool lesson_active(const ui_state *st);
void lesson_next(ui_state *st);

/* ui_keys.c */
void keys_handle(ui_state *st, int key);
/* ui_view.c */
void view_draw(ui_state *st);
/* ui_table.c */
void table_draw_top(ui_state *st);
void table_draw(ui_state *st);
/* ui_stack.c */
void stack_pane_draw(ui_state *st);
/* ui_shared.c */
void shared_pane_draw(ui_state *st);
/* Lines the pane needs at the current width (title included). */
int shared_pane_lines(const ui_state *st);
/* ui_strip.c */
void strip_draw(const tl_process *p, const tl_thread *sel, int y, int x, int w);
/* ui_help.c */
void help_draw(ui_state *st);
void sort_menu_draw(ui_state *st);
void bar_draw(ui_state *st);
/* ui_dump.c */
void dump_write(ui_state *st);

#endif
