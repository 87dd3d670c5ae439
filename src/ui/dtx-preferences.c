/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-preferences"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "dtx-error.h"
#include "dtx-preferences.h"
#include "dtx-spinner.h"
#include "dtx-telegram.h"

struct _DtxPreferences
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  GtkSpinButton        *keep_days;
  AdwComboRow          *share_with;
  AdwComboRow          *refresh_interval;
  GtkSwitch            *notify_switch;
  GtkSwitch            *background_switch;
  AdwPasswordEntryRow  *token_row;
  AdwActionRow         *token_status_row;
  GtkButton            *forget_button;
  AdwEntryRow          *chat_row;
  AdwActionRow         *test_row;
  DtxSpinner           *test_spinner;
  GtkButton            *test_button;
  GtkTextView          *template_view;
  GtkSwitch            *photo_switch;
  GtkLabel             *preview_label;

  DtxContext           *context;
  DtxArticle           *article;
  GSettings            *settings;
  GCancellable         *cancellable;
};

G_DEFINE_FINAL_TYPE (DtxPreferences, dtx_preferences, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_ARTICLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const share_with_nicks[] = { "app", "web", "ask" };

static void
say (DtxPreferences *self,
     const char     *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (escaped));
}

/* Settings mappings */

static gboolean
days_get (GValue   *value,
          GVariant *variant,
          gpointer  user_data)
{
  g_value_set_double (value, g_variant_get_uint32 (variant));
  return TRUE;
}

static GVariant *
days_set (const GValue       *value,
          const GVariantType *type,
          gpointer            user_data)
{
  return g_variant_new_uint32 ((guint32)CLAMP (g_value_get_double (value), 1, 365));
}

static gboolean
share_with_get (GValue   *value,
                GVariant *variant,
                gpointer  user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (share_with_nicks); i++)
    if (g_str_equal (nick, share_with_nicks[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
share_with_set (const GValue       *value,
                const GVariantType *type,
                gpointer            user_data)
{
  guint i = g_value_get_uint (value);

  return i < G_N_ELEMENTS (share_with_nicks) ? g_variant_new_string (share_with_nicks[i]) : NULL;
}

/* The refresh interval's choices, in the combo row's order (minutes). */
static const guint refresh_minutes[] = { 0, 15, 30, 60, 180, 360 };

static gboolean
interval_get (GValue   *value,
              GVariant *variant,
              gpointer  user_data)
{
  guint minutes = g_variant_get_uint32 (variant);

  for (guint i = 0; i < G_N_ELEMENTS (refresh_minutes); i++)
    if (refresh_minutes[i] == minutes)
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
interval_set (const GValue       *value,
              const GVariantType *type,
              gpointer            user_data)
{
  guint i = g_value_get_uint (value);

  return i < G_N_ELEMENTS (refresh_minutes) ? g_variant_new_uint32 (refresh_minutes[i]) : NULL;
}

/* The preview */

static DtxArticle *
sample_article (void)
{
  DtxArticle *article = dtx_article_new ();
  const char *categories[] = { _("Apps"), NULL };

  dtx_article_set_title (article, _("A New Notes App Syncs Without the Internet"));
  dtx_article_set_excerpt (article, _("An open source notes app can now sync between phone and laptop over the local network."));
  dtx_article_set_link (article, "https://digitripx.id/contoh-artikel/");
  dtx_article_set_author (article, _("DigiTripX Editors"));
  dtx_article_set_categories (article, categories);
  return article;
}

static char *
get_template (DtxPreferences *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->template_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
is_well_formed (const char *markup)
{
  static const GMarkupParser parser = { NULL };
  g_autoptr(GMarkupParseContext) context = g_markup_parse_context_new (&parser, 0, NULL, NULL);

  return g_markup_parse_context_parse (context, "<markup>", -1, NULL) &&
         g_markup_parse_context_parse (context, markup, -1, NULL) &&
         g_markup_parse_context_parse (context, "</markup>", -1, NULL) &&
         g_markup_parse_context_end_parse (context, NULL);
}

static void
update_preview (DtxPreferences *self)
{
  g_autoptr(DtxArticle) sample = self->article ? NULL : sample_article ();
  g_autofree char *template_ = get_template (self);
  g_autofree char *plain = NULL;
  g_autofree char *html = dtx_telegram_render (template_, self->article ? self->article : sample, &plain);

  /* Telegram's HTML here is <a href> and four entities, which GtkLabel
   * reads as markup too; should it not be well-formed, the text shows. */
  if (is_well_formed (html))
    gtk_label_set_markup (self->preview_label, html);
  else
    gtk_label_set_text (self->preview_label, plain);
}

static void
on_template_changed (DtxPreferences *self)
{
  g_autofree char *template_ = get_template (self);

  g_settings_set_string (self->settings, "telegram-template", template_);
  update_preview (self);
}

static gboolean
on_preview_link (DtxPreferences *self,
                 const char     *uri)
{
  return TRUE; /* a preview, not a browser */
}

/* Token and channel */

static void
update_token_status (DtxPreferences *self)
{
  gboolean saved = g_settings_get_boolean (self->settings, "telegram-token-saved");

  adw_action_row_set_subtitle (self->token_status_row,
                               saved ? _("Saved in your keyring") : _("None saved"));
  gtk_widget_set_visible (GTK_WIDGET (self->forget_button), saved);
}

static void
on_token_stored (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(DtxPreferences) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!dtx_secrets_store_finish (DTX_SECRETS (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        say (self, error->message);
      return;
    }
  g_settings_set_boolean (self->settings, "telegram-token-saved", TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
  say (self, _("Token saved in your keyring"));
}

static void
on_token_apply (DtxPreferences *self)
{
  g_autofree char *token = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->token_row))));

  if (*token == '\0')
    return;
  if (!dtx_telegram_token_is_valid (token))
    {
      say (self, _("This is not a bot token. It looks like 123456789:ABC… and comes from @BotFather."));
      return;
    }
  dtx_secrets_store_async (dtx_context_get_secrets (self->context), DTX_SECRET_TELEGRAM_TOKEN,
                           _("DigiTripX Reader: Telegram bot token"), token,
                           self->cancellable, on_token_stored, g_object_ref (self));
  memset (token, 0, strlen (token));
}

static void
on_token_cleared (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(DtxPreferences) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!dtx_secrets_clear_finish (DTX_SECRETS (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        say (self, error->message);
      return;
    }
  g_settings_set_boolean (self->settings, "telegram-token-saved", FALSE);
  say (self, _("Token removed from your keyring"));
}

static void
on_forget_clicked (DtxPreferences *self)
{
  dtx_secrets_clear_async (dtx_context_get_secrets (self->context), DTX_SECRET_TELEGRAM_TOKEN,
                           self->cancellable, on_token_cleared, g_object_ref (self));
}

/* Saved as typed once it is a channel name or id (or empty). */
static void
on_chat_changed (DtxPreferences *self)
{
  g_autofree char *chat = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->chat_row))));

  if (self->settings == NULL)
    return;
  if (*chat != '\0' && !dtx_telegram_chat_is_valid (chat))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->chat_row), "error");
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->chat_row), "error");
  g_settings_set_string (self->settings, "telegram-chat", chat);
}

/* Test: getMe, then getChat */

static void
test_done (DtxPreferences *self,
           const char     *subtitle)
{
  dtx_spinner_set_spinning (self->test_spinner, FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), TRUE);
  adw_action_row_set_subtitle (self->test_row, subtitle);
}

static void
on_checked (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(DtxPreferences) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DtxTelegramCheck) check = dtx_telegram_check_finish (DTX_TELEGRAM (object), result, &error);
  g_autofree char *text = NULL;
  g_autofree char *escaped = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (check == NULL)
    {
      escaped = g_markup_escape_text (error->message, -1);
      test_done (self, escaped);
      return;
    }
  /* Translators: a bot's name and @username, then a channel's title */
  text = g_strdup_printf (_("%s (@%s) can reach “%s”"),
                          check->bot_name ? check->bot_name : "",
                          check->bot_username ? check->bot_username : "",
                          check->chat_title ? check->chat_title : "");
  escaped = g_markup_escape_text (text, -1);
  test_done (self, escaped);
}

static void
run_check (DtxPreferences *self,
           const char     *token)
{
  g_autofree char *chat = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->chat_row))));

  dtx_telegram_check_async (dtx_context_get_telegram (self->context), token, chat,
                            self->cancellable, on_checked, g_object_ref (self));
}

static void
on_test_token (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(DtxPreferences) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = dtx_secrets_lookup_finish (DTX_SECRETS (object), result, &error);
  g_autofree char *escaped = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    {
      escaped = g_markup_escape_text (error->message, -1);
      test_done (self, escaped);
      return;
    }
  run_check (self, token);
  if (token != NULL)
    memset (token, 0, strlen (token));
}

static void
on_test_clicked (DtxPreferences *self)
{
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->token_row));

  dtx_spinner_set_spinning (self->test_spinner, TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), FALSE);
  adw_action_row_set_subtitle (self->test_row, _("Asking Telegram…"));

  /* A token typed but not applied yet is what the user wants to try. */
  if (*typed != '\0')
    {
      g_autofree char *token = g_strstrip (g_strdup (typed));
      run_check (self, token);
      memset (token, 0, strlen (token));
      return;
    }
  dtx_secrets_lookup_async (dtx_context_get_secrets (self->context), DTX_SECRET_TELEGRAM_TOKEN,
                            self->cancellable, on_test_token, g_object_ref (self));
}

/* GObject */

static void
dtx_preferences_constructed (GObject *object)
{
  DtxPreferences *self = (DtxPreferences *)object;
  g_autofree char *template_ = NULL;
  g_autofree char *chat = NULL;

  G_OBJECT_CLASS (dtx_preferences_parent_class)->constructed (object);

  if (self->context == NULL)
    self->context = dtx_context_new (NULL, NULL);

  g_settings_bind_with_mapping (self->settings, "keep-days", gtk_spin_button_get_adjustment (self->keep_days),
                                "value", G_SETTINGS_BIND_DEFAULT, days_get, days_set, NULL, NULL);
  g_settings_bind_with_mapping (self->settings, "share-with", self->share_with, "selected",
                                G_SETTINGS_BIND_DEFAULT, share_with_get, share_with_set, NULL, NULL);
  g_settings_bind (self->settings, "telegram-photo", self->photo_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "refresh-interval", self->refresh_interval, "selected",
                                G_SETTINGS_BIND_DEFAULT, interval_get, interval_set, NULL, NULL);
  g_settings_bind (self->settings, "notify-new-articles", self->notify_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "run-in-background", self->background_switch, "active", G_SETTINGS_BIND_DEFAULT);

  chat = g_settings_get_string (self->settings, "telegram-chat");
  gtk_editable_set_text (GTK_EDITABLE (self->chat_row), chat);
  template_ = g_settings_get_string (self->settings, "telegram-template");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->template_view), template_, -1);
  g_signal_connect_object (gtk_text_view_get_buffer (self->template_view), "changed",
                           G_CALLBACK (on_template_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::telegram-token-saved",
                           G_CALLBACK (update_token_status), self, G_CONNECT_SWAPPED);
  update_token_status (self);
  update_preview (self);
}

static void
dtx_preferences_dispose (GObject *object)
{
  DtxPreferences *self = (DtxPreferences *)object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), DTX_TYPE_PREFERENCES);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  g_clear_object (&self->article);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (dtx_preferences_parent_class)->dispose (object);
}

static void
dtx_preferences_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DtxPreferences *self = DTX_PREFERENCES (object);

  switch (prop_id)
    {
    case PROP_CONTEXT: g_value_set_object (value, self->context); break;
    case PROP_ARTICLE: g_value_set_object (value, self->article); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dtx_preferences_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  DtxPreferences *self = DTX_PREFERENCES (object);

  switch (prop_id)
    {
    case PROP_CONTEXT: self->context = g_value_dup_object (value); break;
    case PROP_ARTICLE: self->article = g_value_dup_object (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dtx_preferences_class_init (DtxPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = dtx_preferences_constructed;
  object_class->dispose = dtx_preferences_dispose;
  object_class->get_property = dtx_preferences_get_property;
  object_class->set_property = dtx_preferences_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, DTX_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ARTICLE] =
    g_param_spec_object ("article", NULL, NULL, DTX_TYPE_ARTICLE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DTX_TYPE_SPINNER);
  gtk_widget_class_set_template_from_resource (widget_class, "/id/digitripx/Reader/ui/dtx-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, DtxPreferences, keep_days);
  gtk_widget_class_bind_template_child (widget_class, DtxPreferences, share_with);
  gtk_widget_class_bind_template_child (widget_class, DtxPreferences, refresh_interval);
  gtk_widget_class_bind_template_child (widget_class, DtxPreferences, notify_switch);
  gtk_widget_class_bind_template_child (widget_class, DtxPreferences, background_switch);
  gtk_widget_class_bind_template_child (widget_class, DtxPreferences, token_row);
  gtk_widget_class_bind_template_child (widget_class, DtxPreferences, token_status_row);
  gtk_widget_class_bind_template_child (widget_class, DtxPreferences, forget_button);
  gtk_widget_class_bind_template_child (widget_class, DtxPreferences, chat_row);
  gtk_widget_class_bind_template_child (widget_class, DtxPreferences, test_row);
  gtk_widget_class_bind_template_child (widget_class, DtxPreferences, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, DtxPreferences, test_button);
  gtk_widget_class_bind_template_child (widget_class, DtxPreferences, template_view);
  gtk_widget_class_bind_template_child (widget_class, DtxPreferences, photo_switch);
  gtk_widget_class_bind_template_child (widget_class, DtxPreferences, preview_label);
  gtk_widget_class_bind_template_callback (widget_class, on_token_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_forget_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_chat_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_test_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_preview_link);
}

static void
dtx_preferences_init (DtxPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = g_settings_new (APPLICATION_ID);
  self->cancellable = g_cancellable_new ();
}

DtxPreferences *
dtx_preferences_new (GtkWindow  *parent,
                     DtxContext *context,
                     DtxArticle *article)
{
  return g_object_new (DTX_TYPE_PREFERENCES,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       "context", context,
                       "article", article,
                       NULL);
}
