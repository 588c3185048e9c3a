/* fuzz_cells.c - libFuzzer target: the plaintext .cells reader, then round
 * trips through the .cells and RLE writers. */
#include "fuzz.h"

#include "../../engine/cells.h"
#include "../../engine/rle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pattern *p = fuzz_load(data, size, cells_parse);
    if (p) {
        fuzz_roundtrip(p, cells_write, cells_parse, 0);
        fuzz_roundtrip(p, rle_write, rle_parse, FUZZ_SAME_RULE);
        pattern_destroy(p);
    }
    return 0;
}
