/* SPDX-License-Identifier: MIT */
/*
 * Device-tree assertions shared by the unit tests that build trees (include
 * after <cmocka.h> and <libfdt.h>): each fails the running test with the
 * node and property it checked.
 */
#pragma once

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

/* Offset of the node at @path (fails when there is none). */
static inline int node(const void *fdt, const char *path)
{
    int off = fdt_path_offset(fdt, path);

    if (off < 0) {
        fail_msg("no node %s", path);
    }
    return off;
}

static inline void assert_absent(const void *fdt, const char *path)
{
    assert_int_equal(fdt_path_offset(fdt, path), -FDT_ERR_NOTFOUND);
}

/* A string property equal to @want. */
static inline void assert_str(const void *fdt, const char *path,
                              const char *prop, const char *want)
{
    int len = 0;
    const char *v = fdt_getprop(fdt, node(fdt, path), prop, &len);

    assert_non_null(v);
    assert_int_equal(len, strlen(want) + 1);
    assert_string_equal(v, want);
}

/* A property of @n cells equal to the remaining arguments. */
static inline void assert_cells(const void *fdt, const char *path,
                                const char *prop, int n, ...)
{
    int len = 0;
    const fdt32_t *v = fdt_getprop(fdt, node(fdt, path), prop, &len);
    va_list ap;

    if (!v) {
        fail_msg("no property %s/%s", path, prop);
    }
    assert_int_equal(len, n * 4);
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        uint32_t want = va_arg(ap, uint32_t);

        if (fdt32_to_cpu(v[i]) != want) {
            fail_msg("%s/%s cell %d: 0x%x, want 0x%x", path, prop, i,
                     fdt32_to_cpu(v[i]), want);
        }
    }
    va_end(ap);
}

/* A property whose bytes are the @want_len bytes at @want. */
static inline void assert_prop(const void *fdt, const char *path,
                               const char *prop, const void *want, int want_len)
{
    int len = 0;
    const void *v = fdt_getprop(fdt, node(fdt, path), prop, &len);

    if (!v) {
        fail_msg("no property %s/%s", path, prop);
    }
    assert_int_equal(len, want_len);
    assert_memory_equal(v, want, want_len);
}
