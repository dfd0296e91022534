/* Freeing the Java view of a JVM (threadlens/java.h). */
#include <stdlib.h>
#include <string.h>

#include "threadlens/java.h"

void java_lock_clear(tl_java_lock *l)
{
    free(l->class_name);
    free(l->text);
    free(l->owner_name);
    memset(l, 0, sizeof *l);
}

void java_frame_clear(tl_java_frame *f)
{
    free(f->method);
    free(f->location);
    for (size_t i = 0; i < f->nlocks; i++)
        java_lock_clear(&f->locks[i]);
    free(f->locks);
    memset(f, 0, sizeof *f);
}

void java_thread_clear(tl_java_thread *t)
{
    free(t->name);
    free(t->state);
    free(t->status);
    for (size_t i = 0; i < t->nframes; i++)
        java_frame_clear(&t->frames[i]);
    free(t->frames);
    for (size_t i = 0; i < t->nowned_syncs; i++)
        free(t->owned_syncs[i]);
    free(t->owned_syncs);
    memset(t, 0, sizeof *t);
}

void java_deadlock_clear(tl_java_deadlock *d)
{
    for (size_t i = 0; i < d->nedges; i++) {
        free(d->edges[i].waiter);
        free(d->edges[i].holder);
        free(d->edges[i].what);
    }
    free(d->edges);
    memset(d, 0, sizeof *d);
}

void jvm_area_clear(tl_jvm_area *a)
{
    free(a->name);
    free(a->detail);
    memset(a, 0, sizeof *a);
}

void jvm_clear(tl_jvm *j)
{
    free(j->vm_banner);
    free(j->error);
    for (size_t i = 0; i < j->nunjoined; i++)
        java_thread_clear(&j->unjoined[i]);
    free(j->unjoined);
    for (size_t i = 0; i < j->ndeadlocks; i++)
        java_deadlock_clear(&j->deadlocks[i]);
    free(j->deadlocks);
    for (size_t i = 0; i < j->nareas; i++)
        jvm_area_clear(&j->areas[i]);
    free(j->areas);
    memset(j, 0, sizeof *j);
}

void java_thread_free(tl_java_thread *t)
{
    if (!t)
        return;
    java_thread_clear(t);
    free(t);
}

void jvm_free(tl_jvm *j)
{
    if (!j)
        return;
    jvm_clear(j);
    free(j);
}
