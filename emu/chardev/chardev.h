/* SPDX-License-Identifier: MIT */
/*
 * Character devices: byte streams between a front end (UART, qtest, QMP)
 * and a back end (null, stdio, file, unix/tcp socket client or server,
 * in-memory ring buffer).  All I/O runs on the main loop.
 *
 * Chardevs are objects under /chardevs/ID.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emu/object.h"
#include "emu/opts.h"

#define TYPE_CHARDEV "chardev"

typedef struct Chardev Chardev;

typedef enum ChardevEvent {
    CHR_EVENT_OPENED, /* a peer connected (sockets) / backend ready */
    CHR_EVENT_CLOSED, /* the peer went away / EOF */
} ChardevEvent;

/** Front-end callbacks; all may be NULL. */
typedef struct ChardevHandlers {
    /* how many bytes the front end can take now (NULL: unlimited) */
    size_t (*can_read)(void *opaque);
    void (*read)(void *opaque, const uint8_t *buf, size_t len);
    void (*event)(void *opaque, ChardevEvent ev);
} ChardevHandlers;

/**
 * Creates a chardev from -chardev options (backend as implied key, id=,
 * path=, host=, port=, server=, wait=, size=, ...).  Errors use QEMU's
 * texts (cli.md §3.9).  The chardev is added to /chardevs/ID.
 */
Chardev *chardev_new_from_opts(Opts *opts, GError **errp);

/**
 * Creates a chardev from a legacy spec (cli.md §3.10: stdio, null, file:P,
 * unix:P[,...], tcp:H:P[,...], chardev:ID -> the existing one).  @label
 * names the new chardev ("serial0", "qtest", "compat_monitor0").
 */
Chardev *chardev_new_legacy(const char *spec, const char *label, GError **errp);

/** The chardev called @id, or NULL. */
Chardev *chardev_find(const char *id);

/** Attaches a front end; replays OPENED if already connected. */
void chardev_set_handlers(Chardev *chr, const ChardevHandlers *h, void *opaque);

/**
 * Writes all of @buf (blocking briefly on sockets if needed).  Returns the
 * number of bytes accepted: @len, or 0 when there is no peer (dropped).
 */
size_t chardev_write(Chardev *chr, const void *buf, size_t len);

/** True when a peer is connected (always true for non-socket backends). */
bool chardev_is_connected(Chardev *chr);

/** Tells the chardev the front end may take more input now. */
void chardev_accept_input(Chardev *chr);

/** Ring buffer backend: copies out and removes up to @max bytes. */
GString *chardev_ringbuf_read(Chardev *chr, size_t max);

/** Closes every chardev and unlinks server socket paths (at exit). */
void chardev_cleanup_all(void);

const char *chardev_id(Chardev *chr);

/** Registers the chardev types (idempotent). */
void chardev_register_types(void);
