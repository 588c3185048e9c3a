/* gunzip.c - undoing gzip with zlib (see gunzip.h). */
#include "gunzip.h"

#include <stdlib.h>
#include <zlib.h>

#include "sys.h"

int gunzip_is_gzip(const char *data, size_t len)
{
    return len >= 2 && (unsigned char)data[0] == 0x1f &&
           (unsigned char)data[1] == 0x8b;
}

int gunzip_replace(char **data, size_t *len, size_t limit, const char *source,
                   struct glider_error *err)
{
    z_stream z = {0};
    /* 15 + 16: a gzip header, the largest window. */
    if (inflateInit2(&z, 15 + 16) != Z_OK)
        return glider_errorf(err, GLIDER_ENOMEM, "%s: cannot start zlib: %s",
                             source, z.msg ? z.msg : "out of memory");
    size_t cap = *len < limit / 4 ? *len * 4 + 4096 : limit + 1;
    char *out = sys_malloc(cap);
    if (!out) {
        inflateEnd(&z);
        return glider_errorf(err, GLIDER_ENOMEM, "%s: out of memory", source);
    }
    z.next_in = (unsigned char *)*data;
    size_t in_left = *len, n = 0;
    int rc = 0, zr = Z_OK;
    for (;;) {
        if (n + 1 >= cap) {
            if (cap > limit) {
                rc = glider_errorf(err, GLIDER_ELIMIT,
                                   "%s: decompresses to over the %zu MiB "
                                   "limit for pattern files",
                                   source, limit / (1024 * 1024));
                break;
            }
            size_t ncap = cap * 2 > limit + 1 ? limit + 1 : cap * 2;
            char *nb = sys_realloc(out, ncap);
            if (!nb) {
                rc = glider_errorf(err, GLIDER_ENOMEM, "%s: out of memory",
                                   source);
                break;
            }
            out = nb;
            cap = ncap;
        }
        /* zlib counts in uInt: feed and drain at most 1 GiB a call. */
        uInt in_now = in_left > (1u << 30) ? (1u << 30) : (uInt)in_left;
        size_t room = cap - 1 - n;
        uInt out_now = room > (1u << 30) ? (1u << 30) : (uInt)room;
        z.avail_in = in_now;
        z.next_out = (unsigned char *)out + n;
        z.avail_out = out_now;
        zr = inflate(&z, Z_NO_FLUSH);
        in_left -= in_now - z.avail_in;
        n += out_now - z.avail_out;
        if (zr == Z_STREAM_END) {
            /* Several gzip members are one file, as gzip -d makes them;
             * bytes after the last one that do not start another (zero
             * padding) are ignored, as gzip -d and zlib's gzread do. */
            if (in_left == 0 || !gunzip_is_gzip((const char *)z.next_in, in_left))
                break;
            if (inflateReset(&z) != Z_OK) {
                zr = Z_DATA_ERROR;
            } else {
                continue;
            }
        }
        if (zr == Z_BUF_ERROR && in_left == 0) {
            rc = glider_errorf(err, GLIDER_EPARSE,
                               "%s: the gzip data ends early (a truncated "
                               "file?)",
                               source);
            break;
        }
        if (zr != Z_OK && zr != Z_BUF_ERROR) {
            rc = glider_errorf(err, zr == Z_MEM_ERROR ? GLIDER_ENOMEM
                                                      : GLIDER_EPARSE,
                               "%s: bad gzip data: %s", source,
                               z.msg ? z.msg : "corrupt");
            break;
        }
    }
    inflateEnd(&z);
    if (rc) {
        free(out);
        return rc;
    }
    out[n] = '\0';
    free(*data);
    *data = out;
    *len = n;
    return 0;
}
