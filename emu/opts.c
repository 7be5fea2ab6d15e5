/* SPDX-License-Identifier: MIT */
/*
 * Option strings in QEMU's two syntaxes (cli.md §2) and strict numbers.
 *
 * QemuOpts ("file,path=a,,b,id=c0"): items split at single commas, ",,"
 * is a literal comma in values, a bare first item is the implied key's
 * value, other bare items are deprecated boolean flags ("foo" = foo=on,
 * "nofoo" = foo=off), "id" is kept apart.  keyval ("virt,aclint=on"):
 * dotted keys, no bare flags, the implied value ends at the first comma.
 * Both produce an Opts, an ordered list of pairs where the last value of a
 * key wins.  Follows QEMU's util/qemu-option.c, util/keyval.c and
 * util/cutils.c.
 */
#include "emu/opts.h"

#include <ctype.h>
#include <errno.h>
#include <glib.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu/log.h"
#include "emu/object.h"

static char *opts_loc;

void opts_set_location(const char *loc)
{
    g_free(opts_loc);
    opts_loc = g_strdup(loc);
}

const char *opts_location(void)
{
    return opts_loc;
}

static void opts_warn(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

static void opts_warn(const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (opts_loc) {
        error_report("%s: warning: %s", opts_loc, msg);
    } else {
        warn_report("%s", msg);
    }
}

static Opts *opts_new(void)
{
    Opts *opts = g_new0(Opts, 1);

    opts->pairs = g_array_new(false, true, sizeof(OptsPair));
    return opts;
}

static void opts_append(Opts *opts, char *key, char *value)
{
    OptsPair p = {.key = key, .value = value};

    g_array_append_val(opts->pairs, p);
}

void opts_free(Opts *opts)
{
    if (!opts) {
        return;
    }
    for (guint i = 0; i < opts->pairs->len; i++) {
        OptsPair *p = &g_array_index(opts->pairs, OptsPair, i);

        g_free(p->key);
        g_free(p->value);
    }
    g_array_free(opts->pairs, true);
    g_free(opts->id);
    g_free(opts);
}

static bool is_help_word(const char *s)
{
    return !strcmp(s, "help") || !strcmp(s, "?");
}

/*
 * Copies a value starting at @p up to the next single comma, turning ",,"
 * into ",".  Returns the position of the terminating comma or NUL.
 */
static const char *opts_get_value(const char *p, char **value)
{
    GString *s = g_string_new(NULL);

    while (*p) {
        if (*p == ',') {
            if (p[1] != ',') {
                break;
            }
            p++;
        }
        g_string_append_c(s, *p++);
    }
    *value = g_string_free(s, false);
    return p;
}

static bool opts_set_error(GError **errp, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

static bool opts_set_error(GError **errp, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    g_propagate_error(
        errp, g_error_new_valist(EMU_ERROR, EMU_ERROR_GENERIC, fmt, ap));
    va_end(ap);
    return false;
}

bool opts_id_wellformed(const char *s)
{
    if (!g_ascii_isalpha(*s)) {
        return false;
    }
    for (s++; *s; s++) {
        if (!g_ascii_isalnum(*s) && !strchr("-._", *s)) {
            return false;
        }
    }
    return true;
}

Opts *opts_parse(const char *str, const char *implied_key, GError **errp)
{
    g_autoptr(Opts) opts = opts_new();
    const char *p = str;
    bool first = true;

    while (*p) {
        size_t len = strcspn(p, "=,");
        char *key;
        char *value;

        if (p[len] != '=') {
            if (first && implied_key) {
                key = g_strdup(implied_key);
                p = opts_get_value(p, &value);
            } else {
                /* a bare word: boolean flag (or a help request) */
                key = g_strndup(p, len);
                p += len;
                if (g_str_has_prefix(key, "no") && key[2]) {
                    memmove(key, key + 2, strlen(key + 2) + 1);
                    value = g_strdup("off");
                } else {
                    value = g_strdup("on");
                }
                if (!*key) {
                    g_free(value);
                    g_free(key);
                    opts_set_error(errp, "Invalid parameter ''");
                    return NULL;
                }
                if (is_help_word(key) && !strcmp(value, "on")) {
                    g_free(key);
                    key = g_strdup("help");
                } else {
                    opts_warn("short-form boolean option '%s' deprecated", key);
                    fprintf(stderr, "Please use %s=%s instead\n", key, value);
                }
            }
        } else {
            key = g_strndup(p, len);
            p = opts_get_value(p + len + 1, &value);
        }
        first = false;
        if (*p == ',') {
            p++;
        }
        if (!*key) {
            g_free(key);
            g_free(value);
            opts_set_error(errp, "Invalid parameter ''");
            return NULL;
        }
        if (!strcmp(key, "id")) {
            if (!opts->id) {
                opts->id = value;
            } else {
                g_free(value);
            }
            g_free(key);
            continue;
        }
        opts_append(opts, key, value);
    }
    if (opts->id && !opts_id_wellformed(opts->id)) {
        opts_set_error(errp,
                       "Parameter 'id' expects an identifier\n"
                       "Identifiers consist of letters, digits, '-', '.', "
                       "'_', starting with a letter.");
        return NULL;
    }
    return g_steal_pointer(&opts);
}

/* Length of a QAPI name at @s: [_]letter{letter|digit|-|_}, or 0. */
static size_t keyval_name_len(const char *s)
{
    const char *p = s;

    if (*p == '_') {
        p++;
    }
    if (!g_ascii_isalpha(*p)) {
        return 0;
    }
    while (g_ascii_isalnum(*p) || *p == '-' || *p == '_') {
        p++;
    }
    return p - s;
}

/* Length of a list index fragment (digits) at @s, or 0. */
static size_t keyval_index_len(const char *s)
{
    size_t n = 0;

    while (g_ascii_isdigit(s[n])) {
        n++;
    }
    return n;
}

Opts *opts_parse_keyval(const char *str, const char *implied_key, GError **errp)
{
    g_autoptr(Opts) opts = opts_new();
    const char *p = str;
    bool first = true;

    while (*p) {
        const char *key = p;
        size_t len = strcspn(p, "=,");
        const char *key_end;
        const char *s;

        if (len && p[len] != '=') {
            g_autofree char *word = g_strndup(p, len);

            if (is_help_word(word)) {
                opts_set(opts, "help", "on");
                p += len;
                if (*p == ',') {
                    p++;
                }
                first = false;
                continue;
            }
            if (first && implied_key) {
                opts_append(opts, g_strdup(implied_key), g_strndup(p, len));
                p += len;
                if (*p == ',') {
                    p++;
                }
                first = false;
                continue;
            }
        }
        first = false;
        key_end = key + len;
        /* key fragments: name{.name|.index} */
        s = key;
        for (;;) {
            size_t n = (s != key) ? keyval_index_len(s) : 0;

            if (!n) {
                n = keyval_name_len(s);
            }
            if (!n || (s + n < key_end && s[n] != '.')) {
                opts_set_error(errp, "Invalid parameter '%.*s'",
                               (int)(key_end - key), key);
                return NULL;
            }
            s += n;
            if (*s != '.') {
                break;
            }
            s++;
        }
        if (*s != '=') {
            opts_set_error(errp, "Expected '=' after parameter '%.*s'",
                           (int)(s - key), key);
            return NULL;
        }
        {
            char *value;

            p = opts_get_value(s + 1, &value);
            opts_append(opts, g_strndup(key, s - key), value);
        }
        if (*p == ',') {
            p++;
        }
    }
    return g_steal_pointer(&opts);
}

static OptsPair *opts_find_last(const Opts *opts, const char *key)
{
    for (guint i = opts->pairs->len; i > 0; i--) {
        OptsPair *p = &g_array_index(opts->pairs, OptsPair, i - 1);

        if (!strcmp(p->key, key)) {
            return p;
        }
    }
    return NULL;
}

const char *opts_get(const Opts *opts, const char *key)
{
    OptsPair *p = opts_find_last(opts, key);

    if (p) {
        return p->value;
    }
    if (!strcmp(key, "id")) {
        return opts->id;
    }
    return NULL;
}

bool opts_has(const Opts *opts, const char *key)
{
    return opts_get(opts, key) != NULL;
}

void opts_set(Opts *opts, const char *key, const char *value)
{
    OptsPair *p = opts_find_last(opts, key);

    if (p) {
        g_free(p->value);
        p->value = g_strdup(value);
        return;
    }
    opts_append(opts, g_strdup(key), g_strdup(value));
}

void opts_merge(Opts *dst, const Opts *src)
{
    for (guint i = 0; i < src->pairs->len; i++) {
        const OptsPair *p = &g_array_index(src->pairs, OptsPair, i);

        opts_set(dst, p->key, p->value);
    }
    if (src->id && !dst->id) {
        dst->id = g_strdup(src->id);
    }
}

bool opts_check_keys(const Opts *opts, const char *const *allowed,
                     GError **errp)
{
    for (guint i = 0; i < opts->pairs->len; i++) {
        const OptsPair *p = &g_array_index(opts->pairs, OptsPair, i);

        if (!g_strv_contains(allowed, p->key)) {
            return opts_set_error(errp, "Invalid parameter '%s'", p->key);
        }
    }
    return true;
}

bool parse_bool(const char *str, bool *out)
{
    static const char *const on[] = {"on", "yes", "true", "y", NULL};
    static const char *const off[] = {"off", "no", "false", "n", NULL};

    if (g_strv_contains(on, str)) {
        *out = true;
        return true;
    }
    if (g_strv_contains(off, str)) {
        *out = false;
        return true;
    }
    return false;
}

bool opts_get_bool(const Opts *opts, const char *key, bool def, bool *out,
                   GError **errp)
{
    const char *v = opts_get(opts, key);

    if (!v) {
        *out = def;
        return true;
    }
    if (!parse_bool(v, out)) {
        return opts_set_error(errp, "Parameter '%s' expects 'on' or 'off'",
                              key);
    }
    return true;
}

bool parse_u64(const char *str, uint64_t *out)
{
    char *end;
    unsigned long long v;

    if (!str || !*str) {
        return false;
    }
    errno = 0;
    v = strtoull(str, &end, 0);
    if (errno || end == str || *end) {
        return false;
    }
    *out = v; /* a leading '-' wraps, as in QEMU's qemu_strtou64() */
    return true;
}

bool parse_i64(const char *str, int64_t *out)
{
    char *end;
    long long v;

    if (!str || !*str) {
        return false;
    }
    errno = 0;
    v = strtoll(str, &end, 0);
    if (errno || end == str || *end) {
        return false;
    }
    *out = v;
    return true;
}

bool parse_i32(const char *str, int32_t *out)
{
    int64_t v;

    if (!parse_i64(str, &v) || v < INT32_MIN || v > INT32_MAX) {
        return false;
    }
    *out = (int32_t)v;
    return true;
}

/* Multiplier of a size suffix (1024-based), or 0 if @c is none. */
static uint64_t size_suffix_mul(char c)
{
    switch (g_ascii_toupper(c)) {
    case 'B':
        return 1;
    case 'K':
        return 1ull << 10;
    case 'M':
        return 1ull << 20;
    case 'G':
        return 1ull << 30;
    case 'T':
        return 1ull << 40;
    case 'P':
        return 1ull << 50;
    case 'E':
        return 1ull << 60;
    default:
        return 0;
    }
}

static bool size_invalid(GError **errp)
{
    return opts_set_error(
        errp, "Parameter 'size' expects a non-negative number below 2^64\n"
              "Optional suffix k, M, G, T, P or E means kilo-, mega-, "
              "giga-, tera-, peta-\n"
              "and exabytes, respectively.");
}

/* Unsigned parse of the leading number of @str in @base (no sign check). */
static int size_strtou64(const char *str, int base, const char **end,
                         uint64_t *val)
{
    char *e;

    errno = 0;
    *val = strtoull(str, &e, base);
    *end = e;
    if (e == str) {
        return EINVAL;
    }
    return errno;
}

bool parse_size(const char *str, char default_suffix, uint64_t *out,
                GError **errp)
{
    const char *end;
    uint64_t val, valf = 0, mul;
    bool hex = false;
    int err;

    err = size_strtou64(str, 10, &end, &val);
    if (err == ERANGE) {
        return opts_set_error(errp,
                              "Value '%s' is out of range for parameter "
                              "'size'",
                              str);
    }
    if (err || memchr(str, '-', end - str)) {
        return size_invalid(errp);
    }
    if (val == 0 && (*end == 'x' || *end == 'X')) {
        err = size_strtou64(str, 16, &end, &val);
        if (err == ERANGE) {
            return opts_set_error(errp,
                                  "Value '%s' is out of range for "
                                  "parameter 'size'",
                                  str);
        }
        if (err || *end == '.') {
            return size_invalid(errp);
        }
        hex = true;
    } else if (*end == '.') {
        char *fend;
        double fraction;

        errno = 0;
        fraction = strtod(end, &fend);
        if (fend == end || errno) {
            end++; /* "1.k": no fraction digits */
        } else if (memchr(end, 'e', fend - end) ||
                   memchr(end, 'E', fend - end) || !isfinite(fraction)) {
            return size_invalid(errp);
        } else {
            valf = (uint64_t)(fraction * 0x1p64);
            end = fend;
        }
    }
    mul = size_suffix_mul(*end);
    if (mul) {
        end++;
    } else {
        mul = size_suffix_mul(default_suffix);
        g_assert(mul);
    }
    if (hex && mul > 1) {
        opts_warn("Using a multiplier suffix on hex numbers is deprecated: %s",
                  str);
    }
    if (*end) {
        return size_invalid(errp);
    }
    if (mul == 1) {
        if (valf) {
            return size_invalid(errp);
        }
    } else {
        /* 64.64 fixed point times the multiplier, rounded half up */
        unsigned __int128 r = (unsigned __int128)val * mul;
        unsigned __int128 f = (unsigned __int128)valf * mul;

        r += f >> 64;
        r += ((uint64_t)f >> 63) & 1;
        if (r >> 64) {
            return opts_set_error(errp,
                                  "Value '%s' is out of range for parameter "
                                  "'size'",
                                  str);
        }
        val = (uint64_t)r;
    }
    *out = val;
    return true;
}
