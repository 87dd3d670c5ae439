/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-feed-source"
#include "config.h"

#include "dtx-feed-source.h"

struct _DtxFeedSource
{
  DtxSource parent_instance;
};

G_DEFINE_FINAL_TYPE (DtxFeedSource, dtx_feed_source, DTX_TYPE_SOURCE)

static void
dtx_feed_source_class_init (DtxFeedSourceClass *klass)
{
}

static void
dtx_feed_source_init (DtxFeedSource *self)
{
}
