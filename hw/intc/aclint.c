/* SPDX-License-Identifier: MIT */
/*
 * aclint-mswi, aclint-mtimer: the RISC-V ACLINT machine-level software
 * interrupt and timer devices, which together form the virt board's CLINT;
 * aclint-sswi: the supervisor-level software interrupt device of
 * -M virt,aclint=on.
 *
 * Model interface (aclint-mswi):
 *   region  "regs"       0x4000 bytes, 4-byte aligned accesses only
 *   irq out "msip[h]"    hart h's MSIP, the value of bit 0 of its msip
 *   prop    "num-harts"  harts served, 1..4095, default 1
 *   prop    "sifive-clint" with an aclint-mtimer right behind it, describe
 *                        the pair as one sifive,clint0 node (default on;
 *                        off for -M virt,aclint=on)
 * Model interface (aclint-mtimer):
 *   region  "regs"       0x8000 bytes, aligned 4- or 8-byte accesses
 *   irq out "mtip[h]"    high while mtime >= mtimecmp[h]
 *   prop    "num-harts"  harts served, 1..4095, default 1
 * Model interface (aclint-sswi):
 *   region  "regs"       0x4000 bytes, 4-byte aligned accesses only
 *   irq out "ssip[h]"    to hart h's SSIP input: a write of setssip[h]
 *                        bit 0 = 1 makes a rising edge (the hart sets
 *                        mip.SSIP; software clears it)
 *   prop    "num-harts"  harts served, 1..4095, default 1
 * Spec: RISC-V ACLINT v1.0-rc4 (MSWI, MTIMER, SSWI) and
 * spec/devices/aclint.md.
 * mtime is floor(virtual ns / 100) plus an offset set by mtime writes;
 * mtip[h] rises exactly at the first ns where mtime reaches mtimecmp[h].
 * Slots of harts >= num-harts read 0 and ignore writes.
 *
 * The per-hart registers are one table entry each (MSIP, MTIMECMP,
 * MTIMECMPH) used as a window: the select hook decodes the hart from the
 * offset and loads that hart's value into the entry's storage, the regmap
 * core then reads or merges it as usual, and post_write hands the result
 * back to the hart.  MTIME and MTIMECMP[H] have read hooks because their
 * values live outside the table (the clock; per-hart state that reset
 * keeps).
 */
#include "hw/intc/aclint.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "emu/clock.h"
#include "emu/device.h"
#include "emu/irq.h"
#include "emu/object.h"
#include "emu/regmap.h"
#include "hw/core/fdt.h"

/* ---- MSWI --------------------------------------------------------------- */

enum { R_MSWI_MSIP, R_MSWI_NUM };

typedef struct AclintMswiState {
    Device parent; /* must be first */

    uint32_t num_harts; /* property */
    bool sifive_clint;  /* property */
    uint32_t regs[R_MSWI_NUM];
    unsigned sel; /* hart addressed by the current access */
    IrqGroup *msip;
} AclintMswiState;

#define ACLINT_MSWI(dev) DEVICE_CAST(AclintMswiState, dev, &aclint_mswi_class)

static int aclint_mswi_select(Device *dev, hwaddr off, bool is_write)
{
    AclintMswiState *s = ACLINT_MSWI(dev);
    hwaddr h = (off - ACLINT_MSIP) / 4;

    if (off % 4 != 0 || h >= s->num_harts) {
        return -1;
    }
    s->sel = (unsigned)h;
    s->regs[R_MSWI_MSIP] = s->msip->lines[h].level ? ACLINT_MSIP_BIT : 0;
    return R_MSWI_MSIP;
}

/* msip[h] bit 0 drives hart h's MSIP; the other bits read 0. */
static void aclint_mswi_msip_post_write(Device *dev, const RegDesc *r,
                                        uint64_t old)
{
    AclintMswiState *s = ACLINT_MSWI(dev);

    irq_set_level(&s->msip->lines[s->sel],
                  s->regs[R_MSWI_MSIP] & ACLINT_MSIP_BIT);
}

static const RegDesc aclint_mswi_regs[R_MSWI_NUM] = {
    [R_MSWI_MSIP] = REG(ACLINT, MSIP, .rw = ACLINT_MSIP_BIT,
                        .post_write = aclint_mswi_msip_post_write,
                        .desc = "software interrupt pending of the hart at "
                                "(offset / 4)"),
};

static bool aclint_check_harts(const char *type, uint32_t n, GError **errp)
{
    if (n == 0 || n > ACLINT_MAX_HARTS) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "%s: num-harts must be between 1 and %u, not %u", type,
                    ACLINT_MAX_HARTS, n);
        return false;
    }
    return true;
}

static bool aclint_mswi_realize(Device *dev, GError **errp)
{
    AclintMswiState *s = ACLINT_MSWI(dev);

    if (!aclint_check_harts(TYPE_ACLINT_MSWI, s->num_harts, errp)) {
        return false;
    }
    s->msip = device_init_irq_out(dev, "msip", s->num_harts);
    return true;
}

/* Reset lowers every MSIP. */
static void aclint_mswi_reset(Device *dev)
{
    AclintMswiState *s = ACLINT_MSWI(dev);

    for (unsigned h = 0; h < s->num_harts; h++) {
        irq_lower(&s->msip->lines[h]);
    }
}

/*
 * The node of a software-interrupt device alone (MSWI with aclint=on, SSWI):
 * @compatible, one window of @size, one line of group @lines per hart, and
 * an interrupt controller without cells, as QEMU 7.2 writes it.
 */
static bool aclint_swi_fdt_node(Device *dev, FdtContext *ctx, const char *name,
                                const char *compatible, uint64_t size,
                                const char *lines, GError **errp)
{
    hwaddr base = 0;
    const char *node;

    fdt_device_base(dev, &base);
    node = fdt_ctx_add_device_node(ctx, dev, name);
    fdt_ctx_setprop_string(ctx, node, "compatible", compatible);
    fdt_ctx_setprop_reg(ctx, node, base, size);
    fdt_ctx_set_irq_extended(ctx, node, dev, lines, NULL, NULL);
    fdt_ctx_setprop_empty(ctx, node, "interrupt-controller");
    fdt_ctx_setprop_cell(ctx, node, "#interrupt-cells", 0);
    return fdt_ctx_check(ctx, errp);
}

/* DT window of QEMU 7.2 virt's CLINT (the pair decodes 0xc000 bytes) */
#define ACLINT_FDT_CLINT_SIZE 0x10000

/*
 * Device tree: with an aclint-mtimer right behind it, the pair is QEMU's
 * CLINT node (sifive,clint0: msip and mtip of each hart in turn); alone,
 * a riscv,aclint-mswi node.
 */
static bool aclint_mswi_fdt_node(Device *dev, FdtContext *ctx, GError **errp)
{
    hwaddr base = 0;
    Device *mtimer;
    const char *node;

    fdt_device_base(dev, &base);
    mtimer = fdt_ctx_find_device_at(ctx, base + ACLINT_MSWI_SIZE);
    if (ACLINT_MSWI(dev)->sifive_clint && mtimer &&
        object_dynamic_cast(&mtimer->obj, TYPE_ACLINT_MTIMER)) {
        node = fdt_ctx_add_device_node(ctx, dev, "clint");
        fdt_ctx_setprop_strings(ctx, node, "compatible", "sifive,clint0",
                                "riscv,clint0", NULL);
        fdt_ctx_setprop_reg(ctx, node, base, ACLINT_FDT_CLINT_SIZE);
        fdt_ctx_set_irq_extended(ctx, node, dev, "msip", mtimer, "mtip");
        return fdt_ctx_check(ctx, errp);
    }
    return aclint_swi_fdt_node(dev, ctx, "mswi", "riscv,aclint-mswi",
                               ACLINT_MSWI_SIZE, "msip", errp);
}

static const PropDesc aclint_mswi_props[] = {
    PROP_U32_("num-harts", AclintMswiState, num_harts, 1),
    PROP_BOOL_("sifive-clint", AclintMswiState, sifive_clint, true),
    PROP_END,
};

const DeviceClass aclint_mswi_class = {
    .obj =
        {
            .name = TYPE_ACLINT_MSWI,
            .parent = TYPE_DEVICE,
            .instance_size = sizeof(AclintMswiState),
            .user_creatable = true,
            .desc = "RISC-V ACLINT machine software interrupts (MSWI)",
            .props = aclint_mswi_props,
        },
    .regions =
        {
            REGION32("regs", ACLINT_MSWI_SIZE, aclint_mswi_regs,
                     AclintMswiState, regs, .min_access = 4, .max_access = 4,
                     .select = aclint_mswi_select),
        },
    .realize = aclint_mswi_realize,
    .reset = aclint_mswi_reset,
    .fdt_node = aclint_mswi_fdt_node,
};

/* ---- MTIMER ------------------------------------------------------------- */

enum { R_MTIMECMP, R_MTIMECMPH, R_MTIME, R_MTIMER_NUM };

typedef struct AclintMtimerState AclintMtimerState;

typedef struct AclintMtimerHart {
    AclintMtimerState *s;
    unsigned index;
    uint64_t mtimecmp; /* not reset: 0 at power-on only */
    EmuTimer *timer;   /* armed at the ns mtime reaches mtimecmp */
} AclintMtimerHart;

struct AclintMtimerState {
    Device parent; /* must be first */

    uint32_t num_harts; /* property */
    uint64_t regs[R_MTIMER_NUM];
    uint64_t time_delta; /* mtime = virtual ns / 100 + time_delta */
    unsigned sel;        /* hart addressed by the current access */
    AclintMtimerHart *harts;
    IrqGroup *mtip;
};

#define ACLINT_MTIMER(dev)                                                     \
    DEVICE_CAST(AclintMtimerState, dev, &aclint_mtimer_class)

/* Ticks of the 10 MHz time base elapsed since virtual time 0. */
static uint64_t aclint_mtimer_ticks(void)
{
    return (uint64_t)clock_get_ns() / ACLINT_NS_PER_TICK;
}

static uint64_t aclint_mtimer_mtime(const AclintMtimerState *s)
{
    return aclint_mtimer_ticks() + s->time_delta;
}

uint64_t aclint_mtimer_get_time(void *opaque)
{
    return aclint_mtimer_mtime(ACLINT_MTIMER(opaque));
}

/*
 * Compares hart @t's mtimecmp with mtime: at or past it, MTIP is high and
 * no event is needed; before it, MTIP is low and the timer is armed at the
 * first ns whose tick count makes mtime equal mtimecmp.  A deadline past
 * the end of virtual time (e.g. mtimecmp = ~0) is never reached, so
 * nothing is armed.
 */
static void aclint_mtimer_update(AclintMtimerHart *t)
{
    AclintMtimerState *s = t->s;
    IrqLine *mtip = &s->mtip->lines[t->index];
    uint64_t ticks = aclint_mtimer_ticks();
    uint64_t mtime = ticks + s->time_delta;
    uint64_t diff;

    if (t->mtimecmp <= mtime) {
        timer_del(t->timer);
        irq_raise(mtip);
        return;
    }
    irq_lower(mtip);
    diff = t->mtimecmp - mtime;
    if (diff > (uint64_t)INT64_MAX / ACLINT_NS_PER_TICK - ticks) {
        timer_del(t->timer);
        return;
    }
    timer_mod(t->timer, (int64_t)((ticks + diff) * ACLINT_NS_PER_TICK));
}

static void aclint_mtimer_expired(void *opaque)
{
    aclint_mtimer_update(opaque);
}

static void aclint_mtimer_update_all(AclintMtimerState *s)
{
    for (unsigned h = 0; h < s->num_harts; h++) {
        aclint_mtimer_update(&s->harts[h]);
    }
}

/*
 * mtime (and its high half, which lies inside it) or the mtimecmp half the
 * offset addresses; the current value is loaded so that partial writes
 * merge into it.
 */
static int aclint_mtimer_select(Device *dev, hwaddr off, bool is_write)
{
    AclintMtimerState *s = ACLINT_MTIMER(dev);
    hwaddr h = (off - ACLINT_MTIMECMP) / 8;

    if (off == ACLINT_MTIME || off == ACLINT_MTIMEH) {
        s->regs[R_MTIME] = aclint_mtimer_mtime(s);
        return R_MTIME;
    }
    if (off >= ACLINT_MTIME || h >= s->num_harts) {
        return -1;
    }
    s->sel = (unsigned)h;
    switch (off % 8) {
    case ACLINT_MTIMECMP:
        s->regs[R_MTIMECMP] = s->harts[h].mtimecmp;
        return R_MTIMECMP;
    case ACLINT_MTIMECMPH:
        s->regs[R_MTIMECMPH] = s->harts[h].mtimecmp >> 32;
        return R_MTIMECMPH;
    default:
        return -1;
    }
}

/*
 * Reads: mtime follows the clock and mtimecmp is the addressed hart's
 * (kept across reset), so both are computed rather than stored.
 */
static uint64_t aclint_mtimer_mtime_read(Device *dev, const RegDesc *r)
{
    return aclint_mtimer_mtime(ACLINT_MTIMER(dev));
}

static uint64_t aclint_mtimer_mtimecmp_read(Device *dev, const RegDesc *r)
{
    AclintMtimerState *s = ACLINT_MTIMER(dev);

    return s->harts[s->sel].mtimecmp;
}

static uint64_t aclint_mtimer_mtimecmph_read(Device *dev, const RegDesc *r)
{
    AclintMtimerState *s = ACLINT_MTIMER(dev);

    return s->harts[s->sel].mtimecmp >> 32;
}

/* Every mtimecmp write re-evaluates that hart's MTIP and timer. */
static void aclint_mtimer_mtimecmp_post_write(Device *dev, const RegDesc *r,
                                              uint64_t old)
{
    AclintMtimerState *s = ACLINT_MTIMER(dev);
    AclintMtimerHart *t = &s->harts[s->sel];

    t->mtimecmp = s->regs[R_MTIMECMP];
    aclint_mtimer_update(t);
}

static void aclint_mtimer_mtimecmph_post_write(Device *dev, const RegDesc *r,
                                               uint64_t old)
{
    AclintMtimerState *s = ACLINT_MTIMER(dev);
    AclintMtimerHart *t = &s->harts[s->sel];

    t->mtimecmp = (t->mtimecmp & 0xffffffffu) | (s->regs[R_MTIMECMPH] << 32);
    aclint_mtimer_update(t);
}

/* An mtime write moves the time base and re-evaluates every hart. */
static void aclint_mtimer_mtime_post_write(Device *dev, const RegDesc *r,
                                           uint64_t old)
{
    AclintMtimerState *s = ACLINT_MTIMER(dev);

    s->time_delta = s->regs[R_MTIME] - aclint_mtimer_ticks();
    aclint_mtimer_update_all(s);
}

static const RegDesc aclint_mtimer_regs[R_MTIMER_NUM] = {
    [R_MTIMECMP] = REG(ACLINT, MTIMECMP, .width = 8, .rw = UINT64_MAX,
                       .read = aclint_mtimer_mtimecmp_read,
                       .post_write = aclint_mtimer_mtimecmp_post_write,
                       .desc = "timer compare of the hart at (offset / 8)"),
    [R_MTIMECMPH] = REG(ACLINT, MTIMECMPH, .width = 4, .rw = 0xffffffffu,
                        .read = aclint_mtimer_mtimecmph_read,
                        .post_write = aclint_mtimer_mtimecmph_post_write,
                        .desc = "bits 63:32 of the timer compare of the hart "
                                "at (offset / 8)"),
    [R_MTIME] = REG(ACLINT, MTIME, .width = 8, .rw = UINT64_MAX,
                    .read = aclint_mtimer_mtime_read,
                    .post_write = aclint_mtimer_mtime_post_write,
                    .desc = "machine time, 10 MHz"),
};

static bool aclint_mtimer_realize(Device *dev, GError **errp)
{
    AclintMtimerState *s = ACLINT_MTIMER(dev);

    if (!aclint_check_harts(TYPE_ACLINT_MTIMER, s->num_harts, errp)) {
        return false;
    }
    s->mtip = device_init_irq_out(dev, "mtip", s->num_harts);
    s->harts = g_new0(AclintMtimerHart, s->num_harts);
    for (unsigned h = 0; h < s->num_harts; h++) {
        s->harts[h].s = s;
        s->harts[h].index = h;
        s->harts[h].timer = timer_new(aclint_mtimer_expired, &s->harts[h]);
    }
    return true;
}

static void aclint_mtimer_unrealize(Device *dev)
{
    AclintMtimerState *s = ACLINT_MTIMER(dev);

    for (unsigned h = 0; s->harts && h < s->num_harts; h++) {
        timer_free(s->harts[h].timer);
    }
    g_free(s->harts);
    s->harts = NULL;
}

/*
 * Reset sets mtime to 0 and re-evaluates every hart; mtimecmp keeps its
 * value, so MTIP is high at power-on (mtimecmp = 0 = mtime).
 */
static void aclint_mtimer_reset(Device *dev)
{
    AclintMtimerState *s = ACLINT_MTIMER(dev);

    s->time_delta = -aclint_mtimer_ticks();
    aclint_mtimer_update_all(s);
}

/*
 * Device tree: nothing when part of a CLINT (see aclint_mswi_fdt_node);
 * alone, a riscv,aclint-mtimer node whose reg lists mtime, then the
 * mtimecmp array (QEMU's aclint=on layout).
 */
static bool aclint_mtimer_fdt_node(Device *dev, FdtContext *ctx, GError **errp)
{
    hwaddr base = 0;
    Device *mswi = NULL;
    const char *node;
    uint32_t reg[8] = {0};

    fdt_device_base(dev, &base);
    if (base >= ACLINT_MSWI_SIZE) {
        mswi = fdt_ctx_find_device_at(ctx, base - ACLINT_MSWI_SIZE);
    }
    if (mswi && object_dynamic_cast(&mswi->obj, TYPE_ACLINT_MSWI) &&
        ACLINT_MSWI(mswi)->sifive_clint) {
        return true;
    }
    node = fdt_ctx_add_device_node(ctx, dev, "mtimer");
    fdt_ctx_setprop_string(ctx, node, "compatible", "riscv,aclint-mtimer");
    reg[0] = (uint32_t)((base + ACLINT_MTIME) >> 32);
    reg[1] = (uint32_t)(base + ACLINT_MTIME);
    reg[3] = ACLINT_MTIMER_SIZE - ACLINT_MTIME;
    reg[4] = (uint32_t)(base >> 32);
    reg[5] = (uint32_t)base;
    reg[7] = ACLINT_MTIME;
    fdt_ctx_setprop_cells(ctx, node, "reg", reg, G_N_ELEMENTS(reg));
    fdt_ctx_set_irq_extended(ctx, node, dev, "mtip", NULL, NULL);
    return fdt_ctx_check(ctx, errp);
}

static const PropDesc aclint_mtimer_props[] = {
    PROP_U32_("num-harts", AclintMtimerState, num_harts, 1),
    PROP_END,
};

const DeviceClass aclint_mtimer_class = {
    .obj =
        {
            .name = TYPE_ACLINT_MTIMER,
            .parent = TYPE_DEVICE,
            .instance_size = sizeof(AclintMtimerState),
            .user_creatable = true,
            .desc = "RISC-V ACLINT machine timer (MTIMER)",
            .props = aclint_mtimer_props,
        },
    .regions =
        {
            REGION64("regs", ACLINT_MTIMER_SIZE, aclint_mtimer_regs,
                     AclintMtimerState, regs, .min_access = 4, .max_access = 8,
                     .select = aclint_mtimer_select),
        },
    .realize = aclint_mtimer_realize,
    .reset = aclint_mtimer_reset,
    .unrealize = aclint_mtimer_unrealize,
    .fdt_node = aclint_mtimer_fdt_node,
};

/* ---- SSWI --------------------------------------------------------------- */

enum { R_SSWI_SETSSIP, R_SSWI_NUM };

typedef struct AclintSswiState {
    Device parent; /* must be first */

    uint32_t num_harts; /* property */
    uint32_t regs[R_SSWI_NUM];
    unsigned sel; /* hart addressed by the current access */
    IrqGroup *ssip;
} AclintSswiState;

#define ACLINT_SSWI(dev) DEVICE_CAST(AclintSswiState, dev, &aclint_sswi_class)

static int aclint_sswi_select(Device *dev, hwaddr off, bool is_write)
{
    AclintSswiState *s = ACLINT_SSWI(dev);
    hwaddr h = (off - ACLINT_SETSSIP) / 4;

    if (off % 4 != 0 || h >= s->num_harts) {
        return -1;
    }
    s->sel = (unsigned)h;
    s->regs[R_SSWI_SETSSIP] = 0; /* reads return 0 */
    return R_SSWI_SETSSIP;
}

/*
 * Bit 0 = 1 sets hart h's SSIP: an edge on its line.  Nothing is stored
 * (reads return 0); writing 0 does nothing.
 */
static void aclint_sswi_write(Device *dev, const RegDesc *r, uint64_t val)
{
    AclintSswiState *s = ACLINT_SSWI(dev);

    if (val & ACLINT_SETSSIP_BIT) {
        irq_lower(&s->ssip->lines[s->sel]);
        irq_raise(&s->ssip->lines[s->sel]);
    }
}

static const RegDesc aclint_sswi_regs[R_SSWI_NUM] = {
    [R_SSWI_SETSSIP] = REG(ACLINT, SETSSIP, .write = aclint_sswi_write,
                           .desc = "writing bit 0 = 1 sets mip.SSIP of the "
                                   "hart at (offset / 4); reads 0"),
};

static bool aclint_sswi_realize(Device *dev, GError **errp)
{
    AclintSswiState *s = ACLINT_SSWI(dev);

    if (!aclint_check_harts(TYPE_ACLINT_SSWI, s->num_harts, errp)) {
        return false;
    }
    s->ssip = device_init_irq_out(dev, "ssip", s->num_harts);
    return true;
}

/* Device tree: QEMU 7.2's riscv,aclint-sswi node (aclint=on). */
static bool aclint_sswi_fdt_node(Device *dev, FdtContext *ctx, GError **errp)
{
    return aclint_swi_fdt_node(dev, ctx, "sswi", "riscv,aclint-sswi",
                               ACLINT_SSWI_SIZE, "ssip", errp);
}

static const PropDesc aclint_sswi_props[] = {
    PROP_U32_("num-harts", AclintSswiState, num_harts, 1),
    PROP_END,
};

const DeviceClass aclint_sswi_class = {
    .obj =
        {
            .name = TYPE_ACLINT_SSWI,
            .parent = TYPE_DEVICE,
            .instance_size = sizeof(AclintSswiState),
            .user_creatable = true,
            .desc = "RISC-V ACLINT supervisor software interrupts (SSWI)",
            .props = aclint_sswi_props,
        },
    .regions =
        {
            REGION32("regs", ACLINT_SSWI_SIZE, aclint_sswi_regs,
                     AclintSswiState, regs, .min_access = 4, .max_access = 4,
                     .select = aclint_sswi_select),
        },
    .realize = aclint_sswi_realize,
    .fdt_node = aclint_sswi_fdt_node,
};
