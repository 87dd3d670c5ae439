/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Share to Telegram in a real window with a real WebKit reader: the URI the
 * app hands over reaches a handler installed the way Telegram Desktop
 * installs itself (a desktop file for x-scheme-handler/tg, the default in
 * mimeapps.list) in a scratch XDG folder; its Exec records its argument.
 * Posting goes to a fake Bot API on 127.0.0.1. */
#define G_LOG_DOMAIN "test-share"
#include "config.h"

#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>

#include "dtx-preferences.h"
#include "dtx-test-bot.h"
#include "dtx-test-site.h"
#include "dtx-test-ui.h"
#include "dtx-window-share.h"

#define TITLE "Review Ponsel Lipat: Layar 7,6” & Baterai 4.400 mAh"
#define TITLE_Q "Review%20Ponsel%20Lipat%3A%20Layar%207%2C6%E2%80%9D%20%26%20Baterai%204.400%20mAh"
#define TITLE_HTML "Review Ponsel Lipat: Layar 7,6” &amp; Baterai 4.400 mAh"

static char *scratch;

typedef struct {
  DtxTestSite *site;
  DtxTestBot  *bot;
  DtxFetcher  *fetcher;
  DtxSecrets  *secrets;
  DtxContext  *context;
  DtxWindow   *window;
  GSettings   *settings;
  char        *link;
} Fixture;

/* Handlers */

static char *
record_path (const char *scheme)
{
  return g_strdup_printf ("%s/received-%s.txt", scratch, scheme);
}

static void
install_handler (const char *scheme)
{
  g_autofree char *script = g_strdup_printf ("%s/record-%s.sh", scratch, scheme);
  g_autofree char *record = record_path (scheme);
  g_autofree char *script_text = g_strdup_printf ("#!/bin/sh\nprintf '%%s\\n' \"$1\" >> '%s'\n", record);
  g_autofree char *desktop = g_strdup_printf ("%s/data/applications/dtx-test-%s.desktop", scratch, scheme);
  g_autofree char *desktop_text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (script, script_text, -1, &error));
  g_assert_cmpint (g_chmod (script, 0755), ==, 0);
  desktop_text = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Recorder for %s\n"
                                  "Exec=%s %%u\nNoDisplay=true\nMimeType=x-scheme-handler/%s;\n",
                                  scheme, script, scheme);
  g_assert_true (g_file_set_contents (desktop, desktop_text, -1, &error));
}

static void
write_mimeapps (gboolean tg)
{
  g_autofree char *path = g_strdup_printf ("%s/config/mimeapps.list", scratch);
  g_autofree char *text = g_strdup_printf ("[Default Applications]\n"
                                           "x-scheme-handler/https=dtx-test-https.desktop\n"
                                           "x-scheme-handler/http=dtx-test-https.desktop\n"
                                           "%s",
                                           tg ? "x-scheme-handler/tg=dtx-test-tg.desktop\n" : "");

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static gboolean
tg_handler_known (gpointer data)
{
  g_autoptr(GAppInfo) info = g_app_info_get_default_for_uri_scheme ("tg");

  return info != NULL && g_str_equal (g_app_info_get_id (info), "dtx-test-tg.desktop");
}

static void
set_up_xdg (void)
{
  g_autofree char *apps = NULL;
  g_autofree char *data_home = NULL;
  g_autofree char *config = NULL;
  g_autofree char *config_dirs = NULL;
  g_autofree char *data_dirs = NULL;

  scratch = g_dir_make_tmp ("dtx-test-share-XXXXXX", NULL);
  apps = g_build_filename (scratch, "data", "applications", NULL);
  config = g_build_filename (scratch, "config", NULL);
  config_dirs = g_build_filename (scratch, "config-dirs", NULL);
  data_dirs = g_strdup_printf ("%s/data-dirs:/usr/local/share:/usr/share", scratch);
  g_assert_cmpint (g_mkdir_with_parents (apps, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (config, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (config_dirs, 0700), ==, 0);

  /* Only a browser stand-in to begin with: no Telegram app. */
  install_handler ("https");
  write_mimeapps (FALSE);

  data_home = g_build_filename (scratch, "data", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_CONFIG_DIRS", config_dirs, TRUE);
  g_setenv ("XDG_DATA_DIRS", data_dirs, TRUE);
}

static char *
read_received (const char *scheme)
{
  g_autofree char *path = record_path (scheme);
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  return text;
}

static gboolean
received (gpointer data)
{
  g_autofree char *text = read_received (data);

  return text != NULL && strchr (text, '\n') != NULL;
}

static void
forget_received (void)
{
  g_autofree char *tg = record_path ("tg");
  g_autofree char *https = record_path ("https");

  g_remove (tg);
  g_remove (https);
}

/* Fixture */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->site = dtx_test_site_new ();
  f->bot = dtx_test_bot_new ();
  dtx_test_bot_set_mode (f->bot, GPOINTER_TO_INT (data));
  g_setenv ("DTX_TELEGRAM_API", dtx_test_bot_get_url (f->bot), TRUE);
  f->fetcher = dtx_fetcher_new ();
  dtx_fetcher_set_timeout (f->fetcher, 2);
  f->secrets = dtx_secrets_new_memory ();
  f->context = g_object_new (DTX_TYPE_CONTEXT, "fetcher", f->fetcher, "secrets", f->secrets, NULL);
  f->settings = g_settings_new (APPLICATION_ID);
  g_settings_reset (f->settings, "share-with");
  g_settings_reset (f->settings, "telegram-chat");
  g_settings_reset (f->settings, "telegram-token-saved");
  g_settings_reset (f->settings, "telegram-template");
  g_settings_reset (f->settings, "telegram-photo");
  f->link = g_strdup_printf ("%s/review-ponsel-lipat/", dtx_test_site_get_url (f->site));
  forget_received ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  GList *toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (l->data != f->window)
      gtk_window_destroy (l->data);
  g_list_free (toplevels);
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->context);
  g_clear_object (&f->secrets);
  g_clear_object (&f->fetcher);
  g_clear_object (&f->settings);
  g_clear_pointer (&f->bot, dtx_test_bot_free);
  g_clear_pointer (&f->site, dtx_test_site_free);
  g_clear_pointer (&f->link, g_free);
  g_unsetenv ("DTX_TELEGRAM_API");
  dtx_test_spin (50);
}

static gboolean
reader_shows (gpointer data)
{
  Fixture *f = data;
  DtxReaderView *reader = dtx_test_reader_of (f->window);

  return reader != NULL && dtx_reader_view_get_article (reader) != NULL &&
         dtx_window_get_shown_article (f->window) != NULL &&
         g_strcmp0 (dtx_article_get_title (dtx_reader_view_get_article (reader)), TITLE) == 0 &&
         !dtx_reader_view_is_rendering (reader) &&
         !webkit_web_view_is_loading (dtx_reader_view_get_web_view (reader));
}

static void
open_article (Fixture *f)
{
  f->window = dtx_window_new (NULL, f->context, dtx_test_site_get_url (f->site));
  gtk_window_present (GTK_WINDOW (f->window));
  dtx_window_open_url (f->window, f->link);
  g_assert_true (dtx_test_wait_until (reader_shows, f, "the article in the reader"));
}

static char *
expected_uri (Fixture    *f,
              const char *prefix)
{
  g_autofree char *url_q = g_strdup_printf ("http%%3A%%2F%%2F127.0.0.1%%3A%s%%2Freview-ponsel-lipat%%2F",
                                            strrchr (dtx_test_site_get_url (f->site), ':') + 1);

  return g_strconcat (prefix, "?url=", url_q, "&text=" TITLE_Q "\n", NULL);
}

/* Types keys into the window as a user does, through the X server. */
static void
press_keys (Fixture    *f,
            const char *keys)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (f->window));
  g_autofree char *xid = g_strdup_printf ("%lu", (gulong)gdk_x11_surface_get_xid (surface));
  const char *focus[] = { "xdotool", "windowfocus", "--sync", xid, NULL };
  const char *key[] = { "xdotool", "key", "--window", xid, "--clearmodifiers", keys, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (GDK_IS_X11_SURFACE (surface));
  g_assert_true (g_spawn_sync (NULL, (char **)focus, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  dtx_test_spin (200);
  g_assert_true (g_spawn_sync (NULL, (char **)key, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* Share to Telegram */

static void
test_no_tg_handler_uses_web (Fixture *f, gconstpointer data)
{
  g_autofree char *want = expected_uri (f, "https://t.me/share/url");
  g_autofree char *got = NULL;
  g_autofree char *tg = NULL;

  g_assert_false (tg_handler_known (NULL));
  open_article (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.share-telegram", "s", ""));
  g_assert_true (dtx_test_wait_until (received, "https", "the browser to get the t.me link"));
  got = read_received ("https");
  g_assert_cmpstr (got, ==, want);
  dtx_test_spin (300);
  tg = read_received ("tg");
  g_assert_null (tg);
}

static void
test_ctrl_shift_t_opens_telegram_app (Fixture *f, gconstpointer data)
{
  g_autofree char *want = expected_uri (f, "tg://msg_url");
  g_autofree char *got = NULL;
  g_autofree char *https = NULL;

  /* Telegram gets installed: GIO notices the new desktop file. */
  install_handler ("tg");
  write_mimeapps (TRUE);
  g_assert_true (dtx_test_wait_until (tg_handler_known, NULL, "GIO to see the tg handler"));

  open_article (f);
  press_keys (f, "ctrl+shift+t");
  g_assert_true (dtx_test_wait_until (received, "tg", "the Telegram app to get the tg link"));
  got = read_received ("tg");
  g_assert_cmpstr (got, ==, want);
  dtx_test_spin (300);
  https = read_received ("https");
  g_assert_null (https);
}

static void
test_share_with_web_setting (Fixture *f, gconstpointer data)
{
  g_autofree char *want = expected_uri (f, "https://t.me/share/url");
  g_autofree char *got = NULL;

  g_assert_true (tg_handler_known (NULL));
  g_settings_set_string (f->settings, "share-with", "web");
  open_article (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.share-telegram", "s", ""));
  g_assert_true (dtx_test_wait_until (received, "https", "the browser to get the t.me link"));
  got = read_received ("https");
  g_assert_cmpstr (got, ==, want);
}

static AdwMessageDialog *
find_dialog (const char *heading)
{
  GList *toplevels = gtk_window_list_toplevels ();
  AdwMessageDialog *found = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data) &&
        g_strcmp0 (adw_message_dialog_get_heading (l->data), heading) == 0)
      found = l->data;
  g_list_free (toplevels);
  return found;
}

static gboolean
share_dialog_shown (gpointer data)
{
  return find_dialog ("Share to Telegram") != NULL;
}

static void
test_ask_each_time (Fixture *f, gconstpointer data)
{
  g_autofree char *want = expected_uri (f, "tg://msg_url");
  g_autofree char *got = NULL;
  AdwMessageDialog *dialog;

  g_settings_set_string (f->settings, "share-with", "ask");
  open_article (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.share-telegram", "s", f->link));
  g_assert_true (dtx_test_wait_until (share_dialog_shown, NULL, "the question"));
  dialog = find_dialog ("Share to Telegram");
  g_assert_true (adw_message_dialog_has_response (dialog, "app"));
  g_assert_true (adw_message_dialog_has_response (dialog, "web"));
  adw_message_dialog_response (dialog, "app");
  g_assert_true (dtx_test_wait_until (received, "tg", "the Telegram app to get the tg link"));
  got = read_received ("tg");
  g_assert_cmpstr (got, ==, want);
}

static gboolean
no_handlers (gpointer data)
{
  g_autoptr(GAppInfo) tg = g_app_info_get_default_for_uri_scheme ("tg");
  g_autoptr(GAppInfo) https = g_app_info_get_default_for_uri_scheme ("https");

  return tg == NULL && https == NULL;
}

static gboolean
copied_toast_shown (gpointer data)
{
  Fixture *f = data;

  return dtx_test_find_label (GTK_WIDGET (f->window),
                              "Could not open Telegram. The link was copied instead.") != NULL;
}

/* Nothing takes either link: the user hears so and has the link. */
static void
test_no_handler_copies_link (Fixture *f, gconstpointer data)
{
  g_autofree char *tg = g_strdup_printf ("%s/data/applications/dtx-test-tg.desktop", scratch);
  g_autofree char *https = g_strdup_printf ("%s/data/applications/dtx-test-https.desktop", scratch);
  g_autofree char *mimeapps = g_strdup_printf ("%s/config/mimeapps.list", scratch);
  GdkClipboard *clipboard;
  GValue value = G_VALUE_INIT;
  g_autofree char *text = NULL;

  g_assert_cmpint (g_remove (tg), ==, 0);
  g_assert_cmpint (g_remove (https), ==, 0);
  g_assert_true (g_file_set_contents (mimeapps, "[Default Applications]\n", -1, NULL));
  g_assert_true (dtx_test_wait_until (no_handlers, NULL, "GIO to forget the handlers"));

  open_article (f);
  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (f->window));
  gdk_clipboard_set_text (clipboard, "something else");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.share-telegram", "s", ""));
  g_assert_true (dtx_test_wait_until (copied_toast_shown, f, "the toast"));
  g_value_init (&value, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (gdk_clipboard_get_content (clipboard), &value, NULL));
  text = g_value_dup_string (&value);
  g_value_unset (&value);
  g_assert_cmpstr (text, ==, f->link);
}

static void
test_copy_link (Fixture *f, gconstpointer data)
{
  GdkClipboard *clipboard;
  GValue value = G_VALUE_INIT;
  g_autofree char *text = NULL;

  open_article (f);
  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (f->window));
  gdk_clipboard_set_text (clipboard, "something else");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.copy-link", "s", ""));
  g_value_init (&value, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (gdk_clipboard_get_content (clipboard), &value, NULL));
  text = g_value_dup_string (&value);
  g_value_unset (&value);
  g_assert_cmpstr (text, ==, f->link);
  dtx_test_spin (300);
  g_assert_nonnull (dtx_test_find_label (GTK_WIDGET (f->window), "Link copied"));
}

/* The header bar's Share menu */

static gboolean
is_share_button (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_MENU_BUTTON (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), "Share") == 0;
}

static GtkWidget *
find_share_button (GtkWidget *widget)
{
  return dtx_test_find_widget (widget, is_share_button, NULL);
}

static char *
item_string (GMenuModel *menu, int i, const char *attribute)
{
  char *value = NULL;

  g_menu_model_get_item_attribute (menu, i, attribute, "s", &value);
  return value;
}

static void
test_share_menu (Fixture *f, gconstpointer data)
{
  GtkWidget *button;
  GMenuModel *menu;
  g_autoptr(GMenuModel) row_menu = dtx_share_menu_new ("https://digitripx.id/a/");
  g_autofree char *label0 = NULL, *action0 = NULL, *hidden1 = NULL, *action3 = NULL;
  g_autoptr(GVariant) target = NULL;

  f->window = dtx_window_new (NULL, f->context, dtx_test_site_get_url (f->site));
  gtk_window_present (GTK_WINDOW (f->window));
  button = find_share_button (GTK_WIDGET (f->window));
  g_assert_nonnull (button);
  /* Nothing to share before an article is open. */
  g_assert_false (gtk_widget_get_sensitive (button));

  dtx_window_open_url (f->window, f->link);
  g_assert_true (dtx_test_wait_until (reader_shows, f, "the article"));
  g_assert_true (gtk_widget_get_sensitive (button));

  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button));
  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 4);
  label0 = item_string (menu, 0, "label");
  action0 = item_string (menu, 0, "action");
  hidden1 = item_string (menu, 1, "hidden-when");
  action3 = item_string (menu, 3, "action");
  g_assert_cmpstr (label0, ==, "Share to _Telegram");
  g_assert_cmpstr (action0, ==, "win.share-telegram");
  g_assert_cmpstr (hidden1, ==, "action-disabled");
  g_assert_cmpstr (action3, ==, "win.open-in-browser");

  /* A row's menu names its article. */
  target = g_menu_model_get_item_attribute_value (row_menu, 0, "target", G_VARIANT_TYPE_STRING);
  g_assert_cmpstr (g_variant_get_string (target, NULL), ==, "https://digitripx.id/a/");
  g_clear_pointer (&action3, g_free);
  action3 = item_string (row_menu, 3, "action");
  g_assert_cmpstr (action3, ==, "win.open-link-in-browser");

  /* Opening the menu shows the items; Post is hidden without a bot. */
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  dtx_test_spin (300);
  g_assert_nonnull (dtx_test_find_label (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button)) ?
                                         GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button))) : button,
                                         "Share to Telegram"));
  g_assert_null (dtx_test_find_label (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button))),
                                      "Post to Telegram Channel"));
  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
  /* Let the popover's surface go before the window does (GTK 4.8 may
   * otherwise look up the pointer on a destroyed surface). */
  dtx_test_spin (300);
}

/* Post to Telegram Channel */

static void
set_up_bot (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  dtx_secrets_store_async (f->secrets, DTX_SECRET_TELEGRAM_TOKEN, "token", DTX_TEST_BOT_TOKEN,
                           NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  g_assert_true (dtx_secrets_store_finish (f->secrets, result, &error));
  g_settings_set_string (f->settings, "telegram-chat", "@digitripx_test");
  g_settings_set_boolean (f->settings, "telegram-token-saved", TRUE);
}

static gboolean
bot_posted (gpointer data)
{
  return dtx_test_bot_posted (((Fixture *)data)->bot) > 0;
}

static gboolean
posted_toast_shown (gpointer data)
{
  Fixture *f = data;

  return dtx_test_find_label (GTK_WIDGET (f->window), "Posted to Telegram") != NULL;
}

static void
test_post (Fixture *f, gconstpointer data)
{
  const char *text;
  g_autofree char *link_html = NULL;

  open_article (f);
  /* Without a bot the action is off: nothing reaches Telegram. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.post-telegram", "s", "");
  dtx_test_spin (300);
  g_assert_cmpuint (dtx_test_bot_count (f->bot, "sendMessage"), ==, 0);

  set_up_bot (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.post-telegram", "s", ""));
  g_assert_true (dtx_test_wait_until (bot_posted, f, "the post"));
  text = json_object_get_string_member (dtx_test_bot_last_params (f->bot, "sendMessage"), "text");
  g_assert_true (g_str_has_prefix (text, TITLE_HTML "\n\n"));
  link_html = g_strdup_printf ("\n\n<a href=\"%s\">%s</a>", f->link, f->link);
  g_assert_true (g_str_has_suffix (text, link_html));
  g_assert_cmpstr (json_object_get_string_member (dtx_test_bot_last_params (f->bot, "sendMessage"), "parse_mode"),
                   ==, "HTML");
  g_assert_true (dtx_test_wait_until (posted_toast_shown, f, "the toast"));
  g_assert_nonnull (dtx_test_find_label (GTK_WIDGET (f->window), "Open in Telegram"));
  g_assert_cmpuint (dtx_test_bot_count (f->bot, "sendMessage"), ==, 1);
}

static gboolean
countdown_shown (gpointer data)
{
  Fixture *f = data;

  return dtx_test_find_label (GTK_WIDGET (f->window), "Telegram asks to wait: retrying in 1 second…") != NULL;
}

static void
test_post_rate_limited_counts_down (Fixture *f, gconstpointer data)
{
  open_article (f);
  set_up_bot (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.post-telegram", "s", ""));
  g_assert_true (dtx_test_wait_until (countdown_shown, f, "the countdown"));
  g_assert_cmpuint (dtx_test_bot_posted (f->bot), ==, 0);
  g_assert_true (dtx_test_wait_until (posted_toast_shown, f, "the post after the wait"));
  g_assert_cmpuint (dtx_test_bot_count (f->bot, "sendMessage"), ==, 2);
  g_assert_cmpuint (dtx_test_bot_posted (f->bot), ==, 1);
}

static gboolean
unknown_dialog_shown (gpointer data)
{
  return find_dialog ("Was It Posted?") != NULL;
}

static void
test_post_unknown_outcome_asks (Fixture *f, gconstpointer data)
{
  AdwMessageDialog *dialog;

  dtx_fetcher_set_timeout (f->fetcher, 1);
  open_article (f);
  set_up_bot (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.post-telegram", "s", ""));
  /* A second press while the first is on its way does not post again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.post-telegram", "s", ""));
  g_assert_true (dtx_test_wait_until (unknown_dialog_shown, NULL, "the question after the timeout"));
  g_assert_cmpuint (dtx_test_bot_count (f->bot, "sendMessage"), ==, 1);
  g_assert_cmpuint (dtx_test_bot_posted (f->bot), ==, 1);

  dialog = find_dialog ("Was It Posted?");
  g_assert_true (adw_message_dialog_has_response (dialog, "check"));
  g_assert_true (adw_message_dialog_has_response (dialog, "again"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  adw_message_dialog_response (dialog, "cancel");
  dtx_test_spin (1500);
  g_assert_cmpuint (dtx_test_bot_count (f->bot, "sendMessage"), ==, 1);
}

static gboolean
error_toast_shown (gpointer data)
{
  Fixture *f = data;

  return dtx_test_find_label (GTK_WIDGET (f->window), "The bot may not post in this channel. Make it an administrator of the channel.") != NULL;
}

static void
test_post_forbidden_says_what_to_do (Fixture *f, gconstpointer data)
{
  open_article (f);
  set_up_bot (f);
  g_settings_set_string (f->settings, "telegram-chat", "@not_admin_channel");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.post-telegram", "s", ""));
  g_assert_true (dtx_test_wait_until (error_toast_shown, f, "the error toast"));
  g_assert_cmpuint (dtx_test_bot_posted (f->bot), ==, 0);
}

/* Preferences */

static void
test_preferences_preview (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxArticle) article = dtx_article_new ();
  DtxPreferences *prefs;
  GtkWidget *preview;

  dtx_article_set_title (article, "Judul <b>berbahaya</b> & \"kutip\"");
  dtx_article_set_link (article, "https://digitripx.id/a/?x=1&y=2");
  g_settings_set_string (f->settings, "telegram-template", "{title} — {url}");
  prefs = dtx_preferences_new (NULL, f->context, article);
  gtk_window_present (GTK_WINDOW (prefs));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), "telegram");
  dtx_test_spin (300);

  /* What Telegram will show: the title as text, the link as a link. */
  preview = dtx_test_find_label (GTK_WIDGET (prefs), "Judul <b>berbahaya</b> & \"kutip\" — https://digitripx.id/a/?x=1&y=2");
  g_assert_nonnull (preview);
  g_test_message ("label: %s", gtk_label_get_label (GTK_LABEL (preview)));
  g_assert_true (strstr (gtk_label_get_label (GTK_LABEL (preview)), "<a href=\"https://digitripx.id/a/?x=1&amp;y=2\">") != NULL);
  gtk_window_destroy (GTK_WINDOW (prefs));
}

static GtkWidget *
find_widget (GtkWidget  *widget,
             GType       type,
             const char *title)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    {
      g_autofree char *text = NULL;

      if (ADW_IS_PREFERENCES_ROW (widget))
        text = g_strdup (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)));
      else if (GTK_IS_BUTTON (widget))
        text = g_strdup (gtk_button_get_label (GTK_BUTTON (widget)));
      if (title == NULL || g_strcmp0 (text, title) == 0)
        return widget;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, title);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
token_saved (gpointer data)
{
  Fixture *f = data;

  return g_settings_get_boolean (f->settings, "telegram-token-saved");
}

static gboolean
test_result_shown (gpointer data)
{
  return dtx_test_find_label (data, "DTX Test Bot (@dtx_test_bot) can reach “DigiTripX Test”") != NULL;
}

/* The Telegram page: the token goes to the keyring (never to settings), the
 * channel to settings, and Test asks the Bot API for both names. */
static void
test_preferences_token_and_test (Fixture *f, gconstpointer data)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *chat = NULL;
  DtxPreferences *prefs;
  GtkWidget *token_row, *chat_row, *test_button;

  prefs = dtx_preferences_new (NULL, f->context, NULL);
  gtk_window_present (GTK_WINDOW (prefs));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), "telegram");
  dtx_test_spin (200);

  token_row = find_widget (GTK_WIDGET (prefs), ADW_TYPE_PASSWORD_ENTRY_ROW, "Bot Token");
  chat_row = find_widget (GTK_WIDGET (prefs), ADW_TYPE_ENTRY_ROW, "Channel (@name or numeric id)");
  test_button = find_widget (GTK_WIDGET (prefs), GTK_TYPE_BUTTON, "_Test");
  g_assert_nonnull (token_row);
  g_assert_nonnull (chat_row);
  g_assert_nonnull (test_button);

  /* Not a token: refused, nothing stored. */
  gtk_editable_set_text (GTK_EDITABLE (token_row), "hello");
  g_signal_emit_by_name (token_row, "apply");
  dtx_test_spin (100);
  g_assert_false (g_settings_get_boolean (f->settings, "telegram-token-saved"));

  gtk_editable_set_text (GTK_EDITABLE (token_row), DTX_TEST_BOT_TOKEN);
  g_signal_emit_by_name (token_row, "apply");
  g_assert_true (dtx_test_wait_until (token_saved, f, "the token to be saved"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (token_row)), ==, "");
  dtx_secrets_lookup_async (f->secrets, DTX_SECRET_TELEGRAM_TOKEN, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  stored = dtx_secrets_lookup_finish (f->secrets, result, NULL);
  g_assert_cmpstr (stored, ==, DTX_TEST_BOT_TOKEN);

  gtk_editable_set_text (GTK_EDITABLE (chat_row), "@digitripx_test");
  chat = g_settings_get_string (f->settings, "telegram-chat");
  g_assert_cmpstr (chat, ==, "@digitripx_test");

  g_signal_emit_by_name (test_button, "clicked");
  g_assert_true (dtx_test_wait_until (test_result_shown, prefs, "the test's answer"));
  g_assert_cmpuint (dtx_test_bot_count (f->bot, "getMe"), ==, 1);
  g_assert_cmpuint (dtx_test_bot_count (f->bot, "getChat"), ==, 1);

  /* No setting holds the token. */
  g_object_get (f->settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (f->settings, keys[i]);
      g_autofree char *printed = g_variant_print (value, FALSE);
      g_assert_null (strstr (printed, "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"));
    }
  gtk_window_destroy (GTK_WINDOW (prefs));
}

static void
add (const char *path, DtxTestBotMode mode, void (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, GINT_TO_POINTER (mode), fixture_set_up, func, fixture_tear_down);
}

int
main (int argc, char *argv[])
{
  int ret;

  /* Before GIO reads any of them. */
  set_up_xdg ();
  g_test_init (&argc, &argv, NULL);
  dtx_test_ui_init ();

  /* In this order: the Telegram app is "installed" by the second test. */
  add ("/share/telegram/no-app-uses-web", DTX_TEST_BOT_NORMAL, test_no_tg_handler_uses_web);
  add ("/share/telegram/ctrl-shift-t-opens-app", DTX_TEST_BOT_NORMAL, test_ctrl_shift_t_opens_telegram_app);
  add ("/share/telegram/setting-web", DTX_TEST_BOT_NORMAL, test_share_with_web_setting);
  add ("/share/telegram/ask-each-time", DTX_TEST_BOT_NORMAL, test_ask_each_time);
  add ("/share/telegram/no-handler-copies-link", DTX_TEST_BOT_NORMAL, test_no_handler_copies_link);
  add ("/share/copy-link", DTX_TEST_BOT_NORMAL, test_copy_link);
  add ("/share/menu", DTX_TEST_BOT_NORMAL, test_share_menu);
  add ("/share/post/message", DTX_TEST_BOT_NORMAL, test_post);
  add ("/share/post/rate-limited-counts-down", DTX_TEST_BOT_RATE_LIMITED, test_post_rate_limited_counts_down);
  add ("/share/post/unknown-outcome-asks", DTX_TEST_BOT_HANG_SEND, test_post_unknown_outcome_asks);
  add ("/share/post/forbidden-says-what-to-do", DTX_TEST_BOT_NORMAL, test_post_forbidden_says_what_to_do);
  add ("/share/preferences/preview", DTX_TEST_BOT_NORMAL, test_preferences_preview);
  add ("/share/preferences/token-and-test", DTX_TEST_BOT_NORMAL, test_preferences_token_and_test);

  ret = g_test_run ();
  if (g_getenv ("DTX_TEST_KEEP") == NULL)
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", scratch);
      if (system (cmd) != 0)
        g_printerr ("# could not remove %s\n", scratch);
    }
  g_free (scratch);
  return ret;
}
