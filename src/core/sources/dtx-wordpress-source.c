/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-wordpress-source"
#include "config.h"

#include "dtx-wordpress-source.h"

struct _DtxWordpressSource
{
  DtxSource parent_instance;
};

G_DEFINE_FINAL_TYPE (DtxWordpressSource, dtx_wordpress_source, DTX_TYPE_SOURCE)

static void
dtx_wordpress_source_class_init (DtxWordpressSourceClass *klass)
{
}

static void
dtx_wordpress_source_init (DtxWordpressSource *self)
{
}
