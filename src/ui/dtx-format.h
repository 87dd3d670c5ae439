/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "2 hours ago" / "2 jam lalu" for the last week, then the date in the
 * user's locale. now may be NULL for the current time. */
char *dtx_format_relative_date (GDateTime *date,
                                GDateTime *now);

G_END_DECLS
