/* SPDX-License-Identifier: MIT */
/*
 * The socket chardev backend (cli.md §3.9): a unix (path=) or tcp
 * (host=,port=) stream socket, as a client (default: connects once, at
 * creation) or a server (server=on: listens; wait=on, the default, blocks
 * creation until the first client connects), or an inherited socket
 * (fd=N: connected, or listening with server=on).
 *
 * A server serves one client at a time: while a client is connected the
 * listening socket is not watched, so a second client stays pending in the
 * backlog until the first one disconnects; the server then closes the old
 * connection, emits CLOSED and listens again.  A client or fd= chardev
 * that loses its peer emits CLOSED and stays disconnected (writes are
 * dropped).  reconnect= is accepted and ignored for clients.  Unix server
 * sockets are unlinked before bind and again at chardev_cleanup_all().
 * Not supported: telnet, tn3270, websocket, tls-creds (rejected).
 */
#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib.h>

#include "emu/chardev/chardev-internal.h"
#include "emu/chardev/chardev.h"
#include "emu/log.h"
#include "emu/object.h"
#include "emu/opts.h"

/* A peer that takes no data for this long is treated as gone */
#define CHARDEV_SOCKET_STALL_MS 10000
/* At most this many bytes are taken from the socket per wake-up */
#define CHARDEV_SOCKET_READ_MAX (64 * 1024)

typedef struct ChardevSocket {
    Chardev parent;

    bool is_server;
    char *unix_path; /* unix server socket to unlink at close, or NULL */
    char *desc;      /* "unix:PATH" / "tcp:HOST:PORT" for messages */
    int listen_fd;
    guint listen_tag;
    int fd; /* the connected peer, or -1 */
    guint read_tag;
    guint hangup_tag; /* idle source finishing a write-side disconnect */
    bool peer_gone;   /* a write failed; disconnect is pending */
} ChardevSocket;

static void chardev_socket_disconnect(ChardevSocket *s);

static void chardev_socket_set_nodelay(int fd)
{
    int one = 1;

    /* fails harmlessly (EOPNOTSUPP) on unix sockets */
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

static bool chardev_socket_set_nonblock(int fd, bool on)
{
    int flags = fcntl(fd, F_GETFL);

    if (flags < 0) {
        return false;
    }
    flags = on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
    return fcntl(fd, F_SETFL, flags) == 0;
}

/*
 * g_unix_fd_add(), but the source may be dispatched recursively.  glib
 * blocks a non-recursive source while its callback runs, which removes and
 * re-adds its fd and signals the context's wake-up eventfd twice per
 * dispatch; a socket read per request made that three extra system calls
 * per qtest round trip.  Our callbacks never run the loop themselves.
 */
static guint chardev_socket_add_watch(int fd, GIOCondition cond,
                                      GUnixFDSourceFunc fn, gpointer opaque)
{
    GSource *src = g_unix_fd_source_new(fd, cond);
    guint tag;

    g_source_set_callback(src, (GSourceFunc)(void (*)(void))fn, opaque, NULL);
    g_source_set_can_recurse(src, TRUE);
    tag = g_source_attach(src, NULL);
    g_source_unref(src);
    return tag;
}

/* Input */

/*
 * Hands what the peer sent to the front end, a chunk at a time, until the
 * socket is drained (a short read) or CHARDEV_SOCKET_READ_MAX bytes were
 * taken, so a pipelining client costs one wake-up per batch.
 */
static gboolean chardev_socket_readable(gint fd, GIOCondition cond,
                                        gpointer opaque)
{
    ChardevSocket *s = opaque;
    uint8_t buf[CHARDEV_READ_CHUNK];
    size_t total = 0;

    for (;;) {
        size_t can = chardev_be_can_read(&s->parent);
        ssize_t n;

        if (can == 0) {
            s->read_tag = 0; /* paused until chardev_accept_input() */
            return G_SOURCE_REMOVE;
        }
        n = recv(fd, buf, can, 0);
        if (n > 0) {
            chardev_be_read(&s->parent, buf, (size_t)n);
            total += (size_t)n;
            if ((size_t)n < can || total >= CHARDEV_SOCKET_READ_MAX ||
                s->fd != fd || s->peer_gone) {
                return G_SOURCE_CONTINUE;
            }
            continue;
        }
        if (n < 0 &&
            (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) {
            return G_SOURCE_CONTINUE;
        }
        /* EOF or a connection error */
        s->read_tag = 0;
        chardev_socket_disconnect(s);
        return G_SOURCE_REMOVE;
    }
}

static void chardev_socket_update_read(Chardev *chr)
{
    ChardevSocket *s = (ChardevSocket *)chr;

    if (s->fd < 0 || s->peer_gone || s->read_tag ||
        chardev_be_can_read(chr) == 0) {
        return;
    }
    s->read_tag = chardev_socket_add_watch(s->fd, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                           chardev_socket_readable, s);
}

/* Connection state */

static void chardev_socket_connected(ChardevSocket *s, int fd)
{
    s->fd = fd;
    s->peer_gone = false;
    chardev_socket_set_nodelay(fd);
    chardev_socket_update_read(&s->parent);
}

static gboolean chardev_socket_acceptable(gint lfd, GIOCondition cond,
                                          gpointer opaque)
{
    ChardevSocket *s = opaque;
    int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

    if (fd < 0) {
        /* EAGAIN, ECONNABORTED, EMFILE...: try again on the next wakeup */
        return G_SOURCE_CONTINUE;
    }
    s->listen_tag = 0; /* one client at a time */
    chardev_socket_connected(s, fd);
    chardev_be_event(&s->parent, CHR_EVENT_OPENED);
    return G_SOURCE_REMOVE;
}

static void chardev_socket_listen_watch(ChardevSocket *s)
{
    if (s->listen_fd >= 0 && !s->listen_tag) {
        s->listen_tag =
            g_unix_fd_add(s->listen_fd, G_IO_IN, chardev_socket_acceptable, s);
    }
}

static void chardev_socket_drop_peer(ChardevSocket *s)
{
    if (s->read_tag) {
        g_source_remove(s->read_tag);
        s->read_tag = 0;
    }
    if (s->hangup_tag) {
        g_source_remove(s->hangup_tag);
        s->hangup_tag = 0;
    }
    if (s->fd >= 0) {
        close(s->fd);
        s->fd = -1;
    }
    s->peer_gone = false;
}

/* The peer went away: forget it, listen again (server), emit CLOSED. */
static void chardev_socket_disconnect(ChardevSocket *s)
{
    if (s->fd < 0) {
        return;
    }
    chardev_socket_drop_peer(s);
    if (s->is_server) {
        chardev_socket_listen_watch(s);
    }
    chardev_be_event(&s->parent, CHR_EVENT_CLOSED);
}

static gboolean chardev_socket_hangup(gpointer opaque)
{
    ChardevSocket *s = opaque;

    s->hangup_tag = 0;
    chardev_socket_disconnect(s);
    return G_SOURCE_REMOVE;
}

/* Output */

static size_t chardev_socket_write(Chardev *chr, const uint8_t *buf, size_t len)
{
    ChardevSocket *s = (ChardevSocket *)chr;

    if (s->fd < 0 || s->peer_gone) {
        return 0;
    }
    if (chardev_write_all_fd(s->fd, buf, len, true, CHARDEV_SOCKET_STALL_MS)) {
        return len;
    }
    /*
     * The peer is gone (or stopped reading).  Finish the disconnect from
     * the loop, not from inside the front end's write.
     */
    s->peer_gone = true;
    if (s->read_tag) {
        g_source_remove(s->read_tag);
        s->read_tag = 0;
    }
    if (!s->hangup_tag) {
        s->hangup_tag = g_idle_add(chardev_socket_hangup, s);
    }
    return 0;
}

static bool chardev_socket_is_connected(Chardev *chr)
{
    ChardevSocket *s = (ChardevSocket *)chr;

    return s->fd >= 0 && !s->peer_gone;
}

/* Opening */

static bool chardev_socket_unix_addr(const char *path, struct sockaddr_un *sa,
                                     GError **errp)
{
    memset(sa, 0, sizeof(*sa));
    sa->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(sa->sun_path)) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "UNIX socket path '%s' is too long", path);
        return false;
    }
    memcpy(sa->sun_path, path, strlen(path) + 1);
    return true;
}

static int chardev_socket_unix_connect(const char *path, GError **errp)
{
    struct sockaddr_un sa;
    int fd;

    if (!chardev_socket_unix_addr(path, &sa, errp)) {
        return -1;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Failed to create socket: %s", g_strerror(errno));
        return -1;
    }
    while (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        int err = errno;

        if (err == EINTR) {
            continue;
        }
        close(fd);
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Failed to connect to '%s': %s", path, g_strerror(err));
        return -1;
    }
    return fd;
}

static int chardev_socket_unix_listen(const char *path, GError **errp)
{
    struct sockaddr_un sa;
    int fd;

    if (!chardev_socket_unix_addr(path, &sa, errp)) {
        return -1;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Failed to create socket: %s", g_strerror(errno));
        return -1;
    }
    if (unlink(path) < 0 && errno != ENOENT) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Failed to unlink socket %s: %s", path, g_strerror(errno));
        close(fd);
        return -1;
    }
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Failed to bind socket to %s: %s", path, g_strerror(errno));
        close(fd);
        return -1;
    }
    if (listen(fd, 1) < 0) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Failed to listen on socket: %s", g_strerror(errno));
        close(fd);
        unlink(path);
        return -1;
    }
    return fd;
}

static struct addrinfo *chardev_socket_resolve(const char *host,
                                               const char *port, int family,
                                               bool passive, GError **errp)
{
    struct addrinfo hints = {
        .ai_family = family,
        .ai_socktype = SOCK_STREAM,
        .ai_flags = passive ? AI_PASSIVE : 0,
    };
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(host, port, &hints, &res);

    if (rc != 0) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "address resolution failed for %s:%s: %s", host, port,
                    gai_strerror(rc));
        return NULL;
    }
    return res;
}

static int chardev_socket_tcp_connect(const char *host, const char *port,
                                      int family, GError **errp)
{
    struct addrinfo *res =
        chardev_socket_resolve(host, port, family, false, errp);
    int err = ECONNREFUSED;
    int fd = -1;

    if (!res) {
        return -1;
    }
    for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
                    ai->ai_protocol);
        if (fd < 0) {
            err = errno;
            continue;
        }
        while (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
            if (errno == EINTR) {
                continue;
            }
            err = errno;
            close(fd);
            fd = -1;
            break;
        }
    }
    freeaddrinfo(res);
    if (fd < 0) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Failed to connect to '%s:%s': %s", host, port,
                    g_strerror(err));
    }
    return fd;
}

static int chardev_socket_tcp_listen(const char *host, const char *port,
                                     int family, GError **errp)
{
    struct addrinfo *res =
        chardev_socket_resolve(host, port, family, true, errp);
    int err = EADDRNOTAVAIL;
    int fd = -1;

    if (!res) {
        return -1;
    }
    for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
        int one = 1;

        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
                    ai->ai_protocol);
        if (fd < 0) {
            err = errno;
            continue;
        }
        (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 1) < 0) {
            err = errno;
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    if (fd < 0) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Failed to find an available port: %s", g_strerror(err));
    }
    return fd;
}

static int chardev_socket_inherited(const char *str, GError **errp)
{
    struct stat st;
    int32_t fd;

    if (!parse_i32(str, &fd) || fd < 0) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Unable to parse FD number %s", str);
        return -1;
    }
    if (fstat(fd, &st) < 0 || !S_ISSOCK(st.st_mode)) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "File descriptor '%s' is not a socket", str);
        return -1;
    }
    (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
    return fd;
}

/* Rejects bool options we do not implement when they are switched on. */
static bool chardev_socket_check_unsupported(const Opts *opts, GError **errp)
{
    static const char *const flags[] = {"telnet", "tn3270", "websocket", NULL};
    bool on;

    for (size_t i = 0; flags[i]; i++) {
        if (!opts_get_bool(opts, flags[i], false, &on, errp)) {
            return false;
        }
        if (on) {
            g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                        "chardev: socket: '%s' is not supported", flags[i]);
            return false;
        }
    }
    if (opts_has(opts, "tls-creds")) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "chardev: socket: 'tls-creds' is not supported");
        return false;
    }
    return true;
}

static bool chardev_socket_open(Chardev *chr, const Opts *opts, GError **errp)
{
    ChardevSocket *s = (ChardevSocket *)chr;
    const char *path = opts_get(opts, "path");
    const char *host = opts_get(opts, "host");
    const char *port = opts_get(opts, "port");
    const char *fdstr = opts_get(opts, "fd");
    const char *reconnect = opts_get(opts, "reconnect");
    bool server, wait, ipv4, ipv6, nodelay;
    int family = AF_UNSPEC;
    uint64_t secs;

    s->fd = -1;
    s->listen_fd = -1;
    if (!opts_get_bool(opts, "server", false, &server, errp) ||
        !opts_get_bool(opts, "wait", true, &wait, errp) ||
        !opts_get_bool(opts, "ipv4", false, &ipv4, errp) ||
        !opts_get_bool(opts, "ipv6", false, &ipv6, errp) ||
        !opts_get_bool(opts, "nodelay", false, &nodelay, errp)) {
        return false;
    }
    if (reconnect && !parse_u64(reconnect, &secs)) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Parameter 'reconnect' expects a number");
        return false;
    }
    if (!!path + !!fdstr + !!host > 1) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "None or one of 'path', 'fd' or 'host' option required.");
        return false;
    }
    if (host && !port) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "chardev: socket: no port given");
        return false;
    }
    if (!path && !host && !fdstr) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Unable to parse FD number ");
        return false;
    }
    if (!server && opts_has(opts, "wait")) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "'wait' option is incompatible with socket in client "
                    "connect mode");
        return false;
    }
    if (server && reconnect) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "'reconnect' option is incompatible with socket in "
                    "server listen mode");
        return false;
    }
    if (!chardev_socket_check_unsupported(opts, errp)) {
        return false;
    }
    if (ipv4 && !ipv6) {
        family = AF_INET;
    } else if (ipv6 && !ipv4) {
        family = AF_INET6;
    }
    s->is_server = server;

    if (fdstr) {
        int fd = chardev_socket_inherited(fdstr, errp);

        if (fd < 0) {
            return false;
        }
        s->desc = g_strdup_printf("fd:%s", fdstr);
        if (!chardev_socket_set_nonblock(fd, true)) {
            g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                        "Failed to set FD nonblocking: %s", g_strerror(errno));
            close(fd);
            return false;
        }
        if (server) {
            s->listen_fd = fd;
            chardev_socket_listen_watch(s);
        } else {
            chardev_socket_connected(s, fd);
        }
        return true;
    }

    if (path) {
        s->desc = g_strdup_printf("unix:%s", path);
    } else {
        s->desc = g_strdup_printf("tcp:%s:%s", host, port);
    }
    if (!server) {
        int fd = path ? chardev_socket_unix_connect(path, errp)
                      : chardev_socket_tcp_connect(host, port, family, errp);

        if (fd < 0) {
            return false;
        }
        if (!chardev_socket_set_nonblock(fd, true)) {
            g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                        "Failed to set socket nonblocking: %s",
                        g_strerror(errno));
            close(fd);
            return false;
        }
        chardev_socket_connected(s, fd);
        return true;
    }

    s->listen_fd = path ? chardev_socket_unix_listen(path, errp)
                        : chardev_socket_tcp_listen(host, port, family, errp);
    if (s->listen_fd < 0) {
        return false;
    }
    if (path) {
        s->unix_path = g_strdup(path);
    }
    if (wait) {
        int fd;

        fprintf(stderr,
                "%s: info: QEMU waiting for connection on: "
                "disconnected:%s,server=on\n",
                log_progname(), s->desc);
        do {
            fd =
                accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        } while (fd < 0 && (errno == EINTR || errno == ECONNABORTED));
        if (fd < 0) {
            g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                        "Failed to accept connection: %s", g_strerror(errno));
            return false;
        }
        chardev_socket_connected(s, fd);
    }
    if (!chardev_socket_set_nonblock(s->listen_fd, true)) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Failed to set socket nonblocking: %s", g_strerror(errno));
        return false;
    }
    if (s->fd < 0) {
        chardev_socket_listen_watch(s);
    }
    return true;
}

static void chardev_socket_close(Chardev *chr)
{
    ChardevSocket *s = (ChardevSocket *)chr;

    chardev_socket_drop_peer(s);
    if (s->listen_tag) {
        g_source_remove(s->listen_tag);
        s->listen_tag = 0;
    }
    if (s->listen_fd >= 0) {
        close(s->listen_fd);
        s->listen_fd = -1;
    }
    if (s->unix_path) {
        unlink(s->unix_path);
        g_clear_pointer(&s->unix_path, g_free);
    }
    g_clear_pointer(&s->desc, g_free);
}

const ObjectClass chardev_socket_class = {
    .name = "chardev-socket",
    .parent = TYPE_CHARDEV,
    .instance_size = sizeof(ChardevSocket),
    .desc = "unix or tcp stream socket",
    .instance_finalize = chardev_finalize,
};

const ChardevDriver chardev_socket_driver = {
    .name = "socket",
    .cls = &chardev_socket_class,
    .open = chardev_socket_open,
    .write = chardev_socket_write,
    .is_connected = chardev_socket_is_connected,
    .update_read = chardev_socket_update_read,
    .close = chardev_socket_close,
};
