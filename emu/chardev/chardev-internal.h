/* SPDX-License-Identifier: MIT */
/*
 * Character devices, the part shared between chardev.c and the backends:
 * the Chardev instance header, the per-backend driver table entry and the
 * helpers a backend uses to hand input and events to the front end.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emu/chardev/chardev.h"
#include "emu/object.h"
#include "emu/opts.h"

/* Largest chunk handed to a front end's read() in one call. */
#define CHARDEV_READ_CHUNK 4096

typedef struct ChardevDriver ChardevDriver;

/** Every backend's instance struct starts with this. */
struct Chardev {
    Object parent; /* must be first */

    char *id;
    const ChardevDriver *drv; /* NULL until the backend is being opened */
    ChardevHandlers h;
    void *opaque;
    bool attached; /* a front end called chardev_set_handlers() */
    bool closed;   /* chardev_cleanup_all() or finalize released it */
    int logfd;     /* logfile=, or -1 */
};

/** One backend: its -chardev name, QOM type and operations. */
struct ChardevDriver {
    const char *name;       /* -chardev backend name ("socket") */
    const ObjectClass *cls; /* concrete type ("chardev-socket") */
    /*
     * Initialises the instance from @opts (keys already checked).  Must
     * leave the instance in a state @close can release, also on failure.
     */
    bool (*open)(Chardev *chr, const Opts *opts, GError **errp);
    /* Writes all of @buf; returns @len or 0 (see chardev_write()). */
    size_t (*write)(Chardev *chr, const uint8_t *buf, size_t len);
    /* NULL: always connected */
    bool (*is_connected)(Chardev *chr);
    /* Front end changed or may take input again: (re)arm the input watch */
    void (*update_read)(Chardev *chr);
    /* Releases fds, watches and buffers; called once */
    void (*close)(Chardev *chr);
};

extern const ChardevDriver chardev_null_driver;
extern const ChardevDriver chardev_stdio_driver;
extern const ChardevDriver chardev_file_driver;
extern const ChardevDriver chardev_ringbuf_driver;
extern const ChardevDriver chardev_socket_driver;

extern const ObjectClass chardev_null_class;
extern const ObjectClass chardev_stdio_class;
extern const ObjectClass chardev_file_class;
extern const ObjectClass chardev_ringbuf_class;
extern const ObjectClass chardev_socket_class;

/** Shared instance_finalize of every concrete chardev type. */
void chardev_finalize(Object *obj);

/**
 * How many bytes the front end takes now: 0 when no front end is attached
 * or its can_read() says 0; at most CHARDEV_READ_CHUNK.
 */
size_t chardev_be_can_read(Chardev *chr);

/** Delivers input to the front end (dropped if it has no read()). */
void chardev_be_read(Chardev *chr, const uint8_t *buf, size_t len);

/** Delivers @ev to the front end, if any. */
void chardev_be_event(Chardev *chr, ChardevEvent ev);

/**
 * Writes all of @buf to the non-blocking or blocking @fd, waiting with
 * poll() while it would block, at most @stall_ms without progress.  Uses
 * send(MSG_NOSIGNAL) when @is_socket.  Returns false when the peer is gone
 * or stalled (errno tells which).
 */
bool chardev_write_all_fd(int fd, const uint8_t *buf, size_t len,
                          bool is_socket, int stall_ms);
