/* utf8.c: checking and repairing UTF-8 (RFC 3629), so that every string truce writes into JSON,
 * traces and messages can be read back. */
#include "utf8.h"

#include <string.h>

size_t utf8_sequence(const unsigned char *s, size_t left)
{
    if (left == 0)
        return 0;
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned min, cp;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2, min = 0x80, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, min = 0x800, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, min = 0x10000, cp = c & 0x07;
    else
        return 0;
    if (left < n)
        return 0;
    for (size_t k = 1; k < n; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

int utf8_valid(const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t left = strlen(text);
    while (left) {
        size_t n = utf8_sequence(s, left);
        if (!n)
            return 0;
        s += n;
        left -= n;
    }
    return 1;
}

char *utf8_repair(char *text)
{
    unsigned char *s = (unsigned char *)text;
    size_t left = strlen(text);
    while (left) {
        size_t n = utf8_sequence(s, left);
        if (n) {
            s += n;
            left -= n;
            continue;
        }
        /* a lead byte whose sequence runs past the end: the text was cut there */
        unsigned c = *s;
        size_t want = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
                      : c >= 0xF0 && c <= 0xF4 ? 4
                                               : 0;
        int cut = want > left;
        for (size_t k = 1; cut && k < left; k++)
            cut = (s[k] & 0xC0) == 0x80;
        if (cut) {
            *s = '\0';
            break;
        }
        *s++ = '?';
        left--;
    }
    return text;
}
