/* SPDX-License-Identifier: MIT */
/*
 * Option-string parsing in QEMU's syntaxes and strict number parsing.
 *
 * QemuOpts lists ("file,path=x,,y,id=c0") and keyval lists
 * ("virt,aclint=on") both parse into an Opts: an ordered list of key/value
 * pairs.  Numbers follow qemu_strtou64 (base 0, whole word, optional sign).
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct OptsPair {
    char *key;
    char *value;
} OptsPair;

typedef struct Opts {
    GArray *pairs; /* OptsPair, in order */
    char *id;      /* first id= seen, or NULL */
} Opts;

/**
 * Parses a QemuOpts list.  @implied_key names the key of a bare first item
 * (NULL: none; a bare item is then a boolean flag "foo"->on, "nofoo"->off
 * with a deprecation warning).  ",," is a literal comma.  Errors:
 * "Invalid parameter ''" for ",=y", "Parameter 'id' expects an identifier".
 */
Opts *opts_parse(const char *str, const char *implied_key, GError **errp);

/** Parses a keyval list (no bare flags: "Expected '=' after parameter"). */
Opts *opts_parse_keyval(const char *str, const char *implied_key,
                        GError **errp);

void opts_free(Opts *opts);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Opts, opts_free)

/** Last value of @key, or NULL. */
const char *opts_get(const Opts *opts, const char *key);
/** True if @key is present. */
bool opts_has(const Opts *opts, const char *key);
/** Sets/overrides @key (merging repeated keyval options). */
void opts_set(Opts *opts, const char *key, const char *value);
/** Merges @src into @dst key by key, last wins. */
void opts_merge(Opts *dst, const Opts *src);

/**
 * Returns false with "Invalid parameter 'KEY'" if a key of @opts is not in
 * the NULL-terminated @allowed list.
 */
bool opts_check_keys(const Opts *opts, const char *const *allowed,
                     GError **errp);

/** Boolean value of @key ("on yes true y" / "off no false n"). */
bool opts_get_bool(const Opts *opts, const char *key, bool def, bool *out,
                   GError **errp);

/** Strict base-0 unsigned parse of the whole @str (sign wraps, as QEMU). */
bool parse_u64(const char *str, uint64_t *out);
/** Strict base-0 signed parse of the whole @str. */
bool parse_i64(const char *str, int64_t *out);
/** Same as parse_i64 restricted to int32. */
bool parse_i32(const char *str, int32_t *out);
/** QEMU bool words; false if not one of them. */
bool parse_bool(const char *str, bool *out);

/**
 * Parses a size: decimal or 0x hex, optional fraction, optional suffix
 * B K M G T P E (1024-based).  @default_suffix applies when the value ends
 * in a digit ('M' for -m, 'B' elsewhere).  Messages as cli.md §2.3.
 */
bool parse_size(const char *str, char default_suffix, uint64_t *out,
                GError **errp);

/** True if @s is an identifier: letter, then letters/digits/-._ */
bool opts_id_wellformed(const char *s);

/**
 * Sets the LOCATION text ("-chardev null,nowait") that warnings printed by
 * opts_parse() and parse_size() carry: "PROG: LOCATION: warning: ...".
 * NULL (the default) prints "PROG: warning: ...".  The string is copied.
 */
void opts_set_location(const char *loc);
/** The current warning location, or NULL. */
const char *opts_location(void);
