/* Making target-written bytes safe: thread names, command lines, paths and symbol names come
 * from the target and may hold terminal escapes or invalid UTF-8. */
#ifndef THREADLENS_ESCAPE_H
#define THREADLENS_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* For a terminal: valid UTF-8 printable text is kept as is (Chinese names print as they are);
 * C0/C1 control characters and DEL become \xNN (C1 as \u0080..\u009f), each byte of invalid
 * UTF-8 becomes \xNN, a backslash becomes \\ so the result is unambiguous.
 * Writes at most cap-1 bytes plus NUL into out (never splitting an escape or a character) and
 * returns the length written. in may be NULL (treated as ""). */
size_t escape_terminal(const char *in, char *out, size_t cap);

/* The same, malloc'd (NULL on allocation failure). */
char *escape_terminal_dup(const char *in);

/* Writes escape_terminal(in) to f. */
void escape_fputs(const char *in, FILE *f);

/* For JSON strings: valid UTF-8 (controls included: the encoder escapes C0, then
 * escape_json_controls_write DEL and C1) is kept;
 * each byte of invalid UTF-8 becomes the text \xNN. malloc'd, NULL on allocation failure. */
char *escape_utf8_dup(const char *in);

/* Writes len bytes of encoded JSON text (an encoder's output, valid UTF-8) to f with DEL and
 * the C1 controls U+0080..U+009F, which the encoder leaves raw and some terminals obey, as
 * \u007f and \u0080..\u009f. Outside strings JSON text is ASCII without DEL, so only string
 * contents change; the meaning of the document does not. */
void escape_json_controls_write(const char *json, size_t len, FILE *f);

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when the bytes there are not valid
 * UTF-8 (overlong, surrogate, beyond U+10FFFF, truncated). s must be NUL-terminated. */
size_t escape_utf8_len(const unsigned char *s);

#endif
