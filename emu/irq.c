/* SPDX-License-Identifier: MIT */
/*
 * IRQ/GPIO lines.  An output line remembers its level and notifies only on
 * a change; an input line delivers every level it is given (the owning
 * device decides what a repeated level means).  Interception replaces the
 * normal delivery of either kind while it is set.
 */
#include "emu/irq.h"

#include <glib.h>
#include <stddef.h>

void irq_init_in(IrqLine *line, IrqHandler handler, void *opaque, int n)
{
    g_assert(handler);
    *line = (IrqLine){.handler = handler, .opaque = opaque, .n = n};
}

void irq_init_out(IrqLine *line)
{
    *line = (IrqLine){0};
}

void irq_connect(IrqLine *out, IrqLine *in)
{
    g_assert(!out->handler);
    out->sink = in;
}

void irq_set_level(IrqLine *line, bool level)
{
    if (!line) {
        return; /* as qemu_set_irq(NULL, ...) */
    }
    if (!line->handler) {
        /* output line */
        if (line->level == level) {
            return;
        }
        line->level = level;
        if (line->intercept) {
            line->intercept(line->intercept_opaque, line->intercept_n, level);
        } else if (line->sink) {
            irq_set_level(line->sink, level);
        }
        return;
    }
    line->level = level;
    if (line->intercept) {
        line->intercept(line->intercept_opaque, line->intercept_n, level);
    } else {
        line->handler(line->opaque, line->n, level);
    }
}

void irq_intercept(IrqLine *line, IrqHandler handler, void *opaque, int n)
{
    line->intercept = handler;
    line->intercept_opaque = handler ? opaque : NULL;
    line->intercept_n = handler ? n : 0;
}
