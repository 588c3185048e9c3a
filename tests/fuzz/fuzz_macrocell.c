/* fuzz_macrocell.c - libFuzzer target: the macrocell reader, then a round
 * trip through the RLE writer (Glider does not write macrocell). */
#include "fuzz.h"

#include "../../engine/macrocell.h"
#include "../../engine/rle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pattern *p = fuzz_load(data, size, macrocell_parse);
    if (p) {
        fuzz_roundtrip(p, rle_write, rle_parse, FUZZ_SAME_RULE);
        pattern_destroy(p);
    }
    return 0;
}
