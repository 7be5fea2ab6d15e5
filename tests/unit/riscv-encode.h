/* SPDX-License-Identifier: MIT */
/*
 * RV64 instruction encoders shared by the hart unit tests: each returns
 * the 32-bit instruction for its format's fields (immediates as signed
 * byte offsets where the format scales them).
 */
#pragma once

#include <stdint.h>

static inline uint32_t enc_r(unsigned f7, unsigned rs2, unsigned rs1,
                             unsigned f3, unsigned rd, unsigned op)
{
    return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}

static inline uint32_t enc_i(int32_t imm, unsigned rs1, unsigned f3,
                             unsigned rd, unsigned op)
{
    return ((uint32_t)imm << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}

static inline uint32_t enc_s(int32_t imm, unsigned rs2, unsigned rs1,
                             unsigned f3)
{
    uint32_t u = (uint32_t)imm;

    return ((u >> 5) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
           ((u & 31) << 7) | 0x23;
}

static inline uint32_t enc_b(int32_t imm, unsigned rs2, unsigned rs1,
                             unsigned f3)
{
    uint32_t u = (uint32_t)imm;

    return ((u >> 12 & 1) << 31) | ((u >> 5 & 0x3f) << 25) | (rs2 << 20) |
           (rs1 << 15) | (f3 << 12) | ((u >> 1 & 0xf) << 8) |
           ((u >> 11 & 1) << 7) | 0x63;
}

static inline uint32_t enc_j(int32_t imm, unsigned rd)
{
    uint32_t u = (uint32_t)imm;

    return ((u >> 20 & 1) << 31) | ((u >> 1 & 0x3ff) << 21) |
           ((u >> 11 & 1) << 20) | ((u >> 12 & 0xff) << 12) | (rd << 7) | 0x6f;
}
