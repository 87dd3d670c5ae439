/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-sanitizer"
#include "config.h"

#include "dtx-sanitizer.h"
