/* SPDX-License-Identifier: MIT */
/*
 * The guest's flattened device tree, built with libfdt from the object
 * tree: the board adds the root, /cpus, /memory and /chosen, and each
 * device adds its own node through DeviceClass.fdt_node using the helpers
 * below.
 *
 * Helpers address nodes by path, as QEMU's qemu_fdt_* do, because libfdt
 * offsets move whenever a node is inserted.  Like QEMU, nodes and
 * properties are inserted first in their parent (libfdt's read-write
 * mode), so the blob lists them in reverse creation order; creating them
 * in QEMU's order gives QEMU's layout.  A failing helper records the first
 * error in the context and later helpers do nothing; fdt_ctx_check()
 * reports it.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emu/device.h"
#include "emu/irq.h"
#include "emu/memory.h"
#include "emu/object.h"

/* Size of the buffer a tree is built in (QEMU's create_device_tree). */
#define FDT_BUF_SIZE (1024 * 1024)

/* Extra space given to a tree read with fdt_ctx_new_from_file (QEMU's). */
#define FDT_FILE_EXTRA 10000

/**
 * Creates an empty tree in a FDT_BUF_SIZE buffer.  Device nodes go below
 * @bus (e.g. "/soc", which the caller creates; it must use 2 address and
 * 2 size cells); devices are looked up below @root (the machine).
 */
FdtContext *fdt_ctx_new(Object *root, const char *bus);

/**
 * Reads the tree in @path into a buffer of its size plus FDT_FILE_EXTRA
 * (-dtb).  Fails with QEMU's texts ("Unable to get size of device tree
 * file", "load_device_tree: Unable to copy device tree into memory: ...",
 * each followed by "load_device_tree() failed").
 */
FdtContext *fdt_ctx_new_from_file(Object *root, const char *path,
                                  GError **errp);

/** Frees @ctx and its buffer. */
void fdt_ctx_free(FdtContext *ctx);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FdtContext, fdt_ctx_free)

/** The blob (valid until fdt_ctx_free) and the size of its buffer. */
void *fdt_ctx_blob(FdtContext *ctx);
size_t fdt_ctx_buf_size(const FdtContext *ctx);

/** False with the first recorded error moved to @errp. */
bool fdt_ctx_check(FdtContext *ctx, GError **errp);

/**
 * Checks that every phandle handed out names a node that set it, then
 * packs the tree (header totalsize becomes the used size; the buffer keeps
 * its size).
 */
bool fdt_ctx_finish(FdtContext *ctx, GError **errp);

/* ---- building ---- */

/**
 * Adds node @name (printf format) below @parent and returns its path,
 * owned by @ctx.  Existing nodes are returned as they are.
 */
const char *fdt_ctx_add_node(FdtContext *ctx, const char *parent,
                             const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/**
 * Adds "<bus>/NAME@BASE" for @dev (NAME = @name, BASE = where its first
 * region is mapped) and returns the path.  Records an error when the
 * region is not mapped.
 */
const char *fdt_ctx_add_device_node(FdtContext *ctx, Device *dev,
                                    const char *name);

/** The address the first region of @dev is mapped at; false if none. */
bool fdt_device_base(Device *dev, hwaddr *base);

/** The device below the root whose first region is mapped at @addr. */
Device *fdt_ctx_find_device_at(FdtContext *ctx, hwaddr addr);

void fdt_ctx_setprop(FdtContext *ctx, const char *path, const char *name,
                     const void *val, size_t len);
void fdt_ctx_setprop_empty(FdtContext *ctx, const char *path, const char *name);
void fdt_ctx_setprop_cell(FdtContext *ctx, const char *path, const char *name,
                          uint32_t val);
/** @n big-endian cells from host-order @cells. */
void fdt_ctx_setprop_cells(FdtContext *ctx, const char *path, const char *name,
                           const uint32_t *cells, size_t n);
void fdt_ctx_setprop_string(FdtContext *ctx, const char *path, const char *name,
                            const char *val);
/** A string list ("compatible"), NULL-terminated arguments. */
void fdt_ctx_setprop_strings(FdtContext *ctx, const char *path,
                             const char *name, ...) G_GNUC_NULL_TERMINATED;
/** "reg" = <addr size> in 2 + 2 cells. */
void fdt_ctx_setprop_reg(FdtContext *ctx, const char *path, uint64_t addr,
                         uint64_t size);

/* ---- phandles and interrupts ---- */

/** A new phandle for a node the caller creates itself (1, 2, ...). */
uint32_t fdt_ctx_alloc_phandle(FdtContext *ctx);

/**
 * The phandle standing for @dev: its own node, or for a device whose
 * input lines are an interrupt controller node of the board (a hart), the
 * one bound with fdt_bind_phandle.  Allocated on first use; the node must
 * then set it with fdt_set_phandle before fdt_ctx_finish.
 */
uint32_t fdt_ctx_phandle(FdtContext *ctx, Device *dev);

/** Makes @phandle the phandle of @dev (before any fdt_ctx_phandle(@dev)). */
void fdt_ctx_bind_phandle(FdtContext *ctx, Device *dev, uint32_t phandle);

/** Sets "phandle" of @path to fdt_ctx_phandle(@dev). */
void fdt_ctx_set_phandle(FdtContext *ctx, const char *path, Device *dev);

/**
 * Sets "interrupt-parent" and "interrupts" of @path from where output
 * line @line ("irq") of @dev is connected: the phandle of the receiving
 * device and the index of its input line.  An unconnected line leaves
 * both out.
 */
void fdt_ctx_set_interrupts(FdtContext *ctx, const char *path, Device *dev,
                            const char *line);

/**
 * Appends the two cells <&controller index> of the input that output
 * @out is connected to (an interrupts-extended entry).  Records an error
 * when @out is NULL or unconnected.
 */
void fdt_ctx_append_irq_cells(FdtContext *ctx, GArray *cells, IrqLine *out);

/**
 * Sets "interrupts-extended" of @path: for each output line i of group
 * @group_a of @a, the cells of its input (see fdt_ctx_append_irq_cells),
 * followed, when @b is non-NULL, by those of line i of @group_b of @b.
 */
void fdt_ctx_set_irq_extended(FdtContext *ctx, const char *path, Device *a,
                              const char *group_a, Device *b,
                              const char *group_b);

/* ---- /chosen and output ---- */

/**
 * Sets /chosen/bootargs (if @bootargs is non-empty) and, when @initrd_end
 * > @initrd_start, linux,initrd-start/-end as single cells; creates
 * /chosen if the tree has none.
 */
void fdt_ctx_set_chosen(FdtContext *ctx, const char *bootargs,
                        uint64_t initrd_start, uint64_t initrd_end);

/** Writes the whole buffer to @path (-machine dumpdtb=). */
bool fdt_ctx_dump(FdtContext *ctx, const char *path, GError **errp);

/**
 * Calls the fdt_node hook of every realized device below the root: first
 * the children of the root named in @order (NULL-terminated, may be NULL),
 * in that order, then the others in tree order.
 */
bool fdt_ctx_add_device_nodes(FdtContext *ctx, const char *const *order,
                              GError **errp);
