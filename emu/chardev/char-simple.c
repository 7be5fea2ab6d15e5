/* SPDX-License-Identifier: MIT */
/*
 * The simple chardev backends (cli.md §3.9):
 *   null     swallows output, never has input
 *   stdio    input from fd 0, output to fd 1; one per process
 *   file     output to path= (truncated, or append=on); no input
 *   ringbuf  keeps the last size= output bytes (power of two, default 64 KiB)
 *            for chardev_ringbuf_read(); no input
 * Deviation: stdio leaves the terminal mode alone (QEMU makes a tty raw).
 */
#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "emu/chardev/chardev-internal.h"
#include "emu/chardev/chardev.h"
#include "emu/object.h"
#include "emu/opts.h"

/* How long a blocked stdout or file may stall a write before it is dropped */
#define CHARDEV_SIMPLE_STALL_MS 5000

#define CHARDEV_RINGBUF_DEFAULT_SIZE 65536
#define CHARDEV_RINGBUF_MAX_SIZE     (1ull << 30)

/* null */

static bool chardev_null_open(Chardev *chr, const Opts *opts, GError **errp)
{
    return true;
}

static size_t chardev_null_write(Chardev *chr, const uint8_t *buf, size_t len)
{
    return len;
}

const ObjectClass chardev_null_class = {
    .name = "chardev-null",
    .parent = TYPE_CHARDEV,
    .instance_size = sizeof(Chardev),
    .desc = "null character device",
    .instance_finalize = chardev_finalize,
};

const ChardevDriver chardev_null_driver = {
    .name = "null",
    .cls = &chardev_null_class,
    .open = chardev_null_open,
    .write = chardev_null_write,
};

/* stdio */

typedef struct ChardevStdio {
    Chardev parent;

    guint in_tag; /* watch on fd 0 while the front end takes input */
    bool in_eof;  /* stdin hit EOF or failed: never watched again */
    bool owner;   /* this instance holds the one-per-process claim */
} ChardevStdio;

static bool chardev_stdio_in_use;

static gboolean chardev_stdio_readable(gint fd, GIOCondition cond,
                                       gpointer opaque)
{
    ChardevStdio *s = opaque;
    uint8_t buf[CHARDEV_READ_CHUNK];
    size_t can = chardev_be_can_read(&s->parent);
    ssize_t n;

    if (can == 0) {
        s->in_tag = 0; /* paused until chardev_accept_input() */
        return G_SOURCE_REMOVE;
    }
    /* one read() after poll() said readable does not block */
    n = read(fd, buf, can);
    if (n > 0) {
        chardev_be_read(&s->parent, buf, (size_t)n);
        return G_SOURCE_CONTINUE;
    }
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
        return G_SOURCE_CONTINUE;
    }
    /* EOF on stdin never ends the run: stop watching, tell the front end */
    s->in_tag = 0;
    s->in_eof = true;
    chardev_be_event(&s->parent, CHR_EVENT_CLOSED);
    return G_SOURCE_REMOVE;
}

static void chardev_stdio_update_read(Chardev *chr)
{
    ChardevStdio *s = (ChardevStdio *)chr;

    if (s->in_tag || s->in_eof || chardev_be_can_read(chr) == 0) {
        return;
    }
    s->in_tag = g_unix_fd_add(STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR,
                              chardev_stdio_readable, s);
}

static bool chardev_stdio_open(Chardev *chr, const Opts *opts, GError **errp)
{
    ChardevStdio *s = (ChardevStdio *)chr;
    bool sig;

    if (!opts_get_bool(opts, "signal", true, &sig, errp)) {
        return false;
    }
    if (chardev_stdio_in_use) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "cannot use stdio by multiple character devices");
        return false;
    }
    chardev_stdio_in_use = true;
    s->owner = true;
    return true;
}

static size_t chardev_stdio_write(Chardev *chr, const uint8_t *buf, size_t len)
{
    if (!chardev_write_all_fd(STDOUT_FILENO, buf, len, false,
                              CHARDEV_SIMPLE_STALL_MS)) {
        return 0;
    }
    return len;
}

static void chardev_stdio_close(Chardev *chr)
{
    ChardevStdio *s = (ChardevStdio *)chr;

    if (s->in_tag) {
        g_source_remove(s->in_tag);
        s->in_tag = 0;
    }
    if (s->owner) {
        chardev_stdio_in_use = false;
        s->owner = false;
    }
}

const ObjectClass chardev_stdio_class = {
    .name = "chardev-stdio",
    .parent = TYPE_CHARDEV,
    .instance_size = sizeof(ChardevStdio),
    .desc = "standard input and output",
    .instance_finalize = chardev_finalize,
};

const ChardevDriver chardev_stdio_driver = {
    .name = "stdio",
    .cls = &chardev_stdio_class,
    .open = chardev_stdio_open,
    .write = chardev_stdio_write,
    .update_read = chardev_stdio_update_read,
    .close = chardev_stdio_close,
};

/* file */

typedef struct ChardevFile {
    Chardev parent;

    int fd;
} ChardevFile;

static bool chardev_file_open(Chardev *chr, const Opts *opts, GError **errp)
{
    ChardevFile *s = (ChardevFile *)chr;
    const char *path = opts_get(opts, "path");
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC;
    bool append;

    s->fd = -1;
    if (!path) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "chardev: file: no filename given");
        return false;
    }
    if (!opts_get_bool(opts, "append", false, &append, errp)) {
        return false;
    }
    flags |= append ? O_APPEND : O_TRUNC;
    s->fd = open(path, flags, 0666);
    if (s->fd < 0) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Could not open '%s': %s", path, g_strerror(errno));
        return false;
    }
    return true;
}

static size_t chardev_file_write(Chardev *chr, const uint8_t *buf, size_t len)
{
    ChardevFile *s = (ChardevFile *)chr;

    if (s->fd < 0 || !chardev_write_all_fd(s->fd, buf, len, false,
                                           CHARDEV_SIMPLE_STALL_MS)) {
        return 0;
    }
    return len;
}

static void chardev_file_close(Chardev *chr)
{
    ChardevFile *s = (ChardevFile *)chr;

    if (s->fd >= 0) {
        close(s->fd);
        s->fd = -1;
    }
}

const ObjectClass chardev_file_class = {
    .name = "chardev-file",
    .parent = TYPE_CHARDEV,
    .instance_size = sizeof(ChardevFile),
    .desc = "output to a file",
    .instance_finalize = chardev_finalize,
};

const ChardevDriver chardev_file_driver = {
    .name = "file",
    .cls = &chardev_file_class,
    .open = chardev_file_open,
    .write = chardev_file_write,
    .close = chardev_file_close,
};

/* ringbuf */

typedef struct ChardevRingbuf {
    Chardev parent;

    uint8_t *buf;
    uint64_t size; /* power of two */
    uint64_t prod; /* total bytes written */
    uint64_t cons; /* total bytes consumed; prod - cons <= size */
} ChardevRingbuf;

static bool chardev_ringbuf_open(Chardev *chr, const Opts *opts, GError **errp)
{
    ChardevRingbuf *s = (ChardevRingbuf *)chr;
    const char *size = opts_get(opts, "size");

    s->size = CHARDEV_RINGBUF_DEFAULT_SIZE;
    if (size && !parse_size(size, 'B', &s->size, errp)) {
        return false;
    }
    if (s->size == 0 || (s->size & (s->size - 1))) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "size of ringbuf chardev must be power of two");
        return false;
    }
    if (s->size > CHARDEV_RINGBUF_MAX_SIZE) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "size of ringbuf chardev must be at most 1G");
        return false;
    }
    s->buf = g_try_malloc0(s->size);
    if (!s->buf) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Cannot allocate a ringbuf of %" G_GUINT64_FORMAT " bytes",
                    s->size);
        return false;
    }
    return true;
}

static size_t chardev_ringbuf_write(Chardev *chr, const uint8_t *buf,
                                    size_t len)
{
    ChardevRingbuf *s = (ChardevRingbuf *)chr;

    for (size_t i = 0; i < len; i++) {
        s->buf[s->prod++ & (s->size - 1)] = buf[i];
        if (s->prod - s->cons > s->size) {
            s->cons = s->prod - s->size; /* overwrite the oldest byte */
        }
    }
    return len;
}

static void chardev_ringbuf_close(Chardev *chr)
{
    ChardevRingbuf *s = (ChardevRingbuf *)chr;

    g_clear_pointer(&s->buf, g_free);
    s->prod = s->cons = 0;
}

const ObjectClass chardev_ringbuf_class = {
    .name = "chardev-ringbuf",
    .parent = TYPE_CHARDEV,
    .instance_size = sizeof(ChardevRingbuf),
    .desc = "in-memory ring buffer",
    .instance_finalize = chardev_finalize,
};

const ChardevDriver chardev_ringbuf_driver = {
    .name = "ringbuf",
    .cls = &chardev_ringbuf_class,
    .open = chardev_ringbuf_open,
    .write = chardev_ringbuf_write,
    .close = chardev_ringbuf_close,
};

GString *chardev_ringbuf_read(Chardev *chr, size_t max)
{
    ChardevRingbuf *s;
    GString *out;

    if (!object_dynamic_cast(&chr->parent, chardev_ringbuf_class.name)) {
        return NULL;
    }
    s = (ChardevRingbuf *)chr;
    out = g_string_new(NULL);
    while (s->buf && s->cons < s->prod && out->len < max) {
        g_string_append_c(out, (char)s->buf[s->cons++ & (s->size - 1)]);
    }
    return out;
}
