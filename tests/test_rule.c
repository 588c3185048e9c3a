/* test_rule.c - parsing and printing B/S rules and Golly suffixes. */
#include "../engine/rule.h"
#include "test.h"

static int roundtrip(const char *in, const char *want)
{
    struct rule r;
    struct glider_error err = {0};
    char buf[RULE_TEXT_MAX];
    ASSERT_OK(rule_parse(in, &r, &err), &err);
    ASSERT_STR_EQ(rule_format(&r, buf, sizeof buf), want);
    return 0;
}

static int test_valid(void)
{
    static const char *const cases[][2] = {
        {"B3/S23", "B3/S23"},          {"b3/s23", "B3/S23"},
        {"B3S23", "B3/S23"},           {"23/3", "B3/S23"}, {"Life", "B3/S23"}, {"LIFE", "B3/S23"},
        {"S23/B3", "B3/S23"},          {"B36/S23", "B36/S23"},
        {"B3678/S34678", "B3678/S34678"}, {"B2/S", "B2/S"},
        {"B3/S12345", "B3/S12345"},    {"/2", "B2/S"},
        {"B0123478/S01234678", "B0123478/S01234678"},
        {"B63/S32", "B36/S23"},        {"12345/3", "B3/S12345"},
        /* One half alone, as Golly reads it (persian-rugs.lif: '#R B234'). */
        {"B234", "B234/S"},            {"b234", "B234/S"},
        {"S23", "B/S23"},              {"s23", "B/S23"},
        {"B234/", "B234/S"},           {"S23/", "B/S23"},
        {"B", "B/S"},                  {"s", "B/S"},
        /* A slash before the first letter, as Golly takes it. */
        {"/S23", "B/S23"},             {"/b3", "B3/S"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (roundtrip(cases[i][0], cases[i][1]))
            FAILF("case %s", cases[i][0]);
    struct rule r;
    ASSERT_OK(rule_parse("B3/S23", &r, NULL), &(struct glider_error){0});
    ASSERT(rule_equal(&r, &RULE_LIFE));
    ASSERT_EQ(rule_next(&r, 0, 3), 1);
    ASSERT_EQ(rule_next(&r, 1, 2), 1);
    ASSERT_EQ(rule_next(&r, 1, 4), 0);
    ASSERT_EQ(rule_next(&r, 0, 2), 0);
    return 0;
}

static int bad(const char *in, const char *want_in_msg)
{
    struct rule r = RULE_LIFE;
    struct glider_error err = {0};
    int rc = rule_parse(in, &r, &err);
    if (rc == 0)
        FAILF("rule '%s' was accepted", in);
    ASSERT_CONTAINS(err.msg, want_in_msg);
    ASSERT(rule_equal(&r, &RULE_LIFE)); /* untouched */
    return 0;
}

static int test_invalid(void)
{
    if (bad("", "empty") || bad("B9/S23", "'9'") || bad("B3/S2x", "'x'") ||
        bad("X3/S23", "'X'") || bad("23", "'/'") ||
        bad("B3/S23/", "'/'") || bad("23/3x", "'x'") ||
        bad("B3x", "'x', expected '/'") || bad("S23/X", "'X'") ||
        bad("B3//S23", "column 4") || bad("B3/B3", "column 4") ||
        bad("S2S3", "column 3") || bad("/S23/B3", "one '/' only") ||
        bad("//S23", "column 2") || bad("/X", "column 2") ||
        bad("W110", "Wolfram's one-dimensional rules are not supported"))
        return 1;
    return 0;
}

static int test_suffix(void)
{
    struct rule r;
    struct rule_bounds b;
    struct glider_error err = {0};
    ASSERT_OK(rule_parse_full("B3/S23:T100,50", &r, &b, &err), &err);
    ASSERT(b.present);
    ASSERT_EQ(b.topo, TOPO_TORUS);
    ASSERT_EQ(b.width, 100);
    ASSERT_EQ(b.height, 50);
    ASSERT_OK(rule_parse_full("b36/s23:P30,20", &r, &b, &err), &err);
    ASSERT_EQ(b.topo, TOPO_PLANE);
    ASSERT_EQ(r.birth, (1 << 3) | (1 << 6));
    ASSERT_OK(rule_parse_full("B3/S23:T20", &r, &b, &err), &err);
    ASSERT_EQ(b.width, 20);
    ASSERT_EQ(b.height, 20);
    ASSERT_OK(rule_parse_full("B3/S23", &r, &b, &err), &err);
    ASSERT(!b.present);
    ASSERT_EQ(rule_parse_full("B3/S23:K10,10", &r, &b, &err), GLIDER_EUNSUPPORTED);
    ASSERT_CONTAINS(err.msg, "Klein bottle");
    ASSERT_EQ(rule_parse_full("B3/S23:C10,10", &r, &b, &err), GLIDER_EUNSUPPORTED);
    ASSERT_CONTAINS(err.msg, "cross-surface");
    ASSERT_EQ(rule_parse_full("B3/S23:S10", &r, &b, &err), GLIDER_EUNSUPPORTED);
    ASSERT_CONTAINS(err.msg, "sphere");
    ASSERT_EQ(rule_parse_full("B3/S23:T10+2,10", &r, &b, &err), GLIDER_EUNSUPPORTED);
    ASSERT_CONTAINS(err.msg, "shifted");
    ASSERT_EQ(rule_parse_full("B3/S23:T0,10", &r, &b, &err), GLIDER_EUNSUPPORTED);
    ASSERT_EQ(rule_parse_full("B3/S23:T70000,10", &r, &b, &err), GLIDER_ELIMIT);
    ASSERT_CONTAINS(err.msg, "size 70000 is over");
    ASSERT_OK(rule_parse_full("B234:T64,64", &r, &b, &err), &err);
    ASSERT_EQ(r.birth, (1 << 2) | (1 << 3) | (1 << 4));
    ASSERT_EQ(r.survive, 0);
    ASSERT_EQ(b.width, 64);
    ASSERT_OK(rule_parse_full("s23:P10,20", &r, &b, &err), &err);
    ASSERT_EQ(r.birth, 0);
    ASSERT_EQ(r.survive, (1 << 2) | (1 << 3));
    ASSERT_EQ(b.topo, TOPO_PLANE);
    ASSERT_EQ(b.height, 20);
    ASSERT_NE(rule_parse_full("B3/S23:T64,64,", &r, &b, &err), 0);
    return 0;
}

/* A size over the limit is quoted as typed, not as a value cut short (it
 * said 999999999 for 99999999999, 123456789 for 123456789012345); an
 * absurdly long one is cut with "...", leaving the rest of the message. */
static int test_suffix_limit_message(void)
{
    struct rule r;
    struct rule_bounds b;
    struct glider_error err = {0};
    ASSERT_EQ(rule_parse_full("B3/S23:T99999999999,5", &r, &b, &err), GLIDER_ELIMIT);
    ASSERT_CONTAINS(err.msg, "bounded grid size 99999999999 is over the limit of 65536");
    ASSERT_EQ(rule_parse_full("B3/S23:T123456789012345", &r, &b, &err), GLIDER_ELIMIT);
    ASSERT_CONTAINS(err.msg, "size 123456789012345 is over");
    ASSERT_EQ(rule_parse_full("B3/S23:P5,65537", &r, &b, &err), GLIDER_ELIMIT);
    ASSERT_CONTAINS(err.msg, "size 65537 is over");
    ASSERT_EQ(rule_parse_full("B3/S23:T00000000000000000000065537,5", &r, &b, &err),
              GLIDER_ELIMIT);
    ASSERT_CONTAINS(err.msg, "size 000000000000000000000655...");
    ASSERT_OK(rule_parse_full("B3/S23:T0000000000000000000000064,5", &r, &b, &err), &err);
    ASSERT_EQ(b.width, 64);
    char text[2100] = "B3/S23:T";
    memset(text + 8, '7', 2000);
    text[2008] = '\0';
    ASSERT_EQ(rule_parse_full(text, &r, &b, &err), GLIDER_ELIMIT);
    ASSERT_CONTAINS(err.msg, "...': bounded grid size 777777777777777777777777... is "
                             "over the limit of 65536");
    ASSERT(strlen(err.msg) < 300);
    ASSERT_NE(rule_parse_full("B3/S23:Q", &r, &b, &err), 0);
    return 0;
}

static const struct test_case tests[] = {
    {"valid", test_valid},
    {"invalid", test_invalid},
    {"suffix", test_suffix},
    {"suffix_limit_message", test_suffix_limit_message},
};

TEST_MAIN(tests)
