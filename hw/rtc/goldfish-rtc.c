/* SPDX-License-Identifier: MIT */
/*
 * goldfish-rtc: nanoseconds since the Unix epoch, one alarm, one IRQ.
 *
 * Model interface:
 *   region  "regs"     0x24 bytes, 4-byte accesses only
 *   irq out "irq"      high while an alarm fired (until CLEAR_INTERRUPT)
 *                      and IRQ_ENABLED bit 0 is set
 *   prop    "clock"    what the counter follows: "host" (wall clock, the
 *                      default; runs while the VM is paused), "rt" (host
 *                      monotonic clock) or "vm" (virtual clock, for
 *                      deterministic tests)
 *   prop    "base-ns"  counter value at realize; the default
 *                      GOLDFISH_RTC_BASE_HOST takes the host wall clock in
 *                      whole seconds
 * Spec: spec/devices/goldfish-rtc.md (QEMU 7.2 hw/rtc/goldfish_rtc.c).
 * time = rtc clock ns + tick_offset; time writes move tick_offset.  Reset
 * cancels the alarm and the interrupt but keeps the time and the TIME_HIGH
 * latch.
 * Deviation: a time write re-evaluates an armed alarm against the new
 * time; QEMU keeps the old expiry on the rtc clock.
 */
#include "hw/rtc/goldfish-rtc.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "emu/clock.h"
#include "emu/device.h"
#include "emu/irq.h"
#include "emu/object.h"
#include "emu/regmap.h"
#include "hw/core/fdt.h"

#define NS_PER_SEC 1000000000LL

enum {
    R_TIME_LOW,
    R_TIME_HIGH,
    R_ALARM_LOW,
    R_ALARM_HIGH,
    R_IRQ_ENABLED,
    R_CLEAR_ALARM,
    R_ALARM_STATUS,
    R_CLEAR_INTERRUPT,
    R_NUM
};

typedef enum GoldfishRtcClock {
    GOLDFISH_RTC_CLOCK_HOST,
    GOLDFISH_RTC_CLOCK_RT,
    GOLDFISH_RTC_CLOCK_VM,
} GoldfishRtcClock;

typedef struct GoldfishRtcState {
    Device parent; /* must be first */

    char *clock_name; /* property */
    int64_t base_ns;  /* property */
    uint32_t regs[R_NUM];

    GoldfishRtcClock clock;
    uint64_t tick_offset; /* time = rtc clock ns + tick_offset */
    uint32_t time_high;   /* TIME_HIGH latch, kept across reset */
    bool irq_pending;
    EmuTimer *timer;   /* alarm on the virtual clock */
    guint host_source; /* alarm on a host clock (g_timeout source id) */
    IrqLine *irq;
} GoldfishRtcState;

#define GOLDFISH_RTC(dev)                                                      \
    DEVICE_CAST(GoldfishRtcState, dev, &goldfish_rtc_class)

static uint64_t goldfish_rtc_clock_ns(const GoldfishRtcState *s)
{
    switch (s->clock) {
    case GOLDFISH_RTC_CLOCK_VM:
        return (uint64_t)clock_get_ns();
    case GOLDFISH_RTC_CLOCK_RT:
        return (uint64_t)g_get_monotonic_time() * 1000;
    case GOLDFISH_RTC_CLOCK_HOST:
    default:
        return (uint64_t)g_get_real_time() * 1000;
    }
}

static uint64_t goldfish_rtc_time(const GoldfishRtcState *s)
{
    return goldfish_rtc_clock_ns(s) + s->tick_offset;
}

static uint64_t goldfish_rtc_alarm(const GoldfishRtcState *s)
{
    return ((uint64_t)s->regs[R_ALARM_HIGH] << 32) | s->regs[R_ALARM_LOW];
}

static void goldfish_rtc_update_irq(GoldfishRtcState *s)
{
    irq_set_level(s->irq, s->irq_pending && (s->regs[R_IRQ_ENABLED] &
                                             GOLDFISH_RTC_IRQ_ENABLED_BIT));
}

static void goldfish_rtc_cancel(GoldfishRtcState *s)
{
    timer_del(s->timer);
    if (s->host_source) {
        g_source_remove(s->host_source);
        s->host_source = 0;
    }
    s->regs[R_ALARM_STATUS] = 0;
}

static void goldfish_rtc_arm(GoldfishRtcState *s);

static gboolean goldfish_rtc_host_expired(gpointer opaque)
{
    GoldfishRtcState *s = opaque;

    s->host_source = 0;
    goldfish_rtc_arm(s);
    return G_SOURCE_REMOVE;
}

static void goldfish_rtc_vm_expired(void *opaque)
{
    goldfish_rtc_arm(opaque);
}

/*
 * Compares the alarm with the time: reached, it fires now (ALARM_STATUS 0,
 * interrupt pending); otherwise ALARM_STATUS is 1 and an event is due when
 * the time gets there.  An alarm the virtual clock can never reach stays
 * armed without an event.
 */
static void goldfish_rtc_arm(GoldfishRtcState *s)
{
    uint64_t alarm = goldfish_rtc_alarm(s);
    uint64_t now = goldfish_rtc_time(s);
    uint64_t diff;

    goldfish_rtc_cancel(s);
    if (alarm <= now) {
        s->irq_pending = true;
        goldfish_rtc_update_irq(s);
        return;
    }
    s->regs[R_ALARM_STATUS] = 1;
    diff = alarm - now;
    if (s->clock == GOLDFISH_RTC_CLOCK_VM) {
        uint64_t clk = (uint64_t)clock_get_ns();

        if (diff <= (uint64_t)INT64_MAX - clk) {
            timer_mod(s->timer, (int64_t)(clk + diff));
        }
    } else {
        uint64_t ms = diff / 1000000 + (diff % 1000000 != 0);

        s->host_source = g_timeout_add((guint)MIN(ms, (uint64_t)G_MAXUINT),
                                       goldfish_rtc_host_expired, s);
    }
}

/* TIME_LOW (read): bits 31:0 of the time; latches bits 63:32. */
static uint64_t goldfish_rtc_time_low_read(Device *dev, const RegDesc *r)
{
    GoldfishRtcState *s = GOLDFISH_RTC(dev);
    uint64_t now = goldfish_rtc_time(s);

    s->time_high = (uint32_t)(now >> 32);
    return (uint32_t)now;
}

/* TIME_HIGH (read): the latch of the last TIME_LOW read. */
static uint64_t goldfish_rtc_time_high_read(Device *dev, const RegDesc *r)
{
    return GOLDFISH_RTC(dev)->time_high;
}

/* Replaces bits @shift+31..@shift of the current time. */
static void goldfish_rtc_set_time_half(GoldfishRtcState *s, unsigned shift,
                                       uint64_t val)
{
    uint64_t now = goldfish_rtc_time(s);
    uint64_t mask = (uint64_t)0xffffffffu << shift;
    uint64_t next = (now & ~mask) | ((val << shift) & mask);

    s->tick_offset += next - now;
    if (s->regs[R_ALARM_STATUS]) {
        goldfish_rtc_arm(s);
    }
}

static void goldfish_rtc_time_low_write(Device *dev, const RegDesc *r,
                                        uint64_t val)
{
    goldfish_rtc_set_time_half(GOLDFISH_RTC(dev), 0, val);
}

static void goldfish_rtc_time_high_write(Device *dev, const RegDesc *r,
                                         uint64_t val)
{
    goldfish_rtc_set_time_half(GOLDFISH_RTC(dev), 32, val);
}

/* ALARM_LOW arms the alarm (ALARM_HIGH only stores). */
static void goldfish_rtc_alarm_low_post_write(Device *dev, const RegDesc *r,
                                              uint64_t old)
{
    goldfish_rtc_arm(GOLDFISH_RTC(dev));
}

static void goldfish_rtc_irq_enabled_post_write(Device *dev, const RegDesc *r,
                                                uint64_t old)
{
    goldfish_rtc_update_irq(GOLDFISH_RTC(dev));
}

/* CLEAR_ALARM: cancels the alarm; a pending interrupt stays. */
static void goldfish_rtc_clear_alarm_write(Device *dev, const RegDesc *r,
                                           uint64_t val)
{
    goldfish_rtc_cancel(GOLDFISH_RTC(dev));
}

static void goldfish_rtc_clear_interrupt_write(Device *dev, const RegDesc *r,
                                               uint64_t val)
{
    GoldfishRtcState *s = GOLDFISH_RTC(dev);

    s->irq_pending = false;
    goldfish_rtc_update_irq(s);
}

static const RegDesc goldfish_rtc_regs[R_NUM] = {
    [R_TIME_LOW] =
        REG(GOLDFISH_RTC, TIME_LOW, .read = goldfish_rtc_time_low_read,
            .write = goldfish_rtc_time_low_write,
            .desc = "time bits 31:0 (read latches TIME_HIGH)"),
    [R_TIME_HIGH] =
        REG(GOLDFISH_RTC, TIME_HIGH, .read = goldfish_rtc_time_high_read,
            .write = goldfish_rtc_time_high_write,
            .desc = "read: latched time bits 63:32; write: set "
                    "time bits 63:32"),
    [R_ALARM_LOW] = REG(GOLDFISH_RTC, ALARM_LOW, .rw = 0xffffffffu,
                        .post_write = goldfish_rtc_alarm_low_post_write,
                        .desc = "alarm bits 31:0; writing arms the alarm"),
    [R_ALARM_HIGH] = REG(GOLDFISH_RTC, ALARM_HIGH, .rw = 0xffffffffu,
                         .desc = "alarm bits 63:32"),
    [R_IRQ_ENABLED] =
        REG(GOLDFISH_RTC, IRQ_ENABLED, .rw = GOLDFISH_RTC_IRQ_ENABLED_BIT,
            .post_write = goldfish_rtc_irq_enabled_post_write,
            .desc = "interrupt enable"),
    [R_CLEAR_ALARM] = REG(GOLDFISH_RTC, CLEAR_ALARM, .access = REG_W,
                          .write = goldfish_rtc_clear_alarm_write,
                          .desc = "any write cancels the alarm"),
    [R_ALARM_STATUS] = REG(GOLDFISH_RTC, ALARM_STATUS, .access = REG_R,
                           .desc = "1 while the alarm is armed"),
    [R_CLEAR_INTERRUPT] = REG(GOLDFISH_RTC, CLEAR_INTERRUPT, .access = REG_W,
                              .write = goldfish_rtc_clear_interrupt_write,
                              .desc = "any write clears the pending "
                                      "interrupt"),
};

bool goldfish_rtc_parse_base(const char *base, int64_t *base_ns, GError **errp)
{
    int y, mo, d, h = 0, mi = 0, sec = 0;
    char tail;
    g_autoptr(GDateTime) dt = NULL;

    if (!base || strcmp(base, "utc") == 0) {
        *base_ns = GOLDFISH_RTC_BASE_HOST;
        return true;
    }
    if (strcmp(base, "localtime") == 0) {
        g_autoptr(GDateTime) now = g_date_time_new_now_local();

        *base_ns = (g_date_time_to_unix(now) +
                    g_date_time_get_utc_offset(now) / G_TIME_SPAN_SECOND) *
                   NS_PER_SEC;
        return true;
    }
    if (sscanf(base, "%d-%d-%dT%d:%d:%d%c", &y, &mo, &d, &h, &mi, &sec,
               &tail) == 6 ||
        sscanf(base, "%d-%d-%d%c", &y, &mo, &d, &tail) == 3) {
        dt = g_date_time_new_utc(y, mo, d, h, mi, sec);
    }
    if (!dt) {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "invalid datetime format\nvalid formats: "
                    "'2006-06-17T16:01:21' or '2006-06-17'");
        return false;
    }
    *base_ns = g_date_time_to_unix(dt) * NS_PER_SEC;
    return true;
}

static bool goldfish_rtc_realize(Device *dev, GError **errp)
{
    GoldfishRtcState *s = GOLDFISH_RTC(dev);
    const char *name = s->clock_name ? s->clock_name : "host";
    uint64_t start;

    if (strcmp(name, "host") == 0) {
        s->clock = GOLDFISH_RTC_CLOCK_HOST;
    } else if (strcmp(name, "rt") == 0) {
        s->clock = GOLDFISH_RTC_CLOCK_RT;
    } else if (strcmp(name, "vm") == 0) {
        s->clock = GOLDFISH_RTC_CLOCK_VM;
    } else {
        g_set_error(errp, EMU_ERROR, EMU_ERROR_GENERIC,
                    "Property '%s.clock' doesn't take value '%s' (host, "
                    "rt or vm)",
                    TYPE_GOLDFISH_RTC, name);
        return false;
    }
    if (s->base_ns == GOLDFISH_RTC_BASE_HOST) {
        /* Whole seconds, as QEMU: up to 1 s behind the host. */
        start = (uint64_t)(g_get_real_time() / G_USEC_PER_SEC) * NS_PER_SEC;
    } else {
        start = (uint64_t)s->base_ns;
    }
    s->tick_offset = start - goldfish_rtc_clock_ns(s);
    s->irq = device_irq_out(dev, "irq");
    g_assert(s->irq);
    s->timer = timer_new(goldfish_rtc_vm_expired, s);
    return true;
}

static void goldfish_rtc_unrealize(Device *dev)
{
    GoldfishRtcState *s = GOLDFISH_RTC(dev);

    goldfish_rtc_cancel(s);
    timer_free(s->timer);
    s->timer = NULL;
}

/* Registers are back at reset values: no alarm, interrupt disabled. */
static void goldfish_rtc_reset(Device *dev)
{
    GoldfishRtcState *s = GOLDFISH_RTC(dev);

    goldfish_rtc_cancel(s);
    s->irq_pending = false;
    goldfish_rtc_update_irq(s);
}

/* Device tree (QEMU 7.2 virt): a 0x1000-byte window, 0x24 bytes decode. */
#define GOLDFISH_RTC_FDT_SIZE 0x1000

static bool goldfish_rtc_fdt_node(Device *dev, FdtContext *ctx, GError **errp)
{
    const char *node = fdt_ctx_add_device_node(ctx, dev, "rtc");
    hwaddr base = 0;

    fdt_device_base(dev, &base);
    fdt_ctx_setprop_string(ctx, node, "compatible", "google,goldfish-rtc");
    fdt_ctx_setprop_reg(ctx, node, base, GOLDFISH_RTC_FDT_SIZE);
    fdt_ctx_set_interrupts(ctx, node, dev, "irq");
    return fdt_ctx_check(ctx, errp);
}

static const PropDesc goldfish_rtc_props[] = {
    PROP_STR_("clock", GoldfishRtcState, clock_name, "host"),
    {.name = "base-ns",
     .type = PROP_I64,
     .offset = offsetof(GoldfishRtcState, base_ns),
     .def_i = GOLDFISH_RTC_BASE_HOST,
     .desc = "time in ns since the epoch at realize (default: host clock)"},
    PROP_END,
};

const DeviceClass goldfish_rtc_class = {
    .obj =
        {
            .name = TYPE_GOLDFISH_RTC,
            .parent = TYPE_DEVICE,
            .instance_size = sizeof(GoldfishRtcState),
            .user_creatable = true,
            .desc = "Goldfish RTC",
            .props = goldfish_rtc_props,
        },
    .regions =
        {
            REGION32("regs", GOLDFISH_RTC_SIZE, goldfish_rtc_regs,
                     GoldfishRtcState, regs, .min_access = 4, .max_access = 4),
        },
    .irq_out = {"irq"},
    .realize = goldfish_rtc_realize,
    .reset = goldfish_rtc_reset,
    .unrealize = goldfish_rtc_unrealize,
    .fdt_node = goldfish_rtc_fdt_node,
};
