/* Builders for the JSON dump, one file each, joined by json.c. Each returns a new reference
 * (NULL when out of memory). Strings go through json_str(), never raw. */
#ifndef THREADLENS_JSON_PARTS_H
#define THREADLENS_JSON_PARTS_H

#include <jansson.h>
#include <stdint.h>

#include "threadlens/groups.h"
#include "threadlens/model.h"

/* A JSON string from target-written bytes (invalid UTF-8 as \xNN text); null for NULL. */
json_t *json_str(const char *s);
/* "0x..." for addresses: JSON numbers lose precision above 2^53. */
json_t *json_hex(uint64_t v);
/* json_object_set_new that remembers a failure in *ok instead of aborting the build. */
void json_put(json_t *obj, const char *key, json_t *value, int *ok);

json_t *json_frames(const tl_thread *t);
json_t *json_kernel_frames(const tl_thread *t);
json_t *json_wait(const tl_thread *t);
json_t *json_deadlocks(const tl_snapshot *s);
json_t *json_stall(const tl_snapshot *s);
json_t *json_java_thread(const tl_thread *t);   /* null when the JVM did not describe it */
json_t *json_jvm(const tl_process *p);          /* null when not a JVM */
/* --shared: put "shared" and "regions" into a process object, "private" into a thread object,
 * when the sampler read them (nothing otherwise). */
void json_put_shared(json_t *obj, const tl_process *p, int *ok);
void json_put_private(json_t *obj, const tl_thread *t, int *ok);

/* Per process "stack_groups" (with "stack_groups_by", "stack_group_failed"); the "summary". */
void json_put_groups(json_t *obj, const tl_process *p, const tl_process_groups *pg, int *ok);
json_t *json_summary(const tl_summary *sum);

/* dump --count (json_history.c): "history" into a thread object when s has a window. */
void json_put_history(json_t *obj, const tl_snapshot *s, const tl_thread *t, int *ok);
json_t *json_window(const tl_snapshot *s);
json_t *json_chains(const tl_snapshot *s);

#endif
