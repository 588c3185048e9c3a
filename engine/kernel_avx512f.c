/* kernel_avx512f.c - the AVX-512 kernel for CPUs without AVX512-VBMI2: the
 * same source as kernel_avx512.c, compiled again with the neighbour shifts
 * built from plain AVX512F shifts.  Reached through the "avx512" table entry,
 * which calls kernel_avx512f_band when the CPU lacks VBMI2. */
#define KERNEL_AVX512_VBMI2 0
#include "kernel_avx512.c"
