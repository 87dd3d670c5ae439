/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-window-share"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "dtx-error.h"
#include "dtx-launch.h"
#include "dtx-spinner.h"
#include "dtx-telegram.h"
#include "dtx-window-private.h"
#include "dtx-window-share.h"

#define STATE_KEY "dtx-window-share"

/* Per window, kept as object data so the window's struct stays the
 * lead's. */
typedef struct {
  GSettings    *settings;
  GCancellable *cancellable;
  AdwToast     *progress;
  GtkLabel     *progress_label;
  gboolean      posting;
} ShareState;

static void
share_state_free (ShareState *state)
{
  g_cancellable_cancel (state->cancellable);
  g_clear_object (&state->cancellable);
  g_clear_object (&state->settings);
  g_clear_object (&state->progress);
  g_free (state);
}

static ShareState *
get_state (DtxWindow *self)
{
  return g_object_get_data (G_OBJECT (self), STATE_KEY);
}

static void
toast (DtxWindow  *self,
       const char *message,
       const char *button,
       const char *action,
       GVariant   *target)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1); /* toast titles are markup */
  AdwToast *t = adw_toast_new (escaped);

  adw_toast_set_timeout (t, button != NULL ? 10 : 4);
  if (button != NULL)
    {
      adw_toast_set_button_label (t, button);
      adw_toast_set_action_name (t, action);
      if (target != NULL)
        adw_toast_set_action_target_value (t, target);
    }
  dtx_window_add_toast (self, t);
}

static DtxArticle *
article_for (DtxWindow *self,
             GVariant  *param)
{
  DtxArticle *article = dtx_window_lookup_article (self, g_variant_get_string (param, NULL));

  if (article == NULL || dtx_article_get_link (article) == NULL)
    {
      g_debug ("No article for “%s”", g_variant_get_string (param, NULL));
      return NULL;
    }
  return article;
}

/* Copy Link */

static void
copy_link (DtxWindow  *self,
           const char *link)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), link);
}

static void
copy_link_action (GtkWidget  *widget,
                  const char *name,
                  GVariant   *param)
{
  DtxWindow *self = DTX_WINDOW (widget);
  DtxArticle *article = article_for (self, param);

  if (article == NULL)
    return;
  copy_link (self, dtx_article_get_link (article));
  toast (self, _("Link copied"), NULL, NULL, NULL);
}

static void
open_link_in_browser_action (GtkWidget  *widget,
                             const char *name,
                             GVariant   *param)
{
  DtxArticle *article = article_for (DTX_WINDOW (widget), param);

  if (article != NULL)
    dtx_launch_uri (widget, dtx_article_get_link (article));
}

static void
open_telegram_post_action (GtkWidget  *widget,
                           const char *name,
                           GVariant   *param)
{
  const char *link = g_variant_get_string (param, NULL);

  /* Only what a post's toast names. */
  if (g_str_has_prefix (link, "https://t.me/"))
    dtx_launch_uri (widget, link);
}

/* Share to Telegram */

typedef struct {
  DtxWindow *window;
  char      *link;
  char      *title;
  gboolean   web; /* this attempt is the t.me link */
} ShareLaunch;

static void
share_launch_free (ShareLaunch *launch)
{
  g_clear_object (&launch->window);
  g_free (launch->link);
  g_free (launch->title);
  g_free (launch);
}

static void launch_share (ShareLaunch *launch);

static void
on_share_launched (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ShareLaunch *launch = user_data;
  g_autoptr(GError) error = NULL;

  if (dtx_launch_share_uri_finish (result, &error))
    {
      share_launch_free (launch);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* The user closed the portal's chooser: nothing else to do. */
      share_launch_free (launch);
      return;
    }
  if (!launch->web)
    {
      /* No Telegram app took it (the portal says so in Flatpak). */
      launch->web = TRUE;
      launch_share (launch);
      return;
    }
  copy_link (launch->window, launch->link);
  toast (launch->window, _("Could not open Telegram. The link was copied instead."), NULL, NULL, NULL);
  share_launch_free (launch);
}

/* Takes launch. */
static void
launch_share (ShareLaunch *launch)
{
  g_autofree char *uri = dtx_telegram_share_uri (launch->web ? DTX_TELEGRAM_LINK_WEB : DTX_TELEGRAM_LINK_APP,
                                                 launch->link, launch->title);

  dtx_launch_share_uri_async (GTK_WIDGET (launch->window), uri, NULL, on_share_launched, launch);
}

static void
share_with (DtxWindow  *self,
            DtxArticle *article,
            gboolean    app)
{
  ShareLaunch *launch = g_new0 (ShareLaunch, 1);

  launch->window = g_object_ref (self);
  launch->link = g_strdup (dtx_article_get_link (article));
  launch->title = g_strdup (dtx_article_get_title (article));
  /* Outside a sandbox GIO knows whether a Telegram app is installed. */
  launch->web = !app || !dtx_launch_may_handle ("tg");
  launch_share (launch);
}

static void
on_ask_response (AdwMessageDialog *dialog,
                 const char       *response,
                 gpointer          user_data)
{
  DtxWindow *self = DTX_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (dialog)));
  DtxArticle *article = g_object_get_data (G_OBJECT (dialog), "article");

  if (g_str_equal (response, "app") || g_str_equal (response, "web"))
    share_with (self, article, g_str_equal (response, "app"));
}

static void
share_telegram_action (GtkWidget  *widget,
                       const char *name,
                       GVariant   *param)
{
  DtxWindow *self = DTX_WINDOW (widget);
  ShareState *state = get_state (self);
  DtxArticle *article = article_for (self, param);
  GtkWidget *dialog;

  if (article == NULL)
    return;

  switch (g_settings_get_enum (state->settings, "share-with"))
    {
    case 1:
      share_with (self, article, FALSE);
      return;
    case 2:
      break;
    default:
      share_with (self, article, TRUE);
      return;
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Share to Telegram"), dtx_article_get_title (article));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "web", _("Telegram _Web"),
                                    "app", _("Telegram _App"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "app", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "app");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "article", g_object_ref (article), g_object_unref);
  g_signal_connect (dialog, "response", G_CALLBACK (on_ask_response), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Post to Telegram Channel */

typedef struct {
  DtxWindow  *window;
  DtxArticle *article;
  char       *chat;
  GDateTime  *sent;
} Post;

static void
post_free (Post *post)
{
  g_clear_object (&post->window);
  g_clear_object (&post->article);
  g_free (post->chat);
  g_clear_pointer (&post->sent, g_date_time_unref);
  g_free (post);
}

static void
show_progress (DtxWindow  *self,
               const char *text)
{
  ShareState *state = get_state (self);
  GtkWidget *box, *spinner, *label;

  if (state->progress != NULL)
    {
      gtk_label_set_text (state->progress_label, text);
      return;
    }
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  spinner = dtx_spinner_new ();
  dtx_spinner_set_spinning (DTX_SPINNER (spinner), TRUE);
  label = gtk_label_new (text);
  gtk_box_append (GTK_BOX (box), spinner);
  gtk_box_append (GTK_BOX (box), label);

  state->progress = adw_toast_new ("");
  state->progress_label = GTK_LABEL (label);
  adw_toast_set_custom_title (state->progress, box);
  adw_toast_set_timeout (state->progress, 0);
  adw_toast_set_priority (state->progress, ADW_TOAST_PRIORITY_HIGH);
  dtx_window_add_toast (self, g_object_ref (state->progress));
}

static void
hide_progress (DtxWindow *self)
{
  ShareState *state = get_state (self);

  if (state->progress != NULL)
    adw_toast_dismiss (state->progress);
  g_clear_object (&state->progress);
  state->progress_label = NULL;
}

static void
on_wait (guint    seconds_left,
         gpointer user_data)
{
  Post *post = user_data;
  g_autofree char *text = NULL;

  if (seconds_left == 0)
    {
      show_progress (post->window, _("Posting to Telegram…"));
      return;
    }
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Telegram asks to wait: retrying in %u second…",
                                       "Telegram asks to wait: retrying in %u seconds…",
                                       seconds_left),
                          seconds_left);
  show_progress (post->window, text);
}

static void begin_post (DtxWindow *self, DtxArticle *article);

static void
on_unknown_response (AdwMessageDialog *dialog,
                     const char       *response,
                     Post             *post)
{
  if (g_str_equal (response, "check") && post->chat[0] == '@')
    {
      g_autofree char *uri = g_strdup_printf ("https://t.me/%s", post->chat + 1);
      dtx_launch_uri (GTK_WIDGET (post->window), uri);
    }
  else if (g_str_equal (response, "again"))
    begin_post (post->window, post->article);
}

/* The post may exist: the user decides, knowing what we know. */
static void
ask_unknown_outcome (Post *post)
{
  g_autofree char *time = g_date_time_format (post->sent, "%X");
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  body = g_strdup_printf (_("“%s” was sent to %s at %s, but Telegram did not answer. "
                            "It may already be in the channel: posting again could post it twice."),
                          dtx_article_get_title (post->article), post->chat, time);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (post->window), _("Was It Posted?"), body));
  adw_message_dialog_add_response (dialog, "cancel", _("_Don’t Post Again"));
  if (post->chat[0] == '@')
    adw_message_dialog_add_response (dialog, "check", _("_Open Channel"));
  adw_message_dialog_add_response (dialog, "again", _("_Post Again"));
  adw_message_dialog_set_response_appearance (dialog, "again", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_unknown_response), post,
                         (GClosureNotify)(void (*) (void))post_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_posted (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Post *post = user_data;
  DtxWindow *self = post->window;
  ShareState *state = get_state (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(DtxTelegramPosted) posted = dtx_telegram_post_finish (DTX_TELEGRAM (object), result, &error);
  const char *link = dtx_article_get_link (post->article);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      post_free (post);
      return;
    }
  state->posting = FALSE;
  hide_progress (self);

  if (posted != NULL)
    {
      if (posted->link != NULL)
        toast (self, _("Posted to Telegram"), _("_Open in Telegram"), "win.open-telegram-post",
               g_variant_new_string (posted->link));
      else
        toast (self, _("Posted to Telegram"), NULL, NULL, NULL);
      post_free (post);
      return;
    }

  if (error->domain == DTX_ERROR)
    switch ((DtxError)error->code)
      {
      case DTX_ERROR_UNKNOWN_OUTCOME:
        ask_unknown_outcome (post);
        return;
      case DTX_ERROR_UNAUTHORIZED:
        toast (self, _("Telegram does not accept the bot token."), _("_Preferences"), "app.preferences", NULL);
        break;
      case DTX_ERROR_CHAT_NOT_FOUND:
        toast (self, _("Telegram cannot find the channel. Check its name."), _("_Preferences"), "app.preferences", NULL);
        break;
      case DTX_ERROR_FORBIDDEN:
        toast (self, _("The bot may not post in this channel. Make it an administrator of the channel."), NULL, NULL, NULL);
        break;
      case DTX_ERROR_NOT_CONFIGURED:
        toast (self, _("Set up a Telegram bot first."), _("_Preferences"), "app.preferences", NULL);
        break;
      case DTX_ERROR_RATE_LIMITED:
        toast (self, _("Telegram still asks to wait. Try again in a minute."), _("_Retry"), "win.post-telegram",
               g_variant_new_string (link));
        break;
      case DTX_ERROR_REJECTED:
        toast (self, _("Telegram refused the post."), NULL, NULL, NULL);
        break;
      case DTX_ERROR_SECRETS:
        toast (self, error->message, NULL, NULL, NULL);
        break;
      default:
        /* Network, timeout before sending, 5xx: nothing was posted. */
        toast (self, _("Could not post to Telegram."), _("_Retry"), "win.post-telegram", g_variant_new_string (link));
        break;
      }
  else
    toast (self, _("Could not post to Telegram."), _("_Retry"), "win.post-telegram", g_variant_new_string (link));
  post_free (post);
}

static void
start_post (DtxWindow  *self,
            DtxArticle *article,
            const char *token)
{
  ShareState *state = get_state (self);
  DtxTelegram *telegram = dtx_context_get_telegram (dtx_window_get_context (self));
  g_autofree char *template_ = g_settings_get_string (state->settings, "telegram-template");
  Post *post = g_new0 (Post, 1);

  post->window = g_object_ref (self);
  post->article = g_object_ref (article);
  post->chat = g_settings_get_string (state->settings, "telegram-chat");
  post->sent = g_date_time_new_now_local ();
  show_progress (self, _("Posting to Telegram…"));
  dtx_telegram_post_async (telegram, token, post->chat, template_, article,
                           g_settings_get_boolean (state->settings, "telegram-photo"),
                           on_wait, post, state->cancellable, on_posted, post);
}

typedef struct {
  DtxWindow  *window;
  DtxArticle *article;
} TokenLookup;

static void
on_token (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  TokenLookup *lookup = user_data;
  g_autoptr(DtxWindow) self = lookup->window;
  g_autoptr(DtxArticle) article = lookup->article;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = dtx_secrets_lookup_finish (DTX_SECRETS (object), result, &error);
  ShareState *state;

  g_free (lookup);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  state = get_state (self);
  if (token == NULL)
    {
      state->posting = FALSE;
      hide_progress (self);
      if (error != NULL)
        toast (self, error->message, NULL, NULL, NULL);
      else
        toast (self, _("Set up a Telegram bot first."), _("_Preferences"), "app.preferences", NULL);
      return;
    }
  start_post (self, article, token);
  memset (token, 0, strlen (token));
}

static void
begin_post (DtxWindow  *self,
            DtxArticle *article)
{
  ShareState *state = get_state (self);
  TokenLookup *lookup;

  /* One post at a time: a second press must not post twice. */
  if (state->posting)
    return;
  state->posting = TRUE;
  show_progress (self, _("Posting to Telegram…"));

  lookup = g_new0 (TokenLookup, 1);
  lookup->window = g_object_ref (self);
  lookup->article = g_object_ref (article);
  dtx_secrets_lookup_async (dtx_context_get_secrets (dtx_window_get_context (self)), DTX_SECRET_TELEGRAM_TOKEN,
                            state->cancellable, on_token, lookup);
}

static void
post_telegram_action (GtkWidget  *widget,
                      const char *name,
                      GVariant   *param)
{
  DtxArticle *article = article_for (DTX_WINDOW (widget), param);

  if (article != NULL)
    begin_post (DTX_WINDOW (widget), article);
}

/* Setup */

static void
update_post_enabled (DtxWindow *self)
{
  ShareState *state = get_state (self);
  g_autofree char *chat = g_settings_get_string (state->settings, "telegram-chat");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.post-telegram",
                                 g_settings_get_boolean (state->settings, "telegram-token-saved") &&
                                 *chat != '\0');
}

static void
on_destroy (DtxWindow *self)
{
  ShareState *state = get_state (self);

  /* In-flight posts end with the window. */
  if (state != NULL)
    g_cancellable_cancel (state->cancellable);
}

void
dtx_window_share_init (DtxWindow *self)
{
  ShareState *state = g_new0 (ShareState, 1);
  GObject *button;

  state->settings = g_settings_new (APPLICATION_ID);
  state->cancellable = g_cancellable_new ();
  g_object_set_data_full (G_OBJECT (self), STATE_KEY, state, (GDestroyNotify)share_state_free);

  g_signal_connect_object (state->settings, "changed::telegram-chat", G_CALLBACK (update_post_enabled),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (state->settings, "changed::telegram-token-saved", G_CALLBACK (update_post_enabled),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "destroy", G_CALLBACK (on_destroy), NULL);
  update_post_enabled (self);

  button = gtk_widget_get_template_child (GTK_WIDGET (self), DTX_TYPE_WINDOW, "share_button");
  if (button != NULL)
    {
      g_autoptr(GMenuModel) menu = dtx_share_menu_new ("");
      gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), menu);
    }
  dtx_window_share_update (self);
}

void
dtx_window_share_update (DtxWindow *self)
{
  GObject *button = gtk_widget_get_template_child (GTK_WIDGET (self), DTX_TYPE_WINDOW, "share_button");

  /* The header bar's menu is about the article in the reader. */
  if (button != NULL)
    gtk_widget_set_sensitive (GTK_WIDGET (button), dtx_window_get_shown_article (self) != NULL);
}

void
dtx_window_share_class_init (GtkWidgetClass *widget_class)
{
  /* Not bound to a struct member: looked up by name. */
  gtk_widget_class_bind_template_child_full (widget_class, "share_button", FALSE, 0);

  gtk_widget_class_install_action (widget_class, "win.share-telegram", "s", share_telegram_action);
  gtk_widget_class_install_action (widget_class, "win.post-telegram", "s", post_telegram_action);
  gtk_widget_class_install_action (widget_class, "win.copy-link", "s", copy_link_action);
  gtk_widget_class_install_action (widget_class, "win.open-link-in-browser", "s", open_link_in_browser_action);
  gtk_widget_class_install_action (widget_class, "win.open-telegram-post", "s", open_telegram_post_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.share-telegram", "s", "");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_T, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.share-telegram", "s", "");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.copy-link", "s", "");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_C, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.copy-link", "s", "");
}

static void
append (GMenu      *menu,
        const char *label,
        const char *action,
        const char *link,
        const char *accel)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item, action, g_variant_new_string (link));
  if (accel != NULL)
    g_menu_item_set_attribute (item, "accel", "s", accel);
  if (g_str_equal (action, "win.post-telegram"))
    g_menu_item_set_attribute (item, "hidden-when", "s", "action-disabled");
  g_menu_append_item (menu, item);
}

GMenuModel *
dtx_share_menu_new (const char *link)
{
  GMenu *menu = g_menu_new ();
  gboolean shown = link == NULL || *link == '\0';

  if (link == NULL)
    link = "";
  append (menu, _("Share to _Telegram"), "win.share-telegram", link, shown ? "<Control><Shift>t" : NULL);
  append (menu, _("_Post to Telegram Channel"), "win.post-telegram", link, NULL);
  append (menu, _("_Copy Link"), "win.copy-link", link, shown ? "<Control><Shift>c" : NULL);
  if (shown)
    {
      /* The reader's own action, so Ctrl+O and this item stay one. */
      g_autoptr(GMenuItem) item = g_menu_item_new (_("Open in _Browser"), "win.open-in-browser");
      g_menu_item_set_attribute (item, "accel", "s", "<Control>o");
      g_menu_append_item (menu, item);
    }
  else
    append (menu, _("Open in _Browser"), "win.open-link-in-browser", link, NULL);
  return G_MENU_MODEL (menu);
}
