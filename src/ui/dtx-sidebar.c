/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-sidebar"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "dtx-sidebar.h"
#include "dtx-spinner.h"
#include "dtx-tooltip.h"

typedef enum {
  ITEM_ALL,
  ITEM_SOURCE,
  ITEM_CATEGORY,
} ItemKind;

/* What a row of the list box stands for (row data). */
typedef struct {
  ItemKind   kind;
  DtxSource *source;   /* SOURCE, CATEGORY */
  char      *category; /* CATEGORY: its name */
  GtkImage  *icon;
  GtkLabel  *title;
  GtkLabel  *count;
  GtkWidget *warning;
  DtxSpinner *spinner;
} Item;

struct _DtxSidebar
{
  AdwBin            parent_instance;

  GtkListBox       *list_box;

  DtxSourceManager *manager;
  GtkListBoxRow    *all_row;
  GHashTable       *hidden; /* url → NULL: sources shown as removed */
  char             *selected_url;      /* NULL: All Articles */
  char             *selected_category;
  gboolean          rebuilding;        /* row-selected comes from the code */
};

G_DEFINE_FINAL_TYPE (DtxSidebar, dtx_sidebar, ADW_TYPE_BIN)

enum {
  SIGNAL_SELECTION_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void rebuild (DtxSidebar *self);

static void
item_free (gpointer data)
{
  Item *item = data;

  g_clear_object (&item->source);
  g_free (item->category);
  g_free (item);
}

static Item *
item_of (GtkListBoxRow *row)
{
  return row ? g_object_get_data (G_OBJECT (row), "dtx-sidebar-item") : NULL;
}

static void
set_count (GtkLabel *label,
           guint     n)
{
  g_autofree char *text = g_strdup_printf ("%u", n);

  gtk_label_set_text (label, text);
  gtk_widget_set_visible (GTK_WIDGET (label), n > 0);
}

static guint
total_unread (DtxSidebar *self)
{
  guint n = 0, total = 0;

  if (self->manager == NULL)
    return 0;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->manager));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DtxSource) source = g_list_model_get_item (G_LIST_MODEL (self->manager), i);

      if (!g_hash_table_contains (self->hidden, dtx_source_get_url (source)))
        total += dtx_source_get_unread_count (source);
    }
  return total;
}

static void
update_all_row (DtxSidebar *self)
{
  Item *item = item_of (self->all_row);

  set_count (item->count, total_unread (self));
}

/* The row follows its source's properties. */
static void
update_source_row (GtkListBoxRow *row)
{
  Item *item = item_of (row);
  DtxSidebar *self = DTX_SIDEBAR (gtk_widget_get_ancestor (GTK_WIDGET (row), DTX_TYPE_SIDEBAR));
  const char *error = dtx_source_get_error (item->source);
  g_autoptr(GFile) icon_file = NULL;

  gtk_label_set_text (item->title, dtx_source_get_title (item->source));
  dtx_tooltip_set (GTK_WIDGET (item->title), dtx_source_get_url (item->source));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  dtx_source_get_title (item->source), -1);
  set_count (item->count, dtx_source_get_unread_count (item->source));
  gtk_widget_set_visible (item->warning, error != NULL && *error != '\0');
  dtx_tooltip_set (item->warning, error);
  gtk_widget_set_visible (GTK_WIDGET (item->spinner), dtx_source_get_refreshing (item->source));
  dtx_spinner_set_spinning (item->spinner, dtx_source_get_refreshing (item->source));

  if (self != NULL && self->manager != NULL)
    icon_file = dtx_source_manager_get_icon_file (self->manager, item->source);
  if (icon_file != NULL)
    {
      g_autoptr(GIcon) icon = g_file_icon_new (icon_file);
      gtk_image_set_from_gicon (item->icon, icon);
    }
  else
    gtk_image_set_from_icon_name (item->icon, dtx_source_get_kind (item->source) == DTX_SOURCE_KIND_FEED
                                                ? "application-rss+xml-symbolic" : "web-browser-symbolic");
  if (self != NULL)
    update_all_row (self);
}

static GMenuModel *
source_menu (const char *url)
{
  GMenu *menu = g_menu_new ();
  GMenu *section = g_menu_new ();
  g_autoptr(GMenuItem) item = NULL;
  static const struct { const char *label; const char *action; } entries[] = {
    { N_("_Refresh"), "win.refresh-source" },
    { N_("Re_name…"), "win.rename-source" },
    { NULL, NULL },
    { N_("Move _Up"), "win.move-source-up" },
    { N_("Move _Down"), "win.move-source-down" },
    { NULL, NULL },
    { N_("_Remove"), "win.remove-source" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      if (entries[i].label == NULL)
        {
          g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
          g_object_unref (section);
          section = g_menu_new ();
          continue;
        }
      item = g_menu_item_new (_(entries[i].label), NULL);
      g_menu_item_set_action_and_target (item, entries[i].action, "s", url);
      g_menu_append_item (section, item);
      g_clear_object (&item);
    }
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  g_object_unref (section);
  return G_MENU_MODEL (menu);
}

static void
on_popover_closed (GtkPopover *popover)
{
  /* After the action ran: unparenting at once would drop it. */
  g_idle_add_once ((GSourceOnceFunc)gtk_widget_unparent, popover);
}

static void
popup_menu (GtkListBoxRow *row,
            double         x,
            double         y)
{
  Item *item = item_of (row);
  g_autoptr(GMenuModel) model = NULL;
  GtkWidget *popover;

  if (item == NULL || item->kind != ITEM_SOURCE)
    return;
  model = source_menu (dtx_source_get_url (item->source));
  popover = gtk_popover_menu_new_from_model (model);
  gtk_widget_set_parent (popover, GTK_WIDGET (row));
  gtk_popover_set_has_arrow (GTK_POPOVER (popover), FALSE);
  gtk_widget_set_halign (popover, GTK_ALIGN_START);
  if (x >= 0)
    gtk_popover_set_pointing_to (GTK_POPOVER (popover), &(GdkRectangle) { (int)x, (int)y, 1, 1 });
  g_signal_connect (popover, "closed", G_CALLBACK (on_popover_closed), NULL);
  gtk_popover_popup (GTK_POPOVER (popover));
}

static void
on_row_pressed (GtkGestureClick *gesture,
                int              n_press,
                double           x,
                double           y,
                GtkListBoxRow   *row)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  popup_menu (row, x, y);
}

static void
on_row_long_pressed (GtkGestureLongPress *gesture,
                     double               x,
                     double               y,
                     GtkListBoxRow       *row)
{
  popup_menu (row, x, y);
}

/* Drag and drop reorders: a source row dropped on another takes its place. */
static GdkContentProvider *
on_drag_prepare (GtkDragSource *drag,
                 double         x,
                 double         y,
                 GtkListBoxRow *row)
{
  Item *item = item_of (row);

  return gdk_content_provider_new_typed (G_TYPE_STRING, dtx_source_get_url (item->source));
}

static void
on_drag_begin (GtkDragSource *drag,
               GdkDrag       *gdk_drag,
               GtkListBoxRow *row)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (row));

  gtk_drag_source_set_icon (drag, paintable, 0, 0);
}

static guint
position_in_manager (DtxSidebar *self,
                     DtxSource  *source)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->manager));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DtxSource) item = g_list_model_get_item (G_LIST_MODEL (self->manager), i);
      if (item == source)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

typedef struct {
  DtxSourceManager *manager;
  DtxSource        *source;
  guint             position;
} Move;

/* After the drop: moving rebuilds the rows, the dropped-on one included. */
static gboolean
move_later (gpointer data)
{
  Move *move = data;

  dtx_source_manager_move (move->manager, move->source, move->position);
  g_object_unref (move->manager);
  g_object_unref (move->source);
  g_free (move);
  return G_SOURCE_REMOVE;
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         GtkListBoxRow *row)
{
  DtxSidebar *self = DTX_SIDEBAR (gtk_widget_get_ancestor (GTK_WIDGET (row), DTX_TYPE_SIDEBAR));
  Item *item = item_of (row);
  DtxSource *dragged;
  guint to;

  if (self == NULL || self->manager == NULL || !G_VALUE_HOLDS_STRING (value))
    return FALSE;
  dragged = dtx_source_manager_lookup (self->manager, g_value_get_string (value));
  if (dragged == NULL || dragged == item->source)
    return FALSE;
  to = position_in_manager (self, item->source);
  if (to == GTK_INVALID_LIST_POSITION)
    return FALSE;
  {
    Move *move = g_new0 (Move, 1);

    move->manager = g_object_ref (self->manager);
    move->source = g_object_ref (dragged);
    move->position = to;
    g_idle_add (move_later, move);
  }
  return TRUE;
}

static GtkListBoxRow *
new_row (DtxSidebar *self,
         ItemKind    kind,
         DtxSource  *source,
         const char *category,
         guint       category_count)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  Item *item = g_new0 (Item, 1);

  item->kind = kind;
  item->source = source ? g_object_ref (source) : NULL;
  item->category = g_strdup (category);
  g_object_set_data_full (G_OBJECT (row), "dtx-sidebar-item", item, item_free);

  if (kind == ITEM_CATEGORY)
    gtk_widget_set_margin_start (box, 24);
  else
    {
      item->icon = GTK_IMAGE (gtk_image_new_from_icon_name (kind == ITEM_ALL ? "view-list-symbolic"
                                                                              : "web-browser-symbolic"));
      gtk_image_set_pixel_size (item->icon, 16);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (item->icon));
    }
  item->title = GTK_LABEL (gtk_label_new (kind == ITEM_ALL ? _("All Articles") : category));
  gtk_label_set_xalign (item->title, 0);
  gtk_label_set_ellipsize (item->title, PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (GTK_WIDGET (item->title), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (item->title));

  if (kind == ITEM_SOURCE)
    {
      item->spinner = DTX_SPINNER (dtx_spinner_new ());
      gtk_widget_set_tooltip_text (GTK_WIDGET (item->spinner), _("Refreshing…"));
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (item->spinner));
      item->warning = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      gtk_widget_add_css_class (item->warning, "warning");
      gtk_box_append (GTK_BOX (box), item->warning);
    }
  item->count = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (item->count), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (item->count), "numeric");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (item->count));
  if (kind == ITEM_CATEGORY)
    set_count (item->count, category_count);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  if (kind == ITEM_SOURCE)
    {
      GtkGesture *click = gtk_gesture_click_new ();
      GtkGesture *press = gtk_gesture_long_press_new ();
      static const char * const signals_followed[] = {
        "notify::title", "notify::unread-count", "notify::error", "notify::refreshing", "notify::kind",
      };

      gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
      g_signal_connect (click, "pressed", G_CALLBACK (on_row_pressed), row);
      gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (click));
      {
        GtkDragSource *drag = gtk_drag_source_new ();
        GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_MOVE);

        gtk_drag_source_set_actions (drag, GDK_ACTION_MOVE);
        g_signal_connect (drag, "prepare", G_CALLBACK (on_drag_prepare), row);
        g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), row);
        gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (drag));
        g_signal_connect (drop, "drop", G_CALLBACK (on_drop), row);
        gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (drop));
      }
      gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (press), TRUE);
      g_signal_connect (press, "pressed", G_CALLBACK (on_row_long_pressed), row);
      gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (press));
      for (guint i = 0; i < G_N_ELEMENTS (signals_followed); i++)
        if (g_object_class_find_property (G_OBJECT_GET_CLASS (source), signals_followed[i] + strlen ("notify::")))
          g_signal_connect_object (source, signals_followed[i], G_CALLBACK (update_source_row), row,
                                   G_CONNECT_SWAPPED);
    }
  return GTK_LIST_BOX_ROW (row);
}

static gboolean
row_matches (GtkListBoxRow *row,
             const char    *url,
             const char    *category)
{
  Item *item = item_of (row);

  if (item == NULL)
    return FALSE;
  if (url == NULL)
    return item->kind == ITEM_ALL;
  if (item->kind == ITEM_ALL || !g_str_equal (dtx_source_get_url (item->source), url))
    return FALSE;
  return category == NULL ? item->kind == ITEM_SOURCE
                          : item->kind == ITEM_CATEGORY && g_str_equal (item->category, category);
}

static GtkListBoxRow *
find_row (DtxSidebar *self,
          const char *url,
          const char *category)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && row_matches (GTK_LIST_BOX_ROW (child), url, category))
      return GTK_LIST_BOX_ROW (child);
  return NULL;
}

/* A selected source shows its categories under it. */
static void
update_category_rows (DtxSidebar *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      Item *item = GTK_IS_LIST_BOX_ROW (child) ? item_of (GTK_LIST_BOX_ROW (child)) : NULL;

      if (item != NULL && item->kind == ITEM_CATEGORY)
        gtk_widget_set_visible (child, g_strcmp0 (self->selected_url, dtx_source_get_url (item->source)) == 0);
    }
}

static void
set_selection (DtxSidebar *self,
               const char *url,
               const char *category)
{
  gboolean changed = g_strcmp0 (url, self->selected_url) != 0 ||
                     g_strcmp0 (category, self->selected_category) != 0;

  if (!changed)
    return;
  g_free (self->selected_url);
  self->selected_url = g_strdup (url);
  g_free (self->selected_category);
  self->selected_category = url ? g_strdup (category) : NULL;
  update_category_rows (self);
  g_signal_emit (self, signals[SIGNAL_SELECTION_CHANGED], 0);
}

static void
on_row_selected (GtkListBox    *box,
                 GtkListBoxRow *row,
                 DtxSidebar    *self)
{
  Item *item = item_of (row);

  if (self->rebuilding || item == NULL)
    return;
  set_selection (self, item->source ? dtx_source_get_url (item->source) : NULL, item->category);
}

static void
select_row_quietly (DtxSidebar    *self,
                    GtkListBoxRow *row)
{
  self->rebuilding = TRUE;
  gtk_list_box_select_row (self->list_box, row);
  self->rebuilding = FALSE;
}

/* The sources are few and change rarely: the rows are made again. */
static void
rebuild (DtxSidebar *self)
{
  GtkWidget *child;
  GtkListBoxRow *row;
  guint n;

  self->rebuilding = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);

  self->all_row = new_row (self, ITEM_ALL, NULL, NULL, 0);
  gtk_list_box_append (self->list_box, GTK_WIDGET (self->all_row));

  n = self->manager ? g_list_model_get_n_items (G_LIST_MODEL (self->manager)) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DtxSource) source = g_list_model_get_item (G_LIST_MODEL (self->manager), i);
      GPtrArray *categories;

      if (g_hash_table_contains (self->hidden, dtx_source_get_url (source)))
        continue;
      row = new_row (self, ITEM_SOURCE, source, NULL, 0);
      gtk_list_box_append (self->list_box, GTK_WIDGET (row));
      update_source_row (row);

      categories = dtx_source_manager_get_categories (self->manager, source);
      for (guint j = 0; categories != NULL && j < categories->len; j++)
        {
          const DtxCategory *category = g_ptr_array_index (categories, j);

          if (category->name == NULL || *category->name == '\0')
            continue;
          gtk_list_box_append (self->list_box,
                               GTK_WIDGET (new_row (self, ITEM_CATEGORY, source, category->name, category->count)));
        }
    }
  update_all_row (self);
  self->rebuilding = FALSE;

  /* The selection survives, or falls back to everything when its source or
   * category went away. */
  row = find_row (self, self->selected_url, self->selected_category);
  if (row == NULL && self->selected_category != NULL)
    row = find_row (self, self->selected_url, NULL);
  if (row == NULL)
    row = self->all_row;
  select_row_quietly (self, row);
  {
    Item *item = item_of (row);
    set_selection (self, item->source ? dtx_source_get_url (item->source) : NULL, item->category);
  }
  update_category_rows (self);
}

static void
on_items_changed (DtxSidebar *self)
{
  rebuild (self);
}

static void
on_categories_changed (DtxSourceManager *manager,
                       DtxSource        *source,
                       DtxSidebar       *self)
{
  rebuild (self);
}

static void
on_icon_changed (DtxSourceManager *manager,
                 DtxSource        *source,
                 DtxSidebar       *self)
{
  GtkListBoxRow *row = find_row (self, dtx_source_get_url (source), NULL);

  if (row != NULL)
    update_source_row (row);
}

static void
dtx_sidebar_dispose (GObject *object)
{
  DtxSidebar *self = DTX_SIDEBAR (object);

  if (self->manager != NULL)
    g_signal_handlers_disconnect_by_data (self->manager, self);
  g_clear_object (&self->manager);
  gtk_widget_dispose_template (GTK_WIDGET (self), DTX_TYPE_SIDEBAR);

  G_OBJECT_CLASS (dtx_sidebar_parent_class)->dispose (object);
}

static void
dtx_sidebar_finalize (GObject *object)
{
  DtxSidebar *self = DTX_SIDEBAR (object);

  g_clear_pointer (&self->hidden, g_hash_table_unref);
  g_free (self->selected_url);
  g_free (self->selected_category);

  G_OBJECT_CLASS (dtx_sidebar_parent_class)->finalize (object);
}

static void
dtx_sidebar_class_init (DtxSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dtx_sidebar_dispose;
  object_class->finalize = dtx_sidebar_finalize;

  signals[SIGNAL_SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/id/digitripx/Reader/ui/dtx-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, DtxSidebar, list_box);
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected);
}

static void
dtx_sidebar_init (DtxSidebar *self)
{
  self->hidden = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  rebuild (self);
}

GtkWidget *
dtx_sidebar_new (void)
{
  return g_object_new (DTX_TYPE_SIDEBAR, NULL);
}

void
dtx_sidebar_set_manager (DtxSidebar       *self,
                         DtxSourceManager *manager)
{
  g_return_if_fail (DTX_IS_SIDEBAR (self));

  if (self->manager != NULL)
    g_signal_handlers_disconnect_by_data (self->manager, self);
  g_set_object (&self->manager, manager);
  if (manager != NULL)
    {
      g_signal_connect_swapped (manager, "items-changed", G_CALLBACK (on_items_changed), self);
      g_signal_connect (manager, "categories-changed", G_CALLBACK (on_categories_changed), self);
      g_signal_connect (manager, "icon-changed", G_CALLBACK (on_icon_changed), self);
    }
  rebuild (self);
}

void
dtx_sidebar_set_hidden (DtxSidebar *self,
                        DtxSource  *source,
                        gboolean    hidden)
{
  g_return_if_fail (DTX_IS_SIDEBAR (self));

  if (hidden)
    g_hash_table_add (self->hidden, g_strdup (dtx_source_get_url (source)));
  else
    g_hash_table_remove (self->hidden, dtx_source_get_url (source));
  rebuild (self);
}

DtxSource *
dtx_sidebar_get_selected_source (DtxSidebar *self)
{
  g_return_val_if_fail (DTX_IS_SIDEBAR (self), NULL);

  if (self->selected_url == NULL || self->manager == NULL)
    return NULL;
  return dtx_source_manager_lookup (self->manager, self->selected_url);
}

const char *
dtx_sidebar_get_selected_category (DtxSidebar *self)
{
  g_return_val_if_fail (DTX_IS_SIDEBAR (self), NULL);
  return self->selected_category;
}

void
dtx_sidebar_select (DtxSidebar *self,
                    DtxSource  *source,
                    const char *category)
{
  const char *url;
  GtkListBoxRow *row;

  g_return_if_fail (DTX_IS_SIDEBAR (self));

  url = source ? dtx_source_get_url (source) : NULL;
  row = find_row (self, url, category);
  if (row == NULL)
    return;
  select_row_quietly (self, row);
  set_selection (self, url, category);
}

GtkWidget *
dtx_sidebar_get_row (DtxSidebar *self,
                     DtxSource  *source,
                     const char *category)
{
  g_return_val_if_fail (DTX_IS_SIDEBAR (self), NULL);
  return GTK_WIDGET (find_row (self, source ? dtx_source_get_url (source) : NULL, category));
}

gboolean
dtx_sidebar_popup_menu_for (DtxSidebar *self,
                            GtkWidget  *focus)
{
  GtkWidget *row;

  g_return_val_if_fail (DTX_IS_SIDEBAR (self), FALSE);

  row = focus ? (GTK_IS_LIST_BOX_ROW (focus) ? focus : gtk_widget_get_ancestor (focus, GTK_TYPE_LIST_BOX_ROW)) : NULL;
  if (row == NULL || !gtk_widget_is_ancestor (row, GTK_WIDGET (self)) || item_of (GTK_LIST_BOX_ROW (row)) == NULL ||
      item_of (GTK_LIST_BOX_ROW (row))->kind != ITEM_SOURCE)
    return FALSE;
  popup_menu (GTK_LIST_BOX_ROW (row), -1, -1);
  return TRUE;
}
