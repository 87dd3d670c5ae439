/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include "dtx-article.h"
#include "dtx-thumbnail-cache.h"

G_BEGIN_DECLS

#define DTX_TYPE_ARTICLE_ROW (dtx_article_row_get_type ())
G_DECLARE_FINAL_TYPE (DtxArticleRow, dtx_article_row, DTX, ARTICLE_ROW, GtkWidget)

GtkWidget  *dtx_article_row_new         (DtxThumbnailCache *thumbnails);
/* Shows article (NULL clears the row and cancels its image load). */
void        dtx_article_row_set_article (DtxArticleRow     *self,
                                         DtxArticle        *article);
DtxArticle *dtx_article_row_get_article (DtxArticleRow     *self);
/* Draws off screen the characters rows show, in the fonts rows use: the
 * first rows then lay out and paint without loading fonts and glyphs. */
void        dtx_article_row_warm_up_fonts (void);
/* For a list of one source: the category where the site's name would be. */
void        dtx_article_row_set_show_category (DtxArticleRow *self,
                                               gboolean       show_category);
/* Pops up menu at x, y (row coordinates). The row emits ::menu (double x,
 * double y) on a right click or long press for its owner to call this. */
void        dtx_article_row_popup_menu  (DtxArticleRow     *self,
                                         GMenuModel        *menu,
                                         double             x,
                                         double             y);

G_END_DECLS
