/* SPDX-License-Identifier: MIT */
/*
 * ns16550a: 16550A UART with 16-byte FIFOs, as QEMU's serial-mm models it.
 *
 * Model interface:
 *   region  "regs"     8 bytes, accesses of 1..8 bytes; an access is given
 *                      whole to the 8-bit register at its start offset
 *   irq out "irq"      high whenever IIR bit 0 is 0 (an interrupt pending)
 *   prop    "chardev"  id of the -chardev backend (TX goes nowhere and RX
 *                      never happens without one)
 * Spec: National Semiconductor PC16550D datasheet; behaviour follows QEMU
 * 7.2 hw/char/serial.c as described in spec/devices/ns16550a.md.
 * Not modelled: parity/framing errors, modem lines of a host tty (MSR is the
 * constant DCD|DSR|CTS outside loopback), break from the backend, baud-rate
 * pacing of TX (bytes leave at once).
 */
#include "hw/char/ns16550a.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "emu/chardev/chardev.h"
#include "emu/clock.h"
#include "emu/device.h"
#include "emu/irq.h"
#include "emu/log.h"
#include "emu/object.h"
#include "emu/regmap.h"
#include "hw/core/fdt.h"

#define NANOSECONDS_PER_SECOND 1000000000LL

/* Register table indices; one entry per datasheet register name. */
enum {
    R_RBR,
    R_THR,
    R_IER,
    R_IIR,
    R_FCR,
    R_LCR,
    R_MCR,
    R_LSR,
    R_MSR,
    R_SCR,
    R_DLL,
    R_DLM,
    R_NUM
};

typedef struct NS16550AFifo {
    uint8_t data[NS16550A_FIFO_SIZE];
    unsigned head; /* index of the oldest byte */
    unsigned num;
} NS16550AFifo;

typedef struct NS16550AState {
    Device parent; /* must be first */

    char *chardev_id; /* property */
    uint32_t regs[R_NUM];

    Chardev *chr;
    IrqLine *irq;
    EmuTimer *fifo_timeout;
    NS16550AFifo rx_fifo;
    NS16550AFifo tx_fifo;
    unsigned rx_trigger;      /* RX FIFO trigger level in bytes */
    bool thr_ipending;        /* THR-empty interrupt pending */
    bool timeout_ipending;    /* character timeout pending */
    int64_t char_transmit_ns; /* time to send one frame at the set rate */
} NS16550AState;

#define NS16550A(dev) DEVICE_CAST(NS16550AState, dev, &ns16550a_class)

static void ns16550a_fifo_reset(NS16550AFifo *f)
{
    f->head = 0;
    f->num = 0;
}

static bool ns16550a_fifo_full(const NS16550AFifo *f)
{
    return f->num == NS16550A_FIFO_SIZE;
}

static void ns16550a_fifo_push(NS16550AFifo *f, uint8_t byte)
{
    g_assert(f->num < NS16550A_FIFO_SIZE);
    f->data[(f->head + f->num) % NS16550A_FIFO_SIZE] = byte;
    f->num++;
}

static uint8_t ns16550a_fifo_pop(NS16550AFifo *f)
{
    uint8_t byte;

    g_assert(f->num > 0);
    byte = f->data[f->head];
    f->head = (f->head + 1) % NS16550A_FIFO_SIZE;
    f->num--;
    return byte;
}

static bool ns16550a_fifo_enabled(const NS16550AState *s)
{
    return s->regs[R_FCR] & NS16550A_FCR_FE;
}

static bool ns16550a_loopback(const NS16550AState *s)
{
    return s->regs[R_MCR] & NS16550A_MCR_LOOP;
}

/*
 * Recomputes IIR from the interrupt sources in QEMU's priority order and
 * drives the output line: high whenever something is pending.
 */
static void ns16550a_update_irq(NS16550AState *s)
{
    uint32_t ier = s->regs[R_IER];
    uint32_t lsr = s->regs[R_LSR];
    uint32_t id = NS16550A_IIR_NO_INT;

    if ((ier & NS16550A_IER_ELSI) && (lsr & NS16550A_LSR_INT_ANY)) {
        id = NS16550A_IIR_RLSI;
    } else if ((ier & NS16550A_IER_ERBFI) && s->timeout_ipending) {
        id = NS16550A_IIR_CTI;
    } else if ((ier & NS16550A_IER_ERBFI) && (lsr & NS16550A_LSR_DR) &&
               (!ns16550a_fifo_enabled(s) || s->rx_fifo.num >= s->rx_trigger)) {
        id = NS16550A_IIR_RDI;
    } else if ((ier & NS16550A_IER_ETBEI) && s->thr_ipending) {
        id = NS16550A_IIR_THRI;
    } else if ((ier & NS16550A_IER_EDSSI) &&
               (s->regs[R_MSR] & NS16550A_MSR_ANY_DELTA)) {
        id = NS16550A_IIR_MSI;
    }

    s->regs[R_IIR] = id | (ns16550a_fifo_enabled(s) ? NS16550A_IIR_FIFO_EN : 0);
    irq_set_level(s->irq, id != NS16550A_IIR_NO_INT);
}

/*
 * Frame time from the divisor and LCR: start bit, 5..8 data bits, optional
 * parity, 1 or 2 stop bits at baudbase / divisor.  The rate is computed in
 * single precision and the result truncated, like QEMU 7.2, so timeouts
 * land on the same nanosecond; a zero divisor means about 3500 baud.
 */
static void ns16550a_update_params(NS16550AState *s)
{
    uint32_t divisor = s->regs[R_DLL] | (s->regs[R_DLM] << 8);
    uint32_t lcr = s->regs[R_LCR];
    float baud;
    int frame_bits;

    frame_bits = 1 + (int)(lcr & NS16550A_LCR_WLS) + 5;
    frame_bits += (lcr & NS16550A_LCR_STB) ? 2 : 1;
    if (lcr & NS16550A_LCR_PEN) {
        frame_bits++;
    }
    baud = divisor ? (float)NS16550A_BAUDBASE / (float)divisor : 3500.0f;
    s->char_transmit_ns =
        (int64_t)(((float)NANOSECONDS_PER_SECOND / baud) * (float)frame_bits);
}

static void ns16550a_rearm_timeout(NS16550AState *s)
{
    timer_mod(s->fifo_timeout, clock_ns_after(4 * s->char_transmit_ns));
}

/* Character timeout: 4 character times without a receive or an RBR read. */
static void ns16550a_fifo_timeout(void *opaque)
{
    NS16550AState *s = opaque;

    if (s->rx_fifo.num > 0) {
        s->timeout_ipending = true;
        ns16550a_update_irq(s);
    }
}

/* A byte arrives at the receiver (from the backend or the loopback). */
static void ns16550a_receive(NS16550AState *s, const uint8_t *buf, size_t len)
{
    if (len == 0) {
        return;
    }
    if (ns16550a_fifo_enabled(s)) {
        for (size_t i = 0; i < len; i++) {
            /* Receive overruns do not overwrite FIFO contents. */
            if (ns16550a_fifo_full(&s->rx_fifo)) {
                s->regs[R_LSR] |= NS16550A_LSR_OE;
            } else {
                ns16550a_fifo_push(&s->rx_fifo, buf[i]);
            }
        }
        s->regs[R_LSR] |= NS16550A_LSR_DR;
        ns16550a_rearm_timeout(s);
    } else {
        if (s->regs[R_LSR] & NS16550A_LSR_DR) {
            s->regs[R_LSR] |= NS16550A_LSR_OE;
        }
        s->regs[R_RBR] = buf[len - 1];
        s->regs[R_LSR] |= NS16550A_LSR_DR;
    }
    ns16550a_update_irq(s);
}

/*
 * Moves everything in THR / the TX FIFO out through the shift register at
 * once: to the backend, or back to the receiver in loopback mode.
 */
static void ns16550a_xmit(NS16550AState *s)
{
    while (!(s->regs[R_LSR] & NS16550A_LSR_THRE)) {
        uint8_t tsr;

        if (ns16550a_fifo_enabled(s)) {
            tsr = ns16550a_fifo_pop(&s->tx_fifo);
            if (s->tx_fifo.num == 0) {
                s->regs[R_LSR] |= NS16550A_LSR_THRE;
            }
        } else {
            tsr = (uint8_t)s->regs[R_THR];
            s->regs[R_LSR] |= NS16550A_LSR_THRE;
        }
        if ((s->regs[R_LSR] & NS16550A_LSR_THRE) && !s->thr_ipending) {
            s->thr_ipending = true;
            ns16550a_update_irq(s);
        }
        if (ns16550a_loopback(s)) {
            ns16550a_receive(s, &tsr, 1);
        } else if (s->chr) {
            /* Deviation: a backend without a peer drops the byte. */
            chardev_write(s->chr, &tsr, 1);
        }
    }
    s->regs[R_LSR] |= NS16550A_LSR_TEMT;
}

static void ns16550a_accept_input(NS16550AState *s)
{
    if (s->chr && !ns16550a_loopback(s)) {
        chardev_accept_input(s->chr);
    }
}

/* RBR (read, DLAB=0): pops the receiver. */
static uint64_t ns16550a_rbr_read(Device *dev, const RegDesc *r)
{
    NS16550AState *s = NS16550A(dev);
    uint8_t ret;

    if (ns16550a_fifo_enabled(s)) {
        ret = s->rx_fifo.num ? ns16550a_fifo_pop(&s->rx_fifo) : 0;
        if (s->rx_fifo.num == 0) {
            s->regs[R_LSR] &= ~(NS16550A_LSR_DR | NS16550A_LSR_BI);
        } else {
            ns16550a_rearm_timeout(s);
        }
        s->timeout_ipending = false;
    } else {
        ret = (uint8_t)s->regs[R_RBR];
        s->regs[R_LSR] &= ~(NS16550A_LSR_DR | NS16550A_LSR_BI);
    }
    ns16550a_update_irq(s);
    ns16550a_accept_input(s);
    return ret;
}

/* THR (write, DLAB=0): queue the byte and send it at once. */
static void ns16550a_thr_write(Device *dev, const RegDesc *r, uint64_t val)
{
    NS16550AState *s = NS16550A(dev);

    s->regs[R_THR] = val & 0xff;
    if (ns16550a_fifo_enabled(s)) {
        /* Transmit overruns drop the oldest byte. */
        if (ns16550a_fifo_full(&s->tx_fifo)) {
            ns16550a_fifo_pop(&s->tx_fifo);
        }
        ns16550a_fifo_push(&s->tx_fifo, val & 0xff);
    }
    s->thr_ipending = false;
    s->regs[R_LSR] &= ~(NS16550A_LSR_THRE | NS16550A_LSR_TEMT);
    ns16550a_update_irq(s);
    ns16550a_xmit(s);
}

/*
 * IER: enabling ETBEI while THR is empty makes the THR-empty interrupt
 * pending at once; disabling it forgets the pending one.
 */
static void ns16550a_ier_post_write(Device *dev, const RegDesc *r, uint64_t old)
{
    NS16550AState *s = NS16550A(dev);
    uint32_t changed = (uint32_t)(old ^ s->regs[R_IER]) & NS16550A_IER_MASK;

    if (changed & NS16550A_IER_ETBEI) {
        s->thr_ipending = (s->regs[R_IER] & NS16550A_IER_ETBEI) &&
                          (s->regs[R_LSR] & NS16550A_LSR_THRE);
    }
    if (changed) {
        ns16550a_update_irq(s);
    }
}

/* IIR (read): reading the THR-empty identification acknowledges it. */
static uint64_t ns16550a_iir_read(Device *dev, const RegDesc *r)
{
    NS16550AState *s = NS16550A(dev);
    uint32_t ret = s->regs[R_IIR];

    if ((ret & NS16550A_IIR_ID) == NS16550A_IIR_THRI) {
        s->thr_ipending = false;
        ns16550a_update_irq(s);
    }
    return ret;
}

/* FCR (write): FIFO enable, self-clearing FIFO resets, trigger level. */
static void ns16550a_fcr_write(Device *dev, const RegDesc *r, uint64_t val)
{
    NS16550AState *s = NS16550A(dev);
    static const unsigned trigger[4] = {1, 4, 8, 14};

    /* Every enable/disable flushes both FIFOs. */
    if ((val ^ s->regs[R_FCR]) & NS16550A_FCR_FE) {
        val |= NS16550A_FCR_RFR | NS16550A_FCR_XFR;
    }
    if (val & NS16550A_FCR_RFR) {
        s->regs[R_LSR] &= ~(NS16550A_LSR_DR | NS16550A_LSR_BI);
        timer_del(s->fifo_timeout);
        s->timeout_ipending = false;
        ns16550a_fifo_reset(&s->rx_fifo);
    }
    if (val & NS16550A_FCR_XFR) {
        s->regs[R_LSR] |= NS16550A_LSR_THRE;
        s->thr_ipending = true;
        ns16550a_fifo_reset(&s->tx_fifo);
    }
    s->regs[R_FCR] = val & NS16550A_FCR_STORED;
    if (val & NS16550A_FCR_FE) {
        s->rx_trigger = trigger[(val & NS16550A_FCR_ITL) >> 6];
    }
    ns16550a_update_irq(s);
}

/* LCR, DLL, DLM: the line settings changed. */
static void ns16550a_params_post_write(Device *dev, const RegDesc *r,
                                       uint64_t old)
{
    ns16550a_update_params(NS16550A(dev));
}

/* MCR: leaving loopback lets the backend send again. */
static void ns16550a_mcr_post_write(Device *dev, const RegDesc *r, uint64_t old)
{
    NS16550AState *s = NS16550A(dev);

    if ((old & NS16550A_MCR_LOOP) && !ns16550a_loopback(s)) {
        ns16550a_accept_input(s);
    }
}

/* LSR (read): reading reports and clears overrun and break. */
static uint64_t ns16550a_lsr_read(Device *dev, const RegDesc *r)
{
    NS16550AState *s = NS16550A(dev);
    uint32_t ret = s->regs[R_LSR];

    if (ret & (NS16550A_LSR_BI | NS16550A_LSR_OE)) {
        s->regs[R_LSR] &= ~(NS16550A_LSR_BI | NS16550A_LSR_OE);
        ns16550a_update_irq(s);
    }
    return ret;
}

/*
 * MSR (read): in loopback the modem inputs follow the outputs (CTS<-RTS,
 * DSR<-DTR, RI<-OUT1, DCD<-OUT2); otherwise reading clears the deltas.
 */
static uint64_t ns16550a_msr_read(Device *dev, const RegDesc *r)
{
    NS16550AState *s = NS16550A(dev);
    uint32_t mcr = s->regs[R_MCR];
    uint32_t ret;

    if (ns16550a_loopback(s)) {
        return ((mcr & 0x0c) << 4) | ((mcr & 0x02) << 3) | ((mcr & 0x01) << 5);
    }
    ret = s->regs[R_MSR];
    if (ret & NS16550A_MSR_ANY_DELTA) {
        s->regs[R_MSR] &= ~NS16550A_MSR_ANY_DELTA;
        ns16550a_update_irq(s);
    }
    return ret;
}

static const RegField ns16550a_ier_fields[] = {
    {"ERBFI", 0, 1, "received data available / character timeout"},
    {"ETBEI", 1, 1, "THR empty"},
    {"ELSI", 2, 1, "receiver line status"},
    {"EDSSI", 3, 1, "modem status"},
    {NULL, 0, 0, NULL},
};

static const RegField ns16550a_iir_fields[] = {
    {"NOINT", 0, 1, "1 = no interrupt pending"},
    {"IID", 1, 3, "interrupt identification"},
    {"FIFOEN", 6, 2, "11 when the FIFOs are enabled"},
    {NULL, 0, 0, NULL},
};

static const RegField ns16550a_fcr_fields[] = {
    {"FE", 0, 1, "FIFO enable"},
    {"RFR", 1, 1, "RX FIFO reset"},
    {"XFR", 2, 1, "TX FIFO reset"},
    {"DMS", 3, 1, "DMA mode select"},
    {"ITL", 6, 2, "RX trigger level 1/4/8/14"},
    {NULL, 0, 0, NULL},
};

static const RegField ns16550a_lcr_fields[] = {
    {"WLS", 0, 2, "word length - 5"},       {"STB", 2, 1, "two stop bits"},
    {"PEN", 3, 1, "parity enable"},         {"EPS", 4, 1, "even parity"},
    {"SP", 5, 1, "stick parity"},           {"BC", 6, 1, "break control"},
    {"DLAB", 7, 1, "divisor latch access"}, {NULL, 0, 0, NULL},
};

static const RegField ns16550a_mcr_fields[] = {
    {"DTR", 0, 1, NULL},  {"RTS", 1, 1, NULL},  {"OUT1", 2, 1, NULL},
    {"OUT2", 3, 1, NULL}, {"LOOP", 4, 1, NULL}, {NULL, 0, 0, NULL},
};

static const RegField ns16550a_lsr_fields[] = {
    {"DR", 0, 1, "data ready"},
    {"OE", 1, 1, "overrun error"},
    {"PE", 2, 1, "parity error"},
    {"FE", 3, 1, "framing error"},
    {"BI", 4, 1, "break interrupt"},
    {"THRE", 5, 1, "THR empty"},
    {"TEMT", 6, 1, "transmitter empty"},
    {"RXFE", 7, 1, "error in RX FIFO"},
    {NULL, 0, 0, NULL},
};

static const RegField ns16550a_msr_fields[] = {
    {"DCTS", 0, 1, NULL}, {"DDSR", 1, 1, NULL}, {"TERI", 2, 1, NULL},
    {"DDCD", 3, 1, NULL}, {"CTS", 4, 1, NULL},  {"DSR", 5, 1, NULL},
    {"RI", 6, 1, NULL},   {"DCD", 7, 1, NULL},  {NULL, 0, 0, NULL},
};

static const RegDesc ns16550a_regs[R_NUM] = {
    [R_RBR] = REG(NS16550A, RBR, .width = 1, .access = REG_R,
                  .read = ns16550a_rbr_read, .desc = "receive buffer"),
    [R_THR] = REG(NS16550A, THR, .width = 1, .access = REG_W,
                  .write = ns16550a_thr_write, .desc = "transmit holding"),
    [R_IER] = REG(NS16550A, IER, .width = 1, .rw = NS16550A_IER_MASK,
                  .post_write = ns16550a_ier_post_write,
                  .fields = ns16550a_ier_fields, .desc = "interrupt enable"),
    [R_IIR] =
        REG(NS16550A, IIR, .width = 1, .access = REG_R,
            .reset = NS16550A_IIR_NO_INT, .read = ns16550a_iir_read,
            .fields = ns16550a_iir_fields, .desc = "interrupt identification"),
    [R_FCR] = REG(NS16550A, FCR, .width = 1, .access = REG_W,
                  .write = ns16550a_fcr_write, .fields = ns16550a_fcr_fields,
                  .desc = "FIFO control"),
    [R_LCR] = REG(NS16550A, LCR, .width = 1, .rw = 0xff,
                  .post_write = ns16550a_params_post_write,
                  .fields = ns16550a_lcr_fields, .desc = "line control"),
    [R_MCR] =
        REG(NS16550A, MCR, .width = 1, .reset = NS16550A_MCR_OUT2,
            .rw = NS16550A_MCR_MASK, .post_write = ns16550a_mcr_post_write,
            .fields = ns16550a_mcr_fields, .desc = "modem control"),
    [R_LSR] = REG(NS16550A, LSR, .width = 1, .access = REG_R,
                  .reset = NS16550A_LSR_THRE | NS16550A_LSR_TEMT,
                  .read = ns16550a_lsr_read, .fields = ns16550a_lsr_fields,
                  .desc = "line status"),
    [R_MSR] =
        REG(NS16550A, MSR, .width = 1, .access = REG_R,
            .reset = NS16550A_MSR_DCD | NS16550A_MSR_DSR | NS16550A_MSR_CTS,
            .read = ns16550a_msr_read, .fields = ns16550a_msr_fields,
            .desc = "modem status"),
    [R_SCR] = REG(NS16550A, SCR, .width = 1, .rw = 0xff, .desc = "scratch"),
    [R_DLL] = REG(NS16550A, DLL, .width = 1, .reset = 0x0c, .rw = 0xff,
                  .post_write = ns16550a_params_post_write,
                  .desc = "divisor latch low (DLAB=1)"),
    [R_DLM] = REG(NS16550A, DLM, .width = 1, .rw = 0xff,
                  .post_write = ns16550a_params_post_write,
                  .desc = "divisor latch high (DLAB=1)"),
};

/*
 * Offsets 0 and 1 are banked by LCR.DLAB; offset 0 and 2 also differ by
 * direction.  LSR and MSR writes reach their (read-only) entries and are
 * ignored there.
 */
static int ns16550a_select(Device *dev, hwaddr off, bool is_write)
{
    NS16550AState *s = NS16550A(dev);
    bool dlab = s->regs[R_LCR] & NS16550A_LCR_DLAB;

    switch (off) {
    case NS16550A_RBR:
        if (dlab) {
            return R_DLL;
        }
        return is_write ? R_THR : R_RBR;
    case NS16550A_IER:
        return dlab ? R_DLM : R_IER;
    case NS16550A_IIR:
        return is_write ? R_FCR : R_IIR;
    case NS16550A_LCR:
        return R_LCR;
    case NS16550A_MCR:
        return R_MCR;
    case NS16550A_LSR:
        return R_LSR;
    case NS16550A_MSR:
        return R_MSR;
    case NS16550A_SCR:
        return R_SCR;
    default:
        return -1;
    }
}

/* Backend flow control: how many bytes the receiver takes now. */
static size_t ns16550a_can_read(void *opaque)
{
    NS16550AState *s = opaque;

    if (ns16550a_loopback(s)) {
        return 0;
    }
    if (!ns16550a_fifo_enabled(s)) {
        return (s->regs[R_LSR] & NS16550A_LSR_DR) ? 0 : 1;
    }
    if (ns16550a_fifo_full(&s->rx_fifo)) {
        return 0;
    }
    if (s->rx_fifo.num <= s->rx_trigger) {
        return s->rx_trigger - s->rx_fifo.num;
    }
    return 1;
}

static void ns16550a_chr_read(void *opaque, const uint8_t *buf, size_t len)
{
    NS16550AState *s = opaque;

    if (ns16550a_loopback(s)) {
        log_mask(LOG_GUEST_ERROR,
                 "ns16550a: %zu byte(s) from the backend dropped in loopback",
                 len);
        return;
    }
    ns16550a_receive(s, buf, len);
}

static const ChardevHandlers ns16550a_chr_handlers = {
    .can_read = ns16550a_can_read,
    .read = ns16550a_chr_read,
};

static bool ns16550a_realize(Device *dev, GError **errp)
{
    NS16550AState *s = NS16550A(dev);

    if (s->chardev_id && s->chardev_id[0]) {
        s->chr = chardev_find(s->chardev_id);
        if (!s->chr) {
            g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                        "Property '%s.chardev' can't find value '%s'",
                        TYPE_NS16550A, s->chardev_id);
            return false;
        }
    }
    s->irq = device_irq_out(dev, "irq");
    g_assert(s->irq);
    s->fifo_timeout = timer_new(ns16550a_fifo_timeout, s);
    if (s->chr) {
        chardev_set_handlers(s->chr, &ns16550a_chr_handlers, s);
    }
    return true;
}

static void ns16550a_unrealize(Device *dev)
{
    NS16550AState *s = NS16550A(dev);

    if (s->chr) {
        chardev_set_handlers(s->chr, NULL, NULL);
        s->chr = NULL;
    }
    timer_free(s->fifo_timeout);
    s->fifo_timeout = NULL;
}

/* Registers already hold their reset values; reset the derived state. */
static void ns16550a_reset(Device *dev)
{
    NS16550AState *s = NS16550A(dev);

    ns16550a_fifo_reset(&s->rx_fifo);
    ns16550a_fifo_reset(&s->tx_fifo);
    s->rx_trigger = 1;
    s->thr_ipending = false;
    s->timeout_ipending = false;
    /* QEMU starts at 9600 baud, 10-bit frames until LCR/divisor writes. */
    s->char_transmit_ns = (NANOSECONDS_PER_SECOND / 9600) * 10;
    timer_del(s->fifo_timeout);
    ns16550a_update_irq(s);
    ns16550a_accept_input(s);
}

/*
 * Device tree (QEMU 7.2 virt): a 0x100-byte window (8 bytes decode) and
 * the 1.8432 MHz x 2 input clock that gives the guests' divisor of 2 at
 * 115200 baud.
 */
#define NS16550A_FDT_REG_SIZE   0x100
#define NS16550A_FDT_CLOCK_FREQ 3686400

static bool ns16550a_fdt_node(Device *dev, FdtContext *ctx, GError **errp)
{
    const char *node = fdt_ctx_add_device_node(ctx, dev, "serial");
    hwaddr base = 0;

    fdt_device_base(dev, &base);
    fdt_ctx_setprop_string(ctx, node, "compatible", "ns16550a");
    fdt_ctx_setprop_reg(ctx, node, base, NS16550A_FDT_REG_SIZE);
    fdt_ctx_setprop_cell(ctx, node, "clock-frequency", NS16550A_FDT_CLOCK_FREQ);
    fdt_ctx_set_interrupts(ctx, node, dev, "irq");
    return fdt_ctx_check(ctx, errp);
}

static const PropDesc ns16550a_props[] = {
    PROP_STR_("chardev", NS16550AState, chardev_id, NULL),
    PROP_END,
};

const DeviceClass ns16550a_class = {
    .obj =
        {
            .name = TYPE_NS16550A,
            .parent = TYPE_DEVICE,
            .instance_size = sizeof(NS16550AState),
            .user_creatable = true,
            .desc = "NS16550A UART",
            .props = ns16550a_props,
        },
    .regions =
        {
            {
                .name = "regs",
                .size = NS16550A_REGS_SIZE,
                .regs = ns16550a_regs,
                .nregs = R_NUM,
                .storage_offset = offsetof(NS16550AState, regs),
                .storage_bytes = 4,
                .reg_width = 1,
                .min_access = 1,
                .max_access = 8,
                .select = ns16550a_select,
            },
        },
    .irq_out = {"irq"},
    .realize = ns16550a_realize,
    .reset = ns16550a_reset,
    .unrealize = ns16550a_unrealize,
    .fdt_node = ns16550a_fdt_node,
};
