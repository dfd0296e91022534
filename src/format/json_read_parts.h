/* Helpers of the saved-dump reader (json_read*.c): a saved file is input from anywhere, so every
 * value is checked for its type and range; what is missing or of the wrong type reads as unset. */
#ifndef THREADLENS_JSON_READ_PARTS_H
#define THREADLENS_JSON_READ_PARTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "threadlens/model.h"

int64_t jr_int(const json_t *o, const char *key, int64_t lo, int64_t hi, int64_t dflt);
uint64_t jr_u64(const json_t *o, const char *key);        /* >= 0 integers, else 0 */
uint64_t jr_hex(const json_t *o, const char *key);        /* "0x..." strings, else 0 */
bool jr_bool(const json_t *o, const char *key);
/* A malloc'd copy of a string value; NULL when absent or null. false only when out of memory. */
bool jr_strdup(const json_t *o, const char *key, char **out);
char jr_state(const json_t *o, const char *key);

/* One process object into p (cleared first); false when out of memory. */
bool jr_process(const json_t *o, tl_process *p);
/* The optional parts of a process / thread object (absent: left unset); false when out of memory. */
bool jr_shared(const json_t *proc, tl_process *p);      /* "shared", "regions" */
bool jr_jvm(const json_t *proc, tl_process *p);         /* "jvm" */
bool jr_private(const json_t *thread, tl_thread *t);    /* "private" (and its "sigmask") */
bool jr_java_thread(const json_t *thread, tl_thread *t);   /* "java" */

#endif
