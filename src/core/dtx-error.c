/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-error"
#include "config.h"

#include "dtx-error.h"

G_DEFINE_QUARK (dtx-error-quark, dtx_error)
