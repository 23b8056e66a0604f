/* utf8.h: keeping text that leaves truce valid UTF-8 (JSON outputs, traces, messages): names
 * made from file names, messages of agents and of Lua, cut to a buffer's size. */
#ifndef TRUCE_CORE_UTF8_H
#define TRUCE_CORE_UTF8_H

#include <stddef.h>

/* The length of the well-formed UTF-8 sequence (RFC 3629: no overlongs, no surrogates, nothing
 * above U+10FFFF) starting at s, at most `left` bytes, or 0 when none starts there. */
size_t utf8_sequence(const unsigned char *s, size_t left);

/* 1 when the whole NUL-terminated text is valid UTF-8. */
int utf8_valid(const char *text);

/* Make text valid UTF-8 in place: each byte that starts no valid sequence becomes '?', and a
 * sequence cut at the end (a message cut to its buffer) is dropped. Returns text. */
char *utf8_repair(char *text);

#endif
