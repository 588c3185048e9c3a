/* cmd_convert.c - 'glider convert IN OUT' and 'glider patterns'. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../engine/cells.h"
#include "../engine/library.h"
#include "../engine/pattern.h"
#include "options.h"

int cli_save(const struct pattern *p, const char *path, int quiet,
             struct glider_error *err)
{
    int rc = pattern_save(p, path, err);
    char lost[RULE_TEXT_MAX + 64];
    if (rc == 0 && !quiet && pattern_format_from_name(path) == PATTERN_CELLS &&
        cells_lost(p, lost, sizeof lost))
        fprintf(stderr, "glider: note: %s keeps only the cells: %s %s not saved "
                        "(.rle and .json keep them)\n",
                path, lost, strstr(lost, " and ") ? "are" : "is");
    return rc;
}

int cli_save_exit_code(int rc)
{
    return rc == GLIDER_EIO ? 1 : cli_exit_code(rc);
}

/* IN is a pattern file of any format glider reads (or a library name); OUT's
 * extension picks the format written.  Nothing is printed on success but
 * the note of what a .cells file could not keep (cli_save). */
int cmd_convert(const struct cli_opts *o)
{
    struct glider_error err = {0};
    struct pattern *p = NULL;
    int rc;
    /* OUT must be writable before IN is read (a large IN takes a while). */
    if ((rc = pattern_save_check(o->output_arg, &err)) == 0)
        rc = library_load(o->pattern, &p, &err);
    if (rc) {
        fprintf(stderr, "glider: %s\n", err.msg);
        return cli_exit_code(rc);
    }
    rc = cli_save(p, o->output_arg, o->quiet, &err);
    pattern_destroy(p);
    if (rc) {
        fprintf(stderr, "glider: %s\n", err.msg);
        return cli_save_exit_code(rc);
    }
    return 0;
}

static int print_json(const struct library_entry *e, int n, const char *dir)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *arr = root ? cJSON_AddArrayToObject(root, "patterns") : NULL;
    int ok = root && arr && cJSON_AddStringToObject(root, "directory", dir);
    for (int i = 0; ok && i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        ok = o && cJSON_AddItemToArray(arr, o) &&
             cJSON_AddStringToObject(o, "name", e[i].stem) &&
             cJSON_AddStringToObject(o, "file", e[i].file);
        if (ok && e[i].error) {
            ok = cJSON_AddStringToObject(o, "error", e[i].error) != NULL;
            continue;
        }
        ok = ok &&
             (!e[i].name || cJSON_AddStringToObject(o, "title", e[i].name)) &&
             (!e[i].author ||
              cJSON_AddStringToObject(o, "author", e[i].author)) &&
             (!e[i].description ||
              cJSON_AddStringToObject(o, "description", e[i].description)) &&
             cJSON_AddStringToObject(o, "rule", e[i].rule) &&
             cJSON_AddNumberToObject(o, "width", e[i].width) &&
             cJSON_AddNumberToObject(o, "height", e[i].height) &&
             cJSON_AddNumberToObject(o, "population", e[i].population);
    }
    char *text = ok ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    if (!text) {
        fprintf(stderr, "glider: out of memory\n");
        return 1;
    }
    puts(text);
    free(text);
    return 0;
}

/* Lists the library: name (what 'glider run NAME' takes), rule, and the
 * one-line description; --json prints the same as one JSON object. */
int cmd_patterns(const struct cli_opts *o)
{
    struct glider_error err = {0};
    struct library_entry *e;
    int n;
    char dir[4096];
    int rc = library_dir(dir, sizeof dir, &err);
    if (rc == 0)
        rc = library_list(&e, &n, &err);
    if (rc) {
        fprintf(stderr, "glider: %s\n", err.msg);
        return cli_exit_code(rc);
    }
    int status = 0;
    if (o->json) {
        status = print_json(e, n, dir);
    } else {
        int width = 4;
        for (int i = 0; i < n; i++)
            if ((int)strlen(e[i].stem) > width)
                width = (int)strlen(e[i].stem);
        if (!o->quiet)
            printf("%d patterns in %s ('glider run NAME', 'glider view "
                   "NAME'):\n\n",
                   n, dir);
        for (int i = 0; i < n; i++) {
            if (e[i].error) {
                printf("%-*s  (does not load: %s)\n", width, e[i].stem,
                       e[i].error);
                continue;
            }
            const char *desc = e[i].description ? e[i].description
                               : e[i].name      ? e[i].name
                                                : "";
            int life = strcmp(e[i].rule, "B3/S23") == 0;
            printf("%-*s  %s%s%s%s\n", width, e[i].stem, desc,
                   life ? "" : " [", life ? "" : e[i].rule, life ? "" : "]");
        }
    }
    for (int i = 0; i < n; i++)
        if (e[i].error)
            status = 1;
    library_list_free(e, n);
    return status;
}
