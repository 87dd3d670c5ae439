/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-article-row"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "dtx-article-row.h"
#include "dtx-format.h"

struct _DtxArticleRow
{
  GtkWidget          parent_instance;

  GtkWidget         *box;
  GtkImage          *thumbnail;
  GtkLabel          *title;
  GtkLabel          *meta;
  GtkLabel          *excerpt;

  DtxThumbnailCache *thumbnails;
  GCancellable      *cancellable;
};

G_DEFINE_FINAL_TYPE (DtxArticleRow, dtx_article_row, GTK_TYPE_WIDGET)

static void
dtx_article_row_dispose (GObject *object)
{
  DtxArticleRow *self = (DtxArticleRow *)object;

  dtx_article_row_set_article (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DTX_TYPE_ARTICLE_ROW);
  g_clear_object (&self->thumbnails);

  G_OBJECT_CLASS (dtx_article_row_parent_class)->dispose (object);
}

static void
dtx_article_row_class_init (DtxArticleRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dtx_article_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/id/digitripx/Reader/ui/dtx-article-row.ui");
  gtk_widget_class_bind_template_child (widget_class, DtxArticleRow, box);
  gtk_widget_class_bind_template_child (widget_class, DtxArticleRow, thumbnail);
  gtk_widget_class_bind_template_child (widget_class, DtxArticleRow, title);
  gtk_widget_class_bind_template_child (widget_class, DtxArticleRow, meta);
  gtk_widget_class_bind_template_child (widget_class, DtxArticleRow, excerpt);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "dtxarticlerow");
}

static void
dtx_article_row_init (DtxArticleRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
dtx_article_row_new (DtxThumbnailCache *thumbnails)
{
  DtxArticleRow *self = g_object_new (DTX_TYPE_ARTICLE_ROW, NULL);

  self->thumbnails = thumbnails ? g_object_ref (thumbnails) : NULL;
  return GTK_WIDGET (self);
}

static void
on_thumbnail_loaded (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = dtx_thumbnail_cache_load_finish (DTX_THUMBNAIL_CACHE (object), result, &error);
  DtxArticleRow *self;

  if (texture == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No thumbnail: %s", error->message);
      return;
    }

  /* Not cancelled, so the row is alive and still shows the same article. */
  self = DTX_ARTICLE_ROW (user_data);
  gtk_image_set_from_paintable (self->thumbnail, GDK_PAINTABLE (texture));
  gtk_widget_set_visible (GTK_WIDGET (self->thumbnail), TRUE);
}

void
dtx_article_row_set_article (DtxArticleRow *self,
                             DtxArticle    *article)
{
  g_autofree char *date = NULL;
  g_autofree char *meta = NULL;
  const char *image_url;
  const char *source;

  g_return_if_fail (DTX_IS_ARTICLE_ROW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_image_clear (self->thumbnail);
  gtk_widget_set_visible (GTK_WIDGET (self->thumbnail), FALSE);

  if (article == NULL)
    return;

  gtk_label_set_text (self->title, dtx_article_get_title (article));
  gtk_label_set_text (self->excerpt, dtx_article_get_excerpt (article));
  gtk_widget_set_visible (GTK_WIDGET (self->excerpt), dtx_article_get_excerpt (article) != NULL &&
                          *dtx_article_get_excerpt (article) != '\0');

  date = dtx_format_relative_date (dtx_article_get_date (article), NULL);
  source = dtx_article_get_source_name (article);
  if (source != NULL && *date != '\0')
    /* Translators: source name and relative date, e.g. "digitripx.id · 2 hours ago" */
    meta = g_strdup_printf (_("%s · %s"), source, date);
  else
    meta = g_strdup (source != NULL ? source : date);
  gtk_label_set_text (self->meta, meta);

  image_url = dtx_article_get_image_url (article);
  if (image_url != NULL && self->thumbnails != NULL)
    {
      self->cancellable = g_cancellable_new ();
      dtx_thumbnail_cache_load_async (self->thumbnails, image_url, self->cancellable,
                                      on_thumbnail_loaded, self);
    }
}
