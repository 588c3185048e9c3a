/* test.h - a tiny test harness: assertion macros that print both values and
 * the place, a table of named tests, and a main that runs all of them or the
 * ones named on the command line.  Exit 0 = pass, 1 = fail, 77 = skipped. */
#ifndef GLIDER_TEST_H
#define GLIDER_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEST_SKIP 77

#define FAILF(...)                                                        \
    do {                                                                  \
        fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                   \
        fprintf(stderr, __VA_ARGS__);                                     \
        fputc('\n', stderr);                                              \
        return 1;                                                         \
    } while (0)

#define ASSERT(expr)                                                      \
    do {                                                                  \
        if (!(expr))                                                      \
            FAILF("assertion failed: %s", #expr);                         \
    } while (0)

#define ASSERT_INT_OP(a, op, b)                                           \
    do {                                                                  \
        long long a_ = (long long)(a), b_ = (long long)(b);               \
        if (!(a_ op b_))                                                  \
            FAILF("%s %s %s: %lld vs %lld", #a, #op, #b, a_, b_);         \
    } while (0)

#define ASSERT_EQ(a, b) ASSERT_INT_OP(a, ==, b)
#define ASSERT_NE(a, b) ASSERT_INT_OP(a, !=, b)
#define ASSERT_LT(a, b) ASSERT_INT_OP(a, <, b)
#define ASSERT_LE(a, b) ASSERT_INT_OP(a, <=, b)
#define ASSERT_GT(a, b) ASSERT_INT_OP(a, >, b)
#define ASSERT_GE(a, b) ASSERT_INT_OP(a, >=, b)

#define ASSERT_U64_EQ(a, b)                                               \
    do {                                                                  \
        uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);                  \
        if (a_ != b_)                                                     \
            FAILF("%s == %s: %" PRIu64 " vs %" PRIu64, #a, #b, a_, b_);   \
    } while (0)

#define ASSERT_STR_EQ(a, b)                                               \
    do {                                                                  \
        const char *a_ = (a), *b_ = (b);                                  \
        if (!a_ || !b_ || strcmp(a_, b_) != 0)                            \
            FAILF("%s == %s: \"%s\" vs \"%s\"", #a, #b, a_ ? a_ : "(null)", \
                  b_ ? b_ : "(null)");                                    \
    } while (0)

/* 'hay' contains 'needle'. */
#define ASSERT_CONTAINS(hay, needle)                                      \
    do {                                                                  \
        const char *h_ = (hay), *n_ = (needle);                           \
        if (!h_ || !strstr(h_, n_))                                       \
            FAILF("\"%s\" does not contain \"%s\"", h_ ? h_ : "(null)", n_); \
    } while (0)

/* Checks an engine call returned 0, printing its error otherwise. */
#define ASSERT_OK(call, errp)                                             \
    do {                                                                  \
        int rc_ = (call);                                                 \
        if (rc_ != 0)                                                     \
            FAILF("%s failed (%d): %s", #call, rc_, (errp)->msg);         \
    } while (0)

#define SKIP(...)                                                         \
    do {                                                                  \
        fprintf(stderr, "SKIP: ");                                        \
        fprintf(stderr, __VA_ARGS__);                                     \
        fputc('\n', stderr);                                              \
        return TEST_SKIP;                                                 \
    } while (0)

struct test_case {
    const char *name;
    int (*fn)(void);
};

#define TEST_MAIN(table)                                                  \
    int main(int argc, char **argv)                                       \
    {                                                                     \
        int failed = 0, passed = 0, skipped = 0;                          \
        size_t n = sizeof(table) / sizeof((table)[0]);                    \
        for (size_t i = 0; i < n; i++) {                                  \
            int want = argc < 2;                                          \
            for (int a = 1; a < argc; a++)                                \
                if (strcmp(argv[a], (table)[i].name) == 0)                \
                    want = 1;                                             \
            if (!want)                                                    \
                continue;                                                 \
            int rc = (table)[i].fn();                                     \
            const char *v = rc == 0 ? "ok" : rc == TEST_SKIP ? "skip" : "FAIL"; \
            printf("%-4s %s\n", v, (table)[i].name);                      \
            fflush(stdout);                                               \
            if (rc == 0)                                                  \
                passed++;                                                 \
            else if (rc == TEST_SKIP)                                     \
                skipped++;                                                \
            else                                                          \
                failed++;                                                 \
        }                                                                 \
        printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped); \
        if (failed)                                                       \
            return 1;                                                     \
        return passed == 0 && skipped > 0 ? TEST_SKIP : 0;                \
    }

#endif
