/* suggest.h - how far apart two names are, for "did you mean ...?"
 * messages (library names in library.c, JSON keys in pattern_json.c). */
#ifndef GLIDER_SUGGEST_H
#define GLIDER_SUGGEST_H

#include <stddef.h>

/* The longest 'max_len' suggest_distance accepts (larger is taken as this). */
#define SUGGEST_LEN_MAX 48

/* No suggestion: the distance given for names that are too long. */
#define SUGGEST_FAR 99

/* The optimal string alignment distance between 'a' and 'b' (insertions,
 * deletions, substitutions and swaps of two neighbours each cost 1),
 * comparing bytes case-insensitively when 'fold_case' is set.  SUGGEST_FAR
 * when either string is 'max_len' bytes or longer.  Each caller decides how
 * close is close enough. */
int suggest_distance(const char *a, const char *b, size_t max_len,
                     int fold_case);

#endif
