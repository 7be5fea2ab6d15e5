/* SPDX-License-Identifier: MIT */
/*
 * IRQ/GPIO lines with level propagation and interception.
 *
 * A line carries a level.  An input line has a handler (the device that
 * owns it); an output line forwards to at most one connected input.
 * irq_set_level() notifies only on change.  Interception (for qtest)
 * redirects a line to another handler without the device knowing.
 */
#pragma once

#include <stdbool.h>

typedef struct IrqLine IrqLine;

/** Called when an input line changes: @n is the line's index in its group. */
typedef void (*IrqHandler)(void *opaque, int n, bool level);

struct IrqLine {
    IrqHandler handler; /* input: owner's handler; output: NULL */
    void *opaque;
    int n;
    bool level;
    IrqLine *sink; /* output: connected input, or NULL */
    /* interception: when set, replaces handler/sink delivery */
    IrqHandler intercept;
    void *intercept_opaque;
    int intercept_n;
};

/** Initialises an input line delivering to @handler(@opaque, @n, level). */
void irq_init_in(IrqLine *line, IrqHandler handler, void *opaque, int n);

/** Initialises an unconnected output line, level low. */
void irq_init_out(IrqLine *line);

/** Connects output @out to input @in (replacing any earlier sink). */
void irq_connect(IrqLine *out, IrqLine *in);

/**
 * Sets the level of @line.  Output lines: if the level changed, store it and
 * deliver to the intercept handler if any, else to the sink.  Input lines:
 * always store and deliver to the intercept handler if any, else the handler.
 */
void irq_set_level(IrqLine *line, bool level);

static inline void irq_raise(IrqLine *line)
{
    irq_set_level(line, true);
}

static inline void irq_lower(IrqLine *line)
{
    irq_set_level(line, false);
}

/** Redirects @line to @handler(@opaque, @n, level); NULL clears it. */
void irq_intercept(IrqLine *line, IrqHandler handler, void *opaque, int n);
