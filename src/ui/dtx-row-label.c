/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-row-label"
#include "config.h"

#include "dtx-row-label.h"

struct _DtxRowLabel
{
  GtkWidget    parent_instance;

  char        *text;
  int          lines;
  PangoLayout *layout; /* made at the first measure, kept while the widget lives */
};

G_DEFINE_FINAL_TYPE (DtxRowLabel, dtx_row_label, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TEXT,
  PROP_LINES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The layout follows the widget's font: it shares the widget's Pango
 * context, which GTK updates when the CSS font changes, and a PangoLayout
 * lays itself out again when its context has changed. */
static PangoLayout *
get_layout (DtxRowLabel *self)
{
  if (self->layout == NULL)
    {
      self->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->text);
      pango_layout_set_ellipsize (self->layout, PANGO_ELLIPSIZE_END);
      if (self->lines > 1)
        {
          pango_layout_set_wrap (self->layout, PANGO_WRAP_WORD_CHAR);
          pango_layout_set_height (self->layout, -self->lines);
        }
      else
        pango_layout_set_single_paragraph_mode (self->layout, TRUE);
    }
  return self->layout;
}

/* Even one line: its height is asked for at the width it gets, so its
 * text is shaped once, at that width, for the measure and the allocation. */
static GtkSizeRequestMode
dtx_row_label_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
dtx_row_label_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  PangoLayout *layout;
  int height;

  /* Ellipsised, the text fits any width: the row is as wide as the list. */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = *natural = 0;
      return;
    }

  layout = get_layout (DTX_ROW_LABEL (widget));
  /* At the width the label is then allocated: laid out once for both.
   * Without a width, at the last one. */
  if (for_size >= 0)
    pango_layout_set_width (layout, for_size * PANGO_SCALE);
  pango_layout_get_pixel_size (layout, NULL, &height);
  *minimum = *natural = height;
}

static void
dtx_row_label_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  pango_layout_set_width (get_layout (DTX_ROW_LABEL (widget)), width * PANGO_SCALE);
}

static void
dtx_row_label_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  DtxRowLabel *self = DTX_ROW_LABEL (widget);
  GdkRGBA color;

  if (self->text == NULL || *self->text == '\0')
    return;
#if GTK_CHECK_VERSION (4, 10, 0)
  gtk_widget_get_color (widget, &color);
#else
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
#endif
  gtk_snapshot_append_layout (snapshot, get_layout (self), &color);
}

static void
dtx_row_label_finalize (GObject *object)
{
  DtxRowLabel *self = (DtxRowLabel *)object;

  g_clear_object (&self->layout);
  g_free (self->text);

  G_OBJECT_CLASS (dtx_row_label_parent_class)->finalize (object);
}

static void
dtx_row_label_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  DtxRowLabel *self = DTX_ROW_LABEL (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case PROP_LINES:
      g_value_set_int (value, self->lines);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dtx_row_label_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  DtxRowLabel *self = DTX_ROW_LABEL (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      dtx_row_label_set_text (self, g_value_get_string (value));
      break;
    case PROP_LINES:
      dtx_row_label_set_lines (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dtx_row_label_class_init (DtxRowLabelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = dtx_row_label_finalize;
  object_class->get_property = dtx_row_label_get_property;
  object_class->set_property = dtx_row_label_set_property;
  widget_class->get_request_mode = dtx_row_label_get_request_mode;
  widget_class->measure = dtx_row_label_measure;
  widget_class->size_allocate = dtx_row_label_size_allocate;
  widget_class->snapshot = dtx_row_label_snapshot;

  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LINES] =
    g_param_spec_int ("lines", NULL, NULL, 1, 10, 1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "label");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
dtx_row_label_init (DtxRowLabel *self)
{
  self->lines = 1;
}

GtkWidget *
dtx_row_label_new (void)
{
  return g_object_new (DTX_TYPE_ROW_LABEL, NULL);
}

void
dtx_row_label_set_text (DtxRowLabel *self,
                        const char  *text)
{
  g_return_if_fail (DTX_IS_ROW_LABEL (self));

  if (g_strcmp0 (self->text, text) == 0)
    return;
  g_free (self->text);
  self->text = g_strdup (text);
  if (self->layout != NULL)
    pango_layout_set_text (self->layout, text != NULL ? text : "", -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, self->text != NULL ? self->text : "", -1);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

const char *
dtx_row_label_get_text (DtxRowLabel *self)
{
  g_return_val_if_fail (DTX_IS_ROW_LABEL (self), NULL);
  return self->text != NULL ? self->text : "";
}

void
dtx_row_label_set_lines (DtxRowLabel *self,
                         int          lines)
{
  g_return_if_fail (DTX_IS_ROW_LABEL (self));
  g_return_if_fail (lines >= 1);

  if (self->lines == lines)
    return;
  self->lines = lines;
  g_clear_object (&self->layout);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LINES]);
}
