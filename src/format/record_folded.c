/* Brendan Gregg's collapsed stacks: "process;thread;root;…;leaf count", one line per distinct
 * (thread, stack), the input of flamegraph.pl. Names are cleaned of ';' and controls. */
#include "record.h"

#include <stdlib.h>
#include <string.h>

typedef struct pair { uint32_t thread, stack; } pair;

static int cmp_pair(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    if (x->thread != y->thread)
        return (x->thread > y->thread) - (x->thread < y->thread);
    return (x->stack > y->stack) - (x->stack < y->stack);
}

static void put_clean(const char *s, FILE *f)
{
    char *c = record_clean(s, false);
    fputs(c ? c : "?", f);
    free(c);
}

tl_status record_write_folded(const recording *r, FILE *f, tl_error *err)
{
    pair *p = malloc((r->nsamples ? r->nsamples : 1) * sizeof *p);
    if (!p)
        return tl_error_set(err, TL_ENOMEM, "out of memory writing the folded stacks");
    size_t n = 0;
    for (size_t i = 0; i < r->nsamples; i++)
        if (r->samples[i].stack != REC_NONE)
            p[n++] = (pair){r->samples[i].thread, r->samples[i].stack};
    qsort(p, n, sizeof *p, cmp_pair);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && !cmp_pair(&p[i], &p[j]))
            j++;
        const rec_thread *t = &r->threads[p[i].thread];
        const rec_stack *s = &r->stacks[p[i].stack];
        put_clean(t->process, f);
        fprintf(f, "-%d;", t->pid);
        put_clean(t->name, f);
        fprintf(f, "-%d", t->tid);
        for (uint32_t k = 0; k < s->nframes; k++) {
            fputc(';', f);
            put_clean(r->strings[s->frames[k]], f);
        }
        fprintf(f, " %zu\n", j - i);
        i = j;
    }
    free(p);
    if (fflush(f) || ferror(f))
        return tl_error_set(err, TL_EIO, "writing the folded stacks failed");
    return TL_OK;
}
