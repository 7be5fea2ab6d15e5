/* SPDX-License-Identifier: MIT */
/*
 * Character devices: creation from -chardev options and legacy specs, the
 * /chardevs container, front-end plumbing and cleanup at exit.
 *
 * Backends live in char-simple.c (null, stdio, file, ringbuf) and
 * char-socket.c (unix/tcp socket, client or server, or an inherited fd).
 * Option names and messages follow QEMU 7.2's -chardev (cli.md §3.9-3.10).
 * Not supported: mux=on (and so mon:SPEC), pty, vc, pipe, udp, serial
 * devices; they fail with a message.
 */
#include "emu/chardev/chardev.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib.h>

#include "emu/chardev/chardev-internal.h"
#include "emu/object.h"
#include "emu/opts.h"

static const ObjectClass chardev_class = {
    .name = TYPE_CHARDEV,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(Chardev),
    .abstract = true,
    .desc = "character device",
};

static const ChardevDriver *const chardev_drivers[] = {
    &chardev_null_driver,   &chardev_stdio_driver,   &chardev_file_driver,
    &chardev_socket_driver, &chardev_ringbuf_driver,
};

/*
 * QEMU's -chardev option list is fixed (qemu_chardev_opts): any of these
 * keys is accepted with any backend and ignored where it means nothing.
 */
static const char *const chardev_keys[] = {
    "backend",   "id",        "path",      "host",      "port",   "fd",
    "localaddr", "localport", "to",        "ipv4",      "ipv6",   "wait",
    "server",    "delay",     "nodelay",   "reconnect", "telnet", "tn3270",
    "tls-creds", "tls-authz", "websocket", "width",     "height", "cols",
    "rows",      "mux",       "signal",    "name",      "debug",  "size",
    "chardev",   "append",    "logfile",   "logappend", "mouse",  "clipboard",
    "tight",     "abstract",  NULL,
};

void chardev_register_types(void)
{
    object_register_types();
    if (type_lookup(TYPE_CHARDEV)) {
        return;
    }
    type_register(&chardev_class);
    for (size_t i = 0; i < G_N_ELEMENTS(chardev_drivers); i++) {
        type_register(chardev_drivers[i]->cls);
    }
}

static Object *chardev_container(bool create)
{
    Object *root = object_get_root();

    if (create) {
        return object_get_container(root, "chardevs");
    }
    return object_get_child(root, "chardevs");
}

Chardev *chardev_find(const char *id)
{
    Object *container = chardev_container(false);
    Object *obj;

    if (!container || !id) {
        return NULL;
    }
    obj = object_get_child(container, id);
    if (!obj || !object_dynamic_cast(obj, TYPE_CHARDEV)) {
        return NULL;
    }
    return (Chardev *)obj;
}

const char *chardev_id(Chardev *chr)
{
    return chr->id;
}

static const ChardevDriver *chardev_driver_lookup(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(chardev_drivers); i++) {
        if (strcmp(chardev_drivers[i]->name, name) == 0) {
            return chardev_drivers[i];
        }
    }
    return NULL;
}

static void chardev_close(Chardev *chr)
{
    if (chr->closed) {
        return;
    }
    chr->closed = true;
    if (chr->drv && chr->drv->close) {
        chr->drv->close(chr);
    }
    if (chr->logfd >= 0) {
        close(chr->logfd);
        chr->logfd = -1;
    }
}

void chardev_finalize(Object *obj)
{
    Chardev *chr = (Chardev *)obj;

    chardev_close(chr);
    g_clear_pointer(&chr->id, g_free);
}

static bool chardev_open_logfile(Chardev *chr, const Opts *opts, GError **errp)
{
    const char *logfile = opts_get(opts, "logfile");
    bool append;
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC;

    if (!opts_get_bool(opts, "logappend", false, &append, errp)) {
        return false;
    }
    if (!logfile) {
        return true;
    }
    flags |= append ? O_APPEND : O_TRUNC;
    chr->logfd = open(logfile, flags, 0666);
    if (chr->logfd < 0) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Unable to open logfile %s: %s", logfile,
                    g_strerror(errno));
        return false;
    }
    return true;
}

Chardev *chardev_new_from_opts(Opts *opts, GError **errp)
{
    const char *backend = opts_get(opts, "backend");
    const char *id = opts->id ? opts->id : opts_get(opts, "id");
    const ChardevDriver *drv;
    Chardev *chr;
    bool mux;

    chardev_register_types();
    if (!opts_check_keys(opts, chardev_keys, errp)) {
        return NULL;
    }
    if (id && chardev_find(id)) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Duplicate ID '%s' for chardev", id);
        return NULL;
    }
    if (!id) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "chardev: no id specified");
        return NULL;
    }
    if (!backend) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "chardev: \"%s\" missing backend", id);
        return NULL;
    }
    drv = chardev_driver_lookup(backend);
    if (!drv) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "'%s' is not a valid char driver name", backend);
        return NULL;
    }
    if (!opts_get_bool(opts, "mux", false, &mux, errp)) {
        return NULL;
    }
    if (mux) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "chardev: mux is not supported");
        return NULL;
    }

    chr = (Chardev *)object_new(drv->cls->name, errp);
    if (!chr) {
        return NULL;
    }
    chr->id = g_strdup(id);
    chr->logfd = -1;
    chr->drv = drv;
    if (!drv->open(chr, opts, errp) || !chardev_open_logfile(chr, opts, errp)) {
        object_unref(&chr->parent);
        return NULL;
    }
    if (!object_add_child(chardev_container(true), id, &chr->parent, errp)) {
        object_unref(&chr->parent);
        return NULL;
    }
    object_unref(&chr->parent); /* the tree holds it now */
    return chr;
}

static Opts *chardev_legacy_opts(const char *spec, GError **errp)
{
    Opts *opts;

    if (strcmp(spec, "stdio") == 0 || strcmp(spec, "null") == 0) {
        return opts_parse(spec, "backend", errp);
    }
    if (g_str_has_prefix(spec, "file:")) {
        opts = opts_parse("file", "backend", errp);
        if (opts) {
            opts_set(opts, "path", spec + strlen("file:"));
        }
        return opts;
    }
    if (g_str_has_prefix(spec, "unix:")) {
        const char *rest = spec + strlen("unix:");

        if (!rest[0]) {
            return opts_parse("socket", "backend", errp);
        }
        opts = opts_parse(rest, "path", errp);
        if (opts) {
            opts_set(opts, "backend", "socket");
        }
        return opts;
    }
    if (g_str_has_prefix(spec, "tcp:")) {
        /* tcp:[HOST]:PORT[,k=v...]; HOST is everything up to the last ':' */
        const char *hp = spec + strlen("tcp:");
        const char *comma = strchr(hp, ',');
        g_autofree char *addr =
            comma ? g_strndup(hp, comma - hp) : g_strdup(hp);
        g_autofree char *list = NULL;
        char *colon = strrchr(addr, ':');
        bool server;

        if (colon && colon[1] != '\0') {
            *colon = '\0';
            list = g_strconcat("socket", comma ? comma : "", NULL);
            opts = opts_parse(list, "backend", errp);
            if (!opts) {
                return NULL;
            }
            if (!opts_get_bool(opts, "server", false, &server, NULL)) {
                server = false; /* the error is reported when opening */
            }
            opts_set(opts, "host",
                     addr[0] ? addr : (server ? "0.0.0.0" : "localhost"));
            opts_set(opts, "port", colon + 1);
            return opts;
        }
    }
    g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                "'%s' is not a valid char driver", spec);
    return NULL;
}

Chardev *chardev_new_legacy(const char *spec, const char *label, GError **errp)
{
    g_autoptr(Opts) opts = NULL;

    if (g_str_has_prefix(spec, "chardev:")) {
        const char *id = spec + strlen("chardev:");
        Chardev *chr = chardev_find(id);

        if (!chr) {
            g_set_error(errp, EMU_ERROR, EMU_ERROR_NOT_FOUND,
                        "chardev '%s' not found", id);
        }
        return chr;
    }
    opts = chardev_legacy_opts(spec, errp);
    if (!opts) {
        return NULL;
    }
    g_free(opts->id);
    opts->id = g_strdup(label);
    return chardev_new_from_opts(opts, errp);
}

void chardev_set_handlers(Chardev *chr, const ChardevHandlers *h, void *opaque)
{
    if (h && (h->can_read || h->read || h->event)) {
        chr->h = *h;
        chr->attached = true;
    } else {
        memset(&chr->h, 0, sizeof(chr->h));
        chr->attached = false;
    }
    chr->opaque = opaque;
    if (chr->closed) {
        return;
    }
    if (chr->drv->update_read) {
        chr->drv->update_read(chr);
    }
    if (chr->attached && chardev_is_connected(chr)) {
        chardev_be_event(chr, CHR_EVENT_OPENED);
    }
}

size_t chardev_write(Chardev *chr, const void *buf, size_t len)
{
    size_t done;

    if (chr->closed) {
        return 0;
    }
    if (len == 0) {
        return 0;
    }
    done = chr->drv->write(chr, buf, len);
    if (done && chr->logfd >= 0) {
        /* best effort: a failing log must not lose the real output */
        (void)chardev_write_all_fd(chr->logfd, buf, done, false, 1000);
    }
    return done;
}

bool chardev_is_connected(Chardev *chr)
{
    if (chr->closed) {
        return false;
    }
    if (!chr->drv->is_connected) {
        return true;
    }
    return chr->drv->is_connected(chr);
}

void chardev_accept_input(Chardev *chr)
{
    if (!chr->closed && chr->drv->update_read) {
        chr->drv->update_read(chr);
    }
}

void chardev_cleanup_all(void)
{
    Object *container = chardev_container(false);

    if (!container || !container->children) {
        return;
    }
    for (guint i = 0; i < container->children->len; i++) {
        Object *obj = g_ptr_array_index(container->children, i);

        if (object_dynamic_cast(obj, TYPE_CHARDEV)) {
            chardev_close((Chardev *)obj);
        }
    }
}

size_t chardev_be_can_read(Chardev *chr)
{
    size_t can;

    if (chr->closed || !chr->attached) {
        return 0;
    }
    if (!chr->h.read || !chr->h.can_read) {
        return CHARDEV_READ_CHUNK;
    }
    can = chr->h.can_read(chr->opaque);
    return MIN(can, (size_t)CHARDEV_READ_CHUNK);
}

void chardev_be_read(Chardev *chr, const uint8_t *buf, size_t len)
{
    if (chr->attached && chr->h.read && len) {
        chr->h.read(chr->opaque, buf, len);
    }
}

void chardev_be_event(Chardev *chr, ChardevEvent ev)
{
    if (chr->attached && chr->h.event) {
        chr->h.event(chr->opaque, ev);
    }
}

bool chardev_write_all_fd(int fd, const uint8_t *buf, size_t len,
                          bool is_socket, int stall_ms)
{
    size_t done = 0;
    int waited = 0;

    while (done < len) {
        ssize_t n;

        if (is_socket) {
            n = send(fd, buf + done, len - done, MSG_NOSIGNAL);
        } else {
            n = write(fd, buf + done, len - done);
        }
        if (n > 0) {
            done += (size_t)n;
            waited = 0;
            continue;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct pollfd pfd = {.fd = fd, .events = POLLOUT};
            int slice = 100;

            if (waited >= stall_ms) {
                errno = ETIMEDOUT;
                return false;
            }
            if (poll(&pfd, 1, slice) == 0) {
                waited += slice;
            }
            continue;
        }
        if (n == 0) {
            errno = EPIPE;
        }
        return false;
    }
    return true;
}
