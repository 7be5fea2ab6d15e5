/* SPDX-License-Identifier: MIT */
/*
 * NS16550A UART (QEMU "serial-mm" flavour): offsets and field masks shared
 * by boards and tests.  Registers are 8 bits wide at 1-byte spacing.
 */
#pragma once

#include "emu/device.h"

#define TYPE_NS16550A "ns16550a"

extern const DeviceClass ns16550a_class;

/* Size of the decoded register window. */
#define NS16550A_REGS_SIZE 8

/* Depth of the receive and transmit FIFOs. */
#define NS16550A_FIFO_SIZE 16

/* Offsets; DLL/DLM replace RBR-THR/IER while LCR.DLAB is set. */
#define NS16550A_RBR 0 /* read, DLAB=0 */
#define NS16550A_THR 0 /* write, DLAB=0 */
#define NS16550A_IER 1 /* DLAB=0 */
#define NS16550A_IIR 2 /* read */
#define NS16550A_FCR 2 /* write */
#define NS16550A_LCR 3
#define NS16550A_MCR 4
#define NS16550A_LSR 5
#define NS16550A_MSR 6
#define NS16550A_SCR 7
#define NS16550A_DLL 0 /* DLAB=1 */
#define NS16550A_DLM 1 /* DLAB=1 */

/* IER */
#define NS16550A_IER_ERBFI (1u << 0) /* received data / char timeout */
#define NS16550A_IER_ETBEI (1u << 1) /* THR empty */
#define NS16550A_IER_ELSI  (1u << 2) /* receiver line status */
#define NS16550A_IER_EDSSI (1u << 3) /* modem status */
#define NS16550A_IER_MASK  0x0fu

/* IIR */
#define NS16550A_IIR_NO_INT  0x01u /* bit 0: 1 = nothing pending */
#define NS16550A_IIR_ID      0x0eu /* bits 3:1 */
#define NS16550A_IIR_MSI     0x00u /* modem status */
#define NS16550A_IIR_THRI    0x02u /* THR empty */
#define NS16550A_IIR_RDI     0x04u /* received data available */
#define NS16550A_IIR_RLSI    0x06u /* receiver line status */
#define NS16550A_IIR_CTI     0x0cu /* character timeout */
#define NS16550A_IIR_FIFO_EN 0xc0u /* bits 7:6 when FCR.FE */

/* FCR */
#define NS16550A_FCR_FE     (1u << 0) /* FIFO enable */
#define NS16550A_FCR_RFR    (1u << 1) /* RX FIFO reset, self-clearing */
#define NS16550A_FCR_XFR    (1u << 2) /* TX FIFO reset, self-clearing */
#define NS16550A_FCR_DMS    (1u << 3) /* DMA mode select, stored only */
#define NS16550A_FCR_ITL    0xc0u     /* RX trigger level */
#define NS16550A_FCR_ITL_1  0x00u
#define NS16550A_FCR_ITL_4  0x40u
#define NS16550A_FCR_ITL_8  0x80u
#define NS16550A_FCR_ITL_14 0xc0u
#define NS16550A_FCR_STORED 0xc9u /* FE | DMS | ITL */

/* LCR */
#define NS16550A_LCR_WLS  0x03u     /* word length - 5 */
#define NS16550A_LCR_STB  (1u << 2) /* 2 stop bits */
#define NS16550A_LCR_PEN  (1u << 3) /* parity enable */
#define NS16550A_LCR_EPS  (1u << 4) /* even parity */
#define NS16550A_LCR_SP   (1u << 5) /* stick parity */
#define NS16550A_LCR_BC   (1u << 6) /* break control */
#define NS16550A_LCR_DLAB (1u << 7) /* divisor latch access */

/* MCR */
#define NS16550A_MCR_DTR  (1u << 0)
#define NS16550A_MCR_RTS  (1u << 1)
#define NS16550A_MCR_OUT1 (1u << 2)
#define NS16550A_MCR_OUT2 (1u << 3)
#define NS16550A_MCR_LOOP (1u << 4)
#define NS16550A_MCR_MASK 0x1fu

/* LSR */
#define NS16550A_LSR_DR      (1u << 0) /* data ready */
#define NS16550A_LSR_OE      (1u << 1) /* overrun */
#define NS16550A_LSR_PE      (1u << 2) /* parity error, never set */
#define NS16550A_LSR_FE      (1u << 3) /* framing error, never set */
#define NS16550A_LSR_BI      (1u << 4) /* break interrupt */
#define NS16550A_LSR_THRE    (1u << 5) /* THR / TX FIFO empty */
#define NS16550A_LSR_TEMT    (1u << 6) /* transmitter empty */
#define NS16550A_LSR_RXFE    (1u << 7) /* RX FIFO error, never set */
#define NS16550A_LSR_INT_ANY 0x1eu     /* OE | PE | FE | BI */

/* MSR */
#define NS16550A_MSR_DCTS      (1u << 0)
#define NS16550A_MSR_DDSR      (1u << 1)
#define NS16550A_MSR_TERI      (1u << 2)
#define NS16550A_MSR_DDCD      (1u << 3)
#define NS16550A_MSR_CTS       (1u << 4)
#define NS16550A_MSR_DSR       (1u << 5)
#define NS16550A_MSR_RI        (1u << 6)
#define NS16550A_MSR_DCD       (1u << 7)
#define NS16550A_MSR_ANY_DELTA 0x0fu

/* QEMU's baudbase for serial-mm on virt: baud = 399193 / divisor. */
#define NS16550A_BAUDBASE 399193
