/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dtx-source.h"

G_BEGIN_DECLS

/* A WordPress site: its REST API, the feed when REST fails or is closed,
 * its categories and site icon. Made by dtx_source_new_for_kind(). */
#define DTX_TYPE_WORDPRESS_SOURCE (dtx_wordpress_source_get_type ())
G_DECLARE_FINAL_TYPE (DtxWordpressSource, dtx_wordpress_source, DTX, WORDPRESS_SOURCE, DtxSource)

G_END_DECLS
