/* The formats of threadlens record and threadlens report --format. */
#ifndef THREADLENS_CLI_RECORD_H
#define THREADLENS_CLI_RECORD_H

#include <stdbool.h>
#include <stdio.h>

#include "format/record.h"

typedef enum record_format { RECORD_FOLDED, RECORD_PPROF, RECORD_SPEEDSCOPE, RECORD_JSONL } record_format;

bool record_format_parse(const char *name, record_format *out);
/* From a file name's suffix: .pb.gz/.pprof/.pb pprof, .speedscope.json/.json speedscope, .jsonl jsonl, else folded. */
record_format record_format_guess(const char *path);
const char *record_format_name(record_format f);
tl_status record_write(const recording *r, record_format f, FILE *out, tl_error *err);

int cmd_record(int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif
