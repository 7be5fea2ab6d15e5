/* SPDX-License-Identifier: MIT */
/* M extension: products, high halves, division corner cases, W forms. */
#include "common.h"

#define MIN64 0x8000000000000000
#define MIN32 0xffffffff80000000

    MAIN_BEGIN

    T_RR mul, mul, 7, -3, -21
    T_RR mul-wrap, mul, 0x100000001, 0x100000001, 0x200000001
    T_RR mulh-neg, mulh, -1, -1, 0
    T_RR mulh-min, mulh, MIN64, MIN64, 0x4000000000000000
    T_RR mulh-mixed, mulh, MIN64, 2, -1
    T_RR mulhu, mulhu, -1, -1, 0xfffffffffffffffe
    T_RR mulhu-small, mulhu, 0x100000000, 0x100000000, 1
    T_RR mulhsu-neg-rs1, mulhsu, -1, -1, -1
    T_RR mulhsu-pos, mulhsu, 2, -1, 1
    T_RR mulhsu-min, mulhsu, MIN64, 2, -1
    T_RR mulw, mulw, 0x7fffffff, 2, -2
    T_RR mulw-ignores-high, mulw, 0x1234567800000003, 0xabcdef0000000005, 15
    T_RR mulw-sext, mulw, 0x10000, 0x8000, 0xffffffff80000000

    T_RR div, div, -7, 2, -3
    T_RR div-pos, div, 7, -2, -3
    T_RR div-by-zero, div, 5, 0, -1
    T_RR div-overflow, div, MIN64, -1, MIN64
    T_RR divu, divu, -1, 2, 0x7fffffffffffffff
    T_RR divu-by-zero, divu, 5, 0, -1
    T_RR rem, rem, -7, 2, -1
    T_RR rem-sign-of-dividend, rem, 7, -2, 1
    T_RR rem-by-zero, rem, -5, 0, -5
    T_RR rem-overflow, rem, MIN64, -1, 0
    T_RR remu, remu, -1, 10, 5
    T_RR remu-by-zero, remu, -5, 0, -5

    T_RR divw, divw, 0xffffffff00000007, 0xfffffffe, -3
    T_RR divw-by-zero, divw, 5, 0, -1
    T_RR divw-overflow, divw, 0x80000000, 0xffffffff, MIN32
    T_RR divuw, divuw, 0xffffffff, 2, 0x7fffffff
    T_RR divuw-sext, divuw, 0xfffffffe, 1, 0xfffffffffffffffe
    T_RR divuw-by-zero, divuw, 5, 0, -1
    T_RR remw, remw, -7, 2, -1
    T_RR remw-by-zero, remw, 0x1234567880000000, 0, MIN32
    T_RR remw-overflow, remw, 0x80000000, -1, 0
    T_RR remuw, remuw, 0xfffffffb, 4, 3
    T_RR remuw-by-zero, remuw, 0x00000000fffffffb, 0, 0xfffffffffffffffb

    /* rd aliases a source */
    li t0, 6
    li t1, 7
    mul t0, t0, t1
    T_EQ mul-rd-eq-rs1, t0, 42
    li t0, 100
    div t0, t0, t0
    T_EQ div-rd-eq-both, t0, 1

    MAIN_END
