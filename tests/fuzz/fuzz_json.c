/* fuzz_json.c - libFuzzer target: the JSON pattern loader, then a write/read
 * round trip through the JSON saver. */
#include "fuzz.h"

#include "../../engine/pattern_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pattern *p = fuzz_load(data, size, pattern_json_parse);
    if (p) {
        fuzz_roundtrip(p, pattern_json_write, pattern_json_parse,
                       FUZZ_SAME_RULE | FUZZ_SAME_BOUNDS);
        pattern_destroy(p);
    }
    return 0;
}
