/* SPDX-License-Identifier: MIT */
/*
 * ns16550a over qtest: the "How to test it" list of
 * spec/devices/ns16550a.md on virt (UART0 at 0x10000000), the same device
 * alone on -machine none, and the chardev path both ways through a socket
 * the test listens on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <glib.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/c/libqtest.h"
#include "hw/char/ns16550a.h"

#define U          0x10000000ULL /* UART0 on virt */
#define U_PATH     "/machine/uart0"
#define U_PLIC_SRC 10        /* UART0's PLIC source on virt */
#define U0         0x1000ULL /* where "-device ...,addr=0x1000" maps it */
#define U0_PATH    "/machine/peripheral/u0"
#define VIRT_ARGS  "-machine virt -nodefaults"
#define NONE_ARGS  "-machine none -device ns16550a,id=u0,addr=0x1000"
#define POLL_TRIES 2000
#define T(fn)      cmocka_unit_test_setup_teardown(fn, setup_virt, teardown)
#define TN(fn)     cmocka_unit_test_setup_teardown(fn, setup_none, teardown)
#define TX(fn)     cmocka_unit_test(fn)

/*
 * Character time: (1e9 / (399193 / divisor)) * frame bits; after reset
 * QEMU uses 9600 baud with 10-bit frames until LCR or the divisor change.
 * QEMU 7.2 divides in float (399193 / 12 = 33266.08 baud) and truncates
 * the product: 300606 ns at divisor 12, 8N1.
 */
#define CHAR_NS_RESET (1000000000LL / 9600 * 10)
#define CHAR_NS_8N1   300606LL /* (int64_t)(1e9 / (399193.0f / 12) * 10) */

/* Current virtual time (moves the clock by 1 ns to learn it). */
static int64_t clock_now(QTestState *qts)
{
    return qtest_clock_step(qts, 1);
}

static void fail_hook(const char *msg)
{
    fail_msg("%s", msg);
}

static int setup_virt(void **state)
{
    *state = qtest_init(VIRT_ARGS);
    return *state ? 0 : -1;
}

/* QEMU has no user-creatable ns16550a: the case skips with *state NULL. */
static int setup_none(void **state)
{
    if (!qtest_is_benchtop(NULL)) {
        *state = NULL;
        return 0;
    }
    *state = qtest_init(NONE_ARGS);
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    qtest_quit(*state);
    return 0;
}

/*
 * QOM path of the child of @parent whose type is @type, found with
 * qom-list (QEMU's board devices have anonymous paths such as
 * /machine/unattached/device[2]).  Caller frees; fails the test if none.
 */
static char *qom_child_of_type(QTestState *qts, const char *parent,
                               const char *type)
{
    g_autofree char *want = g_strdup_printf("child<%s>", type);
    QDict *rsp = qtest_qmp_assert_success_ref(
        qts, "{'execute': 'qom-list', 'arguments': {'path': '%s'}}", parent);
    JsonArray *list = qdict_get_qlist(rsp, "return");
    char *path = NULL;

    assert_non_null(list);
    for (guint i = 0; i < json_array_get_length(list) && !path; i++) {
        QDict *prop = json_array_get_object_element(list, i);

        if (g_str_equal(qdict_get_str(prop, "type"), want)) {
            path =
                g_strdup_printf("%s/%s", parent, qdict_get_str(prop, "name"));
        }
    }
    qobject_unref(rsp);
    if (!path) {
        fail_msg("no %s under %s", type, parent);
    }
    return path;
}

/*
 * Starts watching UART0's interrupt on virt and returns the line number
 * that qtest_get_irq() reports it as: the UART's own output "irq" (line 0)
 * on Benchtop; on QEMU, whose 7.2 qtest cannot intercept a sysbus
 * device's (named) output, the PLIC's input 10, which sees the same level.
 */
static int uart_irq_intercept(QTestState *qts)
{
    g_autofree char *plic = NULL;

    if (qtest_is_benchtop(qts)) {
        qtest_irq_intercept_out_named(qts, U_PATH, "irq");
        return 0;
    }
    plic = qom_child_of_type(qts, "/machine/unattached", "riscv.sifive.plic");
    qtest_irq_intercept_in(qts, plic);
    return U_PLIC_SRC;
}

/* Reads exactly @len bytes from @fd within a few seconds. */
static void sock_read_exact(int fd, char *buf, size_t len)
{
    size_t got = 0;

    while (got < len) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        ssize_t n;

        assert_int_equal(poll(&pfd, 1, 5000), 1);
        n = recv(fd, buf + got, len - got, 0);
        assert_true(n > 0);
        got += (size_t)n;
    }
}

/* True when nothing more arrives on @fd within @ms. */
static bool sock_quiet(int fd, int ms)
{
    struct pollfd pfd = {.fd = fd, .events = POLLIN};

    return poll(&pfd, 1, ms) == 0;
}

/*
 * Polls LSR until DR is set; each qtest round trip lets the emulator's
 * loop run and deliver chardev input.  Returns the last LSR.
 */
static uint8_t wait_data_ready(QTestState *qts, uint64_t base)
{
    uint8_t lsr = 0;

    for (int i = 0; i < POLL_TRIES; i++) {
        lsr = qtest_readb(qts, base + NS16550A_LSR);
        if (lsr & NS16550A_LSR_DR) {
            return lsr;
        }
        g_usleep(1000);
    }
    return lsr;
}

/* 1. Reset values of the eight offsets, then the divisor latch. */
static void test_reset_values(void **state)
{
    QTestState *qts = *state;
    static const uint8_t expect[8] = {0x00, 0x00, 0x01, 0x00,
                                      0x08, 0x60, 0xb0, 0x00};

    for (unsigned off = 0; off < 8; off++) {
        assert_int_equal(qtest_readb(qts, U + off), expect[off]);
    }
    qtest_writeb(qts, U + NS16550A_LCR, NS16550A_LCR_DLAB);
    assert_int_equal(qtest_readb(qts, U + NS16550A_DLL), 0x0c);
    assert_int_equal(qtest_readb(qts, U + NS16550A_DLM), 0x00);
}

/* 2. Offsets >= 8 are outside the decoded window: qtest reads 0. */
static void test_out_of_window(void **state)
{
    QTestState *qts = *state;

    assert_int_equal(qtest_readb(qts, U + 8), 0);
    assert_int_equal(qtest_readb(qts, U + 0x5), 0x60); /* still LSR */
}

/* 3. Scratch register. */
static void test_scratch(void **state)
{
    QTestState *qts = *state;

    qtest_writeb(qts, U + NS16550A_SCR, 0xa5);
    assert_int_equal(qtest_readb(qts, U + NS16550A_SCR), 0xa5);
    qtest_writeb(qts, U + NS16550A_SCR, 0x5a);
    assert_int_equal(qtest_readb(qts, U + NS16550A_SCR), 0x5a);
}

/* 4. Divisor latch banking by LCR.DLAB. */
static void test_divisor_latch(void **state)
{
    QTestState *qts = *state;

    qtest_writeb(qts, U + NS16550A_IER, 0x05);
    qtest_writeb(qts, U + NS16550A_LCR, 0x80);
    assert_int_equal(qtest_readb(qts, U + NS16550A_DLL), 0x0c);
    assert_int_equal(qtest_readb(qts, U + NS16550A_DLM), 0x00);
    qtest_writeb(qts, U + NS16550A_DLL, 0x01);
    assert_int_equal(qtest_readb(qts, U + NS16550A_DLL), 0x01);
    qtest_writeb(qts, U + NS16550A_DLM, 0x02);
    assert_int_equal(qtest_readb(qts, U + NS16550A_DLM), 0x02);
    /* Offsets 2..7 are not banked. */
    assert_int_equal(qtest_readb(qts, U + NS16550A_IIR), 0x01);
    assert_int_equal(qtest_readb(qts, U + NS16550A_LSR), 0x60);
    qtest_writeb(qts, U + NS16550A_LCR, 0x03);
    assert_int_equal(qtest_readb(qts, U + NS16550A_LCR), 0x03);
    /* DLAB=0 again: IER kept its value, the latch is hidden. */
    assert_int_equal(qtest_readb(qts, U + NS16550A_IER), 0x05);
    qtest_writeb(qts, U + NS16550A_LCR, 0x80);
    assert_int_equal(qtest_readb(qts, U + NS16550A_DLL), 0x01);
    assert_int_equal(qtest_readb(qts, U + NS16550A_DLM), 0x02);
}

/* Every writable register keeps its bits; read-only ones ignore writes. */
static void test_register_readback(void **state)
{
    QTestState *qts = *state;

    qtest_writeb(qts, U + NS16550A_IER, 0xff);
    assert_int_equal(qtest_readb(qts, U + NS16550A_IER), 0x0f);
    qtest_writeb(qts, U + NS16550A_IER, 0x00);
    assert_int_equal(qtest_readb(qts, U + NS16550A_IER), 0x00);

    qtest_writeb(qts, U + NS16550A_LCR, 0x7f);
    assert_int_equal(qtest_readb(qts, U + NS16550A_LCR), 0x7f);
    qtest_writeb(qts, U + NS16550A_LCR, 0xff);
    assert_int_equal(qtest_readb(qts, U + NS16550A_LCR), 0xff);
    qtest_writeb(qts, U + NS16550A_LCR, 0x00);

    qtest_writeb(qts, U + NS16550A_MCR, 0xef);
    assert_int_equal(qtest_readb(qts, U + NS16550A_MCR), 0x0f);
    qtest_writeb(qts, U + NS16550A_MCR, 0x00);
    assert_int_equal(qtest_readb(qts, U + NS16550A_MCR), 0x00);

    qtest_writeb(qts, U + NS16550A_LSR, 0x00);
    assert_int_equal(qtest_readb(qts, U + NS16550A_LSR), 0x60);
    qtest_writeb(qts, U + NS16550A_MSR, 0x00);
    assert_int_equal(qtest_readb(qts, U + NS16550A_MSR), 0xb0);

    /* FCR is write-only: reading offset 2 gives IIR. */
    qtest_writeb(qts, U + NS16550A_FCR, 0xc9);
    assert_int_equal(qtest_readb(qts, U + NS16550A_IIR), 0xc1);
    /* RBR reads 0 with nothing received; THR writes leave LSR at 0x60. */
    assert_int_equal(qtest_readb(qts, U + NS16550A_RBR), 0x00);
    qtest_writeb(qts, U + NS16550A_THR, 0x41);
    assert_int_equal(qtest_readb(qts, U + NS16550A_LSR), 0x60);
}

/* Wider accesses go whole to the register at their start offset. */
static void test_access_widths(void **state)
{
    QTestState *qts = *state;

    qtest_writeb(qts, U + NS16550A_SCR, 0x77);
    assert_int_equal(qtest_readl(qts, U + NS16550A_MCR), 0x08);
    assert_int_equal(qtest_readw(qts, U + NS16550A_IIR), 0x01);
    assert_int_equal(qtest_readw(qts, U + NS16550A_MSR), 0xb0);
    assert_int_equal(qtest_readq(qts, U + NS16550A_RBR), 0x00);
    qtest_writel(qts, U + NS16550A_MCR, 0xffffff03);
    assert_int_equal(qtest_readb(qts, U + NS16550A_MCR), 0x03);
    assert_int_equal(qtest_readb(qts, U + NS16550A_SCR), 0x77);
    qtest_writeq(qts, U + NS16550A_RBR, 0x1111111111111100ULL);
    assert_int_equal(qtest_readb(qts, U + NS16550A_LSR), 0x60);
}

/* 6. THR-empty interrupt: raised on ETBEI, acknowledged by an IIR read. */
static void test_thre_interrupt(void **state)
{
    QTestState *qts = *state;
    int irq = uart_irq_intercept(qts);

    assert_false(qtest_get_irq(qts, irq));
    qtest_writeb(qts, U + NS16550A_IER, NS16550A_IER_ETBEI);
    assert_true(qtest_get_irq(qts, irq));
    assert_int_equal(qtest_readb(qts, U + NS16550A_IIR), 0x02);
    assert_false(qtest_get_irq(qts, irq));
    assert_int_equal(qtest_readb(qts, U + NS16550A_IIR), 0x01);

    /* A THR write sends at once and makes THRE pending again. */
    qtest_writeb(qts, U + NS16550A_THR, 0x41);
    assert_true(qtest_get_irq(qts, irq));
    assert_int_equal(qtest_readb(qts, U + NS16550A_IIR), 0x02);

    /* Disabling ETBEI forgets the pending interrupt. */
    qtest_writeb(qts, U + NS16550A_THR, 0x42);
    assert_true(qtest_get_irq(qts, irq));
    qtest_writeb(qts, U + NS16550A_IER, 0x00);
    assert_false(qtest_get_irq(qts, irq));
    qtest_writeb(qts, U + NS16550A_IER, NS16550A_IER_ETBEI);
    assert_true(qtest_get_irq(qts, irq)); /* THRE=1: pending again */
}

/* 7. FIFO enable shows in IIR bits 7:6. */
static void test_fifo_bits(void **state)
{
    QTestState *qts = *state;

    qtest_writeb(qts, U + NS16550A_FCR, 0x07);
    assert_int_equal(qtest_readb(qts, U + NS16550A_IIR), 0xc1);
    qtest_writeb(qts, U + NS16550A_FCR, 0x00);
    assert_int_equal(qtest_readb(qts, U + NS16550A_IIR), 0x01);
}

/* 8. Loopback receive and the received-data interrupt. */
static void test_loopback_rda(void **state)
{
    QTestState *qts = *state;
    int irq = uart_irq_intercept(qts);

    qtest_writeb(qts, U + NS16550A_MCR, 0x1b);
    assert_int_equal(qtest_readb(qts, U + NS16550A_MSR), 0xb0);
    qtest_writeb(qts, U + NS16550A_IER, NS16550A_IER_ERBFI);
    assert_false(qtest_get_irq(qts, irq));
    qtest_writeb(qts, U + NS16550A_THR, 0x55);
    assert_int_equal(qtest_readb(qts, U + NS16550A_LSR), 0x61);
    assert_int_equal(qtest_readb(qts, U + NS16550A_IIR), 0x04);
    assert_true(qtest_get_irq(qts, irq));
    assert_int_equal(qtest_readb(qts, U + NS16550A_RBR), 0x55);
    assert_int_equal(qtest_readb(qts, U + NS16550A_LSR), 0x60);
    assert_int_equal(qtest_readb(qts, U + NS16550A_IIR), 0x01);
    assert_false(qtest_get_irq(qts, irq));
}

/* Loopback MSR mirrors the modem outputs. */
static void test_loopback_msr(void **state)
{
    QTestState *qts = *state;

    qtest_writeb(qts, U + NS16550A_MCR, NS16550A_MCR_LOOP);
    assert_int_equal(qtest_readb(qts, U + NS16550A_MSR), 0x00);
    qtest_writeb(qts, U + NS16550A_MCR, NS16550A_MCR_LOOP | NS16550A_MCR_DTR);
    assert_int_equal(qtest_readb(qts, U + NS16550A_MSR), NS16550A_MSR_DSR);
    qtest_writeb(qts, U + NS16550A_MCR, NS16550A_MCR_LOOP | NS16550A_MCR_RTS);
    assert_int_equal(qtest_readb(qts, U + NS16550A_MSR), NS16550A_MSR_CTS);
    qtest_writeb(qts, U + NS16550A_MCR, NS16550A_MCR_LOOP | NS16550A_MCR_OUT1);
    assert_int_equal(qtest_readb(qts, U + NS16550A_MSR), NS16550A_MSR_RI);
    qtest_writeb(qts, U + NS16550A_MCR, NS16550A_MCR_LOOP | NS16550A_MCR_OUT2);
    assert_int_equal(qtest_readb(qts, U + NS16550A_MSR), NS16550A_MSR_DCD);
    qtest_writeb(qts, U + NS16550A_MCR, 0x00);
    assert_int_equal(qtest_readb(qts, U + NS16550A_MSR), 0xb0);
}

/* 9. Overrun without FIFO; the line status interrupt reports it. */
static void test_overrun(void **state)
{
    QTestState *qts = *state;
    int irq = uart_irq_intercept(qts);

    qtest_writeb(qts, U + NS16550A_MCR, 0x1b);
    qtest_writeb(qts, U + NS16550A_IER, NS16550A_IER_ELSI);
    qtest_writeb(qts, U + NS16550A_THR, 0x31);
    assert_false(qtest_get_irq(qts, irq));
    qtest_writeb(qts, U + NS16550A_THR, 0x32);
    assert_true(qtest_get_irq(qts, irq));
    assert_int_equal(qtest_readb(qts, U + NS16550A_IIR), 0x06);
    assert_int_equal(qtest_readb(qts, U + NS16550A_LSR), 0x63);
    assert_false(qtest_get_irq(qts, irq));
    assert_int_equal(qtest_readb(qts, U + NS16550A_LSR), 0x61);
    assert_int_equal(qtest_readb(qts, U + NS16550A_RBR), 0x32);
    assert_int_equal(qtest_readb(qts, U + NS16550A_LSR), 0x60);
}

/* 10. FIFO loopback of three bytes. */
static void test_fifo_loopback(void **state)
{
    QTestState *qts = *state;

    qtest_writeb(qts, U + NS16550A_FCR, NS16550A_FCR_FE);
    qtest_writeb(qts, U + NS16550A_MCR, 0x1b);
    qtest_writeb(qts, U + NS16550A_IER, NS16550A_IER_ERBFI);
    qtest_writeb(qts, U + NS16550A_THR, 'x');
    qtest_writeb(qts, U + NS16550A_THR, 'y');
    qtest_writeb(qts, U + NS16550A_THR, 'z');
    assert_int_equal(qtest_readb(qts, U + NS16550A_LSR), 0x61);
    assert_int_equal(qtest_readb(qts, U + NS16550A_IIR), 0xc4);
    assert_int_equal(qtest_readb(qts, U + NS16550A_RBR), 0x78);
    assert_int_equal(qtest_readb(qts, U + NS16550A_RBR), 0x79);
    assert_int_equal(qtest_readb(qts, U + NS16550A_RBR), 0x7a);
    assert_int_equal(qtest_readb(qts, U + NS16550A_RBR), 0x00);
    assert_int_equal(qtest_readb(qts, U + NS16550A_LSR), 0x60);
    assert_int_equal(qtest_readb(qts, U + NS16550A_IIR), 0xc1);
}

/* RX FIFO overrun: the 17th byte is dropped and sets OE. */
static void test_fifo_overrun(void **state)
{
    QTestState *qts = *state;

    qtest_writeb(qts, U + NS16550A_FCR, NS16550A_FCR_FE);
    qtest_writeb(qts, U + NS16550A_MCR, NS16550A_MCR_LOOP);
    for (unsigned i = 0; i < NS16550A_FIFO_SIZE + 1; i++) {
        qtest_writeb(qts, U + NS16550A_THR, 0x40 + i);
    }
    assert_int_equal(qtest_readb(qts, U + NS16550A_LSR), 0x63);
    assert_int_equal(qtest_readb(qts, U + NS16550A_LSR), 0x61);
    for (unsigned i = 0; i < NS16550A_FIFO_SIZE; i++) {
        assert_int_equal(qtest_readb(qts, U + NS16550A_RBR), 0x40 + i);
    }
    assert_int_equal(qtest_readb(qts, U + NS16550A_LSR), 0x60);
}

/* Trigger levels: RDA only once the RX FIFO holds the trigger count. */
static void test_fifo_trigger_levels(void **state)
{
    QTestState *qts = *state;
    static const struct {
        uint8_t fcr;
        unsigned level;
    } cases[] = {{0x01, 1}, {0x41, 4}, {0x81, 8}, {0xc1, 14}};

    qtest_writeb(qts, U + NS16550A_MCR, NS16550A_MCR_LOOP);
    qtest_writeb(qts, U + NS16550A_IER, NS16550A_IER_ERBFI);
    for (size_t c = 0; c < G_N_ELEMENTS(cases); c++) {
        /* FIFO off then on again flushes it. */
        qtest_writeb(qts, U + NS16550A_FCR, 0x00);
        qtest_writeb(qts, U + NS16550A_FCR, cases[c].fcr);
        for (unsigned i = 1; i <= cases[c].level; i++) {
            qtest_writeb(qts, U + NS16550A_THR, i);
            assert_int_equal(qtest_readb(qts, U + NS16550A_IIR),
                             i < cases[c].level ? 0xc1 : 0xc4);
        }
    }
    /* RX FIFO reset (self-clearing) empties it. */
    qtest_writeb(qts, U + NS16550A_FCR, 0xc3);
    assert_int_equal(qtest_readb(qts, U + NS16550A_LSR), 0x60);
    assert_int_equal(qtest_readb(qts, U + NS16550A_IIR), 0xc1);
}

/* 11. Character timeout: 4 character times after the last receive. */
static void test_char_timeout(void **state)
{
    QTestState *qts = *state;
    int irq = uart_irq_intercept(qts);
    int64_t t0;

    qtest_writeb(qts, U + NS16550A_LCR, 0x03); /* 8N1 at divisor 12 */
    qtest_writeb(qts, U + NS16550A_FCR, 0x41);
    qtest_writeb(qts, U + NS16550A_IER, NS16550A_IER_ERBFI);
    qtest_writeb(qts, U + NS16550A_MCR, 0x1b);
    t0 = clock_now(qts);
    qtest_writeb(qts, U + NS16550A_THR, 'a');
    assert_int_equal(qtest_readb(qts, U + NS16550A_IIR), 0xc1);

    assert_int_equal(qtest_clock_step(qts, 4 * CHAR_NS_8N1 - 1),
                     t0 + 4 * CHAR_NS_8N1 - 1);
    assert_int_equal(qtest_readb(qts, U + NS16550A_IIR), 0xc1);
    assert_false(qtest_get_irq(qts, irq));
    qtest_clock_set(qts, t0 + 4 * CHAR_NS_8N1);
    assert_int_equal(qtest_readb(qts, U + NS16550A_IIR), 0xcc);
    assert_true(qtest_get_irq(qts, irq));

    assert_int_equal(qtest_readb(qts, U + NS16550A_RBR), 'a');
    assert_int_equal(qtest_readb(qts, U + NS16550A_IIR), 0xc1);
    assert_false(qtest_get_irq(qts, irq));
}

/* After reset the timing is QEMU's 9600 baud, 10-bit frames. */
static void test_char_timeout_reset_timing(void **state)
{
    QTestState *qts = *state;
    int irq = uart_irq_intercept(qts);
    int64_t t0;

    qtest_writeb(qts, U + NS16550A_FCR, 0x41);
    qtest_writeb(qts, U + NS16550A_IER, NS16550A_IER_ERBFI);
    qtest_writeb(qts, U + NS16550A_MCR, NS16550A_MCR_LOOP);
    t0 = clock_now(qts);
    qtest_writeb(qts, U + NS16550A_THR, 'b');
    qtest_writeb(qts, U + NS16550A_THR, 'c');
    assert_int_equal(qtest_clock_step_next(qts), t0 + 4 * CHAR_NS_RESET);
    assert_int_equal(qtest_readb(qts, U + NS16550A_IIR), 0xcc);
    /* Reading one byte re-arms the timeout for the remaining one. */
    assert_int_equal(qtest_readb(qts, U + NS16550A_RBR), 'b');
    assert_int_equal(qtest_readb(qts, U + NS16550A_IIR), 0xc1);
    assert_true(
        qtest_wait_irq(qts, irq, true, CHAR_NS_RESET, 8 * CHAR_NS_RESET));
    assert_int_equal(qtest_readb(qts, U + NS16550A_IIR), 0xcc);
    assert_int_equal(qtest_readb(qts, U + NS16550A_RBR), 'c');
    assert_false(qtest_get_irq(qts, irq));
}

/* QMP system_reset brings every register back. */
static void test_system_reset(void **state)
{
    QTestState *qts = *state;
    static const uint8_t expect[8] = {0x00, 0x00, 0x01, 0x00,
                                      0x08, 0x60, 0xb0, 0x00};

    qtest_writeb(qts, U + NS16550A_FCR, 0x07);
    qtest_writeb(qts, U + NS16550A_IER, 0x0f);
    qtest_writeb(qts, U + NS16550A_MCR, 0x1f);
    qtest_writeb(qts, U + NS16550A_SCR, 0x99);
    qtest_writeb(qts, U + NS16550A_THR, 0x12);
    qtest_writeb(qts, U + NS16550A_LCR, 0x83);
    qtest_writeb(qts, U + NS16550A_DLL, 0x02);
    qtest_system_reset(qts);
    for (unsigned off = 0; off < 8; off++) {
        assert_int_equal(qtest_readb(qts, U + off), expect[off]);
    }
    qtest_writeb(qts, U + NS16550A_LCR, NS16550A_LCR_DLAB);
    assert_int_equal(qtest_readb(qts, U + NS16550A_DLL), 0x0c);
}

/* The same device alone on -machine none, under its -device id. */
static void test_none_machine_device(void **state)
{
    QTestState *qts = *state;
    static const uint8_t expect[8] = {0x00, 0x00, 0x01, 0x00,
                                      0x08, 0x60, 0xb0, 0x00};

    SKIP_UNLESS_BENCHTOP(qts, "-device ns16550a,addr= on -machine none and "
                              "/machine/peripheral/u0 are Benchtop's");
    for (unsigned off = 0; off < 8; off++) {
        assert_int_equal(qtest_readb(qts, U0 + off), expect[off]);
    }
    qtest_irq_intercept_out_named(qts, U0_PATH, "irq");
    qtest_writeb(qts, U0 + NS16550A_IER, NS16550A_IER_ETBEI);
    assert_true(qtest_get_irq(qts, 0));
    assert_int_equal(qtest_readb(qts, U0 + NS16550A_IIR), 0x02);
    assert_false(qtest_get_irq(qts, 0));
}

/* 5 + 12 through -serial on virt: THR bytes out, socket bytes in. */
static void test_serial_both_ways(void **state)
{
    int fd;
    QTestState *qts = qtest_init_with_serial(VIRT_ARGS, &fd);
    char buf[8];
    const char *in = "hi!";

    assert_non_null(qts);
    qtest_writeb(qts, U + NS16550A_THR, 0x41);
    qtest_writeb(qts, U + NS16550A_THR, 0x42);
    qtest_writeb(qts, U + NS16550A_THR, 0x0a);
    assert_int_equal(qtest_readb(qts, U + NS16550A_LSR), 0x60);
    sock_read_exact(fd, buf, 3);
    assert_memory_equal(buf, "AB\n", 3);

    assert_int_equal(send(fd, in, 3, 0), 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(wait_data_ready(qts, U) & NS16550A_LSR_DR,
                         NS16550A_LSR_DR);
        assert_int_equal(qtest_readb(qts, U + NS16550A_RBR), in[i]);
    }
    assert_int_equal(qtest_readb(qts, U + NS16550A_LSR), 0x60);
    close(fd);
    qtest_quit(qts);
}

/*
 * A backend connected to the UART at @base, FIFO mode: flow control keeps
 * the RX FIFO from overflowing, TX bytes leave at once, loopback keeps
 * bytes away from the backend.
 */
static void check_fifo_backend(QTestState *qts, uint64_t base, int fd)
{
    const char *msg = "0123456789abcdefghijklmnopqrstuvwxyz";
    size_t len = strlen(msg);
    char buf[4];

    qtest_writeb(qts, base + NS16550A_FCR, 0x81); /* FIFO, trigger 8 */
    assert_int_equal(send(fd, msg, len, 0), (ssize_t)len);
    for (size_t i = 0; i < len; i++) {
        assert_int_equal(wait_data_ready(qts, base) & NS16550A_LSR_DR,
                         NS16550A_LSR_DR);
        assert_int_equal(qtest_readb(qts, base + NS16550A_RBR), msg[i]);
    }
    /* Flow control kept the FIFO from overflowing: OE never set. */
    assert_int_equal(qtest_readb(qts, base + NS16550A_LSR), 0x60);

    /* TX with the FIFO on: all bytes leave at once. */
    qtest_writeb(qts, base + NS16550A_THR, 'o');
    qtest_writeb(qts, base + NS16550A_THR, 'k');
    assert_int_equal(qtest_readb(qts, base + NS16550A_LSR), 0x60);
    sock_read_exact(fd, buf, 2);
    assert_memory_equal(buf, "ok", 2);

    /* Loopback keeps bytes away from the backend. */
    qtest_writeb(qts, base + NS16550A_MCR, NS16550A_MCR_LOOP);
    qtest_writeb(qts, base + NS16550A_THR, 'L');
    assert_true(sock_quiet(fd, 100));
    assert_int_equal(qtest_readb(qts, base + NS16550A_RBR), 'L');
}

/* The same through -serial on virt. */
static void test_serial_fifo_rx(void **state)
{
    int fd;
    QTestState *qts = qtest_init_with_serial(VIRT_ARGS, &fd);

    assert_non_null(qts);
    check_fifo_backend(qts, U, fd);
    close(fd);
    qtest_quit(qts);
}

/* -device ns16550a,chardev=ID: FIFO mode, flow control, no overrun. */
static void test_chardev_fifo_rx(void **state)
{
    int fd;
    QTestState *qts;

    SKIP_UNLESS_BENCHTOP(NULL, "-device ns16550a on -machine none is "
                               "Benchtop's");
    qts = qtest_init_with_chardev(
        "c0", "-machine none -device ns16550a,id=u0,addr=0x1000,chardev=c0",
        &fd);
    assert_non_null(qts);
    check_fifo_backend(qts, U0, fd);
    close(fd);
    qtest_quit(qts);
}

/* Runs @argv, returns its wait status and stderr (within 10 s). */
static int run_capture(const char **argv, char **err)
{
    GPid pid;
    int err_fd;
    int wstatus = 0;
    GString *out = g_string_new(NULL);
    char buf[256];
    ssize_t n;

    assert_true(g_spawn_async_with_pipes(
        NULL, (char **)argv, NULL,
        G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH |
            G_SPAWN_STDOUT_TO_DEV_NULL,
        NULL, NULL, &pid, NULL, NULL, &err_fd, NULL));
    for (int i = 0; i < 1000; i++) {
        if (waitpid(pid, &wstatus, WNOHANG) == pid) {
            break;
        }
        if (i == 999) {
            kill(pid, SIGKILL);
            waitpid(pid, &wstatus, 0);
        }
        g_usleep(10000);
    }
    while ((n = read(err_fd, buf, sizeof(buf))) > 0) {
        g_string_append_len(out, buf, n);
    }
    close(err_fd);
    *err = g_string_free(out, false);
    return wstatus;
}

/* An unknown chardev id fails realize with QEMU's message. */
static void test_unknown_chardev(void **state)
{
    const char *argv[] = {getenv("QTEST_QEMU_BINARY"),
                          "-machine",
                          "none",
                          "-display",
                          "none",
                          "-device",
                          "ns16550a,id=u0,addr=0x1000,chardev=nosuch",
                          "-accel",
                          "qtest",
                          NULL};
    g_autofree char *err = NULL;
    int wstatus;

    SKIP_UNLESS_BENCHTOP(NULL, "-device ns16550a is Benchtop's (QEMU has no "
                               "user-creatable ns16550a)");
    assert_non_null(argv[0]);
    wstatus = run_capture(argv, &err);
    assert_true(WIFEXITED(wstatus));
    assert_int_equal(WEXITSTATUS(wstatus), 1);
    assert_non_null(
        strstr(err, "Property 'ns16550a.chardev' can't find value 'nosuch'"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_reset_values),      T(test_out_of_window),
        T(test_scratch),           T(test_divisor_latch),
        T(test_register_readback), T(test_access_widths),
        T(test_thre_interrupt),    T(test_fifo_bits),
        T(test_loopback_rda),      T(test_loopback_msr),
        T(test_overrun),           T(test_fifo_loopback),
        T(test_fifo_overrun),      T(test_fifo_trigger_levels),
        T(test_char_timeout),      T(test_char_timeout_reset_timing),
        T(test_system_reset),      TN(test_none_machine_device),
        TX(test_serial_both_ways), TX(test_serial_fifo_rx),
        TX(test_chardev_fifo_rx),  TX(test_unknown_chardev),
    };

    qtest_set_failure_hook(fail_hook);
    return cmocka_run_group_tests_name("ns16550a", tests, NULL, NULL);
}
