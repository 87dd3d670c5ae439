/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dtx-article-list.h"

G_BEGIN_DECLS

/* What the tests reach into. */

/* How long the rows after the first screenful are held back (32 ms). */
void dtx_article_list_set_rest_delay_for_testing (DtxArticleList *self,
                                                  guint           milliseconds);

G_END_DECLS
