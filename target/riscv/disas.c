/* SPDX-License-Identifier: MIT */
/*
 * The disassembler (see disas.h for the syntax).  The mnemonic is the
 * descriptor's name with '_' read as '.'; the operand layout follows the
 * descriptor's format, refined by the major opcode where one format has
 * several spellings (loads and JALR print "rd,imm(rs1)", shifts a hex
 * shift amount, FP instructions mix x and f registers).
 */
#include "target/riscv/disas.h"

#include <glib.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "target/riscv/cpu.h"
#include "target/riscv/insn.h"

static const char *const disas_xreg[32] = {
    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

static const char *const disas_freg[32] = {
    "ft0", "ft1", "ft2",  "ft3",  "ft4", "ft5", "ft6",  "ft7",
    "fs0", "fs1", "fa0",  "fa1",  "fa2", "fa3", "fa4",  "fa5",
    "fa6", "fa7", "fs2",  "fs3",  "fs4", "fs5", "fs6",  "fs7",
    "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
};

static const char *const disas_rm[8] = {
    "rne", "rtz", "rdn", "rup", "rmm", "unknown", "unknown", "dyn",
};

/* Major opcodes (bits 6:0) that change how a format is spelled */
#define OPC_LOAD    0x03
#define OPC_LOAD_FP 0x07
#define OPC_FENCE   0x0f
#define OPC_JALR    0x67
#define OPC_AMO     0x2f

unsigned riscv_insn_length(uint32_t lo)
{
    return (lo & 3) == 3 ? 4 : 2;
}

static bool disas_name_is(const char *name, const char *prefix)
{
    return g_str_has_prefix(name, prefix);
}

/* Mnemonic: '_' becomes '.', plus .aq/.rl/.aqrl for AMOs. */
static void disas_mnemonic(GString *out, const RiscvInsnDesc *d, uint32_t insn)
{
    for (const char *p = d->name; *p; p++) {
        g_string_append_c(out, *p == '_' ? '.' : *p);
    }
    if ((insn & 0x7f) == OPC_AMO) {
        static const char *const order[4] = {"", ".rl", ".aq", ".aqrl"};

        g_string_append(out, order[(insn >> 25) & 3]);
    }
}

static void disas_fence_set(GString *out, unsigned set)
{
    if (!set) {
        g_string_append(out, "unknown");
        return;
    }
    if (set & 8) {
        g_string_append_c(out, 'i');
    }
    if (set & 4) {
        g_string_append_c(out, 'o');
    }
    if (set & 2) {
        g_string_append_c(out, 'r');
    }
    if (set & 1) {
        g_string_append_c(out, 'w');
    }
}

static void disas_csr(GString *out, unsigned csrno)
{
    const char *name = riscv_csr_name(csrno);

    if (name) {
        g_string_append(out, name);
    } else {
        g_string_append_printf(out, "0x%x", csrno);
    }
}

/* Shifts and bit-index immediates print their amount in hex. */
static bool disas_hex_imm(const char *name)
{
    static const char *const names[] = {
        "slli",  "srli",  "srai",  "slliw", "srliw", "sraiw",   "rori",
        "roriw", "bclri", "bseti", "binvi", "bexti", "slli_uw",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        if (!strcmp(name, names[i])) {
            return true;
        }
    }
    return false;
}

/* I-format instructions with one register operand and no immediate. */
static bool disas_unary(const char *name)
{
    static const char *const names[] = {
        "clz",   "ctz",    "cpop",   "clzw",  "ctzw",
        "cpopw", "sext_b", "sext_h", "orc_b", "rev8",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        if (!strcmp(name, names[i])) {
            return true;
        }
    }
    return false;
}

/*
 * FP instructions (name starting with 'f', other than fence*): register
 * files of rd and rs1, number of sources and whether rm is an operand.
 */
static void disas_fp(GString *out, const char *name, uint32_t insn,
                     unsigned nsrc)
{
    bool rd_int = disas_name_is(name, "fcvt_w") ||
                  disas_name_is(name, "fcvt_l") ||
                  disas_name_is(name, "fmv_x") ||
                  disas_name_is(name, "fclass") || disas_name_is(name, "feq") ||
                  disas_name_is(name, "flt") || disas_name_is(name, "fle");
    bool rs1_int =
        disas_name_is(name, "fmv_w_x") || disas_name_is(name, "fmv_d_x") ||
        ((disas_name_is(name, "fcvt_s_") || disas_name_is(name, "fcvt_d_")) &&
         (name[7] == 'w' || name[7] == 'l'));
    unsigned rm = insn_rm(insn);
    /* rm is an operand where the result can be inexact (binutils' list) */
    bool has_rm =
        !disas_name_is(name, "fsgnj") && !disas_name_is(name, "fmin") &&
        !disas_name_is(name, "fmax") && !disas_name_is(name, "fmv") &&
        !disas_name_is(name, "fclass") && !disas_name_is(name, "feq") &&
        !disas_name_is(name, "flt") && !disas_name_is(name, "fle") &&
        strcmp(name, "fcvt_d_s") != 0 && strcmp(name, "fcvt_d_w") != 0 &&
        strcmp(name, "fcvt_d_wu") != 0;
    g_string_append_printf(out, "%s,%s",
                           (rd_int ? disas_xreg : disas_freg)[insn_rd(insn)],
                           (rs1_int ? disas_xreg : disas_freg)[insn_rs1(insn)]);
    if (nsrc >= 2) {
        g_string_append_printf(out, ",%s", disas_freg[insn_rs2(insn)]);
    }
    if (nsrc >= 3) {
        g_string_append_printf(out, ",%s", disas_freg[insn_rs3(insn)]);
    }
    if (has_rm && rm != 7) {
        g_string_append_printf(out, ",%s", disas_rm[rm]);
    }
}

static void disas_operands(GString *out, const RiscvInsnDesc *d, uint64_t pc,
                           uint32_t insn)
{
    const char *f = d->fmt;
    const char *name = d->name;
    unsigned opc = insn & 0x7f;
    const char *rd = disas_xreg[insn_rd(insn)];
    const char *rs1 = disas_xreg[insn_rs1(insn)];
    const char *rs2 = disas_xreg[insn_rs2(insn)];

    if (!strcmp(f, "U")) {
        g_string_append_printf(out, " %s,0x%x", rd, insn >> 12);
    } else if (!strcmp(f, "J")) {
        g_string_append_printf(out, " %s,0x%" PRIx64, rd,
                               pc + (uint64_t)insn_imm_j(insn));
    } else if (!strcmp(f, "B")) {
        g_string_append_printf(out, " %s,%s,0x%" PRIx64, rs1, rs2,
                               pc + (uint64_t)insn_imm_b(insn));
    } else if (!strcmp(f, "S")) {
        bool fp = opc == 0x27;

        g_string_append_printf(out, " %s,%" PRId64 "(%s)",
                               (fp ? disas_freg : disas_xreg)[insn_rs2(insn)],
                               insn_imm_s(insn), rs1);
    } else if (!strcmp(f, "CSR")) {
        g_string_append_printf(out, " %s,", rd);
        disas_csr(out, insn >> 20);
        if (insn & (1u << 14)) {
            g_string_append_printf(out, ",%u", insn_rs1(insn));
        } else {
            g_string_append_printf(out, ",%s", rs1);
        }
    } else if (!strcmp(f, "R4")) {
        g_string_append_c(out, ' ');
        disas_fp(out, name, insn, 3);
    } else if (!strcmp(f, "I")) {
        if (opc == OPC_LOAD || opc == OPC_LOAD_FP || opc == OPC_JALR) {
            g_string_append_printf(
                out, " %s,%" PRId64 "(%s)",
                (opc == OPC_LOAD_FP ? disas_freg : disas_xreg)[insn_rd(insn)],
                insn_imm_i(insn), rs1);
        } else if (opc == OPC_FENCE) {
            if (!strcmp(name, "fence")) {
                g_string_append_c(out, ' ');
                disas_fence_set(out, (insn >> 24) & 15);
                g_string_append_c(out, ',');
                disas_fence_set(out, (insn >> 20) & 15);
            }
        } else if (opc == 0x73) {
            /* ecall, ebreak, xret, wfi: no operands */
        } else if (disas_unary(name)) {
            g_string_append_printf(out, " %s,%s", rd, rs1);
        } else if (disas_hex_imm(name)) {
            unsigned shamt =
                (insn >> 20) &
                (opc == 0x1b && strcmp(name, "slli_uw") ? 0x1f : 0x3f);

            g_string_append_printf(out, " %s,%s,0x%x", rd, rs1, shamt);
        } else {
            g_string_append_printf(out, " %s,%s,%" PRId64, rd, rs1,
                                   insn_imm_i(insn));
        }
    } else if (name[0] == 'f' && strcmp(name, "sfence_vma") != 0) {
        bool one = disas_name_is(name, "fsqrt") ||
                   disas_name_is(name, "fcvt") || disas_name_is(name, "fmv") ||
                   disas_name_is(name, "fclass");

        g_string_append_c(out, ' ');
        disas_fp(out, name, insn, one ? 1 : 2);
    } else if (opc == OPC_AMO) {
        if (disas_name_is(name, "lr")) {
            g_string_append_printf(out, " %s,(%s)", rd, rs1);
        } else {
            g_string_append_printf(out, " %s,%s,(%s)", rd, rs2, rs1);
        }
    } else if (!strcmp(name, "zext_h")) {
        g_string_append_printf(out, " %s,%s", rd, rs1);
    } else if (!strcmp(name, "sfence_vma")) {
        g_string_append_printf(out, " %s,%s", rs1, rs2);
    } else {
        g_string_append_printf(out, " %s,%s,%s", rd, rs1, rs2);
    }
}

void riscv_disas(GString *out, uint64_t pc, uint32_t bits)
{
    uint32_t insn = bits;
    const RiscvInsnDesc *d;

    if ((bits & 3) != 3) {
        insn = riscv_expand_compressed((uint16_t)bits);
        if (!insn) {
            g_string_append_printf(out, ".2byte 0x%x", bits & 0xffff);
            return;
        }
    }
    d = riscv_decode(insn);
    if (!d) {
        g_string_append_printf(out, ".%ubyte 0x%x", riscv_insn_length(bits),
                               (bits & 3) == 3 ? bits : bits & 0xffff);
        return;
    }
    if (insn == 0x0100000f) { /* Zihintpause: FENCE W,0 */
        g_string_append(out, "pause");
        return;
    }
    if (!strcmp(d->name, "fence") && (insn & 0xfff0707f) == 0x8330000f) {
        g_string_append(out, "fence.tso");
        return;
    }
    disas_mnemonic(out, d, insn);
    disas_operands(out, d, pc, insn);
}
