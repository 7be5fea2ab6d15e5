/* SPDX-License-Identifier: MIT */
/*
 * Goldfish RTC (google,goldfish-rtc): a 64-bit nanosecond counter since the
 * Unix epoch with one alarm.  Offsets shared by boards and tests.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "emu/device.h"

#define TYPE_GOLDFISH_RTC "goldfish-rtc"

extern const DeviceClass goldfish_rtc_class;

/* Decoded window (the device tree says 0x1000). */
#define GOLDFISH_RTC_SIZE 0x24

/* Offsets; 32-bit accesses only. */
#define GOLDFISH_RTC_TIME_LOW        0x00
#define GOLDFISH_RTC_TIME_HIGH       0x04
#define GOLDFISH_RTC_ALARM_LOW       0x08
#define GOLDFISH_RTC_ALARM_HIGH      0x0c
#define GOLDFISH_RTC_IRQ_ENABLED     0x10
#define GOLDFISH_RTC_CLEAR_ALARM     0x14
#define GOLDFISH_RTC_ALARM_STATUS    0x18
#define GOLDFISH_RTC_CLEAR_INTERRUPT 0x1c

#define GOLDFISH_RTC_IRQ_ENABLED_BIT (1u << 0)

/* "base-ns" value meaning "the host's wall clock at realize". */
#define GOLDFISH_RTC_BASE_HOST INT64_MIN

/**
 * Converts an -rtc base= value to the "base-ns" property: NULL or "utc"
 * give GOLDFISH_RTC_BASE_HOST, "localtime" the host's local time read as
 * UTC, "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS" that instant in UTC.  Fails
 * with a message for anything else.
 */
bool goldfish_rtc_parse_base(const char *base, int64_t *base_ns, GError **errp);
