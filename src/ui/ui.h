/* The live view (`threadlens top`): the only entry point the command line needs. */
#ifndef THREADLENS_UI_H
#define THREADLENS_UI_H

#include <stdbool.h>
#include <stddef.h>

#include "threadlens/error.h"
#include "threadlens/sampler.h"

typedef struct ui_options {
    const int *pids;          /* roots of the target tree */
    size_t npids;
    unsigned delay_ms;        /* between refreshes (-d SECONDS) */
    unsigned iterations;      /* draw this many refreshes and exit; 0: until quit */
    bool color;               /* false with --no-color or NO_COLOR */
    bool lesson;              /* the guided lesson (--lesson): a sentence per step, Space goes on */
    tl_sampler_options sampler;
    struct tl_snapshot *loaded;   /* top --load FILE: this saved dump, frozen, no sampler (ui_run
                                   * takes it over and frees it) */
    const char *loaded_name;      /* its file name, for the title */
} ui_options;

/* Runs the view until the user quits (q, F10), a signal (INT, TERM, HUP) arrives, the terminal
 * closes or --iterations were drawn. The terminal is restored and every sample finished (no
 * thread left stopped) before it returns. TL_OK, or why the view could not start. */
tl_status ui_run(const ui_options *o, tl_error *err);

/* The signal (INT, TERM, HUP, QUIT) that ended the last ui_run, 0 when none did. */
int ui_exit_signal(void);

/* The key list of the help screen, for `threadlens top --help` too. */
void ui_print_keys(void (*emit)(const char *line, void *ctx), void *ctx);

#endif
