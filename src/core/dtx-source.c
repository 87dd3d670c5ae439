/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-source"
#include "config.h"

#include "dtx-source.h"
