/* fuzz_life106.c - libFuzzer target: the Life 1.06 reader, then a round trip
 * through the RLE writer (Glider does not write Life 1.06). */
#include "fuzz.h"

#include "../../engine/cells.h"
#include "../../engine/rle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pattern *p = fuzz_load(data, size, life106_parse);
    if (p) {
        fuzz_roundtrip(p, rle_write, rle_parse, FUZZ_SAME_RULE);
        pattern_destroy(p);
    }
    return 0;
}
