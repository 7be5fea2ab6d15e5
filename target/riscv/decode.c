/* SPDX-License-Identifier: MIT */
/*
 * The decoder: a lookup table built once from riscv_insns[] (every
 * insn-*.def), and the RV64C expander.
 *
 * Lookup: 32-bit instructions are bucketed by major opcode (bits 6:2) and
 * funct3 (bits 14:12); an instruction whose mask does not fix funct3 (LUI,
 * JAL, ...) sits in all eight funct3 buckets of its opcode.  A bucket is
 * scanned linearly; the .def files have no overlapping encodings (a unit
 * test checks it), so the first hit is the only one.
 *
 * RVC: riscv_expand_compressed() maps each 16-bit parcel to the 32-bit
 * instruction it stands for (unprivileged spec ch. 16, RV64 mapping) or to 0
 * for reserved encodings (riscv-hart.md §9).  HINTs expand to ordinary
 * instructions that write x0, so they execute as no-ops.
 */
#include "target/riscv/insn.h"

#include <glib.h>
#include <stdint.h>

#define DECODE_BUCKETS 256

static GPtrArray *decode_buckets[DECODE_BUCKETS];

static unsigned decode_bucket_of(uint32_t insn)
{
    return (((insn >> 2) & 31) << 3) | ((insn >> 12) & 7);
}

static void decode_build(void)
{
    for (unsigned b = 0; b < DECODE_BUCKETS; b++) {
        decode_buckets[b] = g_ptr_array_new();
    }
    for (unsigned i = 0; i < riscv_insn_count; i++) {
        const RiscvInsnDesc *d = &riscv_insns[i];

        if ((d->match & 3) != 3) {
            continue;
        }
        for (unsigned b = 0; b < DECODE_BUCKETS; b++) {
            uint32_t bits = 3u | ((b >> 3) << 2) | ((b & 7u) << 12);

            if (((bits ^ d->match) & d->mask & 0x707fu) == 0) {
                g_ptr_array_add(decode_buckets[b], (gpointer)d);
            }
        }
    }
}

const RiscvInsnDesc *riscv_decode(uint32_t insn)
{
    static gsize built;
    GPtrArray *bucket;

    if (g_once_init_enter(&built)) {
        decode_build();
        g_once_init_leave(&built, 1);
    }
    if ((insn & 3) != 3) {
        return NULL;
    }
    bucket = decode_buckets[decode_bucket_of(insn)];
    for (guint i = 0; i < bucket->len; i++) {
        const RiscvInsnDesc *d = g_ptr_array_index(bucket, i);

        if ((insn & d->mask) == d->match) {
            return d;
        }
    }
    return NULL;
}

/* ---- RVC expansion ---- */

/* Major opcodes of the 32-bit forms */
#define OP_LOAD     0x03
#define OP_LOAD_FP  0x07
#define OP_IMM      0x13
#define OP_IMM_32   0x1b
#define OP_STORE    0x23
#define OP_STORE_FP 0x27
#define OP_OP       0x33
#define OP_LUI      0x37
#define OP_OP_32    0x3b
#define OP_BRANCH   0x63
#define OP_JALR     0x67
#define OP_JAL      0x6f
#define OP_SYSTEM   0x73

static uint32_t enc_i(unsigned op, unsigned rd, unsigned f3, unsigned rs1,
                      int32_t imm)
{
    return ((uint32_t)imm << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}

static uint32_t enc_s(unsigned op, unsigned f3, unsigned rs1, unsigned rs2,
                      int32_t imm)
{
    uint32_t u = (uint32_t)imm;

    return ((u >> 5 & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
           ((u & 0x1f) << 7) | op;
}

static uint32_t enc_r(unsigned op, unsigned rd, unsigned f3, unsigned rs1,
                      unsigned rs2, unsigned f7)
{
    return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}

static uint32_t enc_b(unsigned f3, unsigned rs1, unsigned rs2, int32_t imm)
{
    uint32_t u = (uint32_t)imm;

    return ((u >> 12 & 1) << 31) | ((u >> 5 & 0x3f) << 25) | (rs2 << 20) |
           (rs1 << 15) | (f3 << 12) | ((u >> 1 & 0xf) << 8) |
           ((u >> 11 & 1) << 7) | OP_BRANCH;
}

static uint32_t enc_j(unsigned rd, int32_t imm)
{
    uint32_t u = (uint32_t)imm;

    return ((u >> 20 & 1) << 31) | ((u >> 1 & 0x3ff) << 21) |
           ((u >> 11 & 1) << 20) | ((u >> 12 & 0xff) << 12) | (rd << 7) |
           OP_JAL;
}

static inline unsigned cbit(uint16_t c, unsigned bit)
{
    return (c >> bit) & 1;
}

static inline unsigned cbits(uint16_t c, unsigned hi, unsigned lo)
{
    return (c >> lo) & ((1u << (hi - lo + 1)) - 1);
}

/* Sign-extends the low @bits bits of @v. */
static inline int32_t sext(uint32_t v, unsigned bits)
{
    return (int32_t)(v << (32 - bits)) >> (32 - bits);
}

/* Register fields: full 5-bit and the 3-bit x8..x15 forms */
#define C_RD   cbits(c, 11, 7)
#define C_RS2  cbits(c, 6, 2)
#define C_RDP  (cbits(c, 4, 2) + 8)
#define C_RS1P (cbits(c, 9, 7) + 8)

/* 6-bit immediate imm[5] = bit 12, imm[4:0] = bits 6:2 */
static inline uint32_t c_imm6(uint16_t c)
{
    return (cbit(c, 12) << 5) | cbits(c, 6, 2);
}

/* C.LD/C.SD/C.FLD/C.FSD offset: uimm[5:3] = 12:10, uimm[7:6] = 6:5 */
static inline int32_t c_uimm_d(uint16_t c)
{
    return (int32_t)((cbits(c, 12, 10) << 3) | (cbits(c, 6, 5) << 6));
}

/* C.LW/C.SW offset: uimm[5:3] = 12:10, uimm[2] = 6, uimm[6] = 5 */
static inline int32_t c_uimm_w(uint16_t c)
{
    return (int32_t)((cbits(c, 12, 10) << 3) | (cbit(c, 6) << 2) |
                     (cbit(c, 5) << 6));
}

static uint32_t expand_q0(uint16_t c)
{
    switch (cbits(c, 15, 13)) {
    case 0: { /* C.ADDI4SPN: nzuimm[5:4|9:6|2|3] = 12:11|10:7|6|5 */
        uint32_t imm = (cbits(c, 12, 11) << 4) | (cbits(c, 10, 7) << 6) |
                       (cbit(c, 6) << 2) | (cbit(c, 5) << 3);

        if (imm == 0) {
            return 0; /* incl. c.illegal 0x0000 */
        }
        return enc_i(OP_IMM, C_RDP, 0, 2, (int32_t)imm);
    }
    case 1: /* C.FLD */
        return enc_i(OP_LOAD_FP, C_RDP, 3, C_RS1P, c_uimm_d(c));
    case 2: /* C.LW */
        return enc_i(OP_LOAD, C_RDP, 2, C_RS1P, c_uimm_w(c));
    case 3: /* C.LD */
        return enc_i(OP_LOAD, C_RDP, 3, C_RS1P, c_uimm_d(c));
    case 5: /* C.FSD */
        return enc_s(OP_STORE_FP, 3, C_RS1P, C_RDP, c_uimm_d(c));
    case 6: /* C.SW */
        return enc_s(OP_STORE, 2, C_RS1P, C_RDP, c_uimm_w(c));
    case 7: /* C.SD */
        return enc_s(OP_STORE, 3, C_RS1P, C_RDP, c_uimm_d(c));
    default: /* 4: reserved */
        return 0;
    }
}

static uint32_t expand_q1_arith(uint16_t c)
{
    unsigned rd = C_RS1P;
    unsigned shamt = c_imm6(c);

    switch (cbits(c, 11, 10)) {
    case 0: /* C.SRLI */
        return enc_i(OP_IMM, rd, 5, rd, (int32_t)shamt);
    case 1: /* C.SRAI */
        return enc_i(OP_IMM, rd, 5, rd, (int32_t)(shamt | 0x400));
    case 2: /* C.ANDI */
        return enc_i(OP_IMM, rd, 7, rd, sext(c_imm6(c), 6));
    default:
        break;
    }
    if (!cbit(c, 12)) {
        static const unsigned f3[4] = {0, 4, 6, 7}; /* SUB XOR OR AND */

        return enc_r(OP_OP, rd, f3[cbits(c, 6, 5)], rd, C_RDP,
                     cbits(c, 6, 5) == 0 ? 0x20 : 0);
    }
    switch (cbits(c, 6, 5)) {
    case 0: /* C.SUBW */
        return enc_r(OP_OP_32, rd, 0, rd, C_RDP, 0x20);
    case 1: /* C.ADDW */
        return enc_r(OP_OP_32, rd, 0, rd, C_RDP, 0);
    default: /* reserved */
        return 0;
    }
}

static uint32_t expand_q1(uint16_t c)
{
    unsigned rd = C_RD;

    switch (cbits(c, 15, 13)) {
    case 0: /* C.ADDI (C.NOP and HINTs included) */
        return enc_i(OP_IMM, rd, 0, rd, sext(c_imm6(c), 6));
    case 1: /* C.ADDIW (RV64) */
        if (rd == 0) {
            return 0;
        }
        return enc_i(OP_IMM_32, rd, 0, rd, sext(c_imm6(c), 6));
    case 2: /* C.LI */
        return enc_i(OP_IMM, rd, 0, 0, sext(c_imm6(c), 6));
    case 3:
        if (rd == 2) {
            /* C.ADDI16SP: nzimm[9|4|6|8:7|5] = 12|6|5|4:3|2 */
            uint32_t imm = (cbit(c, 12) << 9) | (cbit(c, 6) << 4) |
                           (cbit(c, 5) << 6) | (cbits(c, 4, 3) << 7) |
                           (cbit(c, 2) << 5);

            if (imm == 0) {
                return 0;
            }
            return enc_i(OP_IMM, 2, 0, 2, sext(imm, 10));
        }
        /* C.LUI: nzimm[17|16:12] = 12|6:2 */
        if (c_imm6(c) == 0) {
            return 0;
        }
        return ((uint32_t)sext(c_imm6(c), 6) << 12) | (rd << 7) | OP_LUI;
    case 4:
        return expand_q1_arith(c);
    case 5: { /* C.J: offset[11|4|9:8|10|6|7|3:1|5] = 12|11|10:9|8|7|6|5:3|2 */
        uint32_t imm = (cbit(c, 12) << 11) | (cbit(c, 11) << 4) |
                       (cbits(c, 10, 9) << 8) | (cbit(c, 8) << 10) |
                       (cbit(c, 7) << 6) | (cbit(c, 6) << 7) |
                       (cbits(c, 5, 3) << 1) | (cbit(c, 2) << 5);

        return enc_j(0, sext(imm, 12));
    }
    default: { /* 6 C.BEQZ, 7 C.BNEZ: offset[8|4:3|7:6|2:1|5] */
        uint32_t imm = (cbit(c, 12) << 8) | (cbits(c, 11, 10) << 3) |
                       (cbits(c, 6, 5) << 6) | (cbits(c, 4, 3) << 1) |
                       (cbit(c, 2) << 5);

        return enc_b(cbits(c, 15, 13) == 6 ? 0 : 1, C_RS1P, 0, sext(imm, 9));
    }
    }
}

static uint32_t expand_q2(uint16_t c)
{
    unsigned rd = C_RD;
    unsigned rs2 = C_RS2;

    switch (cbits(c, 15, 13)) {
    case 0: /* C.SLLI */
        return enc_i(OP_IMM, rd, 1, rd, (int32_t)c_imm6(c));
    case 1: /* C.FLDSP: uimm[5] = 12, [4:3] = 6:5, [8:6] = 4:2 */
        return enc_i(OP_LOAD_FP, rd, 3, 2,
                     (int32_t)((cbit(c, 12) << 5) | (cbits(c, 6, 5) << 3) |
                               (cbits(c, 4, 2) << 6)));
    case 2: /* C.LWSP: uimm[5] = 12, [4:2] = 6:4, [7:6] = 3:2 */
        if (rd == 0) {
            return 0;
        }
        return enc_i(OP_LOAD, rd, 2, 2,
                     (int32_t)((cbit(c, 12) << 5) | (cbits(c, 6, 4) << 2) |
                               (cbits(c, 3, 2) << 6)));
    case 3: /* C.LDSP */
        if (rd == 0) {
            return 0;
        }
        return enc_i(OP_LOAD, rd, 3, 2,
                     (int32_t)((cbit(c, 12) << 5) | (cbits(c, 6, 5) << 3) |
                               (cbits(c, 4, 2) << 6)));
    case 4:
        if (!cbit(c, 12)) {
            if (rs2 == 0) { /* C.JR */
                if (rd == 0) {
                    return 0;
                }
                return enc_i(OP_JALR, 0, 0, rd, 0);
            }
            return enc_r(OP_OP, rd, 0, 0, rs2, 0); /* C.MV */
        }
        if (rs2 == 0) {
            if (rd == 0) { /* C.EBREAK */
                return 0x00100073;
            }
            return enc_i(OP_JALR, 1, 0, rd, 0); /* C.JALR */
        }
        return enc_r(OP_OP, rd, 0, rd, rs2, 0); /* C.ADD */
    case 5: /* C.FSDSP: uimm[5:3] = 12:10, [8:6] = 9:7 */
        return enc_s(
            OP_STORE_FP, 3, 2, rs2,
            (int32_t)((cbits(c, 12, 10) << 3) | (cbits(c, 9, 7) << 6)));
    case 6: /* C.SWSP: uimm[5:2] = 12:9, [7:6] = 8:7 */
        return enc_s(OP_STORE, 2, 2, rs2,
                     (int32_t)((cbits(c, 12, 9) << 2) | (cbits(c, 8, 7) << 6)));
    default: /* C.SDSP */
        return enc_s(
            OP_STORE, 3, 2, rs2,
            (int32_t)((cbits(c, 12, 10) << 3) | (cbits(c, 9, 7) << 6)));
    }
}

uint32_t riscv_expand_compressed(uint16_t c)
{
    switch (c & 3) {
    case 0:
        return expand_q0(c);
    case 1:
        return expand_q1(c);
    case 2:
        return expand_q2(c);
    default:
        return 0; /* not a compressed parcel */
    }
}
