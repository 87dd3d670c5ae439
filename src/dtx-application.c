/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-application"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib-unix.h>

#include "dtx-application.h"
#include "dtx-context.h"
#include "dtx-preferences.h"
#include "dtx-window-private.h"

struct _DtxApplication
{
  AdwApplication  parent_instance;

  DtxContext     *context;
  GSettings      *settings;
  char           *source_override; /* --source, for this run only */
  guint           sigterm_id;
  guint           sigint_id;
};

G_DEFINE_FINAL_TYPE (DtxApplication, dtx_application, ADW_TYPE_APPLICATION)

static const GOptionEntry options[] = {
  { "source", 's', 0, G_OPTION_ARG_STRING, NULL,
    N_("Read this WordPress site or feed instead of the one in the settings"), N_("URL") },
  { "export-bookmarks", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Write every bookmark to FILE as JSON and quit"), N_("FILE") },
  { "import-bookmarks", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Add the bookmarks in FILE (written by --export-bookmarks) and quit"), N_("FILE") },
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

  url = self->source_override ? g_strdup (self->source_override)
                              : g_settings_get_string (self->settings, "source");
  if (*url == '\0')
    {
      g_free (url);
      url = g_strdup (DTX_SOURCE_DEFAULT_URL);
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

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "preferences", preferences_action },
  { "quit", quit_action },
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
   * but after the first GSettings: GNOME's proxy resolver makes one while
   * holding GIO's module lock, and a main thread making the first GSettings
   * then would take the two in the other order and deadlock. */
  dtx_fetcher_warm_up_async (dtx_context_get_fetcher (self->context), NULL, NULL, NULL);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", preferences_accels);

  self->sigterm_id = g_unix_signal_add (SIGTERM, on_terminate, app);
  self->sigint_id = g_unix_signal_add (SIGINT, on_terminate, app);
}

static void
dtx_application_shutdown (GApplication *app)
{
  DtxApplication *self = DTX_APPLICATION (app);

  g_clear_handle_id (&self->sigterm_id, g_source_remove);
  g_clear_handle_id (&self->sigint_id, g_source_remove);
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
