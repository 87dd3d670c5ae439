/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-add-source-dialog"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "dtx-add-source-dialog.h"
#include "dtx-error.h"
#include "dtx-source-discovery.h"
#include "dtx-spinner.h"

#define ICON_SIZE 32

struct _DtxAddSourceDialog
{
  AdwWindow          parent_instance;

  GtkEntry          *url_entry;
  GtkWidget         *find_button;
  GtkWidget         *add_button;
  GtkWidget         *progress_box;
  DtxSpinner        *spinner;
  GtkLabel          *progress_label;
  GtkLabel          *message_label;
  GtkListBox        *results_box;

  DtxContext        *context;
  DtxThumbnailCache *thumbnails;
  GCancellable      *cancellable; /* the search or the add under way */
  GCancellable      *lifetime;    /* icons */
  GPtrArray         *results;     /* DtxDiscovered */
  GPtrArray         *checks;      /* GtkCheckButton per result */
  const char        *state;
  gboolean           adding;
};

G_DEFINE_FINAL_TYPE (DtxAddSourceDialog, dtx_add_source_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_SOURCE_ADDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static DtxSourceManager *
get_manager (DtxAddSourceDialog *self)
{
  return dtx_context_get_sources (self->context);
}

static void
show_message (DtxAddSourceDialog *self,
              const char         *text,
              gboolean            is_error)
{
  gtk_label_set_text (self->message_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), text != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
}

static int
chosen_index (DtxAddSourceDialog *self)
{
  for (guint i = 0; self->checks != NULL && i < self->checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->checks, i)))
      return (int)i;
  return -1;
}

static gboolean
is_followed (DtxAddSourceDialog *self,
             const DtxDiscovered *found)
{
  return dtx_source_manager_lookup (get_manager (self), found->url) != NULL;
}

static void
update_actions (DtxAddSourceDialog *self)
{
  int chosen = chosen_index (self);
  gboolean can_add = !self->adding && g_str_equal (self->state, "results") && chosen >= 0 &&
                     !is_followed (self, g_ptr_array_index (self->results, chosen));
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_entry))));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.add", can_add);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.find",
                                 !self->adding && !g_str_equal (self->state, "searching") &&
                                 *text != '\0');
  gtk_widget_set_sensitive (GTK_WIDGET (self->url_entry), !self->adding);
}

static void
set_state (DtxAddSourceDialog *self,
           const char         *state)
{
  gboolean busy = g_str_equal (state, "searching") || self->adding;

  self->state = state;
  gtk_widget_set_visible (self->progress_box, busy);
  dtx_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->results_box), g_str_equal (state, "results"));
  update_actions (self);
}

/* What the user knows the source as. */
static const char *
kind_label (const DtxDiscovered *found)
{
  if (found->kind == DTX_SOURCE_KIND_WORDPRESS)
    return _("WordPress site");
  if (found->url != NULL && g_str_has_prefix (found->url, "https://www.youtube.com/feeds/"))
    return _("YouTube channel");
  return _("Web feed");
}

static void
on_icon_loaded (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GtkImage) image = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = dtx_thumbnail_cache_load_finish (DTX_THUMBNAIL_CACHE (object), result, &error);

  if (texture != NULL)
    gtk_image_set_from_paintable (image, GDK_PAINTABLE (texture));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("No icon: %s", error->message);
}

static void
on_check_toggled (DtxAddSourceDialog *self)
{
  int chosen = chosen_index (self);

  if (chosen >= 0 && is_followed (self, g_ptr_array_index (self->results, chosen)))
    show_message (self, _("You already follow this source."), FALSE);
  else
    show_message (self, NULL, FALSE);
  update_actions (self);
}

static GtkWidget *
result_row (DtxAddSourceDialog  *self,
            const DtxDiscovered *found,
            GtkCheckButton      *group)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();
  GtkWidget *image = gtk_image_new_from_icon_name (found->kind == DTX_SOURCE_KIND_WORDPRESS
                                                     ? "web-browser-symbolic" : "application-rss+xml-symbolic");
  g_autoptr(GString) subtitle = g_string_new (kind_label (found));
  g_autofree char *escaped_title = NULL;
  g_autofree char *escaped_subtitle = NULL;

  for (guint i = 0; found->latest != NULL && i < found->latest->len && i < 3; i++)
    {
      DtxArticle *article = g_ptr_array_index (found->latest, i);
      const char *title = dtx_article_get_title (article);

      if (title != NULL && *title != '\0')
        g_string_append_printf (subtitle, "\n• %s", title);
    }
  if (is_followed (self, found))
    g_string_append_printf (subtitle, "\n%s", _("Already followed"));

  /* Row titles are markup: names come from servers. */
  escaped_title = g_markup_escape_text (found->title && *found->title ? found->title : found->url, -1);
  escaped_subtitle = g_markup_escape_text (subtitle->str, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped_title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped_subtitle);
  gtk_widget_set_tooltip_text (row, found->url);

  gtk_image_set_pixel_size (GTK_IMAGE (image), ICON_SIZE);
  gtk_widget_set_valign (image, GTK_ALIGN_CENTER);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), image);

  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  if (group != NULL)
    gtk_check_button_set_group (GTK_CHECK_BUTTON (check), group);
  g_signal_connect_swapped (check, "toggled", G_CALLBACK (on_check_toggled), self);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  if (found->icon_url != NULL && self->thumbnails != NULL)
    dtx_thumbnail_cache_load_async (self->thumbnails, found->icon_url, self->lifetime,
                                    on_icon_loaded, g_object_ref (image));
  g_ptr_array_add (self->checks, check);
  return row;
}

static void
clear_results (DtxAddSourceDialog *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results_box))) != NULL)
    gtk_list_box_remove (self->results_box, child);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
}

static void
on_discovered (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(DtxAddSourceDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = dtx_source_discover_finish (result, &error);
  GtkCheckButton *group = NULL;
  int first_new = -1;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  if (found == NULL || found->len == 0)
    {
      g_message ("Discovery failed: %s", error ? error->message : "nothing found");
      show_message (self, error ? error->message : _("No articles were found at this address. Check it and try again."), TRUE);
      set_state (self, "error");
      return;
    }

  clear_results (self);
  self->results = g_steal_pointer (&found);
  self->checks = g_ptr_array_new ();
  for (guint i = 0; i < self->results->len; i++)
    {
      const DtxDiscovered *d = g_ptr_array_index (self->results, i);
      GtkWidget *row = result_row (self, d, group);

      if (group == NULL)
        group = g_ptr_array_index (self->checks, 0);
      if (first_new < 0 && !is_followed (self, d))
        first_new = (int)i;
      gtk_list_box_append (self->results_box, row);
    }
  set_state (self, "results");
  gtk_check_button_set_active (g_ptr_array_index (self->checks, first_new >= 0 ? first_new : 0), TRUE);
  on_check_toggled (self);
  if (self->results->len > 1)
    gtk_widget_grab_focus (g_ptr_array_index (self->checks, first_new >= 0 ? first_new : 0));
  else
    gtk_widget_grab_focus (self->add_button);
}

static void
find_action (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  DtxAddSourceDialog *self = DTX_ADD_SOURCE_DIALOG (widget);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_entry))));

  if (*text == '\0' || self->adding)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  clear_results (self);
  show_message (self, NULL, FALSE);
  gtk_label_set_text (self->progress_label, _("Looking for articles…"));
  set_state (self, "searching");
  dtx_source_discover_async (dtx_context_get_fetcher (self->context), text, self->cancellable,
                             on_discovered, g_object_ref (self));
}

static void
on_added (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DtxAddSourceDialog *self = g_task_get_source_object (task);
  DtxSource *source = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!dtx_source_manager_add_finish (DTX_SOURCE_MANAGER (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->adding = FALSE;
      g_clear_object (&self->cancellable);
      if (g_error_matches (error, DTX_ERROR, DTX_ERROR_EXISTS))
        show_message (self, _("You already follow this source."), FALSE);
      else
        {
          g_message ("Adding %s failed: %s", dtx_source_get_url (source), error->message);
          show_message (self, error->message, TRUE);
        }
      set_state (self, "results");
      return;
    }
  self->adding = FALSE;
  g_clear_object (&self->cancellable);
  g_signal_emit (self, signals[SIGNAL_SOURCE_ADDED], 0, source);
  gtk_window_close (GTK_WINDOW (self));
}

static void
add_action (GtkWidget  *widget,
            const char *name,
            GVariant   *param)
{
  DtxAddSourceDialog *self = DTX_ADD_SOURCE_DIALOG (widget);
  int chosen = chosen_index (self);
  g_autoptr(DtxSource) source = NULL;
  GTask *task;

  if (chosen < 0 || self->adding)
    return;
  source = dtx_discovered_create_source (g_ptr_array_index (self->results, chosen),
                                         dtx_context_get_fetcher (self->context));
  self->adding = TRUE;
  gtk_label_set_text (self->progress_label, _("Adding…"));
  set_state (self, "results");
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, NULL, NULL, NULL);
  g_task_set_task_data (task, g_object_ref (source), g_object_unref);
  dtx_source_manager_add_async (get_manager (self), source, self->cancellable, on_added, task);
}

/* Cancel stops the search under way and keeps the dialog; else it closes. */
static void
cancel_action (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  DtxAddSourceDialog *self = DTX_ADD_SOURCE_DIALOG (widget);

  if (g_str_equal (self->state, "searching"))
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      set_state (self, "start");
      gtk_widget_grab_focus (GTK_WIDGET (self->url_entry));
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_entry_activate (GtkEntry           *entry,
                   DtxAddSourceDialog *self)
{
  /* Enter adds what was found for the same address, else searches. */
  if (g_str_equal (self->state, "results") && gtk_widget_is_sensitive (self->add_button))
    gtk_widget_activate_action (GTK_WIDGET (self), "dialog.add", NULL);
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "dialog.find", NULL);
}

static void
on_entry_changed (GtkEntry           *entry,
                  DtxAddSourceDialog *self)
{
  /* Results belong to the address they were found for. */
  if (!self->adding && !g_str_equal (self->state, "searching"))
    {
      clear_results (self);
      show_message (self, NULL, FALSE);
      set_state (self, "start");
    }
  update_actions (self);
}

static void
dtx_add_source_dialog_dispose (GObject *object)
{
  DtxAddSourceDialog *self = DTX_ADD_SOURCE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->lifetime);
  g_clear_object (&self->lifetime);
  clear_results (self);
  g_clear_object (&self->context);
  g_clear_object (&self->thumbnails);
  gtk_widget_dispose_template (GTK_WIDGET (self), DTX_TYPE_ADD_SOURCE_DIALOG);

  G_OBJECT_CLASS (dtx_add_source_dialog_parent_class)->dispose (object);
}

static void
dtx_add_source_dialog_class_init (DtxAddSourceDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dtx_add_source_dialog_dispose;

  signals[SIGNAL_SOURCE_ADDED] =
    g_signal_new ("source-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, DTX_TYPE_SOURCE);

  g_type_ensure (DTX_TYPE_SPINNER);
  gtk_widget_class_set_template_from_resource (widget_class, "/id/digitripx/Reader/ui/dtx-add-source-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DtxAddSourceDialog, url_entry);
  gtk_widget_class_bind_template_child (widget_class, DtxAddSourceDialog, find_button);
  gtk_widget_class_bind_template_child (widget_class, DtxAddSourceDialog, add_button);
  gtk_widget_class_bind_template_child (widget_class, DtxAddSourceDialog, progress_box);
  gtk_widget_class_bind_template_child (widget_class, DtxAddSourceDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, DtxAddSourceDialog, progress_label);
  gtk_widget_class_bind_template_child (widget_class, DtxAddSourceDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, DtxAddSourceDialog, results_box);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);

  gtk_widget_class_install_action (widget_class, "dialog.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "dialog.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "dialog.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "dialog.cancel", NULL);
}

static void
dtx_add_source_dialog_init (DtxAddSourceDialog *self)
{
  self->state = "start";
  self->lifetime = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  set_state (self, "start");
  /* The address is what the user came to type. */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->url_entry));
}

DtxAddSourceDialog *
dtx_add_source_dialog_new (GtkWindow         *parent,
                           DtxContext        *context,
                           DtxThumbnailCache *thumbnails)
{
  DtxAddSourceDialog *self;

  g_return_val_if_fail (DTX_IS_CONTEXT (context), NULL);

  self = g_object_new (DTX_TYPE_ADD_SOURCE_DIALOG, "transient-for", parent, NULL);
  self->context = g_object_ref (context);
  self->thumbnails = thumbnails ? g_object_ref (thumbnails) : NULL;
  return self;
}

const char *
dtx_add_source_dialog_get_state (DtxAddSourceDialog *self)
{
  g_return_val_if_fail (DTX_IS_ADD_SOURCE_DIALOG (self), NULL);
  return self->state;
}

const char *
dtx_add_source_dialog_get_message (DtxAddSourceDialog *self)
{
  g_return_val_if_fail (DTX_IS_ADD_SOURCE_DIALOG (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->message_label)) ? gtk_label_get_text (self->message_label) : NULL;
}

guint
dtx_add_source_dialog_get_n_results (DtxAddSourceDialog *self)
{
  g_return_val_if_fail (DTX_IS_ADD_SOURCE_DIALOG (self), 0);
  return self->results ? self->results->len : 0;
}

void
dtx_add_source_dialog_choose (DtxAddSourceDialog *self,
                              guint               index)
{
  g_return_if_fail (DTX_IS_ADD_SOURCE_DIALOG (self));
  g_return_if_fail (self->checks != NULL && index < self->checks->len);
  gtk_check_button_set_active (g_ptr_array_index (self->checks, index), TRUE);
}
