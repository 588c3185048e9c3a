/* suggest.c - edit distance for "did you mean ...?" (see suggest.h). */
#include "suggest.h"

#include <ctype.h>
#include <string.h>

static int same(char a, char b, int fold_case)
{
    if (fold_case)
        return tolower((unsigned char)a) == tolower((unsigned char)b);
    return a == b;
}

int suggest_distance(const char *a, const char *b, size_t max_len,
                     int fold_case)
{
    enum { N = SUGGEST_LEN_MAX };
    if (max_len > N)
        max_len = N;
    size_t n = strlen(a), m = strlen(b);
    if (n >= max_len || m >= max_len)
        return SUGGEST_FAR;
    int d[N][N];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            int v = d[i - 1][j - 1] + !same(a[i - 1], b[j - 1], fold_case);
            if (d[i - 1][j] + 1 < v)
                v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && same(a[i - 1], b[j - 2], fold_case) &&
                same(a[i - 2], b[j - 1], fold_case) && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[n][m];
}
