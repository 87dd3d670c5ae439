/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Dates as feeds and servers write them, read as forgivingly as the best
 * feed readers do. Each returns a UTC GDateTime, or NULL when the text
 * names no valid date. A missing time is midnight, a missing or unknown
 * zone is UTC.
 *
 * ISO 8601 / W3C-DTF: "2024-05-03T09:30:00+07:00", "2024-05-03 09:30",
 * "20240503T093000Z", "2024-05", "2024".
 * RFC 822 and its relatives: "Fri, 03 May 2024 09:30:00 +0700", without a
 * time, with a zone name (GMT, CET, CEST, BST, JST, WIB, AEST …), odd
 * offsets ("+7", "+07", "+7:00", "GMT+0200"), asctime ("Fri May  3
 * 09:30:00 2024"), JavaScript's "Fri May 03 2024 09:30:00 GMT+0700 (WIB)",
 * "May 3, 2024 9:30 AM". */
GDateTime *dtx_date_parse         (const char *text);

/* Only the ISO 8601 / W3C-DTF forms above. */
GDateTime *dtx_date_parse_iso8601 (const char *text);

/* Only the RFC 822 family above. */
GDateTime *dtx_date_parse_rfc822  (const char *text);

/* A zone name's offset east of UTC in seconds; FALSE when unknown. */
gboolean   dtx_date_zone_offset   (const char *name,
                                   gint32     *offset);

G_END_DECLS
