/* SPDX-License-Identifier: MIT */
/*
 * plic: SiFive platform-level interrupt controller with level-triggered
 * gateways, 96 sources and an M and an S context per hart.
 *
 * Model interface:
 *   region  "regs"        0x600000 bytes, 4-byte aligned accesses only
 *   irq in  "source[s]"   interrupt source s (0..95), level-high; source 0
 *                         is ignored
 *   irq out "context[c]"  external interrupt of context c: 2h drives hart
 *                         h's MEIP, 2h+1 its SEIP
 *   prop    "num-harts"   harts served, 1..512 (2 contexts each), default 1
 * Spec: RISC-V PLIC specification 1.0.0 and spec/devices/plic.md.
 *
 * Gateway: a source is pending while its line is high and it is not
 * claimed; a claim clears pending, and completion re-pends it if the line
 * is still high.  Context c requests an interrupt while some pending,
 * enabled source has a priority strictly greater than c's threshold; a
 * claim returns the highest such priority, ties going to the lowest ID.
 * The outputs are re-evaluated after every change, enable writes included.
 *
 * Deviation: QEMU 7.2 pends only on "high" events, never re-pends at
 * completion, and does not re-evaluate on enable writes (plic.md Q2, Q3).
 * Deviation: a completion whose ID is not enabled in that context is
 * ignored, as the PLIC specification says; QEMU 7.2 accepts it.
 * priority[96] (offset 0x180) and enable word 3 exist because riscv,ndev
 * is 96 (plic.md Q1): they read 0 and ignore writes.
 *
 * The per-context registers (ENABLE0..3, THRESHOLD, CLAIM) are one table
 * entry each used as a window: the select hook decodes the context from
 * the offset and loads its value into the entry's storage; post_write
 * stores the result back into that context.
 */
#include "hw/intc/plic.h"

#include <glib.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "emu/device.h"
#include "emu/irq.h"
#include "emu/log.h"
#include "emu/object.h"
#include "emu/regmap.h"
#include "hw/core/fdt.h"

#define PLIC_WORDS (PLIC_NUM_SOURCES / 32) /* 32-bit words of source bits */

enum {
    R_PRIORITY1, /* priority[s] is R_PRIORITY1 + s - 1, s = 1..96 */
    R_PRIORITY96 = R_PRIORITY1 + 95,
    R_PENDING0,
    R_PENDING1,
    R_PENDING2,
    R_ENABLE0,
    R_ENABLE1,
    R_ENABLE2,
    R_ENABLE3,
    R_THRESHOLD,
    R_CLAIM,
    R_NUM
};

typedef struct PlicState {
    Device parent; /* must be first */

    uint32_t num_harts;   /* property */
    uint32_t regs[R_NUM]; /* priorities and pending bits are stored here */
    unsigned num_contexts;
    unsigned sel;        /* context addressed by the current access */
    uint32_t *enable;    /* PLIC_WORDS words per context */
    uint32_t *threshold; /* per context */
    uint32_t claimed[PLIC_WORDS];
    uint32_t level[PLIC_WORDS]; /* input line levels */
    IrqGroup *context;
} PlicState;

#define PLIC(dev) DEVICE_CAST(PlicState, dev, &plic_class)

static bool plic_bit(const uint32_t *words, unsigned s)
{
    return words[s / 32] & (1u << (s % 32));
}

/* The enable words of context @c. */
static uint32_t *plic_enable(const PlicState *s, unsigned c)
{
    return &s->enable[c * PLIC_WORDS];
}

static uint32_t plic_priority(const PlicState *s, unsigned src)
{
    return s->regs[R_PRIORITY1 + src - 1];
}

/*
 * The source context @c would get from a claim now: pending, enabled,
 * priority above the threshold, highest priority first, then lowest ID;
 * 0 when there is none.
 */
static unsigned plic_best(const PlicState *s, unsigned c)
{
    uint32_t best_prio = s->threshold[c];
    unsigned best = 0;

    for (unsigned w = 0; w < PLIC_WORDS; w++) {
        uint32_t bits = s->regs[R_PENDING0 + w] & plic_enable(s, c)[w];

        while (bits) {
            unsigned src = w * 32 + (unsigned)__builtin_ctz(bits);

            bits &= bits - 1;
            if (src != 0 && plic_priority(s, src) > best_prio) {
                best_prio = plic_priority(s, src);
                best = src;
            }
        }
    }
    return best;
}

static void plic_update(PlicState *s)
{
    for (unsigned c = 0; c < s->num_contexts; c++) {
        irq_set_level(&s->context->lines[c], plic_best(s, c) != 0);
    }
}

/* Gateway: pending = line high and not claimed. */
static void plic_update_pending(PlicState *s, unsigned src)
{
    uint32_t bit = 1u << (src % 32);
    unsigned w = src / 32;

    if (src != 0 && (s->level[w] & bit) && !(s->claimed[w] & bit)) {
        s->regs[R_PENDING0 + w] |= bit;
    } else {
        s->regs[R_PENDING0 + w] &= ~bit;
    }
}

static void plic_irq_request(void *opaque, int n, bool level)
{
    PlicState *s = PLIC(opaque);
    unsigned src = (unsigned)n;

    if (level) {
        s->level[src / 32] |= 1u << (src % 32);
    } else {
        s->level[src / 32] &= ~(1u << (src % 32));
    }
    plic_update_pending(s, src);
    plic_update(s);
}

/* Decodes the source or context from the offset (module comment). */
static int plic_select(Device *dev, hwaddr off, bool is_write)
{
    PlicState *s = PLIC(dev);

    if (off % 4 != 0) {
        return -1;
    }
    if (off < PLIC_PENDING) {
        hwaddr src = (off - PLIC_PRIORITY) / 4;

        return src >= 1 && src <= 96 ? R_PRIORITY1 + (int)src - 1 : -1;
    }
    if (off < PLIC_ENABLE) {
        hwaddr w = (off - PLIC_PENDING) / 4;

        return w < PLIC_WORDS ? R_PENDING0 + (int)w : -1;
    }
    if (off < PLIC_THRESHOLD) {
        hwaddr c = (off - PLIC_ENABLE) / PLIC_ENABLE_STRIDE;
        hwaddr w = (off - PLIC_ENABLE) % PLIC_ENABLE_STRIDE / 4;

        if (c >= s->num_contexts || w > 3) {
            return -1;
        }
        s->sel = (unsigned)c;
        if (w < PLIC_WORDS) {
            s->regs[R_ENABLE0 + w] = plic_enable(s, c)[w];
        }
        return R_ENABLE0 + (int)w;
    }
    {
        hwaddr c = (off - PLIC_THRESHOLD) / PLIC_CONTEXT_STRIDE;
        hwaddr r = (off - PLIC_THRESHOLD) % PLIC_CONTEXT_STRIDE;

        if (c >= s->num_contexts) {
            return -1;
        }
        s->sel = (unsigned)c;
        if (r == 0) {
            s->regs[R_THRESHOLD] = s->threshold[c];
            return R_THRESHOLD;
        }
        return r == PLIC_CLAIM - PLIC_THRESHOLD ? R_CLAIM : -1;
    }
}

/* priority[s]: WARL, any value stored mod 8; re-evaluates the outputs. */
static void plic_priority_post_write(Device *dev, const RegDesc *r,
                                     uint64_t old)
{
    plic_update(PLIC(dev));
}

/* enable word w of the selected context. */
static void plic_enable_word_post_write(Device *dev, const RegDesc *r,
                                        uint64_t old)
{
    PlicState *s = PLIC(dev);
    unsigned w = (r->offset - PLIC_ENABLE) / 4;

    plic_enable(s, s->sel)[w] = s->regs[R_ENABLE0 + w];
    plic_update(s);
}

static void plic_threshold_post_write(Device *dev, const RegDesc *r,
                                      uint64_t old)
{
    PlicState *s = PLIC(dev);

    s->threshold[s->sel] = s->regs[R_THRESHOLD];
    plic_update(s);
}

/* Claim: take the best source of the selected context (0 if none). */
static uint64_t plic_claim_read(Device *dev, const RegDesc *r)
{
    PlicState *s = PLIC(dev);
    unsigned src = plic_best(s, s->sel);

    if (src != 0) {
        s->claimed[src / 32] |= 1u << (src % 32);
        plic_update_pending(s, src);
        plic_update(s);
    }
    return src;
}

/* Complete: release the source; it pends again if its line is still high. */
static void plic_complete_write(Device *dev, const RegDesc *r, uint64_t val)
{
    PlicState *s = PLIC(dev);

    if (val == 0 || val >= PLIC_NUM_SOURCES ||
        !plic_bit(plic_enable(s, s->sel), (unsigned)val)) {
        log_mask(LOG_GUEST_ERROR,
                 "plic: completion of source %" PRIu64
                 " not enabled in context %u ignored",
                 val, s->sel);
        return;
    }
    s->claimed[val / 32] &= ~(1u << (val % 32));
    plic_update_pending(s, (unsigned)val);
    plic_update(s);
}

#define PLIC_PRIO(n)                                                           \
    [R_PRIORITY1 + (n)-1] = {.name = "PRIORITY" #n,                            \
                             .offset = PLIC_PRIORITY + 4 * (n),                \
                             .rw = PLIC_PRIORITY_MASK,                         \
                             .post_write = plic_priority_post_write,           \
                             .desc = "priority of source " #n}
#define PLIC_PENDING_WORD(w)                                                   \
    [R_PENDING0 + (w)] = {.name = "PENDING" #w,                                \
                          .offset = PLIC_PENDING + 4 * (w),                    \
                          .desc = "pending bits of sources 32*" #w "..32*" #w  \
                                  "+31 (read-only)"}
#define PLIC_ENABLE_WORD(w)                                                    \
    [R_ENABLE0 + (w)] = {.name = "ENABLE" #w,                                  \
                         .offset = PLIC_ENABLE + 4 * (w),                      \
                         .rw = 0xffffffffu,                                    \
                         .post_write = plic_enable_word_post_write,            \
                         .desc = "enable bits of sources 32*" #w "..32*" #w    \
                                 "+31 of the context at "                      \
                                 "(offset - 0x2000) / 0x80"}

static const RegDesc plic_regs[R_NUM] = {
    PLIC_PRIO(1),
    PLIC_PRIO(2),
    PLIC_PRIO(3),
    PLIC_PRIO(4),
    PLIC_PRIO(5),
    PLIC_PRIO(6),
    PLIC_PRIO(7),
    PLIC_PRIO(8),
    PLIC_PRIO(9),
    PLIC_PRIO(10),
    PLIC_PRIO(11),
    PLIC_PRIO(12),
    PLIC_PRIO(13),
    PLIC_PRIO(14),
    PLIC_PRIO(15),
    PLIC_PRIO(16),
    PLIC_PRIO(17),
    PLIC_PRIO(18),
    PLIC_PRIO(19),
    PLIC_PRIO(20),
    PLIC_PRIO(21),
    PLIC_PRIO(22),
    PLIC_PRIO(23),
    PLIC_PRIO(24),
    PLIC_PRIO(25),
    PLIC_PRIO(26),
    PLIC_PRIO(27),
    PLIC_PRIO(28),
    PLIC_PRIO(29),
    PLIC_PRIO(30),
    PLIC_PRIO(31),
    PLIC_PRIO(32),
    PLIC_PRIO(33),
    PLIC_PRIO(34),
    PLIC_PRIO(35),
    PLIC_PRIO(36),
    PLIC_PRIO(37),
    PLIC_PRIO(38),
    PLIC_PRIO(39),
    PLIC_PRIO(40),
    PLIC_PRIO(41),
    PLIC_PRIO(42),
    PLIC_PRIO(43),
    PLIC_PRIO(44),
    PLIC_PRIO(45),
    PLIC_PRIO(46),
    PLIC_PRIO(47),
    PLIC_PRIO(48),
    PLIC_PRIO(49),
    PLIC_PRIO(50),
    PLIC_PRIO(51),
    PLIC_PRIO(52),
    PLIC_PRIO(53),
    PLIC_PRIO(54),
    PLIC_PRIO(55),
    PLIC_PRIO(56),
    PLIC_PRIO(57),
    PLIC_PRIO(58),
    PLIC_PRIO(59),
    PLIC_PRIO(60),
    PLIC_PRIO(61),
    PLIC_PRIO(62),
    PLIC_PRIO(63),
    PLIC_PRIO(64),
    PLIC_PRIO(65),
    PLIC_PRIO(66),
    PLIC_PRIO(67),
    PLIC_PRIO(68),
    PLIC_PRIO(69),
    PLIC_PRIO(70),
    PLIC_PRIO(71),
    PLIC_PRIO(72),
    PLIC_PRIO(73),
    PLIC_PRIO(74),
    PLIC_PRIO(75),
    PLIC_PRIO(76),
    PLIC_PRIO(77),
    PLIC_PRIO(78),
    PLIC_PRIO(79),
    PLIC_PRIO(80),
    PLIC_PRIO(81),
    PLIC_PRIO(82),
    PLIC_PRIO(83),
    PLIC_PRIO(84),
    PLIC_PRIO(85),
    PLIC_PRIO(86),
    PLIC_PRIO(87),
    PLIC_PRIO(88),
    PLIC_PRIO(89),
    PLIC_PRIO(90),
    PLIC_PRIO(91),
    PLIC_PRIO(92),
    PLIC_PRIO(93),
    PLIC_PRIO(94),
    PLIC_PRIO(95),
    [R_PRIORITY96] = {.name = "PRIORITY96",
                      .offset = PLIC_PRIORITY + 4 * 96,
                      .desc = "source 96 does not exist (riscv,ndev = 96 "
                              "counts source 0): reads 0, writes ignored"},
    PLIC_PENDING_WORD(0),
    PLIC_PENDING_WORD(1),
    PLIC_PENDING_WORD(2),
    PLIC_ENABLE_WORD(0),
    PLIC_ENABLE_WORD(1),
    PLIC_ENABLE_WORD(2),
    [R_ENABLE3] = {.name = "ENABLE3",
                   .offset = PLIC_ENABLE + 4 * 3,
                   .desc = "sources 96..127 do not exist: reads 0, writes "
                           "ignored"},
    [R_THRESHOLD] = REG(PLIC, THRESHOLD, .rw = PLIC_THRESHOLD_MASK,
                        .post_write = plic_threshold_post_write,
                        .desc = "priority threshold of the context at "
                                "(offset - 0x200000) / 0x1000"),
    [R_CLAIM] =
        REG(PLIC, CLAIM, .read = plic_claim_read, .write = plic_complete_write,
            .desc = "read: claim the best pending source; write: "
                    "complete that source ID"),
};

static bool plic_realize(Device *dev, GError **errp)
{
    PlicState *s = PLIC(dev);

    if (s->num_harts == 0 || s->num_harts > PLIC_MAX_HARTS) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "%s: num-harts must be between 1 and %u, not %u", TYPE_PLIC,
                    PLIC_MAX_HARTS, s->num_harts);
        return false;
    }
    s->num_contexts = 2 * s->num_harts;
    s->context = device_init_irq_out(dev, "context", s->num_contexts);
    s->enable = g_new0(uint32_t, s->num_contexts * PLIC_WORDS);
    s->threshold = g_new0(uint32_t, s->num_contexts);
    return true;
}

static void plic_unrealize(Device *dev)
{
    PlicState *s = PLIC(dev);

    g_free(s->enable);
    s->enable = NULL;
    g_free(s->threshold);
    s->threshold = NULL;
}

/*
 * Priorities and pending bits were reset with the table; enables,
 * thresholds and claims are cleared here.  A line still high pends again.
 */
static void plic_reset(Device *dev)
{
    PlicState *s = PLIC(dev);

    memset(s->enable, 0, s->num_contexts * PLIC_WORDS * sizeof(*s->enable));
    memset(s->threshold, 0, s->num_contexts * sizeof(*s->threshold));
    memset(s->claimed, 0, sizeof(s->claimed));
    for (unsigned src = 0; src < PLIC_NUM_SOURCES; src++) {
        plic_update_pending(s, src);
    }
    plic_update(s);
}

/*
 * Device tree (QEMU 7.2 virt): interrupts-extended lists the contexts in
 * order (hart h: M-external 11, then S-external 9); riscv,ndev is 96.
 */
static bool plic_fdt_node(Device *dev, FdtContext *ctx, GError **errp)
{
    const char *node = fdt_ctx_add_device_node(ctx, dev, "plic");
    hwaddr base = 0;

    fdt_device_base(dev, &base);
    fdt_ctx_setprop_cell(ctx, node, "#interrupt-cells", 1);
    fdt_ctx_setprop_cell(ctx, node, "#address-cells", 0);
    fdt_ctx_setprop_strings(ctx, node, "compatible", "sifive,plic-1.0.0",
                            "riscv,plic0", NULL);
    fdt_ctx_setprop_empty(ctx, node, "interrupt-controller");
    fdt_ctx_set_irq_extended(ctx, node, dev, "context", NULL, NULL);
    fdt_ctx_setprop_reg(ctx, node, base, PLIC_SIZE);
    fdt_ctx_setprop_cell(ctx, node, "riscv,ndev", PLIC_NUM_SOURCES);
    fdt_ctx_set_phandle(ctx, node, dev);
    return fdt_ctx_check(ctx, errp);
}

static const PropDesc plic_props[] = {
    PROP_U32_("num-harts", PlicState, num_harts, 1),
    PROP_END,
};

const DeviceClass plic_class = {
    .obj =
        {
            .name = TYPE_PLIC,
            .parent = TYPE_DEVICE,
            .instance_size = sizeof(PlicState),
            .user_creatable = true,
            .desc = "SiFive platform-level interrupt controller",
            .props = plic_props,
        },
    .regions =
        {
            REGION32("regs", PLIC_SIZE, plic_regs, PlicState, regs,
                     .min_access = 4, .max_access = 4, .select = plic_select),
        },
    .irq_in = {{"source", PLIC_NUM_SOURCES, plic_irq_request}},
    .realize = plic_realize,
    .reset = plic_reset,
    .unrealize = plic_unrealize,
    .fdt_node = plic_fdt_node,
};
