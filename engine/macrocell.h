/* macrocell.h - Golly's macrocell format (.mc), read only.
 *
 * A macrocell file is a quadtree: after the "[M2]" line and '#' lines (#R
 * the rule, #G the generation, #C comments), each line is a node, numbered
 * from 1 in file order.  A leaf is an 8x8 square written with '.' (dead),
 * '*' (alive) and '$' (end of row); a multi-state file's leaves are
 * "1 a b c d", a 2x2 square of states; any other node is "k nw ne sw se":
 * a square of 2^k cells a side made of four nodes of level k - 1 (0 is the
 * empty one).  The last node is the whole pattern, centred on Golly's
 * origin.  Patterns such as Golly's HashLife samples are huge and sparse:
 * the reader walks only the non-empty nodes, and refuses (naming the file)
 * a pattern over Glider's limits before it allocates any cell. */
#ifndef GLIDER_MACROCELL_H
#define GLIDER_MACROCELL_H

#include <stddef.h>

#include "error.h"
#include "pattern.h"

/* Parses a whole .mc file; errors are "source:line:col: ...". */
int macrocell_parse(const char *data, size_t len, const char *source,
                    struct pattern **out, struct glider_error *err);

#endif
