/* library.c - the pattern library: finding the patterns directory, loading a
 * pattern by name, listing the library, and the built-in default pattern.
 *
 * Sections: the directory; names; loading; listing; the default pattern. */
#include "library.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pattern_json.h"
#include "suggest.h"
#include "sys.h"

/* ---- The directory ------------------------------------------------------- */

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int put_dir(char *buf, size_t size, const char *dir,
                   struct glider_error *err)
{
    char real[PATH_MAX];
    if (realpath(dir, real))
        dir = real;
    if (strlen(dir) >= size)
        return glider_errorf(err, GLIDER_ELIMIT,
                             "pattern library path too long: %s", dir);
    memcpy(buf, dir, strlen(dir) + 1);
    return 0;
}

int library_dir(char *buf, size_t size, struct glider_error *err)
{
    if (!buf || size == 0)
        return glider_errorf(err, GLIDER_EINVAL, "library_dir: no buffer");
    const char *env = getenv("GLIDER_PATTERNS");
    if (env && *env) {
        if (!is_dir(env))
            return glider_errorf(err, GLIDER_ENOTFOUND,
                                 "GLIDER_PATTERNS=%s is not a directory", env);
        return put_dir(buf, size, env, err);
    }
    /* An installed glider: <prefix>/bin/glider next to
     * <prefix>/share/glider/patterns, wherever <prefix> is now. */
    char exe[PATH_MAX], cand[PATH_MAX + 32];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(cand, sizeof cand, "%s/../share/glider/patterns", exe);
            if (is_dir(cand))
                return put_dir(buf, size, cand, err);
        }
    }
#ifdef GLIDER_PATTERNS_SRC
    if (is_dir(GLIDER_PATTERNS_SRC))
        return put_dir(buf, size, GLIDER_PATTERNS_SRC, err);
#endif
#ifdef GLIDER_PATTERNS_INSTALLED
    if (is_dir(GLIDER_PATTERNS_INSTALLED))
        return put_dir(buf, size, GLIDER_PATTERNS_INSTALLED, err);
#endif
    return glider_errorf(err, GLIDER_ENOTFOUND,
                         "cannot find the pattern library: set "
                         "GLIDER_PATTERNS to its directory");
}

/* ---- Names --------------------------------------------------------------- */

/* A library name in canonical form: lower case, '_' and ' ' as '-'. */
static void canonical(const char *s, char *out, size_t size)
{
    size_t i = 0;
    for (; s[i] && i + 1 < size; i++) {
        char c = (char)tolower((unsigned char)s[i]);
        out[i] = c == '_' || c == ' ' ? '-' : c;
    }
    out[i] = '\0';
}

/* The stem of a pattern file name ("glider.json" -> "glider", "x.rle.gz" ->
 * "x"), or 0 when the name is not a pattern file (hidden, or an extension
 * glider cannot read). */
static int pattern_stem(const char *file, char *stem, size_t size)
{
    if (file[0] == '.' || pattern_format_from_name(file) == PATTERN_UNKNOWN)
        return 0;
    const char *end, *dot = pattern_name_ext(file, &end);
    if (!dot)
        return 0;
    size_t n = (size_t)(dot - file);
    if (n == 0 || n >= size)
        return 0;
    memcpy(stem, file, n);
    stem[n] = '\0';
    return 1;
}

/* File names ordered by their stems ("lwss" before "lwss-on-hwss-soup",
 * although '.' sorts after '-'), then by the whole name. */
static int compare_names(const void *a, const void *b)
{
    const char *p = *(char *const *)a, *q = *(char *const *)b;
    const char *pd = strrchr(p, '.'), *qd = strrchr(q, '.');
    size_t pn = pd ? (size_t)(pd - p) : strlen(p);
    size_t qn = qd ? (size_t)(qd - q) : strlen(q);
    int c = strncasecmp(p, q, pn < qn ? pn : qn);
    if (c == 0 && pn != qn)
        return pn < qn ? -1 : 1;
    return c ? c : strcasecmp(p, q);
}

/* The pattern files in 'dir', sorted by stem: an array of 'count' malloc'd
 * file names (with their extension). */
static int list_files(const char *dir, char ***out, int *count,
                      struct glider_error *err)
{
    *out = NULL;
    *count = 0;
    DIR *d = opendir(dir);
    if (!d) {
        int e = errno;
        return glider_syserrorf(err, GLIDER_EIO, e, "%s: cannot open", dir);
    }
    char **names = NULL;
    int n = 0, cap = 0, rc = 0;
    struct dirent *de;
    char stem[256];
    while ((de = readdir(d))) {
        if (!pattern_stem(de->d_name, stem, sizeof stem))
            continue;
        if (n == cap) {
            int ncap = cap ? cap * 2 : 64;
            char **nn = sys_realloc(names, (size_t)ncap * sizeof *nn);
            if (!nn) {
                rc = glider_errorf(err, GLIDER_ENOMEM, "out of memory");
                break;
            }
            names = nn;
            cap = ncap;
        }
        names[n] = NULL;
        if ((rc = pattern_set_text(&names[n], de->d_name, err)))
            break;
        n++;
    }
    closedir(d);
    if (rc) {
        for (int i = 0; i < n; i++)
            free(names[i]);
        free(names);
        return rc;
    }
    if (n)
        qsort(names, (size_t)n, sizeof *names, compare_names);
    *out = names;
    *count = n;
    return 0;
}

static void free_files(char **names, int n)
{
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* ---- Loading ------------------------------------------------------------- */

int library_load(const char *what, struct pattern **out, struct glider_error *err)
{
    if (!out)
        return glider_errorf(err, GLIDER_EINVAL, "library_load: no out");
    *out = NULL;
    if (!what || !*what)
        return glider_errorf(err, GLIDER_EINVAL,
                             "empty pattern name (see 'glider patterns')");
    /* A path is a path.  A bare name is a library pattern when the library
     * has it, so that 'glider run glider' in a build directory (which holds
     * the program 'glider') still means the glider; "./glider" is the file. */
    struct stat st;
    int exists = stat(what, &st) == 0;
    if (strcmp(what, "-") == 0 || strchr(what, '/') ||
        (exists && pattern_format_from_name(what) != PATTERN_UNKNOWN))
        return pattern_load(what, out, err);

    char dir[PATH_MAX];
    struct glider_error derr = {0};
    if (library_dir(dir, sizeof dir, &derr)) {
        if (exists)
            return pattern_load(what, out, err);
        return glider_errorf(err, GLIDER_ENOTFOUND,
                             "%s: no such file, and no pattern library to look "
                             "it up in (%s)",
                             what, derr.msg);
    }
    char **files;
    int n, rc;
    if ((rc = list_files(dir, &files, &n, err)))
        return rc;
    char want[256], have[256], stem[256];
    canonical(what, want, sizeof want);
    /* "glider.json" names the file; "glider" prefers .json, then sorted. */
    const char *ext = strrchr(what, '.');
    int with_ext = ext && pattern_format_from_name(what) != PATTERN_UNKNOWN;
    int found = -1, best = -1, best_d = SUGGEST_FAR;
    for (int pass = 0; pass < 2 && found < 0; pass++)
        for (int i = 0; i < n && found < 0; i++) {
            pattern_stem(files[i], stem, sizeof stem);
            if (pass == 0 && !with_ext &&
                pattern_format_from_name(files[i]) != PATTERN_JSON)
                continue;
            canonical(with_ext ? files[i] : stem, have, sizeof have);
            size_t hl = strlen(have);
            if (strcmp(want, have) == 0 ||
                /* "x.rle" also names "x.rle.gz" */
                (with_ext && hl > 3 && strcmp(have + hl - 3, ".gz") == 0 &&
                 strlen(want) == hl - 3 && strncmp(want, have, hl - 3) == 0))
                found = i;
            /* Both names are canonical (lower case) already. */
            int d = strstr(have, want) && strlen(want) >= 3
                        ? 1
                        : suggest_distance(want, have, 48, 0);
            if (d < best_d)
                best = i, best_d = d;
        }
    if (found < 0 && exists) {
        free_files(files, n);
        return pattern_load(what, out, err);
    }
    if (found >= 0) {
        char path[PATH_MAX + 256];
        snprintf(path, sizeof path, "%s/%s", dir, files[found]);
        free_files(files, n);
        return pattern_load(path, out, err);
    }
    size_t len = strlen(want);
    if (best >= 0 && best_d <= (len >= 6 ? 3 : len >= 3 ? 2 : 1)) {
        pattern_stem(files[best], stem, sizeof stem);
        rc = glider_errorf(err, GLIDER_ENOTFOUND,
                           "%s: no such file or library pattern; did you mean "
                           "'%s'? (see 'glider patterns')",
                           what, stem);
    } else {
        rc = glider_errorf(err, GLIDER_ENOTFOUND,
                           "%s: no such file or library pattern (see 'glider "
                           "patterns' for the %d patterns in %s)",
                           what, n, dir);
    }
    free_files(files, n);
    return rc;
}

/* ---- Listing ------------------------------------------------------------- */

static int fill_entry(struct library_entry *e, const char *dir,
                      const char *file, struct glider_error *err)
{
    char path[PATH_MAX + 256], stem[256];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    pattern_stem(file, stem, sizeof stem);
    int rc;
    if ((rc = pattern_set_text(&e->stem, stem, err)) ||
        (rc = pattern_set_text(&e->file, path, err)))
        return rc;
    struct pattern *p;
    struct glider_error perr = {0};
    if (pattern_load(path, &p, &perr))
        return pattern_set_text(&e->error, perr.msg, err);
    if ((rc = pattern_set_text(&e->name, p->name, err)) ||
        (rc = pattern_set_text(&e->author, p->author, err)) ||
        (rc = pattern_set_text(&e->description, p->description, err))) {
        pattern_destroy(p);
        return rc;
    }
    rule_format(&p->rule, e->rule, sizeof e->rule);
    e->width = p->width;
    e->height = p->height;
    enum topology topo;
    pattern_default_universe(p, &e->universe_width, &e->universe_height, &topo);
    e->population = (int)pattern_population(p);
    pattern_destroy(p);
    return 0;
}

/* Whether the bare name of file i is taken by another file: the one
 * library_load picks for that name (the .json, else the first). */
static int stem_taken(char **files, int n, int i)
{
    char a[256], b[256], ca[256], cb[256];
    pattern_stem(files[i], a, sizeof a);
    canonical(a, ca, sizeof ca);
    int pick = -1;
    for (int pass = 0; pass < 2 && pick < 0; pass++)
        for (int j = 0; j < n && pick < 0; j++) {
            if (pass == 0 && pattern_format_from_name(files[j]) != PATTERN_JSON)
                continue;
            pattern_stem(files[j], b, sizeof b);
            canonical(b, cb, sizeof cb);
            if (strcmp(ca, cb) == 0)
                pick = j;
        }
    return pick != i;
}

int library_list(struct library_entry **out, int *count,
                 struct glider_error *err)
{
    if (!out || !count)
        return glider_errorf(err, GLIDER_EINVAL, "library_list: no out");
    *out = NULL;
    *count = 0;
    char dir[PATH_MAX];
    int rc = library_dir(dir, sizeof dir, err);
    if (rc)
        return rc;
    char **files;
    int n;
    if ((rc = list_files(dir, &files, &n, err)))
        return rc;
    struct library_entry *e = sys_calloc(n ? (size_t)n : 1, sizeof *e);
    if (!e) {
        free_files(files, n);
        return glider_errorf(err, GLIDER_ENOMEM, "out of memory");
    }
    for (int i = 0; i < n && rc == 0; i++) {
        rc = fill_entry(&e[i], dir, files[i], err);
        /* Two files with one stem ("empty.json", "empty.rle"): the bare name
         * loads one of them; the others are listed by their file name,
         * which is what loads them. */
        if (rc == 0 && stem_taken(files, n, i))
            rc = pattern_set_text(&e[i].stem, files[i], err);
    }
    free_files(files, n);
    if (rc) {
        library_list_free(e, n);
        return rc;
    }
    *out = e;
    *count = n;
    return 0;
}

void library_list_free(struct library_entry *entries, int count)
{
    if (!entries)
        return;
    for (int i = 0; i < count; i++) {
        free(entries[i].stem);
        free(entries[i].file);
        free(entries[i].name);
        free(entries[i].author);
        free(entries[i].description);
        free(entries[i].error);
    }
    free(entries);
}

/* ---- The default pattern ------------------------------------------------- */

/* Bill Gosper's glider gun in a bounded 160 x 100 plane, as in
 * patterns/gosper-glider-gun.json: the stream of gliders crosses the
 * universe and dies at its edge, so the gun keeps firing for ever (the
 * whole universe repeats every 60 generations). */
static const char default_json[] =
    "{\n"
    "  \"name\": \"Gosper glider gun\",\n"
    "  \"author\": \"Bill Gosper\",\n"
    "  \"description\": \"The first known gun (1970): a glider every 30 "
    "generations.\",\n"
    "  \"rule\": \"B3/S23\",\n"
    "  \"universe\": {\"width\": 160, \"height\": 100, \"topology\": "
    "\"plane\"},\n"
    "  \"origin\": {\"x\": 4, \"y\": 4},\n"
    "  \"rows\": [\n"
    "    \"........................O...........\",\n"
    "    \"......................O.O...........\",\n"
    "    \"............OO......OO............OO\",\n"
    "    \"...........O...O....OO............OO\",\n"
    "    \"OO........O.....O...OO..............\",\n"
    "    \"OO........O...O.OO....O.O...........\",\n"
    "    \"..........O.....O.......O...........\",\n"
    "    \"...........O...O....................\",\n"
    "    \"............OO......................\"\n"
    "  ]\n"
    "}\n";

const char *library_default_json(void)
{
    return default_json;
}

int library_load_default(struct pattern **out, struct glider_error *err)
{
    return pattern_json_parse(default_json, sizeof default_json - 1,
                              "<built-in>", out, err);
}
