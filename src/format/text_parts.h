/* The parts of the text dump, one file each, joined by text.c. */
#ifndef THREADLENS_TEXT_PARTS_H
#define THREADLENS_TEXT_PARTS_H

#include <stdbool.h>
#include <stdio.h>

#include "threadlens/format.h"
#include "threadlens/groups.h"

void text_frames(FILE *out, const tl_thread *t);
void text_wait(FILE *out, const tl_thread *t);
void text_deadlocks(FILE *out, const tl_snapshot *s);
void text_stats(FILE *out, const tl_snapshot *s);
void text_shared(FILE *out, const tl_process *p);    /* --shared: what the threads share */
void text_private(FILE *out, const tl_thread *t);    /* --shared: what one thread owns */
void text_java_process(FILE *out, const tl_process *p); /* a JVM's banner and shared areas */
void text_java_thread(FILE *out, const tl_thread *t);   /* its Java name, state, frames */
/* The same, its Java frames left out when !frames (--mixed prints them inside the native ones). */
void text_java_thread_part(FILE *out, const tl_thread *t, bool frames);
struct tl_java_frame;
void text_java_frame(FILE *out, const struct tl_java_frame *f, const char *suffix);
/* --mixed (text_frames.c): where in t's native frames its Java frames go; false if nowhere. */
bool text_mixed_run(const tl_thread *t, size_t *lo, size_t *hi, size_t *helpers);
void text_frames_mixed(FILE *out, const tl_thread *t);

/* Stack groups and the summary (text_summary.c, text_groups.c). */
void text_summary(FILE *out, const tl_snapshot *s, const tl_groups *g, const tl_summary *sum);
void text_group_block(FILE *out, const tl_snapshot *s, const tl_groups *g, const tl_stack_group *grp);
void text_group_states(FILE *out, const tl_snapshot *s, const tl_stack_group *grp);
/* The group's distinct waits, at most max, the first count followed by unit. */
void text_group_waits(FILE *out, const tl_snapshot *s, const tl_stack_group *grp, size_t max, const char *unit);
/* A JVM group's Java states, at most max; false (nothing written) for a native group. */
bool text_group_java_states(FILE *out, const tl_snapshot *s, const tl_stack_group *grp, size_t max);

/* dump --count (text_history.c): a thread's verdict line; the summary's verdict block. */
void text_verdict_line(FILE *out, const tl_snapshot *s, const tl_thread *t);
void text_verdicts(FILE *out, const tl_snapshot *s);

#endif
