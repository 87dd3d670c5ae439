/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-application"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib-unix.h>

#include "dtx-application.h"
#include "dtx-context.h"
#include "dtx-preferences.h"
#include "dtx-subscriptions.h"
#include "dtx-window-private.h"

struct _DtxApplication
{
  AdwApplication  parent_instance;

  DtxContext     *context;
  GSettings      *settings;
  char           *source_override; /* --source, for this run only */
  guint           sigterm_id;
  guint           sigint_id;
  gboolean        held;           /* run-in-background: alive without a window */
  GCancellable   *portal_cancellable;
  guint           portal_response_id;
  GHashTable     *unread_before;  /* url → unread count when the refresh run began */
  guint           notify_id;      /* a notification waiting for the unread counts */
};

G_DEFINE_FINAL_TYPE (DtxApplication, dtx_application, ADW_TYPE_APPLICATION)

static const GOptionEntry options[] = {
  { "source", 's', 0, G_OPTION_ARG_STRING, NULL,
    N_("Read this WordPress site or feed instead of the one in the settings"), N_("URL") },
  { "export-bookmarks", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Write every bookmark to FILE as JSON and quit"), N_("FILE") },
  { "import-bookmarks", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Add the bookmarks in FILE (written by --export-bookmarks) and quit"), N_("FILE") },
  { "export-opml", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Write the followed sources to FILE as OPML and quit"), N_("FILE") },
  { "import-opml", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Follow the sources listed in the OPML FILE and quit"), N_("FILE") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and quit"), NULL },
  { NULL }
};

static DtxWindow *
ensure_window (DtxApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autofree char *url = NULL;

  if (window != NULL)
    return DTX_WINDOW (window);

  /* Every followed source; --source follows (and shows) one more. The site
   * an earlier version read (its "source" setting) is followed once. */
  url = g_strdup (self->source_override);
  if (url == NULL)
    {
      g_autofree char *old = g_settings_get_string (self->settings, "source");

      if (*old != '\0' && !g_str_equal (old, DTX_SOURCE_DEFAULT_URL))
        url = g_steal_pointer (&old);
      g_settings_reset (self->settings, "source");
    }
  return dtx_window_new (GTK_APPLICATION (self), self->context, url);
}

static void
dtx_application_activate (GApplication *app)
{
  dtx_window_present_with_list (ensure_window (DTX_APPLICATION (app)));
}

static void
dtx_application_open (GApplication  *app,
                      GFile        **files,
                      int            n_files,
                      const char    *hint)
{
  DtxWindow *window = ensure_window (DTX_APPLICATION (app));

  /* The reader shows one article: the last one named wins. */
  if (n_files > 0)
    {
      g_autofree char *uri = g_file_get_uri (files[n_files - 1]);
      dtx_window_open_url (window, uri);
    }
  gtk_window_present (GTK_WINDOW (window));
}

/* --export-bookmarks and --import-bookmarks run in the process that was
 * started, with no window, also while the app runs: the store's file is
 * shared safely between processes. */
static void
store_result (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static int
run_bookmarks_file (const char *export_path,
                    const char *import_path)
{
  g_autofree char *path = dtx_context_default_store_path ();
  g_autoptr(DtxStore) store = dtx_store_new (path);
  g_autoptr(GAsyncResult) opened = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *moved_to = NULL;
  guint n_recovered = 0;

  dtx_store_open_async (store, NULL, store_result, &opened);
  if (!dtx_store_open_finish (store, wait_for (&opened), &moved_to, &n_recovered, &error) &&
      (import_path != NULL || !g_error_matches (error, DTX_STORE_ERROR, DTX_STORE_ERROR_NEWER)))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_clear_error (&error);
  if (moved_to != NULL)
    /* Translators: %s is a file name */
    g_printerr (_("The file of saved articles could not be read; it was kept as %s.\n"), moved_to);

  if (export_path != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (export_path);
      guint n = 0;

      dtx_store_export_bookmarks_async (store, file, NULL, store_result, &done);
      if (!dtx_store_export_bookmarks_finish (store, wait_for (&done), &n, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      g_print (g_dngettext (GETTEXT_PACKAGE, "Exported %u bookmark to %s\n", "Exported %u bookmarks to %s\n", n),
               n, export_path);
    }
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (import_path);
      guint n_added = 0, n_skipped = 0;

      dtx_store_import_bookmarks_async (store, file, NULL, store_result, &done);
      if (!dtx_store_import_bookmarks_finish (store, wait_for (&done), &n_added, &n_skipped, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      g_print (g_dngettext (GETTEXT_PACKAGE, "Imported %u bookmark", "Imported %u bookmarks", n_added), n_added);
      g_print ("; ");
      g_print (g_dngettext (GETTEXT_PACKAGE, "%u was already saved\n", "%u were already saved\n", n_skipped), n_skipped);
    }
  return 0;
}

/* --export-opml and --import-opml work on the store in this process, as the
 * bookmark options do. While the app runs, an import is handed to it instead,
 * so its sidebar shows the new sources at once. */
static int
run_opml_file (const char *export_path,
               const char *import_path)
{
  g_autofree char *path = dtx_context_default_store_path ();
  g_autoptr(DtxStore) store = dtx_store_new (path);
  g_autoptr(DtxFetcher) fetcher = dtx_fetcher_new ();
  g_autoptr(DtxSourceManager) manager = NULL;
  g_autoptr(GAsyncResult) opened = NULL;
  g_autoptr(GAsyncResult) loaded = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GError) error = NULL;

  dtx_store_open_async (store, NULL, store_result, &opened);
  if (!dtx_store_open_finish (store, wait_for (&opened), NULL, NULL, &error) &&
      (import_path != NULL || !g_error_matches (error, DTX_STORE_ERROR, DTX_STORE_ERROR_NEWER)))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_clear_error (&error);
  manager = dtx_source_manager_new (fetcher, store);
  dtx_source_manager_load_async (manager, NULL, store_result, &loaded);
  if (!dtx_source_manager_load_finish (manager, wait_for (&loaded), &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  if (export_path != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (export_path);
      guint n = 0;

      dtx_subscriptions_export_async (manager, file, NULL, store_result, &done);
      if (!dtx_subscriptions_export_finish (manager, wait_for (&done), &n, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      g_print (g_dngettext (GETTEXT_PACKAGE, "Exported %u source to %s\n", "Exported %u sources to %s\n", n),
               n, export_path);
    }
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (import_path);
      g_autoptr(DtxImportReport) report = NULL;
      g_autofree char *summary = NULL;

      dtx_subscriptions_import_async (manager, fetcher, file, NULL, store_result, &done);
      report = dtx_subscriptions_import_finish (manager, wait_for (&done), &error);
      if (report == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      summary = dtx_import_report_describe (report);
      g_print ("%s\n", summary);
      for (guint i = 0; i < report->failures->len; i++)
        g_print ("  %s\n", (const char *)g_ptr_array_index (report->failures, i));
    }
  /* Refreshes the adds started may still run: the store ends them cleanly. */
  dtx_store_close (store);
  return 0;
}

/* Registering would start this process as the app (and open the store a
 * second time): the running instance is asked over D-Bus directly. */
static gboolean
hand_import_to_running_app (const char *import_path)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) owned = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (import_path);
  g_autofree char *uri = g_file_get_uri (file);
  g_autoptr(GError) error = NULL;
  gboolean has_owner = FALSE;
  GVariantBuilder parameter;

  if (bus == NULL)
    return FALSE;
  owned = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "NameHasOwner", g_variant_new ("(s)", APPLICATION_ID), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (owned != NULL)
    g_variant_get (owned, "(b)", &has_owner);
  if (!has_owner)
    return FALSE;
  g_variant_builder_init (&parameter, G_VARIANT_TYPE ("av"));
  g_variant_builder_add (&parameter, "v", g_variant_new_string (uri));
  reply = g_dbus_connection_call_sync (bus, APPLICATION_ID, "/id/digitripx/Reader", "org.gtk.Actions", "Activate",
                                       g_variant_new ("(sava{sv})", "import-opml", &parameter, NULL),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  if (reply == NULL)
    {
      g_message ("Handing the import to the running app failed: %s", error->message);
      return FALSE;
    }
  return TRUE;
}

static int
dtx_application_handle_local_options (GApplication *app,
                                      GVariantDict *dict)
{
  DtxApplication *self = DTX_APPLICATION (app);
  const char *source = NULL;

  if (g_variant_dict_contains (dict, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return 0;
    }
  if (g_variant_dict_lookup (dict, "source", "&s", &source))
    self->source_override = g_strdup (source);
  if (g_variant_dict_contains (dict, "export-bookmarks") || g_variant_dict_contains (dict, "import-bookmarks"))
    {
      const char *export_path = NULL;
      const char *import_path = NULL;

      g_variant_dict_lookup (dict, "export-bookmarks", "^&ay", &export_path);
      g_variant_dict_lookup (dict, "import-bookmarks", "^&ay", &import_path);
      return run_bookmarks_file (export_path, import_path);
    }
  if (g_variant_dict_contains (dict, "export-opml") || g_variant_dict_contains (dict, "import-opml"))
    {
      const char *export_path = NULL;
      const char *import_path = NULL;

      g_variant_dict_lookup (dict, "export-opml", "^&ay", &export_path);
      g_variant_dict_lookup (dict, "import-opml", "^&ay", &import_path);
      if (import_path != NULL && hand_import_to_running_app (import_path))
        {
          /* Translators: %s is a file name */
          g_print (_("DigiTripX Reader is running: it imports %s and shows what it added.\n"), import_path);
          return 0;
        }
      return run_opml_file (export_path, import_path);
    }

  return G_APPLICATION_CLASS (dtx_application_parent_class)->handle_local_options (app, dict);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  static const char *developers[] = { "DigiTripX", NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("DigiTripX Reader"),
                         "application-icon", APPLICATION_ID,
                         "developer-name", "DigiTripX",
                         "developers", developers,
                         "version", PACKAGE_VERSION,
                         "website", "https://digitripx.id",
                         "copyright", "© 2026 DigiTripX",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         /* Translators: your name(s), one per line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void set_held (DtxApplication *self, gboolean held);

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (app);

  /* Close rather than quit, so windows save their size. */
  while (windows != NULL)
    {
      GList *next = windows->next;
      gtk_window_close (GTK_WINDOW (windows->data));
      windows = next;
    }
  /* Quit means quit, also when the app keeps running in the background. */
  set_held (DTX_APPLICATION (app), FALSE);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  DtxApplication *self = DTX_APPLICATION (user_data);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  DtxArticle *article = DTX_IS_WINDOW (window) ? dtx_window_get_shown_article (DTX_WINDOW (window)) : NULL;

  /* The shown article makes the message preview real. */
  gtk_window_present (GTK_WINDOW (dtx_preferences_new (window, self->context, article)));
}

/* A session that ends sends SIGTERM: close the windows as Ctrl+Q does, so
 * the store is closed cleanly and the next start needs no full check. */
static gboolean
on_terminate (gpointer user_data)
{
  g_action_group_activate_action (G_ACTION_GROUP (user_data), "quit", NULL);
  /* Also before the first window exists. */
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

/* Notifications */

static gboolean
any_window_focused (DtxApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (gtk_window_is_active (GTK_WINDOW (l->data)) && gtk_widget_get_visible (GTK_WIDGET (l->data)))
      return TRUE;
  return FALSE;
}

static guint
unread_of (DtxSource *source)
{
  return dtx_source_get_unread_count (source);
}

/* Each source's unread count as a refresh run begins: the sources whose
 * count grew brought the new articles. */
static void
on_refreshing_changed (DtxSourceManager *manager,
                       GParamSpec       *pspec,
                       DtxApplication   *self)
{
  guint n;

  if (!dtx_source_manager_get_refreshing (manager))
    return;
  g_hash_table_remove_all (self->unread_before);
  n = g_list_model_get_n_items (G_LIST_MODEL (manager));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DtxSource) source = g_list_model_get_item (G_LIST_MODEL (manager), i);
      g_hash_table_insert (self->unread_before, g_strdup (dtx_source_get_url (source)),
                           GUINT_TO_POINTER (unread_of (source)));
    }
}

static guint
count_sources_with_news (DtxApplication   *self,
                         DtxSourceManager *manager)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (manager));
  guint count = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DtxSource) source = g_list_model_get_item (G_LIST_MODEL (manager), i);
      gpointer before;

      if (g_hash_table_lookup_extended (self->unread_before, dtx_source_get_url (source), NULL, &before) &&
          unread_of (source) > GPOINTER_TO_UINT (before))
        count++;
    }
  return count;
}

typedef struct {
  DtxApplication *self;
  guint           n_new;
  DtxSource      *source; /* NULL: several */
  DtxArticle     *newest;
} PendingNotification;

static void
pending_notification_free (gpointer data)
{
  PendingNotification *p = data;

  g_clear_object (&p->source);
  g_clear_object (&p->newest);
  g_free (p);
}

static gboolean
send_new_articles (gpointer data)
{
  PendingNotification *p = data;
  DtxApplication *self = p->self;
  DtxSourceManager *manager = dtx_context_get_sources (self->context);
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  guint n_sources;

  self->notify_id = 0;
  if (any_window_focused (self))
    return G_SOURCE_REMOVE;
  n_sources = p->source ? 1 : count_sources_with_news (self, manager);
  if (p->source != NULL)
    /* Translators: a notification's title: "3 new articles from DigiTripX.id" */
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u new article from %s", "%u new articles from %s", p->n_new),
                             p->n_new, dtx_source_get_title (p->source));
  else if (n_sources > 1)
    {
      /* Translators: the end of "3 new articles from 2 sources" */
      g_autofree char *from = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "from %u source", "from %u sources", n_sources),
                                               n_sources);
      /* Translators: a notification's title: the first %u counts the articles, %s is "from 2 sources" */
      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u new article %s", "%u new articles %s", p->n_new),
                               p->n_new, from);
    }
  else
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u new article", "%u new articles", p->n_new), p->n_new);

  notification = g_notification_new (title);
  if (p->newest != NULL && dtx_article_get_title (p->newest) != NULL)
    g_notification_set_body (notification, dtx_article_get_title (p->newest));
  g_notification_set_default_action_and_target (notification, "app.show-articles", "s",
                                                p->source ? dtx_source_get_url (p->source) : "");
  g_application_send_notification (G_APPLICATION (self), "new-articles", notification);
  return G_SOURCE_REMOVE;
}

/* One notification per refresh run that brought news while no window of
 * the app is in front; its default action shows them. News from several
 * sources waits a moment for their unread counts, which say how many
 * sources brought it. */
static void
on_new_articles (DtxSourceManager *manager,
                 guint             n_new,
                 DtxSource        *source,
                 DtxArticle       *newest,
                 DtxApplication   *self)
{
  PendingNotification *p;

  if (n_new == 0 || !g_settings_get_boolean (self->settings, "notify-new-articles") || any_window_focused (self))
    return;
  g_clear_handle_id (&self->notify_id, g_source_remove);
  p = g_new0 (PendingNotification, 1);
  p->self = self;
  p->n_new = n_new;
  p->source = source ? g_object_ref (source) : NULL;
  p->newest = newest ? g_object_ref (newest) : NULL;
  if (source != NULL)
    {
      send_new_articles (p);
      pending_notification_free (p);
      return;
    }
  self->notify_id = g_timeout_add_full (G_PRIORITY_DEFAULT, 1000, send_new_articles, p, pending_notification_free);
}

static void
show_articles_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  DtxApplication *self = DTX_APPLICATION (user_data);
  DtxWindow *window = ensure_window (self);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.select-source", "s", g_variant_get_string (parameter, NULL));
  gtk_window_present (GTK_WINDOW (window));
  g_application_withdraw_notification (G_APPLICATION (self), "new-articles");
}

/* Refreshes one source by its URL, or every source (""): also without a
 * window, in the background. */
static void
refresh_source_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  DtxApplication *self = DTX_APPLICATION (user_data);
  DtxSourceManager *manager = dtx_context_get_sources (self->context);
  const char *url = g_variant_get_string (parameter, NULL);
  DtxSource *source = *url ? dtx_source_manager_lookup (manager, url) : NULL;

  if (*url != '\0' && source == NULL)
    return;
  dtx_source_manager_refresh_async (manager, source, NULL, NULL, NULL);
}

static void
import_opml_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  DtxApplication *self = DTX_APPLICATION (user_data);
  DtxWindow *window = ensure_window (self);
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (parameter, NULL));

  gtk_window_present (GTK_WINDOW (window));
  dtx_window_import_opml (window, file);
}

/* Running in the background: a hold keeps the app alive without a window;
 * inside Flatpak the Background portal is asked first. */

static void
set_held (DtxApplication *self,
          gboolean        held)
{
  if (self->held == held)
    return;
  self->held = held;
  if (held)
    g_application_hold (G_APPLICATION (self));
  else
    g_application_release (G_APPLICATION (self));
}

static void
tell_background_refused (DtxApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  g_settings_set_boolean (self->settings, "run-in-background", FALSE);
  if (DTX_IS_WINDOW (window))
    dtx_window_add_toast (DTX_WINDOW (window),
                          adw_toast_new (_("Running in the background was not allowed. Change it in the system’s settings for apps.")));
}

static void
on_portal_response (GDBusConnection *connection,
                    const char      *sender,
                    const char      *object_path,
                    const char      *interface,
                    const char      *signal,
                    GVariant        *parameters,
                    gpointer         user_data)
{
  DtxApplication *self = DTX_APPLICATION (user_data);
  g_autoptr(GVariant) results = NULL;
  guint32 response = 2;
  gboolean background = FALSE;

  g_dbus_connection_signal_unsubscribe (connection, self->portal_response_id);
  self->portal_response_id = 0;
  g_variant_get (parameters, "(u@a{sv})", &response, &results);
  g_variant_lookup (results, "background", "b", &background);
  g_debug ("Background portal: response %u, background %d", response, background);
  if (response != 0 || !background)
    {
      set_held (self, FALSE);
      tell_background_refused (self);
    }
}

static void
on_background_requested (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  DtxApplication *self = DTX_APPLICATION (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);

  if (reply == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* No portal (an older host): the hold alone keeps the app alive. */
      g_message ("The Background portal could not be asked: %s", error->message);
      if (self->portal_response_id != 0)
        g_dbus_connection_signal_unsubscribe (G_DBUS_CONNECTION (object), self->portal_response_id);
      self->portal_response_id = 0;
    }
}

static void
request_background (DtxApplication *self)
{
  GDBusConnection *bus = g_application_get_dbus_connection (G_APPLICATION (self));
  g_autofree char *token = NULL;
  g_autofree char *sender = NULL;
  g_autofree char *handle = NULL;
  GVariantBuilder request;

  if (bus == NULL || !g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    return;
  /* The request's object path is known in advance, so its Response is
   * never missed (the portal's documented handle_token scheme). */
  token = g_strdup_printf ("dtx%u", g_random_int ());
  sender = g_strdup (g_dbus_connection_get_unique_name (bus) + 1);
  g_strdelimit (sender, ".", '_');
  handle = g_strdup_printf ("/org/freedesktop/portal/desktop/request/%s/%s", sender, token);
  if (self->portal_response_id != 0)
    g_dbus_connection_signal_unsubscribe (bus, self->portal_response_id);
  self->portal_response_id =
    g_dbus_connection_signal_subscribe (bus, "org.freedesktop.portal.Desktop", "org.freedesktop.portal.Request",
                                        "Response", handle, NULL, G_DBUS_SIGNAL_FLAGS_NO_MATCH_RULE,
                                        on_portal_response, self, NULL);

  g_variant_builder_init (&request, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&request, "{sv}", "handle_token", g_variant_new_string (token));
  g_variant_builder_add (&request, "{sv}", "reason",
                         g_variant_new_string (_("Keep refreshing your sources and tell you about new articles")));
  g_variant_builder_add (&request, "{sv}", "autostart", g_variant_new_boolean (FALSE));
  g_cancellable_cancel (self->portal_cancellable);
  g_clear_object (&self->portal_cancellable);
  self->portal_cancellable = g_cancellable_new ();
  g_dbus_connection_call (bus, "org.freedesktop.portal.Desktop", "/org/freedesktop/portal/desktop",
                          "org.freedesktop.portal.Background", "RequestBackground",
                          g_variant_new ("(sa{sv})", "", &request), G_VARIANT_TYPE ("(o)"),
                          G_DBUS_CALL_FLAGS_NONE, -1, self->portal_cancellable,
                          on_background_requested, self);
}

static void
on_background_changed (DtxApplication *self)
{
  gboolean wanted = g_settings_get_boolean (self->settings, "run-in-background");

  if (wanted && !self->held)
    request_background (self);
  set_held (self, wanted);
}

static void
on_interval_changed (DtxApplication *self)
{
  dtx_source_manager_set_refresh_interval (dtx_context_get_sources (self->context),
                                           g_settings_get_uint (self->settings, "refresh-interval"));
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "preferences", preferences_action },
  { "quit", quit_action },
  { "show-articles", show_articles_action, "s" },
  { "import-opml", import_opml_action, "s" },
  { "refresh-source", refresh_source_action, "s" },
};

static void
dtx_application_startup (GApplication *app)
{
  DtxApplication *self = DTX_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (dtx_application_parent_class)->startup (app);

  self->context = dtx_context_new (NULL, NULL);
  self->settings = g_settings_new (APPLICATION_ID);
  /* As early as can be, so that GIO is ready by the time the window asks;
   * but after the first GSettings (see the function). */
  dtx_fetcher_warm_up (dtx_context_get_fetcher (self->context));

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", preferences_accels);

  {
    DtxSourceManager *manager = dtx_context_get_sources (self->context);

    g_signal_connect_object (manager, "new-articles", G_CALLBACK (on_new_articles), self, 0);
    g_signal_connect_object (manager, "notify::refreshing", G_CALLBACK (on_refreshing_changed), self, 0);
    g_signal_connect_swapped (self->settings, "changed::refresh-interval", G_CALLBACK (on_interval_changed), self);
    g_signal_connect_swapped (self->settings, "changed::run-in-background", G_CALLBACK (on_background_changed), self);
    on_interval_changed (self);
    on_background_changed (self);
  }

  self->sigterm_id = g_unix_signal_add (SIGTERM, on_terminate, app);
  self->sigint_id = g_unix_signal_add (SIGINT, on_terminate, app);
}

static void
dtx_application_shutdown (GApplication *app)
{
  DtxApplication *self = DTX_APPLICATION (app);

  g_clear_handle_id (&self->sigterm_id, g_source_remove);
  g_clear_handle_id (&self->sigint_id, g_source_remove);
  g_clear_handle_id (&self->notify_id, g_source_remove);
  g_cancellable_cancel (self->portal_cancellable);
  if (self->portal_response_id != 0 && g_application_get_dbus_connection (app) != NULL)
    g_dbus_connection_signal_unsubscribe (g_application_get_dbus_connection (app), self->portal_response_id);
  self->portal_response_id = 0;
  /* Work still under way may hold the store past this point. */
  if (self->context != NULL)
    dtx_store_close (dtx_context_get_store (self->context));

  G_APPLICATION_CLASS (dtx_application_parent_class)->shutdown (app);
}

static void
dtx_application_finalize (GObject *object)
{
  DtxApplication *self = (DtxApplication *)object;

  g_clear_object (&self->context);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->source_override, g_free);
  g_clear_object (&self->portal_cancellable);
  g_clear_pointer (&self->unread_before, g_hash_table_unref);

  G_OBJECT_CLASS (dtx_application_parent_class)->finalize (object);
}

static void
dtx_application_class_init (DtxApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = dtx_application_finalize;
  app_class->activate = dtx_application_activate;
  app_class->open = dtx_application_open;
  app_class->startup = dtx_application_startup;
  app_class->shutdown = dtx_application_shutdown;
  app_class->handle_local_options = dtx_application_handle_local_options;
}

static void
dtx_application_init (DtxApplication *self)
{
  self->unread_before = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[ARTICLE-URL]"));
}

DtxApplication *
dtx_application_new (void)
{
  return g_object_new (DTX_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/id/digitripx/Reader",
                       NULL);
}
