/* The HotSpot thread dump parser (see java_dump.h). The dump's shape, as printed by
 * Threads::print_on() and JavaThread::print_on() in HotSpot:
 *   "NAME" #ID [TID] daemon prio=P os_prio=O cpu=Cms elapsed=Es tid=0x... nid=N STATUS
 *      java.lang.Thread.State: STATE
 *   	at METHOD(LOCATION)
 *   	- LOCK LINE
 *      Locked ownable synchronizers:      (with -l)
 *   	- <0x...> (a CLASS)
 * VM-internal threads have no #ID and no prio; [TID] and a decimal nid are JDK 19+. The
 * deadlock report ("Found one Java-level deadlock:") follows "JNI global refs". */
#include "java_dump.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jvm_text.h"

typedef enum section { SEC_HEAD, SEC_THREADS, SEC_DEADLOCK, SEC_DEADLOCK_STACKS } section;

typedef struct parser {
    java_dump *d;
    section sec;
    bool in_thread;                   /* d->threads[d->nthreads - 1] is being filled */
    bool owned;                       /* inside "Locked ownable synchronizers:" */
    char *pending_waiter;             /* deadlock edge being read */
    char *pending_what;
    bool oom;
} parser;

static tl_java_thread *cur_thread(parser *ps)
{
    return ps->in_thread ? &ps->d->threads[ps->d->nthreads - 1] : NULL;
}

/* The closing quote of the name: the last `" ` followed by a header field. */
static size_t name_end(jtext line)
{
    static const char *const next[] = {"#", "daemon", "prio=", "os_prio=", "["};
    size_t found = 0;
    for (size_t i = 1; i + 1 < line.n; i++) {
        if (line.p[i] != '"' || line.p[i + 1] != ' ')
            continue;
        jtext rest = {line.p + i + 2, line.n - i - 2};
        for (size_t k = 0; k < sizeof next / sizeof next[0]; k++)
            if (jtext_starts(rest, next[k]))
                found = i;
    }
    return found;
}

/* The token's value after prefix as a number; false when it is not one a JVM could print
 * (the JSON and text writers get only finite numbers, and an int only what fits). */
static bool token_double(jtext tok, const char *prefix, double *out)
{
    char buf[64];
    jtext v = jtext_skip(tok, prefix);
    size_t n = v.n < sizeof buf - 1 ? v.n : sizeof buf - 1;
    memcpy(buf, v.p, n);
    buf[n] = '\0';
    char *end;
    double d = strtod(buf, &end);
    if (end == buf || !isfinite(d))
        return false;
    *out = d;
    return true;
}

static bool token_int(jtext tok, const char *prefix, int *out)
{
    double d;
    if (!token_double(tok, prefix, &d) || d < INT_MIN || d > INT_MAX)
        return false;
    *out = (int)d;
    return true;
}

static bool token_u64(jtext tok, const char *prefix, uint64_t *v)
{
    return jtext_u64(jtext_skip(tok, prefix), v, NULL);
}

static void header_token(jtext tok, tl_java_thread *t, uint64_t *bracket_tid)
{
    uint64_t v;
    if (tok.n > 1 && tok.p[0] == '#' && jtext_u64((jtext){tok.p + 1, tok.n - 1}, &v, NULL)) {
        t->has_id = true;
        t->id = (int64_t)v;
    } else if (tok.n > 2 && tok.p[0] == '[' && jtext_u64((jtext){tok.p + 1, tok.n - 1}, &v, NULL)) {
        *bracket_tid = v;
    } else if (tok.n == 6 && memcmp(tok.p, "daemon", 6) == 0) {
        t->daemon = true;
    } else if (jtext_starts(tok, "prio=")) {
        (void)token_int(tok, "prio=", &t->prio);
    } else if (jtext_starts(tok, "os_prio=")) {
        t->has_os_prio = token_int(tok, "os_prio=", &t->os_prio);
    } else if (jtext_starts(tok, "cpu=")) {
        (void)token_double(tok, "cpu=", &t->cpu_ms);
    } else if (jtext_starts(tok, "elapsed=")) {
        (void)token_double(tok, "elapsed=", &t->elapsed_s);
    }
}

/* Reads the fields after the name; returns the text after nid= (the status). */
static jtext header_fields(jtext rest, tl_java_thread *t)
{
    uint64_t bracket_tid = 0;
    bool have_nid = false;
    while (rest.n > 0) {
        rest = jtext_ltrim(rest);
        const char *sp = memchr(rest.p, ' ', rest.n);
        jtext tok = {rest.p, sp ? (size_t)(sp - rest.p) : rest.n};
        rest = (jtext){rest.p + tok.n, rest.n - tok.n};
        if (jtext_starts(tok, "nid=")) {
            have_nid = token_u64(tok, "nid=", &t->nid);
            break;
        }
        header_token(tok, t, &bracket_tid);
    }
    if (!have_nid)
        t->nid = bracket_tid;
    return jtext_rtrim(jtext_ltrim(rest));
}

static bool parse_header(parser *ps, jtext line)
{
    size_t end = name_end(line);
    if (end == 0)
        return false;
    java_dump *d = ps->d;
    if (!jvm_grow((void **)&d->threads, d->nthreads, sizeof *d->threads, JAVA_MAX_THREADS)) {
        d->dropped++;
        ps->in_thread = false;
        return true;
    }
    tl_java_thread *t = &d->threads[d->nthreads++];
    t->cpu_ms = t->elapsed_s = -1;
    t->name = jtext_dup((jtext){line.p + 1, end - 1});
    jtext status = header_fields((jtext){line.p + end + 2, line.n - end - 2}, t);
    t->status = jtext_dup(status);
    ps->oom |= !t->name || !t->status;
    ps->in_thread = true;
    ps->owned = false;
    return true;
}

static void parse_frame(parser *ps, tl_java_thread *t, jtext at)
{
    if (!jvm_grow((void **)&t->frames, t->nframes, sizeof *t->frames, JAVA_MAX_FRAMES)) {
        t->frames_truncated = true;
        return;
    }
    tl_java_frame *f = &t->frames[t->nframes++];
    const char *open = memchr(at.p, '(', at.n);
    size_t mlen = open ? (size_t)(open - at.p) : at.n;
    f->method = jtext_dup((jtext){at.p, mlen});
    ps->oom |= !f->method;
    if (!open)
        return;
    jtext loc = {open + 1, at.n - mlen - 1};
    if (loc.n > 0 && loc.p[loc.n - 1] == ')')
        loc.n--;
    f->location = jtext_dup(loc);
    ps->oom |= !f->location;
}

static tl_java_lock_kind lock_kind(jtext text)
{
    static const struct { const char *prefix; tl_java_lock_kind kind; } kinds[] = {
        {"locked ", TL_JLOCK_LOCKED},
        {"waiting to lock ", TL_JLOCK_WAITING_TO_LOCK},
        {"waiting on ", TL_JLOCK_WAITING_ON},
        {"parking to wait for ", TL_JLOCK_PARKING},
        {"waiting to re-lock in wait() ", TL_JLOCK_RELOCK},
        {"eliminated ", TL_JLOCK_ELIMINATED},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (jtext_starts(text, kinds[i].prefix))
            return kinds[i].kind;
    return TL_JLOCK_OTHER;
}

/* "<0x...>" address and "(a CLASS)" of a lock line. */
static void lock_object(parser *ps, tl_java_lock *l, jtext text)
{
    const char *lt = memchr(text.p, '<', text.n);
    if (lt) {
        jtext after = {lt + 1, text.n - (size_t)(lt + 1 - text.p)};
        if (!jtext_u64(after, &l->address, NULL))
            l->address = 0;
    }
    const char *a = jtext_find(text, "(a ");
    if (!a)
        return;
    jtext cls = {a + 3, text.n - (size_t)(a + 3 - text.p)};
    const char *close = memchr(cls.p, ')', cls.n);
    if (close)
        cls.n = (size_t)(close - cls.p);
    l->class_name = jtext_dup(cls);
    ps->oom |= !l->class_name;
}

static void parse_lock(parser *ps, tl_java_thread *t, jtext text)
{
    if (t->nframes == 0)
        return;
    tl_java_frame *f = &t->frames[t->nframes - 1];
    if (!jvm_grow((void **)&f->locks, f->nlocks, sizeof *f->locks, JAVA_MAX_LOCKS)) {
        ps->d->dropped++;
        return;
    }
    tl_java_lock *l = &f->locks[f->nlocks++];
    l->kind = lock_kind(text);
    l->text = jtext_dup(text);
    ps->oom |= !l->text;
    lock_object(ps, l, text);
}

static void parse_owned(parser *ps, tl_java_thread *t, jtext text)
{
    if (jtext_starts(text, "None"))
        return;
    if (!jvm_grow((void **)&t->owned_syncs, t->nowned_syncs, sizeof *t->owned_syncs, JAVA_MAX_OWNED)) {
        ps->d->dropped++;
        return;
    }
    t->owned_syncs[t->nowned_syncs] = jtext_dup(text);
    ps->oom |= !t->owned_syncs[t->nowned_syncs++];
}

static void thread_line(parser *ps, jtext line)
{
    tl_java_thread *t = cur_thread(ps);
    jtext body = jtext_rtrim(jtext_ltrim(line));
    if (!t || body.n == 0)
        return;
    if (jtext_starts(body, "java.lang.Thread.State: ")) {
        free(t->state);
        t->state = jtext_dup(jtext_skip(body, "java.lang.Thread.State: "));
        ps->oom |= !t->state;
    } else if (jtext_starts(body, "at ")) {
        parse_frame(ps, t, jtext_skip(body, "at "));
    } else if (jtext_starts(body, "- ")) {
        if (ps->owned)
            parse_owned(ps, t, jtext_skip(body, "- "));
        else
            parse_lock(ps, t, jtext_skip(body, "- "));
    } else if (jtext_starts(body, "Locked ownable synchronizers:")) {
        ps->owned = true;
    }
}

/* ---- the deadlock report ---------------------------------------------------------------- */

static void deadlock_begin(parser *ps)
{
    java_dump *d = ps->d;
    ps->sec = SEC_DEADLOCK;
    if (!jvm_grow((void **)&d->deadlocks, d->ndeadlocks, sizeof *d->deadlocks, JAVA_MAX_DEADLOCKS)) {
        d->dropped++;
        ps->sec = SEC_DEADLOCK_STACKS;   /* ignore it */
        return;
    }
    d->ndeadlocks++;
}

static void deadlock_edge(parser *ps, char *holder)
{
    tl_java_deadlock *dl = &ps->d->deadlocks[ps->d->ndeadlocks - 1];
    if (!ps->pending_waiter || !holder ||
        !jvm_grow((void **)&dl->edges, dl->nedges, sizeof *dl->edges, JAVA_MAX_DEADLOCK_EDGES)) {
        free(holder);
        return;
    }
    tl_java_deadlock_edge *e = &dl->edges[dl->nedges++];
    e->waiter = ps->pending_waiter;
    e->what = ps->pending_what;
    e->holder = holder;
    ps->pending_waiter = ps->pending_what = NULL;
}

/* The text between the first and the last double quote of t. */
static char *quoted(jtext t)
{
    const char *open = memchr(t.p, '"', t.n);
    if (!open)
        return NULL;
    size_t last = t.n;
    while (last > 0 && t.p[last - 1] != '"')
        last--;
    if (last == 0 || t.p + last - 1 <= open)
        return NULL;
    return jtext_dup((jtext){open + 1, (size_t)(t.p + last - 1 - open - 1)});
}

static void deadlock_line(parser *ps, jtext line)
{
    jtext body = jtext_rtrim(jtext_ltrim(line));
    if (line.n > 0 && line.p[0] == '"') {
        free(ps->pending_waiter);
        free(ps->pending_what);
        ps->pending_what = NULL;
        ps->pending_waiter = quoted(body);
    } else if (jtext_starts(body, "waiting ")) {
        if (body.n > 0 && body.p[body.n - 1] == ',')
            body.n--;
        free(ps->pending_what);
        ps->pending_what = jtext_dup(body);
    } else if (jtext_starts(body, "which is held by ")) {
        jtext who = jtext_skip(body, "which is held by ");
        deadlock_edge(ps, who.n && who.p[0] == '"' ? quoted(who) : jtext_dup(who));
    }
}

/* ---- one line, by section --------------------------------------------------------------- */

static void parse_line(parser *ps, jtext line)
{
    if (jtext_starts(line, "Found one Java-level deadlock:")) {
        ps->in_thread = false;
        deadlock_begin(ps);
    } else if (jtext_starts(line, "Java stack information for the threads listed above")) {
        ps->sec = SEC_DEADLOCK_STACKS;
    } else if (ps->sec == SEC_DEADLOCK) {
        deadlock_line(ps, line);
    } else if (ps->sec == SEC_DEADLOCK_STACKS) {
        return;
    } else if (jtext_starts(line, "Full thread dump ") && !ps->d->vm_banner) {
        jtext b = jtext_rtrim(jtext_skip(line, "Full thread dump "));
        if (b.n > 0 && b.p[b.n - 1] == ':')
            b.n--;
        ps->d->vm_banner = jtext_dup(b);
        ps->oom |= !ps->d->vm_banner;
    } else if (line.n > 0 && line.p[0] == '"' && parse_header(ps, line)) {
        ps->sec = SEC_THREADS;
    } else if (jtext_starts(line, "JNI global refs")) {
        ps->in_thread = false;
    } else if (ps->sec == SEC_THREADS) {
        thread_line(ps, line);
    }
}

void java_dump_clear(java_dump *d)
{
    free(d->vm_banner);
    for (size_t i = 0; i < d->nthreads; i++)
        java_thread_clear(&d->threads[i]);
    free(d->threads);
    for (size_t i = 0; i < d->ndeadlocks; i++)
        java_deadlock_clear(&d->deadlocks[i]);
    free(d->deadlocks);
    memset(d, 0, sizeof *d);
}

tl_status java_dump_parse(const char *text, size_t len, java_dump *out, tl_error *err)
{
    memset(out, 0, sizeof *out);
    parser ps = {.d = out, .sec = SEC_HEAD};
    jlines it = {.text = text, .len = len};
    jtext line;
    while (jlines_next(&it, &line))
        parse_line(&ps, line);
    free(ps.pending_waiter);
    free(ps.pending_what);
    for (size_t i = 0; i < out->nthreads; i++)
        out->threads[i].internal = java_thread_is_internal(&out->threads[i]);
    if (ps.oom) {
        java_dump_clear(out);
        return tl_error_set(err, TL_ENOMEM, "out of memory parsing the JVM's thread dump");
    }
    if (!out->vm_banner && out->nthreads == 0) {
        java_dump_clear(out);
        return tl_error_set(err, TL_EINVAL,
                            "the JVM's answer is not a thread dump (no \"Full thread dump\" line, no thread)");
    }
    return TL_OK;
}

bool java_thread_is_internal(const tl_java_thread *t)
{
    static const char *const service[] = {
        "Signal Dispatcher", "Attach Listener", "Service Thread", "Monitor Deflation Thread",
        "Notification Thread", "Sweeper thread", "VM Periodic Task Thread",
    };
    if (!t->has_id)
        return true;              /* not a JavaThread: GC, VM Thread, ... */
    if (!t->name)
        return false;
    if (strstr(t->name, "CompilerThread"))
        return true;
    for (size_t i = 0; i < sizeof service / sizeof service[0]; i++)
        if (!strcmp(t->name, service[i]))
            return true;
    return false;
}

bool java_reply_split(const char *text, size_t len, int *code, const char **body, size_t *body_len)
{
    jlines it = {.text = text, .len = len};
    jtext first;
    if (!jlines_next(&it, &first))
        return false;
    first = jtext_rtrim(first);
    bool neg = first.n > 0 && first.p[0] == '-';
    jtext digits = neg ? (jtext){first.p + 1, first.n - 1} : first;
    uint64_t v;
    size_t used;
    if (!jtext_u64(digits, &v, &used) || used != digits.n || v > 100000)
        return false;
    *code = neg ? -(int)v : (int)v;
    *body = text + it.pos;
    *body_len = len - it.pos;
    return true;
}
