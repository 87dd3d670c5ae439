/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define DTX_TYPE_ARTICLE (dtx_article_get_type ())
G_DECLARE_FINAL_TYPE (DtxArticle, dtx_article, DTX, ARTICLE, GObject)

/* One article as the reader shows it. Text fields are plain text (entities
 * decoded, tags stripped) except content, which is the raw, untrusted HTML
 * body: pass it through dtx_sanitizer_clean() before display. */
DtxArticle          *dtx_article_new            (void);

gint64               dtx_article_get_id         (DtxArticle *self);
const char          *dtx_article_get_link       (DtxArticle *self);
const char          *dtx_article_get_title      (DtxArticle *self);
const char          *dtx_article_get_excerpt    (DtxArticle *self);
const char          *dtx_article_get_content    (DtxArticle *self);
/* The content as a GRefString: keep it, or hand it to another thread,
 * without copying a body of up to 10 MiB. g_ref_string_release() it. */
char                *dtx_article_ref_content    (DtxArticle *self);
const char          *dtx_article_get_author     (DtxArticle *self);
GDateTime           *dtx_article_get_date       (DtxArticle *self);
const char          *dtx_article_get_image_url  (DtxArticle *self);
const char * const  *dtx_article_get_categories (DtxArticle *self);
const char          *dtx_article_get_source_name (DtxArticle *self);
/* Set by the store: its row id (0 while not stored), whether the article is
 * bookmarked, when it was bookmarked, and whether it was read. */
gint64               dtx_article_get_store_id   (DtxArticle *self);
gboolean             dtx_article_get_bookmarked (DtxArticle *self);
GDateTime           *dtx_article_get_saved      (DtxArticle *self);
gboolean             dtx_article_get_read       (DtxArticle *self);

void dtx_article_set_id          (DtxArticle *self, gint64 id);
void dtx_article_set_link        (DtxArticle *self, const char *link);
void dtx_article_set_title       (DtxArticle *self, const char *title);
void dtx_article_set_excerpt     (DtxArticle *self, const char *excerpt);
void dtx_article_set_content     (DtxArticle *self, const char *content);
/* Takes a reference to a GRefString (from dtx_article_ref_content()). */
void dtx_article_set_content_ref (DtxArticle *self, char *content);
void dtx_article_set_author      (DtxArticle *self, const char *author);
void dtx_article_set_date        (DtxArticle *self, GDateTime *date);
void dtx_article_set_image_url   (DtxArticle *self, const char *image_url);
void dtx_article_set_categories  (DtxArticle *self, const char * const *categories);
void dtx_article_set_source_name (DtxArticle *self, const char *source_name);
void dtx_article_set_store_id    (DtxArticle *self, gint64 store_id);
void dtx_article_set_bookmarked  (DtxArticle *self, gboolean bookmarked);
void dtx_article_set_saved       (DtxArticle *self, GDateTime *saved);
void dtx_article_set_read        (DtxArticle *self, gboolean read);

G_END_DECLS
