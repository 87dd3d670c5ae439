/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* For the tests: the thread that last parsed a page (a feed or REST posts). */
GThread *dtx_source_get_last_parse_thread (void);

G_END_DECLS
