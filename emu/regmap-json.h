/* SPDX-License-Identifier: MIT */
/*
 * JSON export of the register maps (emu/regmap.h) of every realized device
 * below /machine, and of their per-register access counters, for QMP
 * (bt-query-regmaps, bt-query-regcov), the qtest extensions (bt_regmap,
 * bt_regcov, bt_regcov_reset) and the coverage dump at exit (emu/regcov.h).
 *
 * Numbers: every unsigned value (addresses, sizes, masks, reset values,
 * counters) is a JSON integer when it is below 2^53 (REGMAP_JSON_MAX_INT,
 * exact in every JSON reader) and otherwise a string of 0x and 16 lowercase
 * hex digits ("0xffffffffffffffff").  Masks and reset values are limited to
 * the register's width.  The shapes are documented in
 * docs/qtest-extensions.md.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdint.h>

/** Values from this one up are written as "0x%016x" strings. */
#define REGMAP_JSON_MAX_INT (UINT64_C(1) << 53)

/**
 * The register maps as {"devices": [...]}: every realized device below
 * /machine (none when there is no machine), pre-order.  @path (NULL: no
 * filter) is an absolute or partial QOM path: a device gives just that
 * device, another object (a container) the devices below it.  Fails with
 * EMU_ERROR_NOT_FOUND for a path that resolves to nothing, EMU_ERROR_GENERIC
 * for an ambiguous partial path.  The caller owns the node.
 */
JsonNode *regmap_json_maps(const char *path, GError **errp);

/**
 * The access counters as {"tag", "pid", "machine", "devices": [...]}, with
 * every register of every selected device (zeros included).  @path as for
 * regmap_json_maps(); @tag NULL means the environment variable
 * BENCHTOP_REGCOV_TAG, or "" when that is unset.  The caller owns the node.
 */
JsonNode *regmap_json_coverage(const char *path, const char *tag,
                               GError **errp);

/** Zeroes the access counters of every realized device below /machine. */
void regmap_coverage_reset(void);

/** One line of compact JSON (no spaces, no newline); caller frees. */
char *regmap_json_compact(JsonNode *node);

/**
 * Registers the QMP commands bt-query-regmaps and bt-query-regcov
 * (emu/monitor/qmp-regmap.c).  Idempotent; call at start-up.
 */
void qmp_register_regmap_commands(void);

/**
 * Registers the qtest extension commands bt_regmap, bt_regcov and
 * bt_regcov_reset (qtest/qtest-regmap.c).  Idempotent.
 */
void qtest_register_regmap_commands(void);
