/* SPDX-License-Identifier: MIT */
/*
 * The qtest server driven through a reply buffer: every transcript line of
 * spec/qtest-protocol.md §12 that needs no virt machine, the §10 error
 * table and each deviation, framing and number corner cases, IRQ
 * interception on a small test device, and the clock commands.
 *
 * Layout: RAM at 0x80000000 (64 KiB), RAM at 0x1000 pre-loaded with the
 * riscv virt reset vector (so 12.1's "readl 0x1000" lines read the same),
 * an MMIO probe at 0x10000000 that records who accessed it.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <glib.h>

#include "benchtop-config.h"
#include "emu/chardev/chardev.h"
#include "emu/clock.h"
#include "emu/device.h"
#include "emu/irq.h"
#include "emu/memory.h"
#include "emu/object.h"
#include "emu/opts.h"
#include "qtest/qtest.h"

#define RAM_BASE   0x80000000u
#define RAM_SIZE   0x10000u
#define BOOT_BASE  0x1000u
#define PROBE_BASE 0x10000000u

/* A device with two input groups and two single output lines. */
#define TYPE_TDEV     "qtest-tdev"
#define TYPE_TDEV_OUT "qtest-tdev-out"

typedef struct TDevState {
    Device parent;
    bool in_level[4];
    bool source_level[40];
    int in_calls;
} TDevState;

static void tdev_in_handler(void *opaque, int n, bool level)
{
    TDevState *s = opaque;

    s->in_calls++;
    s->in_level[n] = level;
    /* in[0] drives the "irq" output, so forwarding is observable. */
    if (n == 0) {
        irq_set_level(device_irq_out(&s->parent, "irq"), level);
    }
}

static void tdev_source_handler(void *opaque, int n, bool level)
{
    TDevState *s = opaque;

    s->source_level[n] = level;
}

static const DeviceClass tdev_class = {
    .obj = {.name = TYPE_TDEV,
            .parent = TYPE_DEVICE,
            .instance_size = sizeof(TDevState)},
    .irq_out = {"irq", "alarm"},
    .irq_in = {{"in", 4, tdev_in_handler}, {"source", 40, tdev_source_handler}},
};

static const DeviceClass tdev_out_class = {
    .obj = {.name = TYPE_TDEV_OUT,
            .parent = TYPE_DEVICE,
            .instance_size = sizeof(TDevState)},
    .irq_out = {"irq"},
};

/* Fixture */
static GString *out;
static QTestServer *srv;
static TDevState *tdev, *tdev2;
static Device *tdev_out;
static MemoryRegion *ram, *boot, *probe;
static MemOrigin probe_origin;
static int probe_accesses;

static MemTxResult probe_read(void *opaque, hwaddr off, unsigned size,
                              uint64_t *val)
{
    probe_origin = memory_get_origin();
    probe_accesses++;
    *val = 0x5a;
    return MEMTX_OK;
}

static MemTxResult probe_write(void *opaque, hwaddr off, unsigned size,
                               uint64_t val)
{
    probe_origin = memory_get_origin();
    probe_accesses++;
    return MEMTX_OK;
}

static const MemoryRegionOps probe_ops = {
    .read = probe_read,
    .write = probe_write,
    .min_access = 4,
    .max_access = 4,
};

static Device *add_device(const char *type, const char *name)
{
    GError *err = NULL;
    Object *machine = object_get_container(object_get_root(), "machine");
    Device *dev = device_new(type, &err);

    assert_non_null(dev);
    assert_true(object_add_child(machine, name, &dev->obj, &err));
    assert_true(device_realize(dev, &err));
    object_unref(&dev->obj);
    return dev;
}

static void setup_world(bool accel)
{
    static const uint8_t reset_vec[] = {0x97, 0x02, 0x00, 0x00,
                                        0x13, 0x86, 0x82, 0x02};
    GError *err = NULL;

    clock_reset_for_test();
    clock_set_enabled(true);
    memory_reset_for_test();

    ram = memory_region_new_ram(NULL, "ram", RAM_SIZE, &err);
    assert_non_null(ram);
    memory_region_add_subregion(memory_system_root(), RAM_BASE, ram, 0);
    boot = memory_region_new_ram(NULL, "boot", 0x100, &err);
    assert_non_null(boot);
    memcpy(memory_region_get_host(boot), reset_vec, sizeof(reset_vec));
    memory_region_add_subregion(memory_system_root(), BOOT_BASE, boot, 0);
    probe = memory_region_new_io(NULL, "probe", 0x100, &probe_ops, NULL);
    memory_region_add_subregion(memory_system_root(), PROBE_BASE, probe, 0);
    probe_accesses = 0;

    tdev = (TDevState *)add_device(TYPE_TDEV, "tdev");
    tdev2 = (TDevState *)add_device(TYPE_TDEV, "tdev2");
    tdev_out = add_device(TYPE_TDEV_OUT, "tdev-out");
    /* tdev.irq -> tdev2.in[1] */
    irq_connect(device_irq_out(&tdev->parent, "irq"),
                device_irq_in(&tdev2->parent, "in", 1));

    out = g_string_new(NULL);
    srv = qtest_server_new_buffer(out, accel);
    assert_non_null(srv);
}

static int setup(void **state)
{
    setup_world(true);
    return 0;
}

static int setup_tcg(void **state)
{
    setup_world(false);
    return 0;
}

static int teardown(void **state)
{
    qtest_server_free(srv);
    srv = NULL;
    object_reset_root();
    memory_region_free(probe);
    memory_region_free(boot);
    memory_region_free(ram);
    g_string_free(out, TRUE);
    clock_reset_for_test();
    return 0;
}

/* Feeds @req (raw bytes) and returns everything the server sent since. */
static char *feed(const char *req, size_t len)
{
    g_string_truncate(out, 0);
    qtest_server_feed(srv, req, len);
    return g_strndup(out->str, out->len);
}

/* Sends one request line and checks the complete output (IRQ lines too). */
static void cmd(const char *req, const char *expect)
{
    g_autofree char *line = g_strconcat(req, "\n", NULL);
    g_autofree char *got = feed(line, strlen(line));

    if (strcmp(got, expect) != 0) {
        fail_msg("request '%s': expected '%s', got '%s'", req, expect, got);
    }
}

static uint8_t *ram_host(void)
{
    return memory_region_get_host(ram);
}

/* ------------------------------------------------------------------ */

/* §12.1, on the TCG side (no clock commands). */
static void test_transcript_12_1(void **state)
{
    cmd("readl 0x80000000", "OK 0x0000000000000000\n");
    cmd("writeb 0x80000000 300", "OK\n");
    cmd("readb 0x80000000", "OK 0x000000000000002c\n");
    cmd("writeb 0x80000001 -1", "OK\n");
    cmd("readw 0x80000000", "OK 0x000000000000ff2c\n");
    cmd("writew 0x80000000 0x1234", "OK\n");
    cmd("read 0x80000000 2", "OK 0x3412\n");
    cmd("writel 0x80000000 010", "OK\n");
    cmd("readl 0x80000000", "OK 0x0000000000000008\n");
    cmd("readl 0x1000", "OK 0x0000000000000297\n");
    cmd("read 0x1000 8", "OK 0x9702000013868202\n");
    cmd("write 0x80000000 4 0x112233", "OK\n");
    cmd("read 0x80000000 4", "OK 0x11223300\n");
    cmd("write 0x80000000 4 0x", "ERR invalid argument size\n");
    /* b64read 5 bytes: 01 02 3d 3d ff */
    cmd("write 0x80000000 5 0x01023d3dff", "OK\n");
    cmd("b64read 0x80000000 5", "OK AQI9Pf8=\n");
    cmd("b64read 0x80000000 0", "OK \n");
    cmd("inb 0", "OK 0x00ff\n");
    cmd("inw 0x10", "OK 0xffff\n");
    cmd("READL 0x80000000", "FAIL Unknown command 'READL'\n");
    cmd("irq_intercept_in /machine/nonexistent", "FAIL Unknown device\n");
    cmd("module_load foo bar", "FAIL\n");
    cmd("clock_step", "FAIL Unknown command 'clock_step'\n");
    cmd("clock_set 5", "FAIL Unknown command 'clock_set'\n");
    /* Deviation: QEMU aborts here. */
    cmd("readl 0xzz", "FAIL invalid number '0xzz'\n");
}

/* §12.2 with a timer standing in for the ACLINT, 10.0 clock replies. */
static int timer_fired;
static int64_t timer_fired_at;

static void raise_source7(void *opaque)
{
    timer_fired++;
    timer_fired_at = clock_get_ns();
    irq_set_level(device_irq_in(&tdev->parent, "source", 7), true);
}

static void lower_source7(void *opaque)
{
    irq_set_level(device_irq_in(&tdev->parent, "source", 7), false);
}

static void test_transcript_12_2_clock(void **state)
{
    EmuTimer *t = timer_new(raise_source7, NULL);

    timer_fired = 0;
    cmd("endianness", "OK little\n");
    /* 10.0: nothing pending is an error, not "OK 0". */
    cmd("clock_step", "FAIL cannot advance clock to the next deadline "
                      "because there is no pending deadline\n");
    cmd("clock_step 1000", "OK 1000\n");
    cmd("clock_set 5000", "OK 5000\n");
    /* 10.0: never goes back, and says so. */
    cmd("clock_set 100", "FAIL 5000\n");
    cmd("clock_step -5", "OK 5000\n");
    cmd("clock_step 0", "OK 5000\n");
    assert_int_equal(clock_get_ns(), 5000);

    cmd("irq_intercept_in /machine/tdev", "OK\n");
    cmd("irq_intercept_in /machine/tdev", "OK\n");
    timer_mod(t, 15000);
    cmd("clock_step", "IRQ raise 7\nOK 15000\n");
    assert_int_equal(timer_fired, 1);
    assert_int_equal(timer_fired_at, 15000);
    /* Forwarded to the device after the report. */
    assert_true(tdev->source_level[7]);
    cmd("clock_step", "FAIL cannot advance clock to the next deadline "
                      "because there is no pending deadline\n");

    /* A deadline saturated at INT64_MAX is still "next". */
    timer_mod(t, INT64_MAX);
    cmd("clock_step", "OK 9223372036854775807\n");
    /* raise again is no change: no IRQ line */
    assert_int_equal(timer_fired, 2);
    /* At the end of time nothing can move, and nothing overflows. */
    cmd("clock_step 10", "FAIL could not advance time\n");
    cmd("clock_step 9223372036854775807", "FAIL could not advance time\n");
    cmd("clock_set 9223372036854775807", "OK 9223372036854775807\n");
    cmd("clock_step 0", "OK 9223372036854775807\n");
    timer_free(t);
}

static void test_transcript_12_2_set_irq(void **state)
{
    cmd("irq_intercept_in /machine/tdev", "OK\n");
    cmd("set_irq_in /machine/tdev unnamed-gpio-in 2 1", "IRQ raise 2\nOK\n");
    assert_true(tdev->in_level[2]);
    cmd("set_irq_in /machine/tdev unnamed-gpio-in 2 1", "OK\n");
    cmd("set_irq_in /machine/tdev unnamed-gpio-in 2 0", "IRQ lower 2\nOK\n");
    assert_false(tdev->in_level[2]);
    cmd("set_irq_in /machine/tdev source 33 1", "IRQ raise 33\nOK\n");
    assert_true(tdev->source_level[33]);
    cmd("irq_intercept_in /machine/tdev2", "FAIL IRQ intercept already "
                                           "enabled\n");
    /* Same device, other direction: OK, nothing new hooked. */
    cmd("irq_intercept_out /machine/tdev", "OK\n");
    cmd("set_irq_in /machine/tdev unnamed-gpio-in 0 1", "IRQ raise 0\nOK\n");
    /* tdev.irq went high (not reported) and reached tdev2.in[1]. */
    assert_true(tdev2->in_level[1]);
}

/* Run state: timers do not fire while the clock is disabled (§12.2). */
static void test_clock_disabled(void **state)
{
    EmuTimer *t = timer_new(raise_source7, NULL);

    timer_fired = 0;
    cmd("irq_intercept_in /machine/tdev", "OK\n");
    timer_mod(t, 10000);
    clock_set_enabled(false);
    cmd("clock_step", "FAIL cannot advance clock to the next deadline "
                      "because there is no pending deadline\n");
    cmd("clock_step 20000", "OK 20000\n");
    assert_int_equal(timer_fired, 0);
    clock_set_enabled(true);
    cmd("clock_step 1", "IRQ raise 7\nOK 20001\n");
    assert_int_equal(timer_fired, 1);

    /* An overdue timer and a bare step: timers run, time cannot move. */
    timer_mod(t, 30000);
    clock_set_enabled(false);
    cmd("clock_set 40000", "OK 40000\n");
    clock_set_enabled(true);
    timer_free(t);
    t = timer_new(lower_source7, NULL);
    timer_mod(t, 35000);
    cmd("clock_step", "IRQ lower 7\nFAIL could not advance time\n");
    assert_int_equal(clock_get_ns(), 40000);
    timer_free(t);
}

/* Timers fire at their exact deadlines, in order, before the reply. */
static void test_clock_step_runs_timers_in_order(void **state)
{
    EmuTimer *a = timer_new(raise_source7, NULL);
    EmuTimer *b = timer_new(lower_source7, NULL);

    cmd("irq_intercept_in /machine/tdev", "OK\n");
    timer_mod(a, 100);
    timer_mod(b, 200);
    cmd("clock_step 1000", "IRQ raise 7\nIRQ lower 7\nOK 1000\n");
    timer_mod(a, 1500);
    cmd("clock_set 1200", "OK 1200\n");
    cmd("clock_set 2000", "IRQ raise 7\nOK 2000\n");
    cmd("clock_set 0x7d0", "OK 2000\n");
    cmd("clock_set zz", "FAIL invalid number 'zz'\n");
    cmd("clock_set", "FAIL missing argument\n");
    cmd("clock_step 1e3", "FAIL invalid number '1e3'\n");
    cmd("clock_step 0x8000000000000000",
        "FAIL invalid number '0x8000000000000000'\n");
    timer_free(a);
    timer_free(b);
}

/* §12.3 (stdout side). */
static void test_transcript_12_3(void **state)
{
    static const char req[] = "endianness\nreadl 0x1000\nclock_step 1000\n"
                              "foo\nwrite 0x80000000 4 0x\n";
    g_autofree char *got = feed(req, strlen(req));

    assert_string_equal(got, "OK little\n"
                             "OK 0x0000000000000297\n"
                             "OK 1000\n"
                             "FAIL Unknown command 'foo'\n"
                             "ERR invalid argument size\n");
}

/* §10, one row after the other (clock row: see transcript_12_1). */
static void test_error_table(void **state)
{
    cmd("frobnicate 1 2", "FAIL Unknown command 'frobnicate'\n");
    cmd("readl\t0x80000000", "FAIL Unknown command 'readl\t0x80000000'\n");
    cmd("readl", "FAIL missing argument\n");
    cmd("writel 0x80000000", "FAIL missing argument\n");
    cmd("writel 0x80000000 0xg", "FAIL invalid number '0xg'\n");
    cmd("outb 0x10000 1", "FAIL port out of range\n");
    cmd("inl 0x10000", "FAIL port out of range\n");
    cmd("read 0x80000000 0", "FAIL zero size\n");
    cmd("", "FAIL Unknown command ''\n");
    cmd("write 0x80000000 4 0x", "ERR invalid argument size\n");
    cmd("write 0x80000000 4 ab", "ERR invalid argument size\n");
    cmd("b64write 0x80000000 4 AQ", "ERR invalid argument size\n");
    cmd("irq_intercept_in /machine/nope", "FAIL Unknown device\n");
    cmd("irq_intercept_out /machine/nope", "FAIL Unknown device\n");
    cmd("set_irq_in /machine/nope unnamed-gpio-in 0 1",
        "FAIL Unknown device\n");
    /* Deviation: QEMU segfaults on a non-device object. */
    cmd("irq_intercept_in /machine", "FAIL Unknown device\n");
    cmd("irq_intercept_out /", "FAIL Unknown device\n");
    /* Deviation: QEMU segfaults without a CPU; unmapped reads are 0. */
    cmd("readl 0x5000000000", "OK 0x0000000000000000\n");
    cmd("readq 0xffffffffffffff00", "OK 0x0000000000000000\n");
    cmd("read 0x5000000000 4", "OK 0x00000000\n");
    cmd("writeq 0x5000000000 1", "OK\n");
    cmd("module_load foo bar", "FAIL\n");
    cmd("module_load foo", "FAIL missing argument\n");
    cmd("clock_step", "FAIL Unknown command 'clock_step'\n");
}

static void test_deviations(void **state)
{
    /* Each QEMU assert/segfault of spec §3-§5 is a FAIL reply here. */
    cmd("readl 0x80000000\r", "FAIL invalid number '0x80000000\r'\n");
    cmd("read 0x80000000", "FAIL missing argument\n");
    cmd("write 0x80000000 2 0xzz11", "FAIL invalid hex data\n");
    assert_int_equal(ram_host()[0], 0);
    cmd("set_irq_in /machine/tdev bogus 0 1", "FAIL Unknown GPIO\n");
    cmd("set_irq_in /machine/tdev in 4 1", "FAIL Unknown GPIO\n");
    cmd("set_irq_in /machine/tdev in -1 1", "FAIL Unknown GPIO\n");
    cmd("set_irq_in /machine/tdev source 39 1", "OK\n");
    cmd("set_irq_in /machine/tdev in 0x100000000 1",
        "FAIL invalid number '0x100000000'\n");
    cmd("set_irq_in /machine/tdev in 0", "FAIL missing argument\n");
    cmd("set_irq_in /machine/tdev-out unnamed-gpio-in 0 1",
        "FAIL Unknown GPIO\n");
    /* b64write with less data than SIZE writes only what decoded. */
    memset(ram_host(), 0xee, 8);
    cmd("b64write 0x80000000 4 AQ==", "OK\n");
    assert_int_equal(ram_host()[0], 0x01);
    assert_int_equal(ram_host()[1], 0xee);
    /* Size caps. */
    cmd("read 0x80000000 0x10000001", "FAIL size too large\n");
    cmd("b64read 0x80000000 0xffffffffffffffff", "FAIL size too large\n");
    cmd("memset 0x80000000 0x10000001 0", "FAIL size too large\n");
    cmd("write 0x80000000 0x10000001 0x00", "FAIL size too large\n");
    cmd("read 0x80000000 -1", "FAIL size too large\n");
}

static void test_memory_commands(void **state)
{
    cmd("writel 0x80000000 0x12345678", "OK\n");
    cmd("read 0x80000000 4", "OK 0x78563412\n");
    cmd("writel 0x80000000 0x1ffffffff", "OK\n");
    cmd("readq 0x80000000", "OK 0x00000000ffffffff\n");
    cmd("writeq 0x80000008 0x0123456789abcdef", "OK\n");
    cmd("readq 0x80000008", "OK 0x0123456789abcdef\n");
    cmd("readl 0x8000000c", "OK 0x0000000001234567\n");
    cmd("readw 0x8000000e", "OK 0x0000000000000123\n");
    cmd("readb 0x8000000f", "OK 0x0000000000000001\n");
    /* Extra digits ignored; upper case accepted; short data zero-fills. */
    cmd("write 0x80000000 2 0xaabbccdd", "OK\n");
    cmd("read 0x80000000 4", "OK 0xaabbffff\n");
    cmd("write 0x80000000 2 0XAB", "OK\n");
    cmd("read 0x80000000 2", "OK 0xab00\n");
    /* A lone last digit does not make a byte (QEMU reads digit pairs). */
    cmd("write 0x80000000 2 0x112", "OK\n");
    cmd("read 0x80000000 2", "OK 0x1100\n");
    cmd("write 0x80000000 0 0x11", "OK\n");
    assert_int_equal(ram_host()[0], 0x11);
    /* b64write with more data writes the first SIZE bytes. */
    memset(ram_host(), 0, 8);
    cmd("b64write 0x80000000 2 AQIDBA==", "OK\n");
    cmd("read 0x80000000 4", "OK 0x01020000\n");
    cmd("b64write 0x80000000 4 AQIDBA==", "OK\n");
    cmd("b64read 0x80000000 4", "OK AQIDBA==\n");
    /* memset: low byte of VAL; size 0 is fine. */
    cmd("memset 0x80000000 3 0x1ff", "OK\n");
    cmd("read 0x80000000 4", "OK 0xffffff04\n");
    cmd("memset 0x80000000 0 0x11", "OK\n");
    cmd("memset 0x80000000 1", "FAIL missing argument\n");
    /* An access spanning RAM and nothing. */
    cmd("memset 0x8000fffe 4 0x77", "OK\n");
    cmd("read 0x8000fffe 4", "OK 0x77770000\n");
    /* Port I/O: nothing there. */
    cmd("inl 0x60", "OK 0xffffffff\n");
    cmd("inb 0xffff", "OK 0x00ff\n");
    cmd("outb 0x10 0x1", "OK\n");
    cmd("outw 0xffff 0xffffffffffffffff", "OK\n");
    cmd("outl 0", "FAIL missing argument\n");
    cmd("inb", "FAIL missing argument\n");
}

static void test_number_syntax(void **state)
{
    cmd("writeb 0x80000000 010", "OK\n"); /* octal */
    cmd("readb 0x80000000", "OK 0x0000000000000008\n");
    cmd("writeb 0x80000000 08", "FAIL invalid number '08'\n");
    cmd("writeq 0x80000000 -1", "OK\n"); /* wraps */
    cmd("readq 0x80000000", "OK 0xffffffffffffffff\n");
    cmd("writeq 0x80000000 -0x2", "OK\n");
    cmd("readq 0x80000000", "OK 0xfffffffffffffffe\n");
    cmd("writeq 0x80000000 18446744073709551615", "OK\n");
    cmd("readq 0x80000000", "OK 0xffffffffffffffff\n");
    cmd("writeq 0x80000000 +5", "OK\n");
    cmd("readq 0x80000000", "OK 0x0000000000000005\n");
    cmd("readl -8", "OK 0x0000000000000000\n");
    cmd("writeq 0x80000000 18446744073709551616",
        "FAIL invalid number '18446744073709551616'\n");
    cmd("writeq 0x80000000 0x10000000000000000",
        "FAIL invalid number '0x10000000000000000'\n");
    cmd("readl 0xzz", "FAIL invalid number '0xzz'\n");
    cmd("readl 0x10zz", "FAIL invalid number '0x10zz'\n");
    cmd("readl 1e3", "FAIL invalid number '1e3'\n");
    cmd("readl 0x", "FAIL invalid number '0x'\n");
    /* Trailing space: harmless empty last word. */
    cmd("readl 0x80000000 ", "OK 0x0000000000000005\n");
    cmd("endianness ", "OK little\n");
    cmd("endianness extra words", "OK little\n");
    cmd("readl 0x80000000 extra words", "OK 0x0000000000000005\n");
    /* Double space: empty address word. */
    cmd("readl  0x80000000", "FAIL invalid number ''\n");
    /* Trailing space where a number is needed: empty word. */
    cmd("writel 0x80000000 ", "FAIL invalid number ''\n");
    cmd(" readl 0x80000000", "FAIL Unknown command ''\n");
    cmd("set_irq_in /machine/tdev in 0 0x80000000",
        "FAIL invalid number '0x80000000'\n");
    cmd("set_irq_in /machine/tdev in 0 -0x80000000", "OK\n");
    cmd("set_irq_in /machine/tdev in 0 011", "OK\n");
    assert_true(tdev->in_level[0]);
}

static void test_framing(void **state)
{
    g_autofree char *a = NULL;
    g_autofree char *b = NULL;
    g_autofree char *c = NULL;
    g_autofree char *d = NULL;
    static const char pipelined[] = "readl 0x1000\nreadl 0x1004\nendianness\n";

    a = feed(pipelined, strlen(pipelined));
    assert_string_equal(a, "OK 0x0000000000000297\n"
                           "OK 0x0000000002828613\n"
                           "OK little\n");

    /* libqtest's bufwrite: prefix, payload and newline in three writes. */
    g_free(a);
    a = feed("b64write 0x80000000 0x4 ", 24);
    assert_string_equal(a, "");
    b = feed("AQIDBA==", 8);
    assert_string_equal(b, "");
    c = feed("\n", 1);
    assert_string_equal(c, "OK\n");
    assert_int_equal(ram_host()[3], 0x04);

    /* Byte by byte, two lines. */
    {
        static const char req[] = "endianness\nreadb 0x80000003\n";
        GString *all = g_string_new(NULL);

        for (size_t i = 0; i < strlen(req); i++) {
            char *piece = feed(&req[i], 1);

            g_string_append(all, piece);
            g_free(piece);
        }
        assert_string_equal(all->str, "OK little\nOK 0x0000000000000004\n");
        g_string_free(all, TRUE);
    }

    /* Empty lines in a burst: each one answered. */
    d = feed("\n\n\n", 3);
    assert_string_equal(d, "FAIL Unknown command ''\n"
                           "FAIL Unknown command ''\n"
                           "FAIL Unknown command ''\n");
}

static void test_nul_and_binary(void **state)
{
    g_autofree char *a = NULL;
    g_autofree char *b = NULL;
    /* A NUL ends the line as far as the command is concerned (as QEMU). */
    static const char req[] = "endianness\0garbage\nreadb 0x80000000\n";

    a = feed(req, sizeof(req) - 1);
    assert_string_equal(a, "OK little\nOK 0x0000000000000000\n");
    b = feed("\0\n", 2);
    assert_string_equal(b, "FAIL Unknown command ''\n");
}

static unsigned count_lines(const char *s)
{
    unsigned n = 0;

    for (; *s; s++) {
        n += *s == '\n';
    }
    return n;
}

static void test_garbage_never_crashes(void **state)
{
    GRand *rand = g_rand_new_with_seed(1234);
    size_t len = (size_t)1 << 20;
    char *buf = g_malloc(len);
    unsigned newlines = 0;
    g_autofree char *a = NULL;
    g_autofree char *b = NULL;
    g_autofree char *c = NULL;

    for (size_t i = 0; i < len; i++) {
        buf[i] = (char)g_rand_int_range(rand, 0, 256);
    }
    /* Keep the newline-free run at the end short of the limit. */
    for (size_t i = 0; i < len; i++) {
        newlines += buf[i] == '\n';
    }
    a = feed(buf, len);
    /* Finish the partial last line: every line got exactly one reply. */
    c = feed("\n", 1);
    assert_int_equal(count_lines(a) + count_lines(c), newlines + 1);
    g_free(c);

    /* 1 MiB without any newline, then finish it. */
    memset(buf, 'x', len);
    b = feed(buf, len);
    assert_string_equal(b, "");
    c = feed("\nendianness\n", 12);
    assert_int_equal(count_lines(c), 2);
    assert_true(g_str_has_prefix(c, "FAIL Unknown command 'xxxx"));
    assert_true(g_str_has_suffix(c, "'\nOK little\n"));

    /* Random printable commands from the real set. */
    {
        static const char *const names[] = {
            "readb",      "readw",      "readl",
            "readq",      "writeb",     "writeq",
            "read",       "write",      "b64read",
            "b64write",   "memset",     "inb",
            "outl",       "set_irq_in", "irq_intercept_out",
            "clock_step", "clock_set",  "module_load",
            "endianness"};
        GString *req = g_string_new(NULL);
        unsigned lines = 2000;

        for (unsigned i = 0; i < lines; i++) {
            unsigned nw = g_rand_int_range(rand, 0, 5);

            g_string_append(
                req, names[g_rand_int_range(rand, 0, G_N_ELEMENTS(names))]);
            for (unsigned w = 0; w < nw; w++) {
                static const char *const words[] = {"0x80000000",
                                                    "-1",
                                                    "0",
                                                    "0x10",
                                                    "zz",
                                                    "",
                                                    "0xffffffff",
                                                    "/machine/tdev",
                                                    "in",
                                                    "99999999999999999999",
                                                    "0x7fffffffffffffff",
                                                    "AQID",
                                                    "0x1122"};
                g_string_append_printf(
                    req, " %s",
                    words[g_rand_int_range(rand, 0, G_N_ELEMENTS(words))]);
            }
            g_string_append_c(req, '\n');
        }
        g_free(a);
        a = feed(req->str, req->len);
        {
            /* Exactly one non-IRQ line per request. */
            g_auto(GStrv) got = g_strsplit(a, "\n", -1);
            unsigned replies = 0;

            for (guint i = 0; got[i] && got[i][0]; i++) {
                replies += !g_str_has_prefix(got[i], "IRQ ");
            }
            assert_int_equal(replies, lines);
        }
        g_string_free(req, TRUE);
    }
    cmd("endianness", "OK little\n");
    g_free(buf);
    g_rand_free(rand);
}

static void test_line_too_long(void **state)
{
    size_t len = ((size_t)64 << 20) + 16;
    char *buf = g_malloc(len);
    g_autofree char *a = NULL;
    g_autofree char *b = NULL;

    memset(buf, 'a', len);
    a = feed(buf, len);
    assert_string_equal(a, "");
    /* Still discarding: more bytes of the same line. */
    g_free(a);
    a = feed(buf, 1000);
    assert_string_equal(a, "");
    b = feed("tail\nendianness\n", 16);
    assert_string_equal(b, "FAIL line too long\nOK little\n");
    g_free(buf);
}

static void test_intercept_out(void **state)
{
    cmd("irq_intercept_in /machine/tdev-out", "FAIL No intercepts installed\n");
    cmd("irq_intercept_in /machine/tdev in",
        "FAIL Interception of named in-GPIOs not yet supported\n");
    cmd("irq_intercept_out /machine/tdev nosuch",
        "FAIL No intercepts installed\n");
    /* Failures above did not claim the device. */
    cmd("irq_intercept_out /machine/tdev sysbus-irq", "OK\n");
    cmd("irq_intercept_out /machine/tdev2", "FAIL IRQ intercept already "
                                            "enabled\n");
    /* Inputs of tdev are not intercepted: no report for them. */
    cmd("set_irq_in /machine/tdev unnamed-gpio-in 1 1", "OK\n");
    assert_true(tdev->in_level[1]);
    /* in[0] drives tdev.irq: reported (index 0) and forwarded. */
    cmd("set_irq_in /machine/tdev in 0 1", "IRQ raise 0\nOK\n");
    assert_true(tdev2->in_level[1]);
    cmd("set_irq_in /machine/tdev in 0 1", "OK\n");
    cmd("set_irq_in /machine/tdev in 0 0", "IRQ lower 0\nOK\n");
    assert_false(tdev2->in_level[1]);
}

static void test_intercept_out_named(void **state)
{
    /* Only the named group: "alarm" reports, "irq" does not. */
    cmd("irq_intercept_out /machine/tdev alarm", "OK\n");
    cmd("set_irq_in /machine/tdev in 0 1", "OK\n");
    assert_true(tdev2->in_level[1]);
    g_string_truncate(out, 0);
    irq_set_level(device_irq_out(&tdev->parent, "alarm"), true);
    assert_string_equal(out->str, "IRQ raise 0\n");
}

static void test_intercept_all_outputs_partial_path(void **state)
{
    cmd("irq_intercept_out tdev", "OK\n");
    g_string_truncate(out, 0);
    irq_set_level(device_irq_out(&tdev->parent, "alarm"), true);
    irq_set_level(device_irq_out(&tdev->parent, "irq"), true);
    /* Both groups are index 0: the second change to 1 is not news. */
    assert_string_equal(out->str, "IRQ raise 0\n");
    assert_true(tdev2->in_level[1]);
}

static void test_intercept_in_all_groups(void **state)
{
    cmd("irq_intercept_in /machine/tdev2 ", "OK\n"); /* trailing space */
    cmd("set_irq_in /machine/tdev2 source 39 1", "IRQ raise 39\nOK\n");
    cmd("set_irq_in /machine/tdev2 in 3 1", "IRQ raise 3\nOK\n");
    /* Group indices overlap, as in QEMU: in[3] and source[3] share N. */
    cmd("set_irq_in /machine/tdev2 source 3 1", "OK\n");
    cmd("set_irq_in /machine/tdev2 source 3 0", "IRQ lower 3\nOK\n");
    assert_true(tdev2->in_level[3]);
    assert_false(tdev2->source_level[3]);
    /* An output of another device wired into an intercepted input. */
    cmd("set_irq_in /machine/tdev in 0 1", "IRQ raise 1\nOK\n");
    assert_true(tdev2->in_level[1]);
}

static void extension_echo(QTestServer *s, char **words, int nwords)
{
    qtest_send_reply(s, "OK %d %s", nwords, nwords > 1 ? words[1] : "-");
}

static void test_extensions(void **state)
{
    cmd("bt_version", "OK benchtop " BENCHTOP_VERSION "\n");
    cmd("bt_test_echo", "FAIL Unknown command 'bt_test_echo'\n");
    qtest_register_command("bt_test_echo", extension_echo);
    cmd("bt_test_echo", "OK 1 -\n");
    cmd("bt_test_echo a b c", "OK 4 a\n");
    /* Built-ins cannot be shadowed. */
    qtest_register_command("endianness", extension_echo);
    cmd("endianness", "OK little\n");
}

static void test_memory_origin(void **state)
{
    memory_set_origin(MEM_ORIGIN_HART);
    cmd("readl 0x10000000", "OK 0x000000000000005a\n");
    assert_int_equal(probe_origin, MEM_ORIGIN_QTEST);
    assert_int_equal(memory_get_origin(), MEM_ORIGIN_HART);
    memory_set_origin(MEM_ORIGIN_OTHER);
    cmd("writel 0x10000004 1", "OK\n");
    assert_int_equal(probe_origin, MEM_ORIGIN_QTEST);
    assert_int_equal(memory_get_origin(), MEM_ORIGIN_OTHER);
    /* A wrong width is rejected by the region: reads 0, write dropped. */
    probe_accesses = 0;
    cmd("readb 0x10000000", "OK 0x0000000000000000\n");
    assert_int_equal(probe_accesses, 0);
}

static void test_server_get(void **state)
{
    assert_ptr_equal(qtest_server_get(), srv);
}

/* The log, on a ring-buffer chardev, with /machine/qtest. */
static void test_log_and_chardev(void **state)
{
    g_autofree char *dir = g_dir_make_tmp("qtest-log-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "log", NULL);
    g_autofree char *log = NULL;
    g_autoptr(Opts) opts = NULL;
    GError *err = NULL;
    Chardev *chr;
    QTestServer *s;
    GString *sent;
    Object *obj;
    PropValue v;
    g_auto(GStrv) lines = NULL;
    static const char req[] = "endianness\nwrite 0x80000000 4 0x\n"
                              "b64write 0x80000000 4 AQ==\n"
                              "irq_intercept_in /machine/tdev\n"
                              "set_irq_in /machine/tdev in 2 1\n"
                              "readl  0x80000000\n";

    qtest_server_free(srv); /* one server per process */
    srv = NULL;
    chardev_register_types();
    opts = opts_parse("ringbuf,id=qt0,size=4096", "backend", &err);
    assert_non_null(opts);
    chr = chardev_new_from_opts(opts, &err);
    assert_non_null(chr);
    s = qtest_server_new(chr, path, true, &err);
    assert_non_null(s);
    assert_ptr_equal(qtest_server_get(), s);
    assert_null(qtest_server_new(chr, path, true, &err));
    g_clear_error(&err);

    obj = object_resolve_path("/machine/qtest", NULL);
    assert_non_null(obj);
    assert_string_equal(object_type_name(obj), TYPE_QTEST);
    assert_true(object_property_get(obj, "chardev", &v, &err));
    assert_string_equal(v.s, "qt0");
    g_free(v.s);
    assert_true(object_property_get(obj, "log", &v, &err));
    assert_string_equal(v.s, path);
    g_free(v.s);

    qtest_server_feed(s, req, strlen(req));
    sent = chardev_ringbuf_read(chr, 4096);
    assert_string_equal(sent->str, "OK little\n"
                                   "ERR invalid argument size\n"
                                   "OK\n"
                                   "OK\n"
                                   "IRQ raise 2\n"
                                   "OK\n"
                                   "FAIL invalid number ''\n");
    g_string_free(sent, TRUE);

    /* Written and flushed record by record: readable before closing. */
    assert_true(g_file_get_contents(path, &log, NULL, NULL));
    lines = g_strsplit(log, "\n", -1);
    assert_int_equal(g_strv_length(lines), 16);
    assert_true(g_str_has_prefix(lines[0], "[I 0.0"));
    assert_true(g_str_has_suffix(lines[0], "] OPENED"));
    assert_int_equal(strlen(lines[0]), strlen("[I 0.000000] OPENED"));
#define LOGLINE(i, kind, text)                                                 \
    do {                                                                       \
        assert_true(g_str_has_prefix(lines[i], "[" kind " +0."));              \
        assert_true(g_str_has_suffix(lines[i], "] " text));                    \
        assert_int_equal(strlen(lines[i]), strlen("[S +0.000000] " text));     \
    } while (0)
    LOGLINE(1, "R", "endianness");
    LOGLINE(2, "S", "OK little");
    LOGLINE(3, "R", "write 0x80000000 4 0x");
    LOGLINE(4, "S", "ERR invalid argument size");
    LOGLINE(5, "R", "b64write 0x80000000 4 AQ==");
    LOGLINE(6, "S", "b64write: data length mismatch (told 4, found 1)");
    LOGLINE(7, "S", "OK");
    LOGLINE(8, "R", "irq_intercept_in /machine/tdev");
    LOGLINE(9, "S", "OK");
    LOGLINE(10, "R", "set_irq_in /machine/tdev in 2 1");
    LOGLINE(11, "S", "IRQ raise 2");
    LOGLINE(12, "S", "OK");
    LOGLINE(13, "R", "readl  0x80000000");
    LOGLINE(14, "S", "FAIL invalid number ''");
    assert_string_equal(lines[15], "");

    qtest_server_close(s);
    g_free(log);
    assert_true(g_file_get_contents(path, &log, NULL, NULL));
    assert_true(g_str_has_suffix(log, "] CLOSED\n"));
    assert_non_null(strstr(log, "\n[I +0."));
    qtest_server_free(s);
    assert_null(object_resolve_path("/machine/qtest", NULL));
    assert_null(qtest_server_get());
    unlink(path);
    rmdir(dir);

    /* "none": no log; a bad path is an error. */
    s = qtest_server_new(chr, "none", false, &err);
    assert_non_null(s);
    qtest_server_free(s);
    assert_null(qtest_server_new(chr, "/nonexistent-dir/x/log", false, &err));
    assert_non_null(err);
    g_clear_error(&err);

    srv = qtest_server_new_buffer(out, true);
}

/* An extension that ends the server, as the exit path does, then answers. */
static void extension_close(QTestServer *s, char **words, int nwords)
{
    qtest_server_close(s);
    qtest_send_reply(s, "OK closed");
}

/* The next record on the SOCK_SEQPACKET socket @fd, or "" if none. */
static char *next_record(int fd)
{
    char buf[4096];
    ssize_t n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);

    return g_strndup(buf, n > 0 ? (size_t)n : 0);
}

/*
 * The replies of one chunk of input, and the IRQ lines between them, go
 * out in order with a single write (one record on a seqpacket socket); a
 * server closed in the middle of a chunk still sends what was answered.
 */
static void test_chunk_is_one_write(void **state)
{
    g_autoptr(Opts) opts = NULL;
    g_autofree char *spec = NULL;
    g_autofree char *a = NULL;
    g_autofree char *b = NULL;
    g_autofree char *c = NULL;
    GError *err = NULL;
    Chardev *chr;
    QTestServer *s;
    int sv[2];
    static const char req[] = "irq_intercept_in /machine/tdev\n"
                              "set_irq_in /machine/tdev in 2 1\n"
                              "endianness\n"
                              "readl 0x80000000\n";

    qtest_server_free(srv);
    srv = NULL;
    chardev_register_types();
    assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
    spec = g_strdup_printf("socket,id=qt1,fd=%d", sv[0]);
    opts = opts_parse(spec, "backend", &err);
    assert_non_null(opts);
    chr = chardev_new_from_opts(opts, &err);
    assert_non_null(chr);
    s = qtest_server_new(chr, "/dev/null", true, &err);
    assert_non_null(s);

    qtest_server_feed(s, req, strlen(req));
    a = next_record(sv[1]);
    assert_string_equal(a, "OK\nIRQ raise 2\nOK\nOK little\n"
                           "OK 0x0000000000000000\n");
    b = next_record(sv[1]);
    assert_string_equal(b, "");

    qtest_register_command("bt_test_close", extension_close);
    qtest_server_feed(s, "endianness\nbt_test_close\n", 26);
    g_free(a);
    a = next_record(sv[1]);
    assert_string_equal(a, "OK little\n"); /* flushed by the close */
    c = next_record(sv[1]);
    assert_string_equal(c, "OK closed\n");

    qtest_server_free(s);
    close(sv[1]);
    srv = qtest_server_new_buffer(out, true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn)     cmocka_unit_test_setup_teardown(fn, setup, teardown)
#define T_TCG(fn) cmocka_unit_test_setup_teardown(fn, setup_tcg, teardown)
        T_TCG(test_transcript_12_1),
        T(test_transcript_12_2_clock),
        T(test_transcript_12_2_set_irq),
        T(test_clock_disabled),
        T(test_clock_step_runs_timers_in_order),
        T(test_transcript_12_3),
        T_TCG(test_error_table),
        T(test_deviations),
        T(test_memory_commands),
        T(test_number_syntax),
        T(test_framing),
        T(test_nul_and_binary),
        T(test_garbage_never_crashes),
        T(test_line_too_long),
        T(test_intercept_out),
        T(test_intercept_out_named),
        T(test_intercept_all_outputs_partial_path),
        T(test_intercept_in_all_groups),
        T(test_extensions),
        T(test_memory_origin),
        T(test_server_get),
        T(test_log_and_chardev),
        T(test_chunk_is_one_write),
    };

    object_register_types();
    device_register_types();
    qtest_register_types();
    type_register(&tdev_class.obj);
    type_register(&tdev_out_class.obj);
    return cmocka_run_group_tests_name("qtest-protocol", tests, NULL, NULL);
}
