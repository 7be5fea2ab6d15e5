/* SPDX-License-Identifier: MIT */
/*
 * The qtest line-protocol server (spec/qtest-protocol.md).
 *
 * Bytes from the client are cut into lines at '\n' (partial lines are
 * buffered, '\r' is kept), each line is split on single spaces and answered
 * with exactly one reply line.  Replies for valid input are QEMU's byte for
 * byte; where QEMU asserts or crashes on bad input we answer "FAIL <reason>"
 * (the spec's "Deviation" rows, marked below).
 *
 * Intercepted IRQ lines report "IRQ raise N" / "IRQ lower N" as soon as
 * their level changes, so they precede the reply of the command that caused
 * them.  Clock commands exist only under the qtest accelerator and use the
 * QEMU 10.0 replies (spec §8).
 */
#include "qtest/qtest.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <glib.h>

#include "benchtop-config.h"
#include "emu/chardev/chardev.h"
#include "emu/clock.h"
#include "emu/device.h"
#include "emu/irq.h"
#include "emu/memory.h"
#include "emu/object.h"
#include "emu/opts.h"

/*
 * Deviation: QEMU buffers lines without limit.  A longer line is discarded
 * up to its newline and answered "FAIL line too long".
 */
#define QTEST_MAX_LINE ((size_t)64 << 20)
/*
 * Deviation: QEMU allocates SIZE bytes for read/b64read/write/memset without
 * a limit; we refuse more (spec §4 notes).
 */
#define QTEST_MAX_SIZE ((uint64_t)256 << 20)
/*
 * Replies and log lines produced while one chunk of input is handled are
 * collected and written once at the end of the chunk (one write for a
 * pipelined batch).  A buffer that grew past this is released afterwards.
 */
#define QTEST_KEEP_BUF ((size_t)1 << 20)
/* Words after these are ignored (no command uses that many). */
#define QTEST_MAX_WORDS 64
/*
 * Report state is kept for line indices below this; higher ones always
 * report (no device has that many lines in one group).
 */
#define QTEST_MAX_IRQ_STATE 65536

struct QTestServer {
    Chardev *chr;       /* transport, or NULL in buffer mode */
    GString *out;       /* buffer mode: replies are appended here */
    FILE *log;          /* protocol log, or NULL */
    bool log_owned;     /* fclose() it when done */
    bool qtest_accel;   /* clock_step/clock_set are available */
    bool opened;        /* a client is connected */
    GTimer *timer;      /* started when the connection opened */
    GString *inbuf;     /* partial request line */
    bool discarding;    /* dropping an over-long line up to its '\n' */
    bool feeding;       /* inside qtest_server_feed() */
    GString *pending;   /* bytes fed re-entrantly while feeding */
    GString *outbuf;    /* replies not yet written (while feeding) */
    GString *logbuf;    /* log text not yet written (while feeding) */
    Object *irq_dev;    /* the one intercepted device (holds a ref) */
    GArray *irq_levels; /* guint8 per reported line index */
    Object *obj;        /* /machine/qtest, or NULL (holds a ref) */
};

typedef struct QTestObject {
    Object parent; /* must be first */
    char *chardev; /* property: id of the transport chardev */
    char *log;     /* property: -qtest-log value, or NULL */
} QTestObject;

static const PropDesc qtest_object_props[] = {
    PROP_STR_("chardev", QTestObject, chardev, NULL),
    PROP_STR_("log", QTestObject, log, NULL),
    PROP_END,
};

static const ObjectClass qtest_object_class = {
    .name = TYPE_QTEST,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(QTestObject),
    .desc = "qtest protocol server",
    .props = qtest_object_props,
};

static QTestServer *qtest_server;
static GHashTable *qtest_commands; /* name -> QTestCommandFn */

void qtest_register_types(void)
{
    if (!type_lookup(TYPE_QTEST)) {
        type_register(&qtest_object_class);
    }
}

QTestServer *qtest_server_get(void)
{
    return qtest_server;
}

/* ------------------------------------------------------------------ */
/* Log and replies                                                     */

static double qtest_elapsed(QTestServer *s)
{
    return s->timer ? g_timer_elapsed(s->timer, NULL) : 0.0;
}

/* Drops a buffer's contents, and its memory when a huge reply grew it. */
static void qtest_buf_reset(GString **buf)
{
    if ((*buf)->allocated_len > QTEST_KEEP_BUF) {
        g_string_free(*buf, TRUE);
        *buf = g_string_new(NULL);
    } else {
        g_string_truncate(*buf, 0);
    }
}

/* Writes the collected log text (one write, then flushed). */
static void qtest_flush_log(QTestServer *s)
{
    if (s->logbuf->len == 0) {
        return;
    }
    if (s->log) {
        fwrite(s->logbuf->str, 1, s->logbuf->len, s->log);
        fflush(s->log);
    }
    qtest_buf_reset(&s->logbuf);
}

/* Writes the collected replies in one piece, then the log. */
static void qtest_flush(QTestServer *s)
{
    if (s->outbuf->len) {
        if (s->chr) {
            chardev_write(s->chr, s->outbuf->str, s->outbuf->len);
        } else if (s->out) {
            g_string_append_len(s->out, s->outbuf->str, (gssize)s->outbuf->len);
        }
        qtest_buf_reset(&s->outbuf);
    }
    qtest_flush_log(s);
}

/* The log text is written at once unless a chunk is being handled. */
static void qtest_log_done(QTestServer *s)
{
    if (!s->feeding) {
        qtest_flush_log(s);
    }
}

/* "[S +T] " + @text (which ends in '\n'), only while the client is there. */
static void qtest_log_send(QTestServer *s, const char *text, size_t len)
{
    if (!s->log || !s->opened) {
        return;
    }
    g_string_append_printf(s->logbuf, "[S +%.6f] ", qtest_elapsed(s));
    g_string_append_len(s->logbuf, text, (gssize)len);
    qtest_log_done(s);
}

/*
 * Queues the reply already appended to s->outbuf at @start (without its
 * '\n'): terminates and logs it, and writes it unless a chunk is being
 * handled (then qtest_server_feed() writes all of them at its end).
 */
static void qtest_reply_queued(QTestServer *s, size_t start)
{
    g_string_append_c(s->outbuf, '\n');
    qtest_log_send(s, s->outbuf->str + start, s->outbuf->len - start);
    if (!s->feeding) {
        qtest_flush(s);
    }
}

/* Appends '\n' to @line, writes it in one piece and logs it. */
static void qtest_send_gstring(QTestServer *s, GString *line)
{
    size_t start = s->outbuf->len;

    g_string_append_len(s->outbuf, line->str, (gssize)line->len);
    qtest_reply_queued(s, start);
}

void qtest_send_reply(QTestServer *s, const char *fmt, ...)
{
    va_list ap;
    size_t start = s->outbuf->len;

    va_start(ap, fmt);
    g_string_append_vprintf(s->outbuf, fmt, ap);
    va_end(ap);
    qtest_reply_queued(s, start);
}

/* Writes a line to the log only ("b64write: data length mismatch"). */
static void G_GNUC_PRINTF(2, 3)
    qtest_log_only(QTestServer *s, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *text = NULL;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    qtest_log_send(s, text, strlen(text));
}

static void qtest_log_request(QTestServer *s, const char *line)
{
    if (!s->log || !s->opened) {
        return;
    }
    /* QEMU logs " " + each word: for a non-empty line that is " " + line. */
    g_string_append_printf(s->logbuf, "[R +%.6f]%s%s\n", qtest_elapsed(s),
                           *line ? " " : "", line);
    qtest_log_done(s);
}

static void qtest_open(QTestServer *s)
{
    if (s->irq_levels->len) {
        memset(s->irq_levels->data, 0, s->irq_levels->len);
    }
    if (s->timer) {
        g_timer_start(s->timer);
    } else {
        s->timer = g_timer_new();
    }
    s->opened = true;
    if (s->log) {
        g_string_append_printf(s->logbuf, "[I %.6f] OPENED\n",
                               qtest_elapsed(s));
        qtest_log_done(s);
    }
}

static void qtest_closed(QTestServer *s)
{
    if (!s->opened) {
        return;
    }
    if (s->log) {
        g_string_append_printf(s->logbuf, "[I +%.6f] CLOSED\n",
                               qtest_elapsed(s));
        qtest_log_done(s);
    }
    s->opened = false;
    /* A reconnecting client starts with a fresh line. */
    g_string_truncate(s->inbuf, 0);
    s->discarding = false;
}

/* ------------------------------------------------------------------ */
/* Argument helpers                                                    */

static bool qtest_need_args(QTestServer *s, int nwords, int n)
{
    if (nwords < n) {
        qtest_send_reply(s, "FAIL missing argument");
        return false;
    }
    return true;
}

static bool qtest_arg_u64(QTestServer *s, const char *word, uint64_t *out)
{
    if (!parse_u64(word, out)) {
        qtest_send_reply(s, "FAIL invalid number '%s'", word);
        return false;
    }
    return true;
}

static bool qtest_arg_i64(QTestServer *s, const char *word, int64_t *out)
{
    if (!parse_i64(word, out)) {
        qtest_send_reply(s, "FAIL invalid number '%s'", word);
        return false;
    }
    return true;
}

static bool qtest_arg_i32(QTestServer *s, const char *word, int32_t *out)
{
    if (!parse_i32(word, out)) {
        qtest_send_reply(s, "FAIL invalid number '%s'", word);
        return false;
    }
    return true;
}

/* Deviation: refuse sizes that would make us allocate without bound. */
static bool qtest_check_size(QTestServer *s, uint64_t size)
{
    if (size > QTEST_MAX_SIZE) {
        qtest_send_reply(s, "FAIL size too large");
        return false;
    }
    return true;
}

/* Width in bytes from the last letter of readb/writew/inl/... */
static unsigned qtest_width(const char *cmd)
{
    switch (cmd[strlen(cmd) - 1]) {
    case 'b':
        return 1;
    case 'w':
        return 2;
    case 'l':
        return 4;
    default:
        return 8;
    }
}

/* ------------------------------------------------------------------ */
/* Memory and port I/O (spec §4)                                       */

static void qtest_store_le(uint64_t addr, unsigned size, uint64_t val)
{
    uint8_t buf[8];

    for (unsigned i = 0; i < size; i++) {
        buf[i] = (uint8_t)(val >> (8 * i));
    }
    address_space_write(address_space_system(), addr, buf, size);
}

static uint64_t qtest_load_le(uint64_t addr, unsigned size)
{
    uint8_t buf[8] = {0};
    uint64_t val = 0;

    address_space_read(address_space_system(), addr, buf, size);
    for (unsigned i = 0; i < size; i++) {
        val |= (uint64_t)buf[i] << (8 * i);
    }
    return val;
}

static void qtest_cmd_write_n(QTestServer *s, char **words, int nwords)
{
    uint64_t addr, val;

    if (!qtest_need_args(s, nwords, 3) || !qtest_arg_u64(s, words[1], &addr) ||
        !qtest_arg_u64(s, words[2], &val)) {
        return;
    }
    /*
     * Like QEMU's memory core, a qtest access goes through the byte path:
     * an access wider than a device accepts is split into the widest
     * aligned pieces it takes (a CPU access of that width faults instead).
     * Result ignored: unmapped writes are dropped with OK (spec §4).
     */
    qtest_store_le(addr, qtest_width(words[0]), val);
    qtest_send_reply(s, "OK");
}

static void qtest_cmd_read_n(QTestServer *s, char **words, int nwords)
{
    uint64_t addr, val = 0;

    if (!qtest_need_args(s, nwords, 2) || !qtest_arg_u64(s, words[1], &addr)) {
        return;
    }
    /* Split like writes; unmapped or rejected pieces read as 0. */
    val = qtest_load_le(addr, qtest_width(words[0]));
    qtest_send_reply(s, "OK 0x%016" PRIx64, val);
}

static void qtest_cmd_out(QTestServer *s, char **words, int nwords)
{
    uint64_t port, val;

    if (!qtest_need_args(s, nwords, 3) || !qtest_arg_u64(s, words[1], &port) ||
        !qtest_arg_u64(s, words[2], &val)) {
        return;
    }
    if (port > 0xffff) {
        qtest_send_reply(s, "FAIL port out of range");
        return;
    }
    /* RISC-V has no port I/O: the write goes nowhere. */
    qtest_send_reply(s, "OK");
}

static void qtest_cmd_in(QTestServer *s, char **words, int nwords)
{
    uint64_t port;
    unsigned width = qtest_width(words[0]);
    uint32_t val = width == 4 ? 0xffffffffu : (1u << (8 * width)) - 1;

    if (!qtest_need_args(s, nwords, 2) || !qtest_arg_u64(s, words[1], &port)) {
        return;
    }
    if (port > 0xffff) {
        qtest_send_reply(s, "FAIL port out of range");
        return;
    }
    /* Unbacked port reads are all-ones of the width (spec §4 notes). */
    qtest_send_reply(s, "OK 0x%04x", val);
}

static void qtest_cmd_read(QTestServer *s, char **words, int nwords)
{
    static const char hex[] = "0123456789abcdef";
    uint64_t addr, len;
    g_autofree uint8_t *data = NULL;
    GString *line;

    if (!qtest_need_args(s, nwords, 3) || !qtest_arg_u64(s, words[1], &addr) ||
        !qtest_arg_u64(s, words[2], &len)) {
        return;
    }
    if (len == 0) {
        /* Deviation: QEMU asserts (len). */
        qtest_send_reply(s, "FAIL zero size");
        return;
    }
    if (!qtest_check_size(s, len)) {
        return;
    }
    data = g_malloc(len);
    address_space_read(address_space_system(), addr, data, len);

    line = g_string_sized_new(2 * len + 8);
    g_string_append(line, "OK 0x");
    for (uint64_t i = 0; i < len; i++) {
        g_string_append_c(line, hex[data[i] >> 4]);
        g_string_append_c(line, hex[data[i] & 0xf]);
    }
    qtest_send_gstring(s, line);
    g_string_free(line, TRUE);
}

static int qtest_hex_nibble(char c)
{
    return g_ascii_xdigit_value(c);
}

static void qtest_cmd_write(QTestServer *s, char **words, int nwords)
{
    uint64_t addr, len;
    const char *hex;
    size_t hex_len;
    g_autofree uint8_t *data = NULL;

    if (!qtest_need_args(s, nwords, 4) || !qtest_arg_u64(s, words[1], &addr) ||
        !qtest_arg_u64(s, words[2], &len)) {
        return;
    }
    hex = words[3];
    hex_len = strlen(hex);
    if (hex_len < 3) {
        qtest_send_reply(s, "ERR invalid argument size");
        return;
    }
    if (!qtest_check_size(s, len)) {
        return;
    }
    /*
     * The first two characters (by convention "0x") are skipped unchecked.
     * Byte i comes from digits 2+2i and 3+2i when both exist; missing bytes
     * (and a lone last digit) are 0, extra digits are ignored.
     */
    data = g_malloc0(len ? len : 1);
    for (uint64_t i = 0; i < len && 2 * i + 4 <= hex_len; i++) {
        int hi = qtest_hex_nibble(hex[2 * i + 2]);
        int lo = qtest_hex_nibble(hex[2 * i + 3]);

        if (hi < 0 || lo < 0) {
            /* Deviation: QEMU writes garbage bytes for non-hex digits. */
            qtest_send_reply(s, "FAIL invalid hex data");
            return;
        }
        data[i] = (uint8_t)(hi << 4 | lo);
    }
    if (len) {
        address_space_write(address_space_system(), addr, data, len);
    }
    qtest_send_reply(s, "OK");
}

static void qtest_cmd_b64read(QTestServer *s, char **words, int nwords)
{
    uint64_t addr, len;
    g_autofree uint8_t *data = NULL;
    g_autofree char *b64 = NULL;

    if (!qtest_need_args(s, nwords, 3) || !qtest_arg_u64(s, words[1], &addr) ||
        !qtest_arg_u64(s, words[2], &len)) {
        return;
    }
    if (!qtest_check_size(s, len)) {
        return;
    }
    data = g_malloc(len ? len : 1);
    if (len) {
        address_space_read(address_space_system(), addr, data, len);
    }
    b64 = g_base64_encode(data, len);
    /* SIZE 0 gives "OK " with the trailing space, as QEMU. */
    qtest_send_reply(s, "OK %s", b64);
}

static void qtest_cmd_b64write(QTestServer *s, char **words, int nwords)
{
    uint64_t addr, len;
    char *b64;
    gsize out_len = 0;
    guchar *data;

    if (!qtest_need_args(s, nwords, 4) || !qtest_arg_u64(s, words[1], &addr) ||
        !qtest_arg_u64(s, words[2], &len)) {
        return;
    }
    b64 = words[3];
    if (strlen(b64) < 3) {
        qtest_send_reply(s, "ERR invalid argument size");
        return;
    }
    /* The word is ours (a piece of the request line): decode in place. */
    data = g_base64_decode_inplace(b64, &out_len);
    if (out_len != len) {
        qtest_log_only(
            s, "b64write: data length mismatch (told %" PRIu64 ", found %zu)\n",
            len, (size_t)out_len);
    }
    /*
     * Deviation: with less data than SIZE, QEMU writes leftovers of its
     * decode buffer; we write only the decoded bytes.
     */
    if (out_len > len) {
        out_len = len;
    }
    if (out_len) {
        address_space_write(address_space_system(), addr, data, out_len);
    }
    qtest_send_reply(s, "OK");
}

static void qtest_cmd_memset(QTestServer *s, char **words, int nwords)
{
    uint64_t addr, len, pattern;
    g_autofree uint8_t *data = NULL;

    if (!qtest_need_args(s, nwords, 4) || !qtest_arg_u64(s, words[1], &addr) ||
        !qtest_arg_u64(s, words[2], &len) ||
        !qtest_arg_u64(s, words[3], &pattern)) {
        return;
    }
    if (!qtest_check_size(s, len)) {
        return;
    }
    if (len) {
        data = g_malloc(len);
        memset(data, (int)(pattern & 0xff), len);
        address_space_write(address_space_system(), addr, data, len);
    }
    qtest_send_reply(s, "OK");
}

/* ------------------------------------------------------------------ */
/* Small commands                                                      */

static void qtest_cmd_endianness(QTestServer *s, char **words, int nwords)
{
    qtest_send_reply(s, "OK little");
}

static void qtest_cmd_module_load(QTestServer *s, char **words, int nwords)
{
    if (!qtest_need_args(s, nwords, 3)) {
        return;
    }
    /* No loadable modules: answer as a non-modular QEMU build. */
    qtest_send_reply(s, "FAIL");
}

static void qtest_cmd_bt_version(QTestServer *s, char **words, int nwords)
{
    qtest_send_reply(s, "OK benchtop %s", BENCHTOP_VERSION);
}

/* ------------------------------------------------------------------ */
/* IRQ interception (spec §5)                                          */

static void qtest_report_irq(QTestServer *s, int n, bool level)
{
    if (n >= 0 && n < QTEST_MAX_IRQ_STATE) {
        guint8 *levels;

        if ((guint)n >= s->irq_levels->len) {
            g_array_set_size(s->irq_levels, (guint)n + 1);
        }
        levels = (guint8 *)s->irq_levels->data;
        if (levels[n] == (guint8)level) {
            return;
        }
        levels[n] = (guint8)level;
    }
    qtest_send_reply(s, "IRQ %s %d", level ? "raise" : "lower", n);
}

/*
 * Installed on every intercepted line with the line itself as opaque:
 * report the change, then deliver it where it would have gone, so the
 * machine keeps working.
 */
static void qtest_irq_handler(void *opaque, int n, bool level)
{
    IrqLine *line = opaque;

    if (qtest_server) {
        qtest_report_irq(qtest_server, n, level);
    }
    if (line->handler) {
        line->handler(line->opaque, line->n, level);
    } else if (line->sink) {
        irq_set_level(line->sink, level);
    }
}

static void qtest_intercept_group(IrqGroup *g)
{
    for (unsigned i = 0; i < g->count; i++) {
        irq_intercept(&g->lines[i], qtest_irq_handler, &g->lines[i], (int)i);
    }
}

/* The device at @path, or NULL (also for objects that are not devices). */
static Device *qtest_find_device(const char *path)
{
    Object *obj = object_resolve_path(path, NULL);

    if (!obj || !object_dynamic_cast(obj, TYPE_DEVICE)) {
        return NULL;
    }
    return DEVICE(obj);
}

static void qtest_cmd_irq_intercept(QTestServer *s, char **words, int nwords)
{
    bool is_out = strcmp(words[0], "irq_intercept_out") == 0;
    /* A trailing space (empty NAME) is harmless (spec §2). */
    const char *name = nwords > 2 && *words[2] ? words[2] : NULL;
    Device *dev;
    bool installed = false;

    if (!qtest_need_args(s, nwords, 2)) {
        return;
    }
    dev = qtest_find_device(words[1]);
    if (!dev) {
        /* Deviation: QEMU segfaults on a non-device path. */
        qtest_send_reply(s, "FAIL Unknown device");
        return;
    }
    if (name && !is_out) {
        qtest_send_reply(s, "FAIL Interception of named in-GPIOs not yet "
                            "supported");
        return;
    }
    if (s->irq_dev) {
        /* One device per process; the same one again hooks nothing new. */
        if (s->irq_dev == &dev->obj) {
            qtest_send_reply(s, "OK");
        } else {
            qtest_send_reply(s, "FAIL IRQ intercept already enabled");
        }
        return;
    }

    if (name) {
        IrqGroup *g = device_irq_group(dev, name, false);

        if (!g && strcmp(name, "sysbus-irq") == 0) {
            /* QEMU's name for a sysbus device's outputs. */
            g = device_irq_group(dev, NULL, false);
        }
        if (g) {
            qtest_intercept_group(g);
            installed = true;
        }
    } else if (dev->irq_groups) {
        for (guint i = 0; i < dev->irq_groups->len; i++) {
            IrqGroup *g = g_ptr_array_index(dev->irq_groups, i);

            if (g->is_in != is_out) {
                qtest_intercept_group(g);
                installed = true;
            }
        }
    }

    if (!installed) {
        qtest_send_reply(s, "FAIL No intercepts installed");
        return;
    }
    object_ref(&dev->obj);
    s->irq_dev = &dev->obj;
    qtest_send_reply(s, "OK");
}

static void qtest_cmd_set_irq_in(QTestServer *s, char **words, int nwords)
{
    Device *dev;
    const char *name;
    int32_t num, level;
    IrqGroup *g;

    if (!qtest_need_args(s, nwords, 5)) {
        return;
    }
    dev = qtest_find_device(words[1]);
    if (!dev) {
        qtest_send_reply(s, "FAIL Unknown device");
        return;
    }
    if (!qtest_arg_i32(s, words[3], &num) ||
        !qtest_arg_i32(s, words[4], &level)) {
        return;
    }
    name = strcmp(words[2], "unnamed-gpio-in") == 0 ? NULL : words[2];
    g = device_irq_group(dev, name, true);
    /* Deviation: QEMU asserts on an unknown list or index (spec §5.2). */
    if (!g || num < 0 || (uint32_t)num >= g->count) {
        qtest_send_reply(s, "FAIL Unknown GPIO");
        return;
    }
    irq_set_level(&g->lines[num], level != 0);
    qtest_send_reply(s, "OK");
}

/* ------------------------------------------------------------------ */
/* Virtual clock (spec §8, QEMU 10.0 replies)                          */

static void qtest_cmd_clock_step(QTestServer *s, char **words, int nwords)
{
    int64_t now = clock_get_ns();
    int64_t target;

    if (nwords < 2) {
        int64_t deadline = clock_next_deadline();

        if (deadline < 0) {
            qtest_send_reply(s, "FAIL cannot advance clock to the next "
                                "deadline because there is no pending "
                                "deadline");
            return;
        }
        if (deadline <= now) {
            /* Overdue timers run, but time does not move. */
            clock_run_expired();
            qtest_send_reply(s, "FAIL could not advance time");
            return;
        }
        target = deadline;
    } else {
        int64_t ns;

        if (!qtest_arg_i64(s, words[1], &ns)) {
            return;
        }
        if (ns <= 0) {
            qtest_send_reply(s, "OK %" PRId64, now);
            return;
        }
        if (now == INT64_MAX) {
            qtest_send_reply(s, "FAIL could not advance time");
            return;
        }
        /* Saturate instead of overflowing. */
        target = ns > INT64_MAX - now ? INT64_MAX : now + ns;
    }
    clock_advance_to(target);
    now = clock_get_ns();
    qtest_send_reply(s, "OK %" PRId64, now);
}

static void qtest_cmd_clock_set(QTestServer *s, char **words, int nwords)
{
    int64_t ns, now;

    if (!qtest_need_args(s, nwords, 2) || !qtest_arg_i64(s, words[1], &ns)) {
        return;
    }
    if (ns > clock_get_ns()) {
        clock_advance_to(ns);
    }
    now = clock_get_ns();
    qtest_send_reply(s, "%s %" PRId64, now == ns ? "OK" : "FAIL", now);
}

/* ------------------------------------------------------------------ */
/* Dispatch                                                            */

typedef struct QTestBuiltin {
    const char *name;
    QTestCommandFn fn;
    bool needs_accel; /* only with the qtest accelerator */
} QTestBuiltin;

static const QTestBuiltin qtest_builtins[] = {
    {"outb", qtest_cmd_out, false},
    {"outw", qtest_cmd_out, false},
    {"outl", qtest_cmd_out, false},
    {"inb", qtest_cmd_in, false},
    {"inw", qtest_cmd_in, false},
    {"inl", qtest_cmd_in, false},
    {"writeb", qtest_cmd_write_n, false},
    {"writew", qtest_cmd_write_n, false},
    {"writel", qtest_cmd_write_n, false},
    {"writeq", qtest_cmd_write_n, false},
    {"readb", qtest_cmd_read_n, false},
    {"readw", qtest_cmd_read_n, false},
    {"readl", qtest_cmd_read_n, false},
    {"readq", qtest_cmd_read_n, false},
    {"read", qtest_cmd_read, false},
    {"write", qtest_cmd_write, false},
    {"b64read", qtest_cmd_b64read, false},
    {"b64write", qtest_cmd_b64write, false},
    {"memset", qtest_cmd_memset, false},
    {"endianness", qtest_cmd_endianness, false},
    {"module_load", qtest_cmd_module_load, false},
    {"irq_intercept_in", qtest_cmd_irq_intercept, false},
    {"irq_intercept_out", qtest_cmd_irq_intercept, false},
    {"set_irq_in", qtest_cmd_set_irq_in, false},
    {"clock_step", qtest_cmd_clock_step, true},
    {"clock_set", qtest_cmd_clock_set, true},
};

static void qtest_ensure_commands(void)
{
    if (!qtest_commands) {
        qtest_commands =
            g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        g_hash_table_insert(qtest_commands, g_strdup("bt_version"),
                            (gpointer)qtest_cmd_bt_version);
    }
}

void qtest_register_command(const char *name, QTestCommandFn fn)
{
    qtest_ensure_commands();
    g_hash_table_insert(qtest_commands, g_strdup(name), (gpointer)fn);
}

static QTestCommandFn qtest_lookup(QTestServer *s, const char *cmd)
{
    for (size_t i = 0; i < G_N_ELEMENTS(qtest_builtins); i++) {
        const QTestBuiltin *b = &qtest_builtins[i];

        if (strcmp(b->name, cmd) == 0) {
            return !b->needs_accel || s->qtest_accel ? b->fn : NULL;
        }
    }
    qtest_ensure_commands();
    return (QTestCommandFn)g_hash_table_lookup(qtest_commands, cmd);
}

/* Handles one request line (owned, NUL-terminated, without '\n'). */
static void qtest_process_line(QTestServer *s, char *line)
{
    char *words[QTEST_MAX_WORDS + 1];
    int nwords = 0;
    QTestCommandFn fn;
    MemOrigin old_origin;

    qtest_log_request(s, line);

    /* Split on single spaces, in place; an empty line has no words. */
    if (*line) {
        char *p = line;

        while (nwords < QTEST_MAX_WORDS) {
            char *sp = strchr(p, ' ');

            words[nwords++] = p;
            if (!sp) {
                break;
            }
            *sp = '\0';
            p = sp + 1;
        }
    }
    words[nwords] = NULL;

    if (nwords == 0) {
        /* Deviation: QEMU asserts on an empty line. */
        qtest_send_reply(s, "FAIL Unknown command ''");
        return;
    }
    fn = qtest_lookup(s, words[0]);
    if (!fn) {
        qtest_send_reply(s, "FAIL Unknown command '%s'", words[0]);
        return;
    }
    old_origin = memory_get_origin();
    memory_set_origin(MEM_ORIGIN_QTEST);
    fn(s, words, nwords);
    memory_set_origin(old_origin);
}

static void qtest_feed_bytes(QTestServer *s, const char *buf, size_t len)
{
    while (len > 0) {
        const char *nl = memchr(buf, '\n', len);
        size_t chunk = nl ? (size_t)(nl - buf) : len;

        if (!s->discarding) {
            if (s->inbuf->len + chunk > QTEST_MAX_LINE) {
                s->discarding = true;
                g_string_truncate(s->inbuf, 0);
            } else {
                g_string_append_len(s->inbuf, buf, (gssize)chunk);
            }
        }
        if (!nl) {
            return;
        }
        buf += chunk + 1;
        len -= chunk + 1;

        if (s->discarding) {
            s->discarding = false;
            qtest_send_reply(s, "FAIL line too long");
        } else {
            /* Take the line: a command may feed more input meanwhile. */
            char *line = g_string_free(s->inbuf, FALSE);

            s->inbuf = g_string_new(NULL);
            qtest_process_line(s, line);
            g_free(line);
        }
    }
}

void qtest_server_feed(QTestServer *s, const char *buf, size_t len)
{
    if (s->feeding) {
        /* Re-entered from a command (e.g. one that runs the loop). */
        g_string_append_len(s->pending, buf, (gssize)len);
        return;
    }
    s->feeding = true;
    qtest_feed_bytes(s, buf, len);
    while (s->pending->len) {
        GString *more = s->pending;

        s->pending = g_string_new(NULL);
        qtest_feed_bytes(s, more->str, more->len);
        g_string_free(more, TRUE);
    }
    s->feeding = false;
    /* Every reply of the chunk (and the IRQ lines between them) at once. */
    qtest_flush(s);
}

/* ------------------------------------------------------------------ */
/* Construction                                                        */

static QTestServer *qtest_server_alloc(bool qtest_accel)
{
    QTestServer *s = g_new0(QTestServer, 1);

    s->qtest_accel = qtest_accel;
    s->inbuf = g_string_new(NULL);
    s->pending = g_string_new(NULL);
    s->outbuf = g_string_new(NULL);
    s->logbuf = g_string_new(NULL);
    s->irq_levels = g_array_new(FALSE, TRUE, sizeof(guint8));
    qtest_ensure_commands();
    qtest_server = s;
    return s;
}

QTestServer *qtest_server_new_buffer(GString *out, bool qtest_accel)
{
    QTestServer *s = qtest_server_alloc(qtest_accel);

    s->out = out;
    qtest_open(s);
    return s;
}

static void qtest_chr_read(void *opaque, const uint8_t *buf, size_t len)
{
    qtest_server_feed(opaque, (const char *)buf, len);
}

static void qtest_chr_event(void *opaque, ChardevEvent ev)
{
    QTestServer *s = opaque;

    if (ev == CHR_EVENT_OPENED) {
        qtest_open(s);
    } else {
        qtest_closed(s);
    }
}

static const ChardevHandlers qtest_chr_handlers = {
    .read = qtest_chr_read,
    .event = qtest_chr_event,
};

/* Adds /machine/qtest (spec §1: type qtest, props chardev and log). */
static bool qtest_add_object(QTestServer *s, const char *log_path,
                             GError **errp)
{
    Object *machine = object_resolve_path("/machine", NULL);
    Object *obj;

    if (!machine) {
        return true;
    }
    obj = object_new(TYPE_QTEST, errp);
    if (!obj) {
        return false;
    }
    if (!object_property_parse(obj, "chardev", chardev_id(s->chr), errp) ||
        (log_path && !object_property_parse(obj, "log", log_path, errp)) ||
        !object_add_child(machine, "qtest", obj, errp)) {
        object_unref(obj);
        return false;
    }
    s->obj = obj; /* keeps the creation reference */
    return true;
}

/* True when @log is /dev/null (libqtest passes -qtest-log /dev/null). */
static bool qtest_log_is_null(FILE *log)
{
    struct stat st, null_st;

    return fstat(fileno(log), &st) == 0 && S_ISCHR(st.st_mode) &&
           stat("/dev/null", &null_st) == 0 && S_ISCHR(null_st.st_mode) &&
           st.st_rdev == null_st.st_rdev;
}

QTestServer *qtest_server_new(Chardev *chr, const char *log_path,
                              bool qtest_accel, GError **errp)
{
    QTestServer *s;
    FILE *log = NULL;
    bool owned = false;

    if (qtest_server) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Only one instance of qtest can be created");
        return NULL;
    }
    qtest_register_types();
    if (!log_path) {
        log = stderr;
    } else if (strcmp(log_path, "none") != 0) {
        log = fopen(log_path, "w");
        if (!log) {
            g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                        "Could not open qtest log file '%s': %s", log_path,
                        g_strerror(errno));
            return NULL;
        }
        owned = true;
        if (qtest_log_is_null(log)) {
            /* Nothing would reach the disk: skip formatting it at all. */
            fclose(log);
            log = NULL;
            owned = false;
        }
    }

    s = qtest_server_alloc(qtest_accel);
    s->chr = chr;
    s->log = log;
    s->log_owned = owned;
    if (!qtest_add_object(s, log_path, errp)) {
        qtest_server_free(s);
        return NULL;
    }
    chardev_set_handlers(chr, &qtest_chr_handlers, s);
    return s;
}

void qtest_server_close(QTestServer *s)
{
    if (!s) {
        return;
    }
    /*
     * Called at exit, possibly from inside a command (a guest finisher
     * write): what earlier commands of the chunk answered still goes out.
     */
    qtest_flush(s);
    qtest_closed(s);
    qtest_flush_log(s);
    if (s->log) {
        fflush(s->log);
        if (s->log_owned) {
            fclose(s->log);
        }
        s->log = NULL;
        s->log_owned = false;
    }
}

void qtest_server_free(QTestServer *s)
{
    static const ChardevHandlers none;

    if (!s) {
        return;
    }
    qtest_server_close(s);
    if (s->chr) {
        chardev_set_handlers(s->chr, &none, NULL);
    }
    if (s->obj) {
        if (s->obj->parent) {
            object_unparent(s->obj);
        }
        object_unref(s->obj);
    }
    if (s->irq_dev) {
        object_unref(s->irq_dev);
    }
    if (s->timer) {
        g_timer_destroy(s->timer);
    }
    g_string_free(s->inbuf, TRUE);
    g_string_free(s->pending, TRUE);
    g_string_free(s->outbuf, TRUE);
    g_string_free(s->logbuf, TRUE);
    g_array_free(s->irq_levels, TRUE);
    if (qtest_server == s) {
        qtest_server = NULL;
    }
    g_free(s);
}
