/* test_grid.c - the universe: sizes, topology corners, hashing, soups. */
#include "../engine/grid.h"
#include "test.h"
#include "test_util.h"

static int test_limits(void)
{
    struct grid *g;
    struct glider_error err = {0};
    ASSERT_EQ(grid_create(&g, 0, 5, TOPO_TORUS, &err), GLIDER_ELIMIT);
    ASSERT(g == NULL);
    ASSERT_EQ(grid_create(&g, 65537, 5, TOPO_TORUS, &err), GLIDER_ELIMIT);
    ASSERT_CONTAINS(err.msg, "65536");
    ASSERT_CONTAINS(err.msg, "MiB");
    ASSERT_EQ(grid_create(&g, 5, -1, TOPO_PLANE, &err), GLIDER_ELIMIT);
    ASSERT_OK(grid_create(&g, 1, 1, TOPO_TORUS, &err), &err);
    ASSERT_EQ(grid_population(g), 0);
    grid_set(g, 0, 0, 1);
    ASSERT_EQ(grid_population(g), 1);
    /* A 1x1 torus: the cell is its own eight neighbours. */
    ASSERT_EQ(grid_count_neighbours(g, 0, 0), 8);
    grid_destroy(g);
    ASSERT_OK(grid_create(&g, 1, 1, TOPO_PLANE, &err), &err);
    grid_set(g, 0, 0, 1);
    ASSERT_EQ(grid_count_neighbours(g, 0, 0), 0);
    grid_destroy(g);
    return 0;
}

static int test_corners(void)
{
    struct grid *t, *p;
    struct glider_error err = {0};
    ASSERT_OK(grid_create(&t, 70, 5, TOPO_TORUS, &err), &err);
    ASSERT_OK(grid_create(&p, 70, 5, TOPO_PLANE, &err), &err);
    /* Live cells in the four corners. */
    int cx[] = {0, 69, 0, 69}, cy[] = {0, 0, 4, 4};
    for (int i = 0; i < 4; i++) {
        grid_set(t, cx[i], cy[i], 1);
        grid_set(p, cx[i], cy[i], 1);
    }
    /* On the torus every corner touches the three others. */
    for (int i = 0; i < 4; i++) {
        ASSERT_EQ(grid_count_neighbours(t, cx[i], cy[i]), 3);
        ASSERT_EQ(grid_count_neighbours(p, cx[i], cy[i]), 0);
    }
    ASSERT_EQ(grid_get_wrapped(t, -1, -1), 1);
    ASSERT_EQ(grid_get_wrapped(p, -1, -1), 0);
    ASSERT_EQ(grid_get_wrapped(t, 70 * 3, 5 * 7), 1);
    grid_destroy(t);
    grid_destroy(p);
    return 0;
}

static int test_one_row(void)
{
    struct grid *g;
    struct glider_error err = {0};
    ASSERT_OK(grid_create(&g, 200, 1, TOPO_TORUS, &err), &err);
    grid_set(g, 100, 0, 1);
    grid_set(g, 101, 0, 1);
    /* The row above and below is the row itself. */
    ASSERT_EQ(grid_count_neighbours(g, 100, 0), 5); /* itself twice, 101 thrice */
    ASSERT_EQ(grid_count_neighbours(g, 99, 0), 3);
    grid_destroy(g);
    return 0;
}

static int test_copy_equal_hash(void)
{
    struct grid *a, *b, *c;
    struct glider_error err = {0};
    ASSERT_OK(grid_create(&a, 130, 70, TOPO_TORUS, &err), &err);
    ASSERT_OK(grid_create(&b, 130, 70, TOPO_TORUS, &err), &err);
    ASSERT_OK(grid_create(&c, 70, 130, TOPO_TORUS, &err), &err);
    ASSERT(grid_equal(a, b));
    ASSERT_U64_EQ(grid_hash(a), grid_hash(b));
    ASSERT(grid_hash(a) != grid_hash(c)); /* same cells, different size */
    grid_fill_soup(a, 0.5, 42);
    ASSERT(!grid_equal(a, b));
    ASSERT(grid_hash(a) != grid_hash(b));
    ASSERT_OK(grid_copy(b, a), &err);
    ASSERT(grid_equal(a, b));
    ASSERT_U64_EQ(grid_hash(a), grid_hash(b));
    ASSERT_EQ(grid_copy(c, a), GLIDER_EINVAL);
    grid_set(b, 129, 69, !grid_get(b, 129, 69));
    ASSERT(!grid_equal(a, b));
    grid_clear(a);
    ASSERT_EQ(grid_population(a), 0);
    grid_destroy(a);
    grid_destroy(b);
    grid_destroy(c);
    return 0;
}

static int test_soup_reproducible(void)
{
    struct grid *a, *b;
    struct glider_error err = {0};
    ASSERT_OK(grid_create(&a, 257, 99, TOPO_TORUS, &err), &err);
    ASSERT_OK(grid_create(&b, 257, 99, TOPO_TORUS, &err), &err);
    grid_fill_soup(a, 0.3, 7);
    grid_fill_soup(b, 0.3, 7);
    ASSERT(grid_equal(a, b));
    uint64_t pop = grid_population(a);
    /* About 30% of 25443 cells. */
    ASSERT_GT(pop, 7000);
    ASSERT_LT(pop, 8300);
    grid_fill_soup(b, 0.3, 8);
    ASSERT(!grid_equal(a, b));
    /* No bit past the width is ever set. */
    if (!tu_tail_clean(a))
        FAILF("bit past width set");
    grid_destroy(a);
    grid_destroy(b);
    return 0;
}

static int test_bbox(void)
{
    struct grid *g;
    struct glider_error err = {0};
    int x0, y0, x1, y1;
    ASSERT_OK(grid_create(&g, 300, 40, TOPO_PLANE, &err), &err);
    ASSERT(!grid_bbox(g, &x0, &y0, &x1, &y1));
    grid_set(g, 65, 3, 1);
    grid_set(g, 200, 30, 1);
    grid_set(g, 5, 10, 1);
    ASSERT(grid_bbox(g, &x0, &y0, &x1, &y1));
    ASSERT_EQ(x0, 5);
    ASSERT_EQ(y0, 3);
    ASSERT_EQ(x1, 201);
    ASSERT_EQ(y1, 31);
    grid_destroy(g);
    return 0;
}

static int test_topology_names(void)
{
    enum topology t;
    struct glider_error err = {0};
    ASSERT_OK(topology_parse("plane", &t, &err), &err);
    ASSERT_EQ(t, TOPO_PLANE);
    ASSERT_EQ(topology_parse("klein", &t, &err), GLIDER_EINVAL);
    ASSERT_CONTAINS(err.msg, "klein");
    return 0;
}

static const struct test_case tests[] = {
    {"limits", test_limits},
    {"corners", test_corners},
    {"one_row", test_one_row},
    {"copy_equal_hash", test_copy_equal_hash},
    {"soup_reproducible", test_soup_reproducible},
    {"bbox", test_bbox},
    {"topology_names", test_topology_names},
};

TEST_MAIN(tests)
