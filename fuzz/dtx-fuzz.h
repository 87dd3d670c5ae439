/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

/* What every target shares: quiet logging, set up once. */
void dtx_fuzz_init (void);

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
