/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-reader-view"
#include "config.h"

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <glib/gi18n-lib.h>
#include <gmodule.h>

#include "dtx-error.h"
#include "dtx-launch.h"
#include "dtx-probe.h"
#include "dtx-reader-view.h"
#include "dtx-sanitizer.h"

/* Sanitised markup past this takes WebKit over a second to lay out here (1
 * MiB of plain paragraphs: 0.65 s on a busy 2-core machine, 2 MiB: 1.8 s);
 * a real article is a few hundred KiB at most. Past it, the reader says so
 * and offers the browser instead of holding the view for seconds. */
#define MAX_SHOWN_BYTES (1024 * 1024)

struct _DtxReaderView
{
  AdwBin         parent_instance;

  GtkStack      *stack;
  WebKitWebView *web_view;
  GtkRevealer   *link_revealer;
  GtkLabel      *link_label;
  AdwStatusPage *too_large_page;
  GtkWidget     *too_large_button;
  char          *pending_uri; /* the base URI of our own load, until it starts */
  DtxSource     *source;
  DtxArticle    *article;
  GSettings     *settings;
  GCancellable  *render_cancellable; /* the page being prepared in a thread */
  gboolean       rendering;
};

G_DEFINE_FINAL_TYPE (DtxReaderView, dtx_reader_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SOURCE,
  PROP_ARTICLE,
  N_PROPS
};

enum {
  OPEN_ARTICLE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static char *
join_categories (DtxArticle *article)
{
  const char * const *categories = dtx_article_get_categories (article);

  return categories ? g_strjoinv (", ", (char **)categories) : g_strdup ("");
}

static char *
format_byline (DtxArticle *article)
{
  g_autofree char *date = NULL;
  g_autofree char *by = NULL;
  const char *author = dtx_article_get_author (article);
  GDateTime *when = dtx_article_get_date (article);

  if (when != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (when);
      /* Translators: the date of an article in the reader; see g_date_time_format(). */
      date = g_date_time_format (local, _("%-e %B %Y, %H:%M"));
    }
  if (author != NULL && *author != '\0')
    /* Translators: the author of an article */
    by = g_strdup_printf (_("By %s"), author);

  if (by != NULL && date != NULL)
    return g_strdup_printf ("%s · %s", by, date);
  return g_strdup (by ? by : date ? date : "");
}

static gboolean
is_web_url (const char *uri)
{
  return uri != NULL &&
         (g_ascii_strncasecmp (uri, "https://", 8) == 0 ||
          g_ascii_strncasecmp (uri, "http://", 7) == 0);
}

static void
replace (GString    *page,
         const char *marker,
         const char *text,
         gboolean    escape)
{
  g_autofree char *escaped = escape ? g_markup_escape_text (text ? text : "", -1) : NULL;

  g_string_replace (page, marker, escape ? escaped : text, 0);
}

/* What a page is made of, copied on the main thread so the page can be put
 * together (and the content sanitised) in a worker thread. The content, up
 * to 10 MiB, is shared rather than copied. */
typedef struct {
  char     *title;
  char     *categories;
  char     *byline;
  char     *content;   /* raw, untrusted; a GRefString */
  char     *excerpt;
  char     *image_url;
  char     *link;
  char     *lang;
  gboolean  dark;
} PageParts;

static void
page_parts_free (PageParts *parts)
{
  g_free (parts->title);
  g_free (parts->categories);
  g_free (parts->byline);
  if (parts->content != NULL)
    g_ref_string_release (parts->content);
  g_free (parts->excerpt);
  g_free (parts->image_url);
  g_free (parts->link);
  g_free (parts->lang);
  g_free (parts);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PageParts, page_parts_free)

static PageParts *
page_parts_new (DtxArticle *article,
                gboolean    dark)
{
  PageParts *parts = g_new0 (PageParts, 1);

  parts->title = g_strdup (dtx_article_get_title (article));
  parts->categories = join_categories (article);
  parts->byline = format_byline (article);
  parts->content = dtx_article_ref_content (article);
  parts->excerpt = g_strdup (dtx_article_get_excerpt (article));
  parts->image_url = g_strdup (dtx_article_get_image_url (article));
  parts->link = g_strdup (dtx_article_get_link (article));
  parts->lang = g_strdup (pango_language_to_string (pango_language_get_default ()));
  parts->dark = dark;
  return parts;
}

static char *
build_page (const PageParts  *parts,
            GError          **error)
{
  g_autoptr(GBytes) template = NULL;
  g_autoptr(GBytes) css = NULL;
  g_autoptr(GString) page = NULL;
  g_autofree char *content = NULL;
  g_autofree char *image = NULL;
  g_autofree char *footer = NULL;
  const char *image_url = parts->image_url;
  const char *raw = parts->content;
  const char *link = parts->link;

  template = g_resources_lookup_data ("/id/digitripx/Reader/reader/reader.html", 0, NULL);
  css = g_resources_lookup_data ("/id/digitripx/Reader/reader/reader.css", 0, NULL);
  g_return_val_if_fail (template != NULL && css != NULL, NULL);

  if (raw != NULL && *raw != '\0')
    content = dtx_sanitizer_clean (raw, link);
  if (content != NULL && strlen (content) > MAX_SHOWN_BYTES)
    {
      g_set_error_literal (error, DTX_ERROR, DTX_ERROR_TOO_LARGE,
                           _("This article is too large to show here, so open it in your browser to read it."));
      return NULL;
    }
  if (content == NULL)
    {
      g_autofree char *excerpt = g_markup_escape_text (parts->excerpt ?: "", -1);
      content = g_strdup_printf ("<p>%s</p>", excerpt);
    }

  if (is_web_url (link))
    {
      g_autofree char *href = g_markup_escape_text (link, -1);
      g_autofree char *label = g_markup_escape_text (_("Open in Browser"), -1);
      footer = g_strdup_printf ("<footer><a class=\"open-in-browser\" href=\"%s\">%s</a></footer>", href, label);
    }

  /* Skip the featured image when the body already shows it. */
  if (is_web_url (image_url) && strstr (content, image_url) == NULL)
    {
      g_autofree char *src = g_markup_escape_text (image_url, -1);
      image = g_strdup_printf ("<img class=\"featured\" src=\"%s\" alt=\"\">", src);
    }

  page = g_string_new_len (g_bytes_get_data (template, NULL), g_bytes_get_size (template));
  /* The untrusted content goes in last, so markers inside it stay text. */
  replace (page, "@LANG@", parts->lang, TRUE);
  replace (page, "@SCHEME@", parts->dark ? "dark" : "light", FALSE);
  replace (page, "@CSS@", g_bytes_get_data (css, NULL), FALSE);
  replace (page, "@TITLE@", parts->title, TRUE);
  replace (page, "@CATEGORY@", parts->categories, TRUE);
  replace (page, "@BYLINE@", parts->byline, TRUE);
  replace (page, "@FOOTER@", footer ? footer : "", FALSE);
  replace (page, "@IMAGE@", image ? image : "", FALSE);
  replace (page, "@CONTENT@", content, FALSE);

  return g_string_free (g_steal_pointer (&page), FALSE);
}

char *
dtx_reader_view_render_html (DtxArticle *article,
                             gboolean    dark)
{
  g_autoptr(PageParts) parts = page_parts_new (article, dark);

  return build_page (parts, NULL);
}

static gboolean
same_page (const char *a,
           const char *b)
{
  gsize la, lb;

  if (a == NULL || b == NULL)
    return FALSE;
  la = strcspn (a, "#");
  lb = strcspn (b, "#");
  while (la > 0 && a[la - 1] == '/') la--;
  while (lb > 0 && b[lb - 1] == '/') lb--;
  return la == lb && strncmp (a, b, la) == 0;
}

/* The embeds the sanitiser emits (dtx-sanitizer.c builds them). */
static gboolean
is_player_url (const char *uri)
{
  return g_str_has_prefix (uri, "https://www.youtube.com/embed/") ||
         g_str_has_prefix (uri, "https://www.youtube-nocookie.com/embed/") ||
         g_str_has_prefix (uri, "https://player.vimeo.com/video/");
}

static void
follow_link (DtxReaderView *self,
             const char    *uri)
{
  const char *link = self->article ? dtx_article_get_link (self->article) : NULL;

  /* The article's own address ("Open in Browser") means the web page. */
  if (is_web_url (uri) && !same_page (uri, link) &&
      self->source != NULL && dtx_source_owns_url (self->source, uri))
    g_signal_emit (self, signals[OPEN_ARTICLE], 0, uri);
  else
    dtx_launch_uri (GTK_WIDGET (self), uri);
}

static gboolean
on_decide_policy (WebKitWebView            *web_view,
                  WebKitPolicyDecision     *decision,
                  WebKitPolicyDecisionType  type,
                  DtxReaderView            *self)
{
  WebKitNavigationAction *action;
  WebKitNavigationType navigation;
  const char *uri;

  if (type == WEBKIT_POLICY_DECISION_TYPE_RESPONSE)
    return FALSE;

  action = webkit_navigation_policy_decision_get_navigation_action (WEBKIT_NAVIGATION_POLICY_DECISION (decision));
  navigation = webkit_navigation_action_get_navigation_type (action);
  uri = webkit_uri_request_get_uri (webkit_navigation_action_get_request (action));

  /* Exactly our own page load: once, at the address it was given. Any
   * later main-frame navigation nobody clicked (a meta refresh, a script, a
   * reload or history step, which would load the live page at the base
   * URI) is refused. Frames get only the players the sanitiser lets
   * through, and the CSP limits them to those hosts as well. */
  if (type == WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION &&
      navigation == WEBKIT_NAVIGATION_TYPE_OTHER)
    {
      if (self->pending_uri != NULL && g_strcmp0 (uri, self->pending_uri) == 0)
        {
          g_clear_pointer (&self->pending_uri, g_free);
          return FALSE;
        }
      if (is_player_url (uri))
        return FALSE;
      g_message ("Refused a navigation of the reader to %s", uri);
      webkit_policy_decision_ignore (decision);
      return TRUE;
    }

  /* A jump to an anchor within the article stays in the reader. */
  if (type == WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION && strchr (uri, '#') != NULL &&
      same_page (uri, webkit_web_view_get_uri (web_view)))
    return FALSE;

  webkit_policy_decision_ignore (decision);
  if (navigation == WEBKIT_NAVIGATION_TYPE_LINK_CLICKED)
    follow_link (self, uri);
  return TRUE;
}

static void
open_link_activated (GSimpleAction *action,
                     GVariant      *param,
                     DtxReaderView *self)
{
  dtx_launch_uri (GTK_WIDGET (self), g_variant_get_string (param, NULL));
}

static void
copy_link_activated (GSimpleAction *action,
                     GVariant      *param,
                     DtxReaderView *self)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), g_variant_get_string (param, NULL));
}

static WebKitContextMenuItem *
link_item (DtxReaderView *self,
           const char    *name,
           const char    *label,
           GCallback      callback,
           const char    *uri)
{
  g_autoptr(GSimpleAction) action = g_simple_action_new (name, G_VARIANT_TYPE_STRING);

  g_signal_connect_object (action, "activate", callback, self, 0);
  return webkit_context_menu_item_new_from_gaction (G_ACTION (action), label, g_variant_new_string (uri));
}

/* WebKit's own menu can reload, step through history, open a link in the
 * view itself or download it: each would leave the article for the live
 * page or bypass the reader. A link gets Open in Browser and Copy Link. */
static gboolean
on_context_menu (WebKitWebView       *web_view,
                 WebKitContextMenu   *menu,
                 WebKitHitTestResult *hit_test_result,
                 DtxReaderView       *self)
{
  GList *items = webkit_context_menu_get_items (menu);
  const char *uri = webkit_hit_test_result_context_is_link (hit_test_result)
                      ? webkit_hit_test_result_get_link_uri (hit_test_result) : NULL;

  while (items != NULL)
    {
      WebKitContextMenuItem *item = items->data;

      items = items->next;
      switch (webkit_context_menu_item_get_stock_action (item))
        {
        case WEBKIT_CONTEXT_MENU_ACTION_GO_BACK:
        case WEBKIT_CONTEXT_MENU_ACTION_GO_FORWARD:
        case WEBKIT_CONTEXT_MENU_ACTION_STOP:
        case WEBKIT_CONTEXT_MENU_ACTION_RELOAD:
        case WEBKIT_CONTEXT_MENU_ACTION_OPEN_LINK:
        case WEBKIT_CONTEXT_MENU_ACTION_OPEN_LINK_IN_NEW_WINDOW:
        case WEBKIT_CONTEXT_MENU_ACTION_DOWNLOAD_LINK_TO_DISK:
        case WEBKIT_CONTEXT_MENU_ACTION_COPY_LINK_TO_CLIPBOARD:
        case WEBKIT_CONTEXT_MENU_ACTION_OPEN_IMAGE_IN_NEW_WINDOW:
        case WEBKIT_CONTEXT_MENU_ACTION_DOWNLOAD_IMAGE_TO_DISK:
        case WEBKIT_CONTEXT_MENU_ACTION_OPEN_FRAME_IN_NEW_WINDOW:
        case WEBKIT_CONTEXT_MENU_ACTION_OPEN_VIDEO_IN_NEW_WINDOW:
        case WEBKIT_CONTEXT_MENU_ACTION_OPEN_AUDIO_IN_NEW_WINDOW:
        case WEBKIT_CONTEXT_MENU_ACTION_DOWNLOAD_VIDEO_TO_DISK:
        case WEBKIT_CONTEXT_MENU_ACTION_DOWNLOAD_AUDIO_TO_DISK:
          webkit_context_menu_remove (menu, item);
          break;
        default:
          break;
        }
    }

  if (is_web_url (uri))
    {
      GList *first = webkit_context_menu_get_items (menu);

      if (first != NULL && webkit_context_menu_item_is_separator (first->data) == FALSE)
        webkit_context_menu_prepend (menu, webkit_context_menu_item_new_separator ());
      webkit_context_menu_prepend (menu, link_item (self, "copy-link", _("Copy Link"),
                                                    G_CALLBACK (copy_link_activated), uri));
      webkit_context_menu_prepend (menu, link_item (self, "open-link", _("Open in Browser"),
                                                    G_CALLBACK (open_link_activated), uri));
    }
  /* Nothing left: no empty menu. */
  return webkit_context_menu_get_n_items (menu) == 0;
}

/* Where a link leads, at the bottom of the reader, as browsers show it. */
static void
on_mouse_target_changed (WebKitWebView       *web_view,
                         WebKitHitTestResult *hit_test_result,
                         guint                modifiers,
                         DtxReaderView       *self)
{
  const char *uri = webkit_hit_test_result_context_is_link (hit_test_result)
                      ? webkit_hit_test_result_get_link_uri (hit_test_result) : NULL;

  if (uri != NULL && *uri != '\0')
    gtk_label_set_text (self->link_label, uri);
  gtk_revealer_set_reveal_child (self->link_revealer, uri != NULL && *uri != '\0');
}

/* Our own script (page scripts stay off): an image that fails to load is
 * marked, and reader.css hides it rather than leave a broken box. */
static const char hide_broken_images[] =
  "document.querySelectorAll('img').forEach(function (img) {"
  "  var hide = function () { img.classList.add('dtx-broken'); };"
  "  if (img.complete && img.naturalWidth === 0) hide();"
  "  else img.addEventListener('error', hide);"
  "}); 'ok'";


/* The mark is printed when this frame has painted: make it paint. A page
 * whose images were already drawn by the time its load finished has
 * nothing left to draw, and the mark waited for whatever painted next,
 * up to a second later. */
static gboolean
probe_painted (GtkWidget     *widget,
               GdkFrameClock *frame_clock,
               gpointer       data)
{
  gtk_widget_queue_draw (widget);
  dtx_probe_mark (data);
  return G_SOURCE_REMOVE;
}

/* Hides broken images; for the benchmark, marks the first frame after an
 * article finished loading. */
static void
on_load_changed (WebKitWebView   *web_view,
                 WebKitLoadEvent  event,
                 DtxReaderView   *self)
{
  if (event == WEBKIT_LOAD_COMMITTED || event == WEBKIT_LOAD_FINISHED)
    webkit_web_view_evaluate_javascript (web_view, hide_broken_images, -1, NULL, NULL, NULL, NULL, NULL);
  if (event == WEBKIT_LOAD_COMMITTED && self->article != NULL)
    dtx_probe_mark ("article-committed");
  if (event != WEBKIT_LOAD_FINISHED || !dtx_probe_enabled ())
    return;
  if (self->article != NULL)
    gtk_widget_add_tick_callback (GTK_WIDGET (web_view), probe_painted, (gpointer)"article-painted", NULL);
  else
    dtx_probe_mark ("warmup-done");
}

static void
on_web_process_terminated (WebKitWebView                     *web_view,
                           WebKitWebProcessTerminationReason  reason,
                           DtxReaderView                     *self)
{
  g_message ("The web process for the reader stopped (reason %d)", reason);
  gtk_stack_set_visible_child_name (self->stack, "crashed");
}

static void
on_dark_changed (AdwStyleManager *style_manager,
                 GParamSpec      *pspec,
                 DtxReaderView   *self)
{
  g_autofree char *script = NULL;

  if (self->article == NULL)
    return;
  script = g_strdup_printf ("document.documentElement.className = '%s';",
                            adw_style_manager_get_dark (style_manager) ? "dark" : "light");
  webkit_web_view_evaluate_javascript (self->web_view, script, -1, NULL, NULL, NULL, NULL, NULL);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DtxReaderView *self = DTX_READER_VIEW (widget);

  if (self->article != NULL)
    dtx_reader_view_show_article (self, self->article);
}

static void
open_in_browser_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  DtxReaderView *self = DTX_READER_VIEW (widget);
  const char *link = self->article ? dtx_article_get_link (self->article) : NULL;

  if (is_web_url (link))
    dtx_launch_uri (widget, link);
}

static WebKitWebView *
create_web_view (void)
{
  g_autoptr(WebKitSettings) settings = webkit_settings_new ();

  /* Article pages are untrusted: no page scripts (our own
   * evaluate_javascript still runs), no plugins, storage or pop-ups. */
  g_object_set (settings,
                "enable-javascript-markup", FALSE,
                "javascript-can-open-windows-automatically", FALSE,
                "enable-html5-database", FALSE,
                "enable-html5-local-storage", FALSE,
                "enable-webaudio", FALSE,
                "enable-webgl", FALSE,
                "enable-back-forward-navigation-gestures", FALSE,
                "media-playback-requires-user-gesture", TRUE,
                "enable-developer-extras", (gboolean)DTX_DEVELOPMENT,
                "hardware-acceleration-policy", WEBKIT_HARDWARE_ACCELERATION_POLICY_NEVER,
                NULL);

  return g_object_new (WEBKIT_TYPE_WEB_VIEW, "settings", settings, NULL);
}

static void
dtx_reader_view_dispose (GObject *object)
{
  DtxReaderView *self = (DtxReaderView *)object;

  g_cancellable_cancel (self->render_cancellable);
  g_clear_object (&self->render_cancellable);
  adw_bin_set_child (ADW_BIN (self), NULL);
  self->stack = NULL;
  self->web_view = NULL;
  self->too_large_page = NULL;
  self->too_large_button = NULL;
  g_clear_object (&self->source);
  g_clear_object (&self->article);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->pending_uri, g_free);

  G_OBJECT_CLASS (dtx_reader_view_parent_class)->dispose (object);
}

static void
dtx_reader_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DtxReaderView *self = DTX_READER_VIEW (object);

  switch (prop_id)
    {
    case PROP_SOURCE: g_value_set_object (value, self->source); break;
    case PROP_ARTICLE: g_value_set_object (value, self->article); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dtx_reader_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  DtxReaderView *self = DTX_READER_VIEW (object);

  switch (prop_id)
    {
    case PROP_SOURCE: dtx_reader_view_set_source (self, g_value_get_object (value)); break;
    case PROP_ARTICLE:
      if (g_value_get_object (value) != NULL)
        dtx_reader_view_show_article (self, g_value_get_object (value));
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Starts the web process on an empty document, so the first article does not
 * wait for it. Nothing happens once an article has been shown. */
static void
warm_up_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  DtxReaderView *self = DTX_READER_VIEW (widget);

  if (self->article != NULL || webkit_web_view_get_uri (self->web_view) != NULL)
    return;
  /* Our own load, which the navigation policy lets through once. */
  g_free (self->pending_uri);
  self->pending_uri = g_strdup ("about:blank");
  webkit_web_view_load_html (self->web_view, "<!DOCTYPE html><html><body></body></html>", self->pending_uri);
}

static void
dtx_reader_view_class_init (DtxReaderViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dtx_reader_view_dispose;
  object_class->get_property = dtx_reader_view_get_property;
  object_class->set_property = dtx_reader_view_set_property;

  properties[PROP_SOURCE] =
    g_param_spec_object ("source", NULL, NULL, DTX_TYPE_SOURCE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Setting it shows the article. */
  properties[PROP_ARTICLE] =
    g_param_spec_object ("article", NULL, NULL, DTX_TYPE_ARTICLE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[OPEN_ARTICLE] =
    g_signal_new ("open-article", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "reader.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "reader.warm-up", NULL, warm_up_action);
  gtk_widget_class_install_action (widget_class, "reader.open-in-browser", NULL, open_in_browser_action);
}

static void
dtx_reader_view_init (DtxReaderView *self)
{
  GtkWidget *status;
  GtkWidget *button;
  GtkWidget *overlay;

  self->stack = GTK_STACK (gtk_stack_new ());
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->stack));

  self->web_view = create_web_view ();
  gtk_widget_set_vexpand (GTK_WIDGET (self->web_view), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->web_view), TRUE);
  overlay = gtk_overlay_new ();
  gtk_overlay_set_child (GTK_OVERLAY (overlay), GTK_WIDGET (self->web_view));
  gtk_stack_add_named (self->stack, overlay, "article");

  self->link_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_ellipsize (self->link_label, PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_single_line_mode (self->link_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->link_label), "link-target");
  self->link_revealer = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_transition_type (self->link_revealer, GTK_REVEALER_TRANSITION_TYPE_CROSSFADE);
  gtk_revealer_set_child (self->link_revealer, GTK_WIDGET (self->link_label));
  gtk_widget_set_halign (GTK_WIDGET (self->link_revealer), GTK_ALIGN_START);
  gtk_widget_set_valign (GTK_WIDGET (self->link_revealer), GTK_ALIGN_END);
  gtk_widget_set_can_target (GTK_WIDGET (self->link_revealer), FALSE);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), GTK_WIDGET (self->link_revealer));

  button = gtk_button_new_with_mnemonic (_("_Reload"));
  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "reader.reload");
  gtk_widget_add_css_class (button, "pill");
  gtk_widget_add_css_class (button, "suggested-action");
  status = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "dialog-warning-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), _("The Article View Stopped"));
  adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                   _("Something went wrong while showing this article. Reload to try again."));
  adw_status_page_set_child (ADW_STATUS_PAGE (status), button);
  gtk_stack_add_named (self->stack, status, "crashed");

  button = gtk_button_new_with_mnemonic (_("_Open in Browser"));
  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "reader.open-in-browser");
  gtk_widget_add_css_class (button, "pill");
  gtk_widget_add_css_class (button, "suggested-action");
  status = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "web-browser-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), _("Article Too Large"));
  adw_status_page_set_child (ADW_STATUS_PAGE (status), button);
  gtk_stack_add_named (self->stack, status, "too-large");
  self->too_large_page = ADW_STATUS_PAGE (status);
  self->too_large_button = button;

  g_signal_connect_object (self->web_view, "decide-policy", G_CALLBACK (on_decide_policy), self, 0);
  g_signal_connect_object (self->web_view, "context-menu", G_CALLBACK (on_context_menu), self, 0);
  g_signal_connect_object (self->web_view, "mouse-target-changed", G_CALLBACK (on_mouse_target_changed), self, 0);
  g_signal_connect_object (self->web_view, "load-changed", G_CALLBACK (on_load_changed), self, 0);
  g_signal_connect_object (self->web_view, "web-process-terminated",
                           G_CALLBACK (on_web_process_terminated), self, 0);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (on_dark_changed), self, 0);

  self->settings = g_settings_new (APPLICATION_ID);
  g_settings_bind (self->settings, "zoom-level", self->web_view, "zoom-level", G_SETTINGS_BIND_GET);
}

GtkWidget *
dtx_reader_view_new (DtxSource *source)
{
  return g_object_new (DTX_TYPE_READER_VIEW, "source", source, NULL);
}

void
dtx_reader_view_set_source (DtxReaderView *self,
                            DtxSource     *source)
{
  g_return_if_fail (DTX_IS_READER_VIEW (self));
  if (g_set_object (&self->source, source))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE]);
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  char *html = build_page (task_data, &error);

  if (html == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, html, g_free);
}

static void
on_rendered (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  DtxReaderView *self = DTX_READER_VIEW (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *html = g_task_propagate_pointer (G_TASK (result), &error);
  const char *link;

  /* Cancelled: another article (or none) took its place. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      self->web_view == NULL || self->article == NULL)
    return;
  self->rendering = FALSE;
  if (html == NULL)
    {
      g_message ("Not showing %s: %s", dtx_article_get_link (self->article), error->message);
      if (dtx_probe_enabled ())
        gtk_widget_add_tick_callback (GTK_WIDGET (self), probe_painted,
                                      (gpointer)"article-too-large", NULL);
      adw_status_page_set_description (self->too_large_page, error->message);
      gtk_widget_set_visible (self->too_large_button, is_web_url (dtx_article_get_link (self->article)));
      gtk_stack_set_visible_child_name (self->stack, "too-large");
      return;
    }
  dtx_probe_mark ("article-rendered");
  link = dtx_article_get_link (self->article);
  /* The article's address as base: relative links and images resolve. The
   * navigation policy lets exactly this load through. */
  g_free (self->pending_uri);
  self->pending_uri = g_strdup (is_web_url (link) ? link : "about:blank");
  webkit_web_view_load_html (self->web_view, html, self->pending_uri);
  gtk_revealer_set_reveal_child (self->link_revealer, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "article");
}

/* The page is sanitised in a worker thread: a hostile article costs that
 * thread time, never the window's frames. */
void
dtx_reader_view_show_article (DtxReaderView *self,
                              DtxArticle    *article)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DTX_IS_READER_VIEW (self));
  g_return_if_fail (DTX_IS_ARTICLE (article));

  if (g_set_object (&self->article, article))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ARTICLE]);

  g_cancellable_cancel (self->render_cancellable);
  g_clear_object (&self->render_cancellable);
  self->render_cancellable = g_cancellable_new ();

  self->rendering = TRUE;
  dtx_probe_mark ("article-render");
  task = g_task_new (self, self->render_cancellable, on_rendered, NULL);
  g_task_set_source_tag (task, dtx_reader_view_show_article);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_set_task_data (task,
                        page_parts_new (article, adw_style_manager_get_dark (adw_style_manager_get_default ())),
                        (GDestroyNotify)page_parts_free);
  g_task_run_in_thread (task, render_thread);
}


gboolean
dtx_reader_view_is_rendering (DtxReaderView *self)
{
  g_return_val_if_fail (DTX_IS_READER_VIEW (self), FALSE);
  return self->rendering;
}

DtxArticle *
dtx_reader_view_get_article (DtxReaderView *self)
{
  g_return_val_if_fail (DTX_IS_READER_VIEW (self), NULL);
  return self->article;
}

const char *
dtx_reader_view_get_hovered_link (DtxReaderView *self)
{
  g_return_val_if_fail (DTX_IS_READER_VIEW (self), NULL);
  return gtk_revealer_get_reveal_child (self->link_revealer) ? gtk_label_get_text (self->link_label) : NULL;
}

WebKitWebView *
dtx_reader_view_get_web_view (DtxReaderView *self)
{
  g_return_val_if_fail (DTX_IS_READER_VIEW (self), NULL);
  return self->web_view;
}

/* From the loader's worker thread, where GDK leaves OpenGL alone (cairo
 * where there is no GPU): WebKit's first view initialises EGL, which loads
 * Mesa's driver and, with llvmpipe, LLVM: 40 ms of the UI thread here.
 * Initialised once here first, they are loaded when the view comes. The
 * display is kept: terminating it would unload the driver again. */
G_MODULE_EXPORT void
dtx_reader_view_preload_graphics (void)
{
  EGLDisplay display = eglGetPlatformDisplay (EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, NULL);

  if (display == EGL_NO_DISPLAY || !eglInitialize (display, NULL, NULL))
    g_debug ("EGL not loaded ahead: 0x%x", eglGetError ());
}
