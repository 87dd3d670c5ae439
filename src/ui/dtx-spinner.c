/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-spinner"
#include "config.h"

#include "dtx-spinner.h"

#define STEPS       10  /* a turn a second, as GtkSpinner */
#define STEP_MS     (1000 / STEPS)
#define ICON_SIZE   16

struct _DtxSpinner
{
  GtkWidget         parent_instance;

  gboolean          spinning;
  GtkIconPaintable *icon;
  int               icon_size; /* what icon was looked up for, in pixels */
};

G_DEFINE_FINAL_TYPE (DtxSpinner, dtx_spinner, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SPINNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The spinners turning in sight step together, on one timer: a window with
 * two of them draws one frame a step, not two. Each frame also holds the
 * next one back for a refresh interval, rows that arrive included. */
static GList *turning; /* DtxSpinner, unowned */
static guint step;
static guint step_id;

static gboolean
step_cb (gpointer data)
{
  step = (step + 1) % STEPS;
  for (GList *l = turning; l != NULL; l = l->next)
    gtk_widget_queue_draw (l->data);
  return G_SOURCE_CONTINUE;
}

/* Turns only while it spins and can be seen. */
static void
update_timer (DtxSpinner *self)
{
  gboolean turn = self->spinning && gtk_widget_get_mapped (GTK_WIDGET (self));
  GList *link = g_list_find (turning, self);

  if (turn && link == NULL)
    turning = g_list_prepend (turning, self);
  else if (!turn && link != NULL)
    turning = g_list_delete_link (turning, link);

  if (turning != NULL && step_id == 0)
    {
      step_id = g_timeout_add (STEP_MS, step_cb, NULL);
      g_source_set_name_by_id (step_id, "[dtx] spinner step");
    }
  else if (turning == NULL)
    g_clear_handle_id (&step_id, g_source_remove);
}

static void
dtx_spinner_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (dtx_spinner_parent_class)->map (widget);
  update_timer (DTX_SPINNER (widget));
}

static void
dtx_spinner_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (dtx_spinner_parent_class)->unmap (widget);
  update_timer (DTX_SPINNER (widget));
}

static void
dtx_spinner_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  *minimum = *natural = ICON_SIZE;
}

static void
dtx_spinner_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  DtxSpinner *self = DTX_SPINNER (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int size = MIN (width, height);
  GdkRGBA colors[4];

  if (!self->spinning || size <= 0)
    return;

  if (self->icon == NULL || self->icon_size != size)
    {
      GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (widget));

      g_clear_object (&self->icon);
      self->icon = gtk_icon_theme_lookup_icon (theme, "process-working-symbolic", NULL, size,
                                               gtk_widget_get_scale_factor (widget),
                                               gtk_widget_get_direction (widget), 0);
      self->icon_size = size;
    }

#if GTK_CHECK_VERSION (4, 10, 0)
  gtk_widget_get_color (widget, &colors[0]);
#else
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &colors[0]);
#endif
  /* Error, warning and success: unused by this icon. */
  colors[1] = colors[2] = colors[3] = colors[0];

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (width / 2.f, height / 2.f));
  gtk_snapshot_rotate (snapshot, 360.f * step / STEPS);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-size / 2.f, -size / 2.f));
  gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (self->icon), snapshot,
                                            size, size, colors, G_N_ELEMENTS (colors));
  gtk_snapshot_restore (snapshot);
}

static void
dtx_spinner_dispose (GObject *object)
{
  DtxSpinner *self = (DtxSpinner *)object;

  self->spinning = FALSE;
  update_timer (self);
  g_clear_object (&self->icon);

  G_OBJECT_CLASS (dtx_spinner_parent_class)->dispose (object);
}

static void
dtx_spinner_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_SPINNING:
      g_value_set_boolean (value, DTX_SPINNER (object)->spinning);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dtx_spinner_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_SPINNING:
      dtx_spinner_set_spinning (DTX_SPINNER (object), g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dtx_spinner_class_init (DtxSpinnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dtx_spinner_dispose;
  object_class->get_property = dtx_spinner_get_property;
  object_class->set_property = dtx_spinner_set_property;
  widget_class->map = dtx_spinner_map;
  widget_class->unmap = dtx_spinner_unmap;
  widget_class->measure = dtx_spinner_measure;
  widget_class->snapshot = dtx_spinner_snapshot;

  properties[PROP_SPINNING] =
    g_param_spec_boolean ("spinning", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "dtxspinner");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PROGRESS_BAR);
}

static void
dtx_spinner_init (DtxSpinner *self)
{
}

GtkWidget *
dtx_spinner_new (void)
{
  return g_object_new (DTX_TYPE_SPINNER, NULL);
}

void
dtx_spinner_set_spinning (DtxSpinner *self,
                          gboolean    spinning)
{
  g_return_if_fail (DTX_IS_SPINNER (self));

  spinning = !!spinning;
  if (self->spinning == spinning)
    return;
  self->spinning = spinning;
  update_timer (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_BUSY, spinning, -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPINNING]);
}

gboolean
dtx_spinner_get_spinning (DtxSpinner *self)
{
  g_return_val_if_fail (DTX_IS_SPINNER (self), FALSE);
  return self->spinning;
}
