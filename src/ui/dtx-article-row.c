/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-article-row"
#include "config.h"

/* More than a wide window shows on the excerpt's one line. */
#define MAX_EXCERPT_CHARS 160
/* Between the texts and the thumbnail. */
#define SPACING 12

#include <glib/gi18n-lib.h>

#include "dtx-article-row.h"
#include "dtx-format.h"
#include "dtx-row-label.h"

struct _DtxArticleRow
{
  GtkWidget          parent_instance;

  GtkWidget         *column;
  GtkImage          *thumbnail;
  DtxRowLabel       *title;
  DtxRowLabel       *meta;
  DtxRowLabel       *excerpt;
  GtkWidget         *bookmark_marker;
  GtkWidget         *popover;

  DtxThumbnailCache *thumbnails;
  GCancellable      *cancellable;
  DtxArticle        *article;
  int                height[2];     /* minimum and natural, at the last width asked for */
  gboolean           show_category; /* the list has one source: no need to name it */
};

G_DEFINE_FINAL_TYPE (DtxArticleRow, dtx_article_row, GTK_TYPE_WIDGET)

enum {
  SIGNAL_MENU,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
dtx_article_row_dispose (GObject *object)
{
  DtxArticleRow *self = (DtxArticleRow *)object;

  dtx_article_row_set_article (self, NULL);
  g_clear_pointer (&self->popover, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), DTX_TYPE_ARTICLE_ROW);
  g_clear_object (&self->thumbnails);

  G_OBJECT_CLASS (dtx_article_row_parent_class)->dispose (object);
}

/* Laid out by hand rather than by a layout manager, so the context menu's
 * popover is presented with the row, and so the texts are asked for their
 * height at the one width they get: a GtkBox asks a child how wide it must
 * be for a height, which for wrapped text means laying it out again at a
 * dozen widths. The thumbnail, when shown, sits at the end, centred. */
static int
thumbnail_width (DtxArticleRow *self)
{
  int width = 0;

  if (gtk_widget_get_visible (GTK_WIDGET (self->thumbnail)))
    gtk_widget_measure (GTK_WIDGET (self->thumbnail), GTK_ORIENTATION_HORIZONTAL, -1,
                        NULL, &width, NULL, NULL);
  return width;
}

static GtkSizeRequestMode
dtx_article_row_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
dtx_article_row_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  DtxArticleRow *self = DTX_ARTICLE_ROW (widget);
  int thumb = thumbnail_width (self);
  int thumb_min = 0, thumb_nat = 0;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      gtk_widget_measure (self->column, orientation, -1, minimum, natural, NULL, NULL);
      if (thumb > 0)
        {
          *minimum += SPACING + thumb;
          *natural += SPACING + thumb;
        }
      return;
    }

  /* Asked without a width only by the list's scrolled window, which does
   * not use the answer: laying the texts out at no width to give one would
   * shape every row's texts once more, and again at the row's width. */
  if (for_size < 0)
    {
      *minimum = self->height[0];
      *natural = self->height[1];
      return;
    }

  if (thumb > 0)
    for_size = MAX (0, for_size - thumb - SPACING);
  gtk_widget_measure (self->column, orientation, for_size, minimum, natural, NULL, NULL);
  if (thumb > 0)
    gtk_widget_measure (GTK_WIDGET (self->thumbnail), orientation, thumb, &thumb_min, &thumb_nat, NULL, NULL);
  *minimum = self->height[0] = MAX (*minimum, thumb_min);
  *natural = self->height[1] = MAX (*natural, thumb_nat);
}

static void
dtx_article_row_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  DtxArticleRow *self = DTX_ARTICLE_ROW (widget);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int thumb = thumbnail_width (self);
  int column_width = thumb > 0 ? MAX (0, width - thumb - SPACING) : width;

  gtk_widget_size_allocate (self->column,
                            &(GtkAllocation){ rtl ? width - column_width : 0, 0, column_width, height }, -1);
  if (thumb > 0)
    {
      int thumb_height;

      gtk_widget_measure (GTK_WIDGET (self->thumbnail), GTK_ORIENTATION_VERTICAL, thumb,
                          NULL, &thumb_height, NULL, NULL);
      thumb_height = MIN (thumb_height, height);
      gtk_widget_size_allocate (GTK_WIDGET (self->thumbnail),
                                &(GtkAllocation){ rtl ? 0 : width - thumb, (height - thumb_height) / 2,
                                                  thumb, thumb_height }, -1);
    }
  if (self->popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->popover));
}

static void
on_pressed (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            DtxArticleRow   *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  g_signal_emit (self, signals[SIGNAL_MENU], 0, x, y);
}

static void
on_long_pressed (GtkGestureLongPress *gesture,
                 double               x,
                 double               y,
                 DtxArticleRow       *self)
{
  g_signal_emit (self, signals[SIGNAL_MENU], 0, x, y);
}

static void
dtx_article_row_class_init (DtxArticleRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dtx_article_row_dispose;
  widget_class->get_request_mode = dtx_article_row_get_request_mode;
  widget_class->measure = dtx_article_row_measure;
  widget_class->size_allocate = dtx_article_row_size_allocate;

  signals[SIGNAL_MENU] =
    g_signal_new ("menu", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_DOUBLE);

  g_type_ensure (DTX_TYPE_ROW_LABEL);
  gtk_widget_class_set_template_from_resource (widget_class, "/id/digitripx/Reader/ui/dtx-article-row.ui");
  gtk_widget_class_bind_template_child (widget_class, DtxArticleRow, column);
  gtk_widget_class_bind_template_child (widget_class, DtxArticleRow, thumbnail);
  gtk_widget_class_bind_template_child (widget_class, DtxArticleRow, title);
  gtk_widget_class_bind_template_child (widget_class, DtxArticleRow, meta);
  gtk_widget_class_bind_template_child (widget_class, DtxArticleRow, excerpt);
  gtk_widget_class_bind_template_child (widget_class, DtxArticleRow, bookmark_marker);
  gtk_widget_class_set_css_name (widget_class, "dtxarticlerow");
}

static void
dtx_article_row_init (DtxArticleRow *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *long_press = gtk_gesture_long_press_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), TRUE);
  g_signal_connect (long_press, "pressed", G_CALLBACK (on_long_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (long_press));
}

static void
update_state (DtxArticleRow *self)
{
  gboolean read = dtx_article_get_read (self->article);

  gtk_widget_set_visible (self->bookmark_marker, dtx_article_get_bookmarked (self->article));
  if (read)
    gtk_widget_add_css_class (GTK_WIDGET (self), "read");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "read");
}

DtxArticle *
dtx_article_row_get_article (DtxArticleRow *self)
{
  g_return_val_if_fail (DTX_IS_ARTICLE_ROW (self), NULL);
  return self->article;
}

void
dtx_article_row_popup_menu (DtxArticleRow *self,
                            GMenuModel    *menu,
                            double         x,
                            double         y)
{
  g_return_if_fail (DTX_IS_ARTICLE_ROW (self));

  if (self->popover == NULL)
    {
      self->popover = gtk_popover_menu_new_from_model (NULL);
      gtk_widget_set_parent (self->popover, GTK_WIDGET (self));
      gtk_popover_set_has_arrow (GTK_POPOVER (self->popover), FALSE);
      gtk_widget_set_halign (self->popover, GTK_ALIGN_START);
    }
  gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->popover), menu);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover), &(GdkRectangle){ x, y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->popover));
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
dtx_article_row_set_show_category (DtxArticleRow *self,
                                   gboolean       show_category)
{
  g_return_if_fail (DTX_IS_ARTICLE_ROW (self));
  self->show_category = !!show_category;
}

void
dtx_article_row_set_article (DtxArticleRow *self,
                             DtxArticle    *article)
{
  g_autofree char *date = NULL;
  g_autofree char *meta = NULL;
  const char *image_url;
  const char *source;
  const char *excerpt;

  g_return_if_fail (DTX_IS_ARTICLE_ROW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_image_clear (self->thumbnail);
  gtk_widget_set_visible (GTK_WIDGET (self->thumbnail), FALSE);
  if (self->article != NULL)
    g_signal_handlers_disconnect_by_func (self->article, update_state, self);
  g_set_object (&self->article, article);

  if (article == NULL)
    return;

  /* The store changes these while the row shows the article. */
  g_signal_connect_swapped (article, "notify::read", G_CALLBACK (update_state), self);
  g_signal_connect_swapped (article, "notify::bookmarked", G_CALLBACK (update_state), self);
  update_state (self);

  dtx_row_label_set_text (self->title, dtx_article_get_title (article));
  excerpt = dtx_article_get_excerpt (article);
  /* One ellipsised line: shaping more than it can show costs every row. */
  if (excerpt != NULL && g_utf8_strlen (excerpt, MAX_EXCERPT_CHARS * 4) > MAX_EXCERPT_CHARS)
    {
      g_autofree char *head = g_utf8_substring (excerpt, 0, MAX_EXCERPT_CHARS);

      dtx_row_label_set_text (self->excerpt, head);
    }
  else
    dtx_row_label_set_text (self->excerpt, excerpt);
  gtk_widget_set_visible (GTK_WIDGET (self->excerpt), excerpt != NULL && *excerpt != '\0');

  date = dtx_format_relative_date (dtx_article_get_date (article), NULL);
  source = dtx_article_get_source_name (article);
  if (self->show_category && dtx_article_get_categories (article) != NULL &&
      dtx_article_get_categories (article)[0] != NULL)
    source = dtx_article_get_categories (article)[0];
  if (source != NULL && *date != '\0')
    /* Translators: source name and relative date, e.g. "digitripx.id · 2 hours ago" */
    meta = g_strdup_printf (_("%s · %s"), source, date);
  else
    meta = g_strdup (source != NULL ? source : date);
  dtx_row_label_set_text (self->meta, meta);

  image_url = dtx_article_get_image_url (article);
  if (image_url != NULL && self->thumbnails != NULL)
    {
      self->cancellable = g_cancellable_new ();
      dtx_thumbnail_cache_load_async (self->thumbnails, image_url, self->cancellable,
                                      on_thumbnail_loaded, self);
    }
}

/* What a row of Latin text shows: letters, digits and the punctuation of
 * titles, dates and excerpts. */
static const char warm_up_text[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789 "
  ".,:;!?'\"()[]-\u2013\u2014&/%+@#\u2018\u2019\u201c\u201d\u2026\u00b7";

void
dtx_article_row_warm_up_fonts (void)
{
  g_autoptr(GtkWidget) row = g_object_ref_sink (dtx_article_row_new (NULL));
  DtxArticleRow *self = DTX_ARTICLE_ROW (row);
  /* The meta line and the excerpt share a font. */
  GtkWidget *labels[] = { GTK_WIDGET (self->title), GTK_WIDGET (self->meta) };
  cairo_surface_t *surface;
  cairo_t *cr;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1200, 24);
  cr = cairo_create (surface);
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (labels[i], warm_up_text);
      cairo_move_to (cr, 0, 0);
      pango_cairo_show_layout (cr, layout);
    }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}
