/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-window"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "dtx-add-source-dialog.h"
#include "dtx-article-list.h"
#include "dtx-article-row.h"
#include "dtx-error.h"
#include "dtx-format.h"
#include "dtx-launch.h"
#include "dtx-probe.h"
#include "dtx-opml.h"
#include "dtx-reader-loader.h"
#include "dtx-sidebar.h"
#include "dtx-source-discovery.h"
#include "dtx-spinner.h"
#include "dtx-subscriptions.h"
#include "dtx-thumbnail-cache.h"
#include "dtx-tooltip.h"
#include "dtx-window-private.h"
#include "dtx-window-share.h"

#define ZOOM_STEP 0.1
#define THUMBNAIL_SIZE 144 /* pixels: shown at 72, sharp at scale 2 */

struct _DtxWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwFlap              *flap;
  DtxSidebar           *sources_sidebar;
  GtkProgressBar       *refresh_progress;
  AdwLeaflet           *leaflet;
  GtkWidget            *content;
  AdwViewSwitcherTitle *list_title;
  DtxSpinner           *refresh_spinner;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkRevealer          *offline_revealer;
  GtkLabel             *offline_label;
  AdwViewStack         *view_stack;
  GtkStack             *list_stack;
  DtxSpinner           *list_spinner;
  GtkScrolledWindow    *scrolled;
  GtkListView          *list_view;
  GtkRevealer          *more_revealer;
  DtxSpinner           *more_spinner;
  AdwStatusPage        *error_page;
  GtkStack             *bookmarks_stack;
  GtkScrolledWindow    *bookmarks_scrolled;
  GtkListView          *bookmarks_view;
  GtkWidget            *search_site_button;
  GtkLabel             *search_site_label;
  DtxSpinner           *search_site_spinner;
  AdwWindowTitle       *reader_title;
  GtkButton            *bookmark_button;
  GtkWidget            *history_back_button;
  GtkWidget            *history_forward_button;
  GtkStack             *reader_stack;
  AdwStatusPage        *reader_hint;
  DtxSpinner           *reader_spinner;
  AdwBin               *reader_bin;
  AdwStatusPage        *reader_error_page;
  GtkWidget            *reader_error_button;

  DtxContext           *context;
  DtxSourceManager     *manager;
  DtxSource            *source;      /* the selected source, NULL for All Articles */
  char                 *requested_url; /* dtx_window_new()'s: followed and selected once loaded */
  DtxSource            *removed_source; /* hidden until its toast goes, for Undo */
  AdwToast             *remove_toast;
  DtxThumbnailCache    *thumbnails;
  DtxArticleList       *latest;
  DtxArticleList       *bookmarks;
  GtkSingleSelection   *latest_selection;
  GtkSingleSelection   *bookmarks_selection;
  GtkWidget            *reader; /* a DtxReaderView, created by the warm-up or the first article */
  DtxArticle           *shown;  /* the article in the reader */
  DtxArticle           *removed_bookmark; /* for Undo */
  GSettings            *settings;

  GPtrArray            *history;     /* DtxArticle shown in the reader, oldest first */
  guint                 history_pos; /* the one on screen */
  gboolean              walking_history;
  gboolean              syncing_selection; /* the selection follows the reader */
  gboolean              keyboard_moved;    /* the selection moves with arrow keys */

  GCancellable         *cancellable; /* the window's lifetime */
  GCancellable         *refresh_cancellable;
  GCancellable         *article_cancellable;
  GCancellable         *search_site_cancellable;
  GError               *refresh_error;
  char                 *pending_url; /* the address dtx_window_open_url() was given last */
  char                 *failed_url;  /* the one the reader's error page is about */
  guint                 present_id;
  guint                 list_painted_id; /* tick callback */
  gboolean              hint_pending;    /* after the next paint: "No Article Selected" */
  guint                 warm_up_id;      /* idle */
  gboolean              list_painted;
  gboolean              fill_check;      /* after the next paint: do the rows fill the view? */
  gboolean              refresh_found_none;
  gboolean              warm_up_started;
  gboolean              refreshing;
  gboolean              refreshed_once;
  gboolean              manager_loaded;
};

G_DEFINE_FINAL_TYPE (DtxWindow, dtx_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void show_article (DtxWindow *self, DtxArticle *article);
static GtkWidget *ensure_reader (DtxWindow *self, GError **error);

static DtxStore *
get_store (DtxWindow *self)
{
  return dtx_context_get_store (self->context);
}

/* A title for a status page: what happened, in a few words. */
static const char *
error_title (const GError *error)
{
  if (error->domain == DTX_ERROR)
    switch ((DtxError)error->code)
      {
      case DTX_ERROR_NETWORK: return _("No Connection");
      case DTX_ERROR_TIMEOUT: return _("The Site Is Not Responding");
      case DTX_ERROR_TLS: return _("Secure Connection Failed");
      case DTX_ERROR_HTTP: return _("The Site Reported an Error");
      case DTX_ERROR_TOO_LARGE: return _("The Answer Was Too Large");
      case DTX_ERROR_PARSE: return _("Could Not Read the Articles");
      case DTX_ERROR_EMPTY: return _("No Articles");
      case DTX_ERROR_NOT_FOUND: return _("Article Not Found");
      default: break;
      }
  return _("Could Not Load Articles");
}

/* Each kind of failure its own picture. */
static const char *
error_icon (const GError *error)
{
  if (error->domain == DTX_ERROR)
    switch ((DtxError)error->code)
      {
      case DTX_ERROR_NETWORK: return "network-offline-symbolic";
      case DTX_ERROR_TIMEOUT: return "preferences-system-time-symbolic";
      case DTX_ERROR_TLS: return "channel-insecure-symbolic";
      case DTX_ERROR_HTTP: return "network-server-symbolic";
      case DTX_ERROR_TOO_LARGE: return "package-x-generic-symbolic";
      case DTX_ERROR_PARSE: return "dialog-question-symbolic";
      case DTX_ERROR_EMPTY: return "document-open-recent-symbolic";
      case DTX_ERROR_NOT_FOUND: return "edit-find-symbolic";
      default: break;
      }
  return "dialog-error-symbolic";
}

/* Status page descriptions are markup; error messages quote servers. */
static void
set_description (AdwStatusPage *page,
                 const char    *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  adw_status_page_set_description (page, escaped);
}

static AdwToast *
new_toast (const char *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1); /* toast titles are markup */
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 8);
  return toast;
}

static void
show_toast (DtxWindow  *self,
            const char *message,
            const char *retry_action)
{
  AdwToast *toast = new_toast (message);

  if (retry_action != NULL)
    {
      adw_toast_set_button_label (toast, _("_Retry"));
      adw_toast_set_action_name (toast, retry_action);
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* The list's state */

static gboolean
is_searching (DtxWindow *self)
{
  return dtx_article_list_get_search (self->latest) != NULL;
}

static void
show_reader_hint (GdkFrameClock *clock,
                  DtxWindow     *self)
{
  if (clock != NULL)
    g_signal_handlers_disconnect_by_func (clock, show_reader_hint, self);
  self->hint_pending = FALSE;
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->list_stack), "list") == 0 &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->reader_stack), "blank") == 0)
    gtk_stack_set_visible_child_name (self->reader_stack, "none");
}

/* After the frame that draws the list's first rows: they, which the user
 * waits for, are then drawn alone (the whole reader beside them took a
 * third of that frame). */
static void
show_reader_hint_soon (DtxWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (self->hint_pending)
    return;
  if (clock == NULL)
    {
      show_reader_hint (NULL, self);
      return;
    }
  self->hint_pending = TRUE;
  g_signal_connect_object (clock, "after-paint", G_CALLBACK (show_reader_hint), self, 0);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_AFTER_PAINT);
}

/* Shows the stored list whenever there is one: an error or loading page only
 * while there is nothing to read. */
static void
update_list_state (DtxWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->latest));
  gboolean loading = dtx_article_list_get_loading (self->latest);
  const char *state;

  if (n > 0)
    state = "list";
  else if (is_searching (self))
    state = loading ? "list" : "no-results";
  else if (loading || self->refreshing || !self->refreshed_once)
    state = "loading";
  else if (self->refresh_error != NULL)
    state = "error";
  else
    state = "empty";

  gtk_stack_set_visible_child_name (self->list_stack, state);
  /* The banner is about a shown list, whenever its rows come (the store may
   * answer after the refresh failed); an error page says it alone. */
  gtk_revealer_set_reveal_child (self->offline_revealer,
                                 g_str_equal (state, "list") && self->refresh_error != NULL);
  dtx_spinner_set_spinning (self->list_spinner, g_str_equal (state, "loading"));

  /* Progress where the user looks: beside the refresh button for a refresh
   * of a shown list, at the end of the list for the next page. */
  gtk_widget_set_visible (GTK_WIDGET (self->refresh_spinner), self->refreshing && n > 0);
  dtx_spinner_set_spinning (self->refresh_spinner, self->refreshing && n > 0);
  gtk_revealer_set_reveal_child (self->more_revealer, loading && !self->refreshing && n > 0);
  dtx_spinner_set_spinning (self->more_spinner, loading && !self->refreshing && n > 0);

  /* "No Article Selected" only beside a list to pick from, not beside a
   * spinner or an error page. */
  {
    const char *reader_state = gtk_stack_get_visible_child_name (self->reader_stack);

    if (g_str_equal (state, "list") && g_strcmp0 (reader_state, "blank") == 0)
      show_reader_hint_soon (self);
    else if (!g_str_equal (state, "list") && g_strcmp0 (reader_state, "none") == 0)
      gtk_stack_set_visible_child_name (self->reader_stack, "blank");
  }

  n = g_list_model_get_n_items (G_LIST_MODEL (self->bookmarks));
  gtk_stack_set_visible_child_name (self->bookmarks_stack,
                                    n > 0 ? "list" : is_searching (self) ? "no-results" : "empty");
}

/* Fetch more when the user nears the end of the list, or when the list does
 * not fill the view yet. */
static void
maybe_load_more (DtxWindow         *self,
                 GtkScrolledWindow *scrolled,
                 DtxArticleList    *list)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (scrolled);
  double remaining;

  if (dtx_article_list_get_loading (list) || dtx_article_list_get_exhausted (list) ||
      g_list_model_get_n_items (G_LIST_MODEL (list)) == 0)
    return;
  remaining = gtk_adjustment_get_upper (adj) - gtk_adjustment_get_value (adj) - gtk_adjustment_get_page_size (adj);
  if (remaining < gtk_adjustment_get_page_size (adj) / 2)
    dtx_article_list_load_more (list);
}

static void
on_latest_adjustment_changed (GtkAdjustment *adjustment,
                              DtxWindow     *self)
{
  /* A failed page waits for Retry instead of retrying as the user scrolls. */
  if (self->refresh_error == NULL || !self->refreshed_once)
    maybe_load_more (self, self->scrolled, self->latest);
}

static void
on_bookmarks_adjustment_changed (GtkAdjustment *adjustment,
                                 DtxWindow     *self)
{
  maybe_load_more (self, self->bookmarks_scrolled, self->bookmarks);
}

/* The reader warms up once the list has painted and the main loop is idle:
 * the module loads, the view is made and its web process starts on an empty
 * document, so the first article need not wait for any of it. Before that,
 * no WebKit: the window and its list come first. */
static gboolean
warm_up_web_process (gpointer data)
{
  DtxWindow *self = DTX_WINDOW (data);

  self->warm_up_id = 0;
  if (self->reader != NULL && self->shown == NULL)
    gtk_widget_activate_action (self->reader, "reader.warm-up", NULL);
  dtx_probe_mark ("warmup-load");
  return G_SOURCE_REMOVE;
}

/* Each step in an idle of its own: the main loop paints between them. */
static gboolean
warm_up_view (gpointer data)
{
  DtxWindow *self = DTX_WINDOW (data);

  self->warm_up_id = 0;
  /* A failure is told when an article opens. */
  if (ensure_reader (self, NULL) == NULL)
    return G_SOURCE_REMOVE;
  dtx_probe_mark ("warmup-view");
  self->warm_up_id = g_idle_add_full (G_PRIORITY_LOW, warm_up_web_process, self, NULL);
  return G_SOURCE_REMOVE;
}

/* The module is mapped by then (dtx_reader_loader_preload_async): this
 * registers its type. */
static gboolean
warm_up_reader (gpointer data)
{
  DtxWindow *self = DTX_WINDOW (data);

  self->warm_up_id = 0;
  dtx_probe_mark ("warmup-start");
  if (dtx_reader_loader_get_type (NULL) == 0)
    return G_SOURCE_REMOVE;
  dtx_probe_mark ("warmup-module");
  self->warm_up_id = g_idle_add_full (G_PRIORITY_LOW, warm_up_view, self, NULL);
  return G_SOURCE_REMOVE;
}

/* WebKit mapped in a worker thread: the steps above then run on the main
 * thread without that part. A failure is told when an article opens. */
static void
on_reader_preloaded (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(DtxWindow) self = user_data;

  if (!dtx_reader_loader_preload_finish (result, NULL) ||
      g_cancellable_is_cancelled (self->cancellable) || self->reader != NULL)
    return;
  self->warm_up_id = g_idle_add_full (G_PRIORITY_LOW, warm_up_reader, self, NULL);
}

/* Once the list has painted and nothing is loading (no spinner asks for
 * frames), at low priority: after whatever else is pending. */
static void
maybe_warm_up (DtxWindow *self)
{
  if (!self->list_painted || self->reader != NULL || self->warm_up_started ||
      self->refreshing || dtx_article_list_get_loading (self->latest) || dtx_probe_warm_up_held ())
    return;
  self->warm_up_started = TRUE;
  dtx_probe_mark ("warmup-preload");
  dtx_reader_loader_preload_async (self->cancellable, on_reader_preloaded, g_object_ref (self));
}

static gboolean
on_list_painted (GtkWidget     *widget,
                 GdkFrameClock *frame_clock,
                 gpointer       data)
{
  DtxWindow *self = DTX_WINDOW (widget);

  self->list_painted_id = 0;
  self->list_painted = TRUE;
  maybe_warm_up (self);
  return G_SOURCE_REMOVE;
}

/* Called as the list changes: once it has rows, or the first refresh has
 * ended and nothing more is being read, the next frame shows them (or the
 * empty or error page). */
static void
wait_list_painted (DtxWindow *self)
{
  if (self->list_painted || self->list_painted_id != 0)
    return;
  /* A refresh that found articles has the store's rows coming. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->latest)) == 0 &&
      !(self->refreshed_once && (self->refresh_error != NULL || self->refresh_found_none) &&
        !dtx_article_list_get_loading (self->latest)))
    return;
  self->list_painted_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_list_painted, NULL, NULL);
}

static gboolean
probe_rows_painted (GtkWidget     *widget,
                    GdkFrameClock *frame_clock,
                    gpointer       data)
{
  dtx_probe_mark ("rows-painted");
  return G_SOURCE_REMOVE;
}

/* What the frame that first shows rows draws for the first time: the rows'
 * fonts, and the reader's "No Article Selected" icon, an SVG rendered when
 * first drawn (1.4 ms). The icon theme keeps the rendered icon. */
static gboolean
warm_up_first_list (gpointer data)
{
  DtxWindow *self = data;
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (self)));
  g_autoptr(GtkIconPaintable) icon = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;

  dtx_article_row_warm_up_fonts ();

  /* The size AdwStatusPage draws its icon at. */
  icon = gtk_icon_theme_lookup_icon (theme, adw_status_page_get_icon_name (self->reader_hint), NULL, 128,
                                     gtk_widget_get_scale_factor (GTK_WIDGET (self)),
                                     gtk_widget_get_direction (GTK_WIDGET (self)), 0);
  gdk_paintable_snapshot (GDK_PAINTABLE (icon), snapshot, 128, 128);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  return G_SOURCE_REMOVE;
}

/* After the first frame, while the first page is on its way. Once for the
 * app. */
static gboolean
on_first_frame (GtkWidget     *widget,
                GdkFrameClock *frame_clock,
                gpointer       data)
{
  static gboolean done;

  if (!done)
    g_idle_add_full (G_PRIORITY_LOW, warm_up_first_list, g_object_ref (widget), g_object_unref);
  done = TRUE;
  return G_SOURCE_REMOVE;
}

/* For the benchmark: the frame that first shows rows. */
static void
probe_rows (DtxWindow *self)
{
  static gboolean seen;

  if (seen || !dtx_probe_enabled () || g_list_model_get_n_items (G_LIST_MODEL (self->latest)) == 0)
    return;
  seen = TRUE;
  gtk_widget_add_tick_callback (GTK_WIDGET (self), probe_rows_painted, NULL, NULL);
}

static void
on_list_state_changed (DtxWindow *self)
{
  update_list_state (self);
}

static gboolean
present_now (gpointer data)
{
  DtxWindow *self = data;

  g_clear_handle_id (&self->present_id, g_source_remove);
  gtk_window_present (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

static void select_shown (DtxWindow *self, DtxArticle *article);

static void
check_fill (GdkFrameClock *clock,
            DtxWindow     *self)
{
  g_signal_handlers_disconnect_by_func (clock, check_fill, self);
  self->fill_check = FALSE;
  on_latest_adjustment_changed (NULL, self);
}

static void
on_latest_loaded (DtxArticleList *list,
                  DtxWindow      *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (self->present_id != 0)
    present_now (self);
  /* An article opened by its address before the list arrived. */
  if (self->shown != NULL &&
      gtk_single_selection_get_selected (self->latest_selection) == GTK_INVALID_LIST_POSITION &&
      gtk_single_selection_get_selected (self->bookmarks_selection) == GTK_INVALID_LIST_POSITION)
    select_shown (self, self->shown);
  update_list_state (self);
  /* Whether the rows fill the view is known once they are laid out: asked
   * after the next frame's paint (the adjustment's ::changed also asks, but
   * a read that changes no row changes no adjustment). Asked here, it
   * measured the rows before these and read page after page at once. */
  if (clock != NULL && !self->fill_check)
    {
      self->fill_check = TRUE;
      g_signal_connect_object (clock, "after-paint", G_CALLBACK (check_fill), self, 0);
      gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_AFTER_PAINT);
    }
}

static void
on_latest_error (DtxArticleList *list,
                 const GError   *error,
                 DtxWindow      *self)
{
  /* A page the site says is unchanged is nothing to tell. */
  if (g_error_matches (error, DTX_ERROR, DTX_ERROR_NOT_MODIFIED))
    return;
  g_message ("Loading more of %s failed: %s", self->source ? dtx_source_get_url (self->source) : "all sources",
             error->message);
  show_toast (self, error->message, "win.load-more");
}

/* Refresh */

static char *
dup_last_refresh (DtxWindow *self)
{
  g_autoptr(GVariant) times = g_settings_get_value (self->settings, "last-refresh");
  gint64 when = 0;

  if (self->source == NULL ||
      !g_variant_lookup (times, dtx_source_get_url (self->source), "x", &when) || when <= 0)
    return NULL;
  {
    g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (when);
    return date ? dtx_format_relative_date (date, NULL) : NULL;
  }
}

static void
remember_refresh (DtxWindow *self)
{
  g_autoptr(GVariant) old = g_settings_get_value (self->settings, "last-refresh");
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{sx}"));
  const char *url;
  GVariantIter iter;
  const char *key;
  gint64 value;

  if (self->source == NULL)
    return;
  url = dtx_source_get_url (self->source);
  g_variant_iter_init (&iter, old);
  while (g_variant_iter_next (&iter, "{&sx}", &key, &value))
    if (!g_str_equal (key, url))
      g_variant_builder_add (&builder, "{sx}", key, value);
  g_variant_builder_add (&builder, "{sx}", url, g_get_real_time () / G_USEC_PER_SEC);
  g_settings_set_value (self->settings, "last-refresh", g_variant_builder_end (&builder));
}

/* The stored list stays usable: a small banner says where it comes from. */
static void
set_offline_banner (DtxWindow    *self,
                    const GError *error)
{
  g_autofree char *when = dup_last_refresh (self);
  g_autofree char *text = NULL;

  if (when != NULL)
    /* Translators: the first %s says what failed (a sentence), the second when the list was last fetched ("2 hours ago") */
    text = g_strdup_printf (_("%s Showing the articles saved %s."), error->message, when);
  else
    /* Translators: %s says what failed (a sentence) */
    text = g_strdup_printf (_("%s Showing the saved articles."), error->message);
  gtk_label_set_text (self->offline_label, text);
  dtx_tooltip_set (GTK_WIDGET (self->offline_label), error->message);
}

static void
trim_images_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gssize n = dtx_thumbnail_cache_trim_finish (DTX_THUMBNAIL_CACHE (object), result, &error);

  if (n < 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("Trimming the image cache failed: %s", error->message);
  else if (n > 0)
    g_debug ("Trimmed %" G_GSSIZE_FORMAT " cached images", n);
}

static void
trim_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(DtxWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) keep_images = NULL;
  guint n_deleted = 0;

  if (!dtx_store_trim_finish (DTX_STORE (object), result, &n_deleted, &keep_images, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          !g_error_matches (error, DTX_STORE_ERROR, DTX_STORE_ERROR_READ_ONLY))
        g_message ("Trimming the store failed: %s", error->message);
      return;
    }
  g_debug ("Trimmed %u stored articles", n_deleted);
  dtx_thumbnail_cache_trim_async (self->thumbnails, g_settings_get_uint (self->settings, "keep-days"),
                                  (const char * const *)keep_images, self->cancellable,
                                  trim_images_cb, NULL);
}

/* Old articles go in the background once the list is fresh; bookmarks stay. */
static void
start_trim (DtxWindow *self)
{
  dtx_store_trim_async (get_store (self), g_settings_get_uint (self->settings, "keep-days"),
                        self->cancellable, trim_cb, g_object_ref (self));
}

/* What the last refresh left for the list in view: the selected source's
 * error, or for All Articles an error only when every source failed (one
 * failing source shows its warning in the sidebar, not over the list). */
static GError *
dup_refresh_error (DtxWindow *self)
{
  const char *message = NULL;
  int code = -1;
  guint n;

  if (self->source != NULL)
    {
      message = dtx_source_get_error (self->source);
      code = dtx_source_get_error_code (self->source);
    }
  else if (self->manager != NULL && (n = g_list_model_get_n_items (G_LIST_MODEL (self->manager))) > 0)
    {
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(DtxSource) source = g_list_model_get_item (G_LIST_MODEL (self->manager), i);
          const char *error = dtx_source_get_error (source);

          if (error == NULL || *error == '\0')
            return NULL;
          if (message == NULL)
            {
              message = error;
              code = dtx_source_get_error_code (source);
            }
        }
      /* Every source failed: the first says it for all (usually no connection). */
    }
  if (message == NULL || *message == '\0')
    return NULL;
  /* The kind of failure picks the status page's title and picture. */
  if (code >= 0)
    return g_error_new_literal (DTX_ERROR, code, message);
  return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, message);
}

static void
update_list_title (DtxWindow *self)
{
  g_autofree char *subtitle = NULL;
  const char *tooltip = NULL;

  if (self->source != NULL && self->refresh_error == NULL && dtx_source_get_from_feed (self->source))
    {
      /* Said quietly: the list is there, from the site's feed. */
      /* Translators: a subtitle under "Articles"; %s is the site's name */
      subtitle = g_strdup_printf (_("%s, from its feed"), dtx_source_get_title (self->source));
      tooltip = _("The site’s article service is not answering, so the list comes from its feed.");
    }
  else if (self->source == NULL)
    subtitle = g_strdup (_("All Articles"));
  else if (dtx_sidebar_get_selected_category (self->sources_sidebar) != NULL)
    /* Translators: a subtitle: the site's name, then the category shown */
    subtitle = g_strdup_printf (_("%s: %s"), dtx_source_get_title (self->source),
                                dtx_sidebar_get_selected_category (self->sources_sidebar));
  else
    subtitle = g_strdup (dtx_source_get_title (self->source));
  adw_view_switcher_title_set_subtitle (self->list_title, subtitle);
  dtx_tooltip_set (GTK_WIDGET (self->list_title), tooltip);
}

/* The stored list's errors, for the banner over a list and the status page
 * when there is nothing to show: update_list_state() shows one of them. */
static void
take_refresh_error (DtxWindow *self)
{
  g_clear_error (&self->refresh_error);
  self->refresh_error = dup_refresh_error (self);
  if (self->refresh_error == NULL)
    return;
  set_offline_banner (self, self->refresh_error);
  adw_status_page_set_title (self->error_page, error_title (self->refresh_error));
  adw_status_page_set_icon_name (self->error_page, error_icon (self->refresh_error));
  set_description (self->error_page, self->refresh_error->message);
}

static void
on_refreshed (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(DtxWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean had_list = g_list_model_get_n_items (G_LIST_MODEL (self->latest)) > 0;
  gboolean first = !self->refreshed_once;
  guint n_new = 0;

  if (!dtx_source_manager_refresh_finish (DTX_SOURCE_MANAGER (object), result, &n_new, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_message ("Refreshing failed: %s", error->message);
    }

  self->refreshing = FALSE;
  self->refreshed_once = TRUE;
  self->refresh_found_none = n_new == 0;
  take_refresh_error (self);
  update_list_title (self);
  if (self->refresh_error != NULL)
    g_message ("Refreshing %s failed: %s", self->source ? dtx_source_get_url (self->source) : "every source",
               self->refresh_error->message);
  else
    {
      remember_refresh (self);
      if (had_list && n_new > 0 && !first)
        {
          g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u new article", "%u new articles", n_new), n_new);
          adw_toast_overlay_add_toast (self->toast_overlay, new_toast (text));
        }
      if (first)
        start_trim (self);
    }
  /* The store's ::articles-changed merges each source's page as it comes;
   * this read catches what a filter (category, search) changes. */
  dtx_article_list_reload (self->latest);
  update_list_state (self);
  wait_list_painted (self);
  maybe_warm_up (self);
}

/* F5: the selected source, or every source under All Articles. */
static void
refresh_source (DtxWindow *self,
                DtxSource *source)
{
  g_cancellable_cancel (self->refresh_cancellable);
  g_clear_object (&self->refresh_cancellable);
  self->refresh_cancellable = g_cancellable_new ();
  self->refreshing = TRUE;
  update_list_state (self);
  dtx_source_manager_refresh_async (self->manager, source, self->refresh_cancellable,
                                    on_refreshed, g_object_ref (self));
}

static void
refresh (DtxWindow *self)
{
  if (!self->manager_loaded)
    return;
  refresh_source (self, self->source);
}

/* The manager's progress, under the list's header bar. */
static void
update_progress (DtxWindow *self)
{
  gboolean busy = dtx_source_manager_get_refreshing (self->manager);

  gtk_widget_set_visible (GTK_WIDGET (self->refresh_progress), busy);
  gtk_progress_bar_set_fraction (self->refresh_progress, dtx_source_manager_get_progress (self->manager));
}

/* The source an article belongs to: the selected one, else the followed
 * source whose site holds its link (borrowed: the manager keeps it). */
static DtxSource *
source_of_article (DtxWindow  *self,
                   DtxArticle *article)
{
  const char *link = article ? dtx_article_get_link (article) : NULL;
  guint n;

  if (self->source != NULL)
    return self->source;
  if (self->manager == NULL)
    return NULL;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->manager));
  for (guint i = 0; link != NULL && i < n; i++)
    {
      g_autoptr(DtxSource) source = g_list_model_get_item (G_LIST_MODEL (self->manager), i);

      if (dtx_source_owns_url (source, link))
        return source;
    }
  return NULL;
}

/* The store keys articles by their source's URL. */
static const char *
source_url_of (DtxWindow  *self,
               DtxArticle *article)
{
  DtxSource *source = source_of_article (self, article);

  if (source != NULL)
    return dtx_source_get_url (source);
  return dtx_article_get_link (article);
}

/* The reader */

static GtkWidget *
ensure_reader (DtxWindow  *self,
               GError    **error)
{
  GType type;

  if (self->reader != NULL)
    return self->reader;

  type = dtx_reader_loader_get_type (error);
  if (type == 0)
    return NULL;
  self->reader = g_object_new (type, "source", self->source, NULL);

  g_signal_connect_object (self->reader, "open-article", G_CALLBACK (dtx_window_open_url),
                           self, G_CONNECT_SWAPPED);
  adw_bin_set_child (self->reader_bin, self->reader);
  return self->reader;
}

static void
set_shown (DtxWindow  *self,
           DtxArticle *article);

static void
show_reader_error (DtxWindow    *self,
                   const GError *error,
                   const char   *url)
{
  /* What was asked for may still open as a web page. */
  g_clear_pointer (&self->failed_url, g_free);
  self->failed_url = g_strdup (url);
  gtk_widget_set_visible (self->reader_error_button, url != NULL);
  adw_status_page_set_icon_name (self->reader_error_page, error_icon (error));
  adw_status_page_set_title (self->reader_error_page, error_title (error));
  set_description (self->reader_error_page, error->message);
  adw_window_title_set_title (self->reader_title, "");
  adw_window_title_set_subtitle (self->reader_title, "");
  gtk_stack_set_visible_child_name (self->reader_stack, "error");
  set_shown (self, NULL);
}

/* The bookmark button says what pressing it does and shows the state the
 * store has committed. */
static void
update_bookmark_button (DtxWindow *self)
{
  gboolean bookmarked = self->shown != NULL && dtx_article_get_bookmarked (self->shown);

  gtk_button_set_icon_name (self->bookmark_button, bookmarked ? "starred-symbolic" : "non-starred-symbolic");
  dtx_tooltip_set (GTK_WIDGET (self->bookmark_button),
                   bookmarked ? _("Remove Bookmark (Ctrl+D)") : _("Add Bookmark (Ctrl+D)"));
  if (bookmarked)
    gtk_widget_add_css_class (GTK_WIDGET (self->bookmark_button), "bookmarked");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->bookmark_button), "bookmarked");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.toggle-bookmark", self->shown != NULL);
}

static void
set_shown (DtxWindow  *self,
           DtxArticle *article)
{
  if (self->shown == article)
    return;
  if (self->shown != NULL)
    g_signal_handlers_disconnect_by_func (self->shown, update_bookmark_button, self);
  g_set_object (&self->shown, article);
  if (article != NULL)
    g_signal_connect_swapped (article, "notify::bookmarked", G_CALLBACK (update_bookmark_button), self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-in-browser", article != NULL);
  update_bookmark_button (self);
  dtx_window_share_update (self);
}

static void
log_store_error (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!dtx_store_set_read_finish (DTX_STORE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !g_error_matches (error, DTX_STORE_ERROR, DTX_STORE_ERROR_READ_ONLY))
    g_message ("Could not save the read state: %s", error->message);
}

/* History of the reader */

static gboolean
is_narrow (DtxWindow *self)
{
  return adw_leaflet_get_folded (self->leaflet);
}

static void
update_history_actions (DtxWindow *self)
{
  gboolean back = self->history->len > 0 && self->history_pos > 0;
  gboolean forward = self->history->len > 0 && self->history_pos + 1 < self->history->len;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.history-forward", forward);
  /* At narrow sizes the back button also leads back to the list. */
  gtk_widget_set_visible (self->history_back_button, back || is_narrow (self));
  gtk_widget_set_visible (self->history_forward_button, forward);
}

static gboolean
same_link (DtxArticle *a,
           DtxArticle *b)
{
  return a != NULL && b != NULL &&
         (a == b || g_strcmp0 (dtx_article_get_link (a), dtx_article_get_link (b)) == 0);
}

/* Each article shown is a step; going back and forth walks the steps. */
static void
remember_shown (DtxWindow  *self,
                DtxArticle *article)
{
  if (!self->walking_history)
    {
      if (self->history->len > 0 &&
          same_link (g_ptr_array_index (self->history, self->history_pos), article))
        {
          /* The same article again (a reload, its stored copy): one step. */
          g_object_unref (g_ptr_array_index (self->history, self->history_pos));
          g_ptr_array_index (self->history, self->history_pos) = g_object_ref (article);
        }
      else
        {
          if (self->history->len > 0)
            g_ptr_array_set_size (self->history, self->history_pos + 1);
          g_ptr_array_add (self->history, g_object_ref (article));
          self->history_pos = self->history->len - 1;
        }
    }
  update_history_actions (self);
}

static GtkSingleSelection *
visible_selection (DtxWindow *self)
{
  return g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "bookmarks") == 0
           ? self->bookmarks_selection : self->latest_selection;
}

static guint
position_of (GListModel *model,
             DtxArticle *article)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DtxArticle) item = g_list_model_get_item (model, i);
      if (same_link (item, article))
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

/* The list highlights the article in the reader when it has it. */
static void
select_shown (DtxWindow  *self,
              DtxArticle *article)
{
  GtkSingleSelection *selection = visible_selection (self);
  GtkSingleSelection *other = selection == self->latest_selection ? self->bookmarks_selection
                                                                  : self->latest_selection;

  self->syncing_selection = TRUE;
  gtk_single_selection_set_selected (selection, position_of (G_LIST_MODEL (selection), article));
  gtk_single_selection_set_selected (other, GTK_INVALID_LIST_POSITION);
  self->syncing_selection = FALSE;
}

static void
walk_history (DtxWindow *self,
              int        step)
{
  DtxArticle *article;

  if (self->history->len == 0 ||
      (step < 0 && self->history_pos == 0) ||
      (step > 0 && self->history_pos + 1 >= self->history->len))
    return;
  self->history_pos += step;
  article = g_ptr_array_index (self->history, self->history_pos);
  self->walking_history = TRUE;
  show_article (self, article);
  self->walking_history = FALSE;
}

static void
display_article (DtxWindow  *self,
                 DtxArticle *article)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *reader = ensure_reader (self, &error);

  adw_leaflet_set_visible_child (self->leaflet, self->content);
  dtx_spinner_set_spinning (self->reader_spinner, FALSE);
  if (reader == NULL)
    {
      show_reader_error (self, error, NULL);
      return;
    }
  /* Links to the same site open in the reader: the article's own site. */
  g_object_set (reader, "source", source_of_article (self, article), "article", article, NULL);
  remember_shown (self, article);
  select_shown (self, article);
  adw_window_title_set_title (self->reader_title, dtx_article_get_title (article));
  adw_window_title_set_subtitle (self->reader_title, dtx_article_get_source_name (article));
  gtk_stack_set_visible_child_name (self->reader_stack, "reader");
  set_shown (self, article);

  if (!dtx_article_get_read (article))
    dtx_store_set_read_async (get_store (self), source_url_of (self, article), article, TRUE,
                              self->cancellable, log_store_error, NULL);
}

static void
on_content_loaded (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DtxWindow *self = g_task_get_source_object (task);
  DtxArticle *article = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean walking = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "walking-history"));

  if (!dtx_store_load_content_finish (DTX_STORE (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* The list still has what it needs to show the article: title and
       * excerpt, with the page a click away. */
      g_message ("Could not read the stored article: %s", error->message);
    }
  self->walking_history = walking;
  display_article (self, article);
  self->walking_history = FALSE;
}

/* Stored articles come without their body: read it first. */
static void
show_article (DtxWindow  *self,
              DtxArticle *article)
{
  g_autoptr(GTask) task = NULL;

  g_cancellable_cancel (self->article_cancellable);
  g_clear_object (&self->article_cancellable);
  self->article_cancellable = g_cancellable_new ();

  if (dtx_article_get_content (article) != NULL || dtx_article_get_store_id (article) == 0)
    {
      display_article (self, article);
      return;
    }

  task = g_task_new (self, self->article_cancellable, NULL, NULL);
  g_task_set_task_data (task, g_object_ref (article), g_object_unref);
  g_object_set_data (G_OBJECT (task), "walking-history", GINT_TO_POINTER (self->walking_history));
  dtx_store_load_content_async (get_store (self), article, self->article_cancellable,
                                on_content_loaded, g_steal_pointer (&task));
}

static void
on_selected_item (GtkSingleSelection *selection,
                  GParamSpec         *pspec,
                  DtxWindow          *self)
{
  DtxArticle *article = gtk_single_selection_get_selected_item (selection);
  GtkSingleSelection *other = selection == self->latest_selection ? self->bookmarks_selection
                                                                   : self->latest_selection;

  if (self->syncing_selection)
    return;
  /* A refresh that drops the selection keeps the open article on screen. */
  if (article == NULL)
    return;
  gtk_single_selection_set_selected (other, GTK_INVALID_LIST_POSITION);
  /* At narrow sizes the arrow keys only move the selection: Enter or a
   * click opens. A refresh that moves the selected row reopens nothing. */
  if ((self->keyboard_moved && is_narrow (self)) || same_link (article, self->shown))
    return;
  dtx_probe_mark ("article-open");
  show_article (self, article);
}

/* Enter on a row, or a click on the one already selected: show it. */
static void
on_list_activate (GtkListView *view,
                  guint        position,
                  DtxWindow   *self)
{
  g_autoptr(DtxArticle) article = g_list_model_get_item (G_LIST_MODEL (gtk_list_view_get_model (view)), position);

  if (article == NULL)
    return;
  if (same_link (article, self->shown) && gtk_stack_get_visible_child_name (self->reader_stack) != NULL &&
      g_str_equal (gtk_stack_get_visible_child_name (self->reader_stack), "reader"))
    adw_leaflet_set_visible_child (self->leaflet, self->content);
  else
    show_article (self, article);
}

static gboolean
on_list_key_pressed (GtkEventControllerKey *controller,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     DtxWindow             *self)
{
  switch (keyval)
    {
    case GDK_KEY_Up: case GDK_KEY_KP_Up: case GDK_KEY_Down: case GDK_KEY_KP_Down:
    case GDK_KEY_Page_Up: case GDK_KEY_KP_Page_Up: case GDK_KEY_Page_Down: case GDK_KEY_KP_Page_Down:
    case GDK_KEY_Home: case GDK_KEY_KP_Home: case GDK_KEY_End: case GDK_KEY_KP_End:
      self->keyboard_moved = TRUE;
      break;
    default:
      self->keyboard_moved = FALSE;
      break;
    }
  return GDK_EVENT_PROPAGATE;
}

static void
on_list_key_released (GtkEventControllerKey *controller,
                      guint                  keyval,
                      guint                  keycode,
                      GdkModifierType        state,
                      DtxWindow             *self)
{
  self->keyboard_moved = FALSE;
}

/* A click on a row shows it, also when it is the selected one already. */
static void
on_row_released (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 DtxWindow       *self)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  DtxArticle *article = dtx_article_row_get_article (DTX_ARTICLE_ROW (row));

  self->keyboard_moved = FALSE;
  if (article == NULL)
    return;
  if (!same_link (article, self->shown) ||
      g_strcmp0 (gtk_stack_get_visible_child_name (self->reader_stack), "reader") != 0)
    show_article (self, article);
  else
    adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
on_article_fetched (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(DtxWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DtxArticle) article = dtx_source_fetch_article_finish (DTX_SOURCE (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  dtx_spinner_set_spinning (self->reader_spinner, FALSE);
  if (article == NULL)
    {
      g_message ("Opening %s failed: %s", self->pending_url, error->message);
      show_reader_error (self, error, self->pending_url);
      return;
    }
  show_article (self, article);
}

static void
on_stored_copy (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DtxWindow *self = g_task_get_source_object (task);
  const char *url = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(DtxArticle) article = dtx_store_find_url_finish (DTX_STORE (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (article != NULL)
    {
      show_article (self, article);
      return;
    }
  if (error != NULL)
    g_message ("Looking up %s in the store failed: %s", url, error->message);
  {
    /* The followed site the address belongs to, else the one in view. */
    g_autoptr(DtxArticle) probe = dtx_article_new ();
    DtxSource *source;

    dtx_article_set_link (probe, url);
    source = self->source && dtx_source_owns_url (self->source, url) ? self->source : NULL;
    if (source == NULL)
      source = source_of_article (self, probe);
    if (source == NULL)
      source = self->source;
    if (source == NULL && self->requested_url != NULL && self->manager != NULL)
      source = dtx_source_manager_lookup (self->manager, self->requested_url);
    if (source == NULL)
      {
        g_autoptr(GError) not_found = g_error_new_literal (DTX_ERROR, DTX_ERROR_NOT_FOUND,
                                                           _("This article is not from a site you follow. Open it in the browser."));
        dtx_spinner_set_spinning (self->reader_spinner, FALSE);
        show_reader_error (self, not_found, url);
        return;
      }
    dtx_source_fetch_article_async (source, url, self->article_cancellable,
                                    on_article_fetched, g_object_ref (self));
  }
}

/* A stored copy opens at once and offline; otherwise the site is asked. */
void
dtx_window_open_url (DtxWindow  *self,
                     const char *url)
{
  GTask *task;

  g_return_if_fail (DTX_IS_WINDOW (self));
  g_return_if_fail (url != NULL);

  dtx_probe_mark ("article-open");
  g_cancellable_cancel (self->article_cancellable);
  g_clear_object (&self->article_cancellable);
  self->article_cancellable = g_cancellable_new ();

  /* Until it arrives, the reader's article is not the one on screen. */
  set_shown (self, NULL);
  gtk_stack_set_visible_child_name (self->reader_stack, "loading");
  dtx_spinner_set_spinning (self->reader_spinner, TRUE);
  adw_leaflet_set_visible_child (self->leaflet, self->content);

  g_free (self->pending_url);
  self->pending_url = g_strdup (url);
  task = g_task_new (self, self->article_cancellable, NULL, NULL);
  g_task_set_task_data (task, g_strdup (url), g_free);
  dtx_store_find_url_async (get_store (self), url, self->article_cancellable, on_stored_copy, task);
}

/* Bookmarks and read state */

typedef struct {
  DtxWindow  *self;
  DtxArticle *article;
  gboolean    bookmarked;
} BookmarkOp;

static void
on_bookmark_saved (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  BookmarkOp *op = user_data;
  g_autoptr(DtxWindow) self = op->self;
  g_autoptr(DtxArticle) article = op->article;
  gboolean bookmarked = op->bookmarked;
  g_autoptr(GError) error = NULL;

  g_free (op);
  if (!dtx_store_set_bookmarked_finish (DTX_STORE (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message, NULL);
      return;
    }

  if (!bookmarked)
    {
      AdwToast *toast = new_toast (_("Bookmark removed"));

      g_set_object (&self->removed_bookmark, article);
      adw_toast_set_button_label (toast, _("_Undo"));
      adw_toast_set_action_name (toast, "win.undo-remove-bookmark");
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }
}

static void
set_bookmarked (DtxWindow  *self,
                DtxArticle *article,
                gboolean    bookmarked)
{
  BookmarkOp *op = g_new0 (BookmarkOp, 1);

  op->self = g_object_ref (self);
  op->article = g_object_ref (article);
  op->bookmarked = bookmarked;
  dtx_store_set_bookmarked_async (get_store (self), source_url_of (self, article), article,
                                  bookmarked, self->cancellable, on_bookmark_saved, op);
}

static void
toggle_bookmark_action (GtkWidget  *widget,
                        const char *name,
                        GVariant   *param)
{
  DtxWindow *self = DTX_WINDOW (widget);
  DtxArticle *article = dtx_window_lookup_article (self, g_variant_get_string (param, NULL));

  if (article != NULL)
    set_bookmarked (self, article, !dtx_article_get_bookmarked (article));
}

static void
undo_remove_bookmark_action (GtkWidget  *widget,
                             const char *name,
                             GVariant   *param)
{
  DtxWindow *self = DTX_WINDOW (widget);
  g_autoptr(DtxArticle) article = g_steal_pointer (&self->removed_bookmark);

  if (article != NULL)
    set_bookmarked (self, article, TRUE);
}

static void
set_read_action (GtkWidget  *widget,
                 const char *name,
                 GVariant   *param)
{
  DtxWindow *self = DTX_WINDOW (widget);
  DtxArticle *article = dtx_window_lookup_article (self, g_variant_get_string (param, NULL));

  if (article != NULL)
    dtx_store_set_read_async (get_store (self), source_url_of (self, article), article,
                              g_str_equal (name, "win.mark-read"), self->cancellable,
                              log_store_error, NULL);
}

static void
mark_all_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(DtxWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!dtx_store_mark_all_read_finish (DTX_STORE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_toast (self, error->message, NULL);
}

static void
mark_all_read_action (GtkWidget  *widget,
                      const char *name,
                      GVariant   *param)
{
  DtxWindow *self = DTX_WINDOW (widget);

  dtx_store_mark_all_read_async (get_store (self), self->source ? dtx_source_get_url (self->source) : NULL,
                                 self->cancellable, mark_all_read_cb, g_object_ref (self));
}

/* The row's context menu: right click, long press, the Menu key. */
static GMenuModel *
build_row_menu (DtxWindow  *self,
                DtxArticle *article)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) section = g_menu_new ();
  g_autoptr(GMenuItem) read = NULL;
  g_autoptr(GMenuItem) bookmark = NULL;
  g_autoptr(GMenuModel) share = NULL;
  const char *link = dtx_article_get_link (article);

  if (dtx_article_get_read (article))
    read = g_menu_item_new (_("Mark as _Unread"), NULL);
  else
    read = g_menu_item_new (_("Mark as _Read"), NULL);
  g_menu_item_set_action_and_target (read, dtx_article_get_read (article) ? "win.mark-unread" : "win.mark-read",
                                     "s", link);
  g_menu_append_item (section, read);

  bookmark = g_menu_item_new (dtx_article_get_bookmarked (article) ? _("Remove _Bookmark") : _("Add _Bookmark"), NULL);
  g_menu_item_set_action_and_target (bookmark, "win.toggle-bookmark", "s", link);
  g_menu_append_item (section, bookmark);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  share = dtx_share_menu_new (link);
  g_menu_append_section (menu, NULL, share);

  return G_MENU_MODEL (menu);
}

static void
on_row_menu (DtxArticleRow *row,
             double         x,
             double         y,
             DtxWindow     *self)
{
  DtxArticle *article = dtx_article_row_get_article (row);
  g_autoptr(GMenuModel) menu = NULL;

  if (article == NULL || dtx_article_get_link (article) == NULL)
    return;
  menu = build_row_menu (self, article);
  dtx_article_row_popup_menu (row, menu, x, y);
}

static void
row_menu_action (GtkWidget  *widget,
                 const char *name,
                 GVariant   *param)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (widget));
  GtkWidget *row = NULL;

  if (dtx_sidebar_popup_menu_for (DTX_WINDOW (widget)->sources_sidebar, focus))
    return;

  /* The focus is on the list item that holds the row, or inside the row. */
  if (focus != NULL && DTX_IS_ARTICLE_ROW (gtk_widget_get_first_child (focus)))
    row = gtk_widget_get_first_child (focus);
  else if (focus != NULL)
    row = gtk_widget_get_ancestor (focus, DTX_TYPE_ARTICLE_ROW);
  if (row != NULL)
    on_row_menu (DTX_ARTICLE_ROW (row), gtk_widget_get_width (row) / 2.0,
                 gtk_widget_get_height (row) / 2.0, DTX_WINDOW (widget));
}

/* Search */

static void
update_search_site (DtxWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  gboolean visible = *text != '\0' &&
                     self->source != NULL && dtx_source_get_kind (self->source) == DTX_SOURCE_KIND_WORDPRESS &&
                     g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "latest") == 0;

  gtk_widget_set_visible (self->search_site_button, visible);
  if (visible)
    {
      /* Translators: a button below search results; the first %s is the site's name, the second what the user typed */
      g_autofree char *label = g_strdup_printf (_("Search %s for “%s”"), dtx_source_get_title (self->source), text);
      gtk_label_set_text (self->search_site_label, label);
    }
}

static void
on_search_changed (GtkSearchEntry *entry,
                   DtxWindow      *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  dtx_article_list_set_search (self->latest, text);
  dtx_article_list_set_search (self->bookmarks, text);
  update_search_site (self);
  update_list_state (self);
}

static void
on_search_activate (GtkSearchEntry *entry,
                    DtxWindow      *self)
{
  GtkSingleSelection *selection =
    g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "bookmarks") == 0
      ? self->bookmarks_selection : self->latest_selection;

  /* Enter opens the best match. */
  if (g_list_model_get_n_items (G_LIST_MODEL (selection)) > 0)
    gtk_single_selection_set_selected (selection, 0);
}

static void
on_search_mode (GtkSearchBar *bar,
                GParamSpec   *pspec,
                DtxWindow    *self)
{
  if (!gtk_search_bar_get_search_mode (bar))
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

/* Ctrl+F then typing at once: until the search bar's revealer starts to
 * slide in (at the next frame), its entry has the focus but is not mapped,
 * and GTK drops the keys sent to it ("abcd" typed with Ctrl+F searched for
 * "cd"). They go to its text by hand until it is shown; Escape, which the
 * entry's own binding would not take unmapped, closes the search here. */
static gboolean
on_search_key_early (GtkEventControllerKey *keys,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     DtxWindow             *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  GtkWidget *entry = GTK_WIDGET (self->search_entry);

  if (focus == NULL || gtk_widget_get_mapped (focus) ||
      (focus != entry && !gtk_widget_is_ancestor (focus, entry)))
    return GDK_EVENT_PROPAGATE;
  if (keyval == GDK_KEY_Escape && (state & gtk_accelerator_get_default_mod_mask ()) == 0)
    {
      gtk_search_bar_set_search_mode (self->search_bar, FALSE);
      return GDK_EVENT_STOP;
    }
  return gtk_event_controller_key_forward (keys, focus);
}

static void
search_action (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  DtxWindow *self = DTX_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, gtk_widget_get_parent (GTK_WIDGET (self->search_bar)));
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
on_site_searched (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(DtxWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  guint n_found = 0;

  if (!dtx_article_list_search_site_finish (DTX_ARTICLE_LIST (object), result, &n_found, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->search_site_spinner), FALSE);
  dtx_spinner_set_spinning (self->search_site_spinner, FALSE);
  gtk_widget_set_sensitive (self->search_site_button, TRUE);
  if (error != NULL)
    {
      g_message ("Searching %s failed: %s", self->source ? dtx_source_get_url (self->source) : "", error->message);
      show_toast (self, error->message, "win.search-site");
    }
  else if (n_found == 0)
    {
      /* Translators: %s is the site's name */
      g_autofree char *text = g_strdup_printf (_("%s has no articles matching your search."),
                                               self->source ? dtx_source_get_title (self->source) : "");
      show_toast (self, text, NULL);
    }
}

static void
search_site_action (GtkWidget  *widget,
                    const char *name,
                    GVariant   *param)
{
  DtxWindow *self = DTX_WINDOW (widget);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (*text == '\0')
    return;
  g_cancellable_cancel (self->search_site_cancellable);
  g_clear_object (&self->search_site_cancellable);
  self->search_site_cancellable = g_cancellable_new ();
  gtk_widget_set_visible (GTK_WIDGET (self->search_site_spinner), TRUE);
  dtx_spinner_set_spinning (self->search_site_spinner, TRUE);
  gtk_widget_set_sensitive (self->search_site_button, FALSE);
  dtx_article_list_search_site_async (self->latest, text, self->search_site_cancellable,
                                      on_site_searched, g_object_ref (self));
}

/* Export and import */

static void
on_exported (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(DtxWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint n = 0;

  if (!dtx_store_export_bookmarks_finish (DTX_STORE (object), result, &n, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message, NULL);
      return;
    }
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %u bookmark", "Exported %u bookmarks", n), n);
  show_toast (self, text, NULL);
}

static void
on_imported (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(DtxWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *added = NULL;
  g_autofree char *text = NULL;
  guint n_added = 0, n_skipped = 0;

  if (!dtx_store_import_bookmarks_finish (DTX_STORE (object), result, &n_added, &n_skipped, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message, NULL);
      return;
    }
  added = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %u bookmark", "Imported %u bookmarks", n_added), n_added);
  if (n_skipped > 0)
    /* Translators: "Imported 3 bookmarks" then the number already saved */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s; %u was already saved", "%s; %u were already saved", n_skipped),
                            added, n_skipped);
  show_toast (self, text ? text : added, NULL);
}

static void
on_file_chosen (GtkNativeDialog *dialog,
                int              response,
                DtxWindow       *self)
{
  g_autoptr(GFile) file = NULL;
  gboolean export = gtk_file_chooser_get_action (GTK_FILE_CHOOSER (dialog)) == GTK_FILE_CHOOSER_ACTION_SAVE;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (file != NULL && export)
    dtx_store_export_bookmarks_async (get_store (self), file, self->cancellable, on_exported, g_object_ref (self));
  else if (file != NULL)
    dtx_store_import_bookmarks_async (get_store (self), file, self->cancellable, on_imported, g_object_ref (self));
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

/* GtkFileChooserNative: the FileChooser portal inside Flatpak. */
static void
choose_bookmarks_file (DtxWindow *self,
                       gboolean   export)
{
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (export ? _("Export Bookmarks") : _("Import Bookmarks"),
                                        GTK_WINDOW (self),
                                        export ? GTK_FILE_CHOOSER_ACTION_SAVE : GTK_FILE_CHOOSER_ACTION_OPEN,
                                        export ? _("_Export") : _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Bookmarks (JSON)"));
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  if (export)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "digitripx-bookmarks.json");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_file_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
bookmarks_file_action (GtkWidget  *widget,
                       const char *name,
                       GVariant   *param)
{
  choose_bookmarks_file (DTX_WINDOW (widget), g_str_equal (name, "win.export-bookmarks"));
}

/* The article in the reader may be an object of its own (opened by a link):
 * it follows the store as the lists' objects do. */
static void
on_store_article_changed (DtxStore  *store,
                          gint64     store_id,
                          gboolean   bookmarked,
                          gboolean   read,
                          DtxWindow *self)
{
  if (self->shown != NULL && dtx_article_get_store_id (self->shown) == store_id)
    {
      dtx_article_set_bookmarked (self->shown, bookmarked);
      dtx_article_set_read (self->shown, read);
    }
}

/* The store's state at start */

static void
on_store_opened (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(DtxWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *moved_to = NULL;
  guint n_recovered = 0;
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;

  if (!dtx_store_open_finish (DTX_STORE (object), result, &moved_to, &n_recovered, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message, NULL);
      return;
    }
  if (moved_to == NULL)
    return;

  /* Told once, in words: the old file is kept for whoever wants it. */
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "The file of saved articles could not be read, so a new one was started. "
                                       "%u bookmark was carried over. The old file was kept as %s.",
                                       "The file of saved articles could not be read, so a new one was started. "
                                       "%u bookmarks were carried over. The old file was kept as %s.",
                                       n_recovered),
                          n_recovered, moved_to);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Saved Articles Were Damaged"), body));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Sources */

static void
connect_latest (DtxWindow *self)
{
  g_signal_connect_swapped (self->latest, "notify::loading", G_CALLBACK (on_list_state_changed), self);
  g_signal_connect_swapped (self->latest, "items-changed", G_CALLBACK (on_list_state_changed), self);
  g_signal_connect_swapped (self->latest, "items-changed", G_CALLBACK (wait_list_painted), self);
  g_signal_connect_swapped (self->latest, "notify::loading", G_CALLBACK (wait_list_painted), self);
  g_signal_connect_swapped (self->latest, "notify::loading", G_CALLBACK (maybe_warm_up), self);
  g_signal_connect_swapped (self->latest, "items-changed", G_CALLBACK (probe_rows), self);
  g_signal_connect (self->latest, "loaded", G_CALLBACK (on_latest_loaded), self);
  g_signal_connect (self->latest, "error", G_CALLBACK (on_latest_error), self);
}

/* The list of the sidebar's choice: a source (and category) or every source. */
static void
show_list (DtxWindow  *self,
           DtxSource  *source,
           const char *category)
{
  DtxArticleList *old = self->latest;

  g_debug ("Showing %s (%s)", source ? dtx_source_get_url (source) : "all sources", category ? category : "every category");
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (old != NULL && self->source == source && g_strcmp0 (dtx_article_list_get_category (old), category) == 0)
    {
      update_list_title (self);
      return;
    }
  g_set_object (&self->source, source);
  self->latest = dtx_article_list_new (get_store (self), source, DTX_STORE_LIST_ALL);
  if (category != NULL)
    dtx_article_list_set_category (self->latest, category);
  if (*search != '\0')
    dtx_article_list_set_search (self->latest, search);
  connect_latest (self);
  gtk_single_selection_set_model (self->latest_selection, G_LIST_MODEL (self->latest));
  if (old != NULL)
    {
      g_signal_handlers_disconnect_by_data (old, self);
      g_object_unref (old);
    }
  dtx_article_list_reload (self->latest);

  take_refresh_error (self);
  update_list_title (self);
  update_search_site (self);
  update_list_state (self);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled), 0);
}

static void
on_sidebar_selection_changed (DtxSidebar *sidebar,
                              DtxWindow  *self)
{
  show_list (self, dtx_sidebar_get_selected_source (sidebar), dtx_sidebar_get_selected_category (sidebar));
  adw_view_stack_set_visible_child_name (self->view_stack, "latest");
  /* Narrow: the list takes the place of the sidebar. */
  if (adw_flap_get_folded (self->flap))
    adw_flap_set_reveal_flap (self->flap, FALSE);
}

/* The first refresh waits for the sources. */
static void
maybe_start_refresh (DtxWindow *self)
{
  if (!self->manager_loaded || self->refreshing || self->refreshed_once ||
      self->requested_url != NULL)
    return;
  refresh (self);
}

static void
on_requested_added (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(DtxWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!dtx_source_manager_add_finish (DTX_SOURCE_MANAGER (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (!g_error_matches (error, DTX_ERROR, DTX_ERROR_EXISTS))
        {
          g_message ("Following %s failed: %s", self->requested_url, error->message);
          show_toast (self, error->message, NULL);
        }
    }
  g_clear_pointer (&self->requested_url, g_free);
  if (self->source != NULL)
    dtx_sidebar_select (self->sources_sidebar, self->source, NULL);
  refresh (self);
}

/* A source named on the command line (or by a test) is followed, and shown. */
static void
follow_requested (DtxWindow *self)
{
  DtxSource *followed = dtx_source_manager_lookup (self->manager, self->requested_url);

  if (followed == NULL && self->source != NULL)
    followed = dtx_source_manager_lookup (self->manager, dtx_source_get_url (self->source));
  if (followed != NULL)
    {
      g_clear_pointer (&self->requested_url, g_free);
      dtx_sidebar_select (self->sources_sidebar, followed, NULL);
      maybe_start_refresh (self);
      return;
    }
  /* Adding asks for the first page at once: the window is refreshing from
   * now, not from when the store has written the source down (under load
   * the page could be listed first, with no word that more is coming). */
  self->refreshing = TRUE;
  update_list_state (self);
  dtx_source_manager_add_async (self->manager, self->source, self->cancellable,
                                on_requested_added, g_object_ref (self));
}

static void
on_manager_loaded (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(DtxWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!dtx_source_manager_load_finish (DTX_SOURCE_MANAGER (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_message ("Loading the sources failed: %s", error->message);
      show_toast (self, error->message, NULL);
    }
  g_object_set_data (object, "dtx-loaded", GINT_TO_POINTER (TRUE));
  self->manager_loaded = TRUE;
  dtx_sidebar_set_manager (self->sources_sidebar, self->manager);
  if (self->requested_url != NULL)
    follow_requested (self);
  else
    maybe_start_refresh (self);
}

static DtxSource *
lookup_source (DtxWindow *self,
               GVariant  *param)
{
  const char *url = param ? g_variant_get_string (param, NULL) : "";

  if (*url == '\0')
    return self->source;
  return dtx_source_manager_lookup (self->manager, url);
}

static void
refresh_source_action (GtkWidget  *widget,
                       const char *name,
                       GVariant   *param)
{
  DtxWindow *self = DTX_WINDOW (widget);
  DtxSource *source = lookup_source (self, param);

  if (source != NULL && self->manager_loaded)
    refresh_source (self, source);
}

static void
on_source_added (DtxAddSourceDialog *dialog,
                 DtxSource          *source,
                 DtxWindow          *self)
{
  dtx_sidebar_select (self->sources_sidebar, source, NULL);
  refresh_source (self, source);
}

static void
add_source_action (GtkWidget  *widget,
                   const char *name,
                   GVariant   *param)
{
  DtxWindow *self = DTX_WINDOW (widget);
  DtxAddSourceDialog *dialog = dtx_add_source_dialog_new (GTK_WINDOW (self), self->context, self->thumbnails);

  g_signal_connect_object (dialog, "source-added", G_CALLBACK (on_source_added), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Rename */

static void
on_rename_response (AdwMessageDialog *dialog,
                    const char       *response,
                    DtxWindow        *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  DtxSource *source = g_object_get_data (G_OBJECT (dialog), "dtx-source");
  g_autofree char *title = NULL;

  if (!g_str_equal (response, "rename") || source == NULL)
    return;
  title = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  /* The site's own name is no rename: the source follows the site's. */
  if (g_strcmp0 (title, dtx_source_get_site_title (source)) == 0)
    g_clear_pointer (&title, g_free);
  dtx_source_manager_rename (self->manager, source, title);
}

static void
rename_source_action (GtkWidget  *widget,
                      const char *name,
                      GVariant   *param)
{
  DtxWindow *self = DTX_WINDOW (widget);
  DtxSource *source = lookup_source (self, param);
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  if (source == NULL)
    return;
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Rename Source"),
                                                       _("Leave the name empty to use the site’s own.")));
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), dtx_source_get_title (source));
  if (dtx_source_get_site_title (source) != NULL)
    gtk_entry_set_placeholder_text (GTK_ENTRY (entry), dtx_source_get_site_title (source));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Name"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "rename", _("_Rename"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "rename", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "rename");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "dtx-source", g_object_ref (source), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_rename_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* Remove, with Undo: the source leaves the sidebar at once; the manager
 * removes it (and its articles) once the toast is gone without Undo. */

static void
on_removed (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!dtx_source_manager_remove_finish (DTX_SOURCE_MANAGER (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("Removing a source failed: %s", error->message);
}

static void
commit_removal (DtxWindow *self)
{
  g_autoptr(DtxSource) source = g_steal_pointer (&self->removed_source);

  if (source == NULL)
    return;
  /* Not the window's cancellable: a window closing meanwhile still removes it. */
  dtx_source_manager_remove_async (self->manager, source, NULL, on_removed, NULL);
  if (self->sources_sidebar != NULL)
    dtx_sidebar_set_hidden (self->sources_sidebar, source, FALSE);
}

static void
on_remove_toast_dismissed (AdwToast  *toast,
                           DtxWindow *self)
{
  if (self->remove_toast == toast)
    g_clear_object (&self->remove_toast);
  commit_removal (self);
}

static void
remove_source_action (GtkWidget  *widget,
                      const char *name,
                      GVariant   *param)
{
  DtxWindow *self = DTX_WINDOW (widget);
  DtxSource *source = lookup_source (self, param);
  g_autofree char *text = NULL;
  AdwToast *toast;

  if (source == NULL)
    return;
  /* One Undo at a time: an earlier removal goes through now. */
  if (self->remove_toast != NULL)
    {
      g_autoptr(AdwToast) previous = g_steal_pointer (&self->remove_toast);
      adw_toast_dismiss (previous);
    }
  commit_removal (self);

  self->removed_source = g_object_ref (source);
  dtx_sidebar_set_hidden (self->sources_sidebar, source, TRUE);
  /* Translators: a toast; %s is the source's name */
  text = g_strdup_printf (_("“%s” removed"), dtx_source_get_title (source));
  toast = new_toast (text);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-remove-source");
  self->remove_toast = g_object_ref (toast);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_remove_toast_dismissed), self, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
undo_remove_source_action (GtkWidget  *widget,
                           const char *name,
                           GVariant   *param)
{
  DtxWindow *self = DTX_WINDOW (widget);
  g_autoptr(DtxSource) source = g_steal_pointer (&self->removed_source);
  g_autoptr(AdwToast) toast = g_steal_pointer (&self->remove_toast);

  if (toast != NULL)
    adw_toast_dismiss (toast);
  if (source == NULL)
    return;
  dtx_sidebar_set_hidden (self->sources_sidebar, source, FALSE);
  dtx_sidebar_select (self->sources_sidebar, source, NULL);
}

static guint
position_of_source (DtxWindow *self,
                    DtxSource *source)
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

static void
move_source_action (GtkWidget  *widget,
                    const char *name,
                    GVariant   *param)
{
  DtxWindow *self = DTX_WINDOW (widget);
  DtxSource *source = lookup_source (self, param);
  guint pos, n;

  if (source == NULL)
    return;
  pos = position_of_source (self, source);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->manager));
  if (pos == GTK_INVALID_LIST_POSITION)
    return;
  if (g_str_equal (name, "win.move-source-up") && pos > 0)
    dtx_source_manager_move (self->manager, source, pos - 1);
  else if (g_str_equal (name, "win.move-source-down") && pos + 1 < n)
    dtx_source_manager_move (self->manager, source, pos + 1);
}

static void
select_source_action (GtkWidget  *widget,
                      const char *name,
                      GVariant   *param)
{
  DtxWindow *self = DTX_WINDOW (widget);
  const char *url = g_variant_get_string (param, NULL);
  DtxSource *source = *url ? dtx_source_manager_lookup (self->manager, url) : NULL;

  if (*url != '\0' && source == NULL)
    return;
  dtx_sidebar_select (self->sources_sidebar, source, NULL);
  adw_view_stack_set_visible_child_name (self->view_stack, "latest");
  adw_leaflet_set_visible_child (self->leaflet, gtk_widget_get_parent (GTK_WIDGET (self->search_bar)));
}

static void
toggle_sidebar_action (GtkWidget  *widget,
                       const char *name,
                       GVariant   *param)
{
  DtxWindow *self = DTX_WINDOW (widget);

  adw_flap_set_reveal_flap (self->flap, !adw_flap_get_reveal_flap (self->flap));
}

/* OPML */

static void
on_opml_exported (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(DtxWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint n = 0;

  if (!dtx_subscriptions_export_finish (DTX_SOURCE_MANAGER (object), result, &n, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message, NULL);
      return;
    }
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %u source", "Exported %u sources", n), n);
  show_toast (self, text, NULL);
}

static void
show_import_report (DtxWindow             *self,
                    const DtxImportReport *report)
{
  g_autofree char *summary = dtx_import_report_describe (report);
  AdwMessageDialog *dialog;
  g_autoptr(GString) details = NULL;

  if (report->n_failed == 0)
    {
      show_toast (self, summary, NULL);
      return;
    }
  /* Failures deserve their reasons: a dialog lists them. */
  details = g_string_new (summary);
  g_string_append (details, "\n");
  for (guint i = 0; i < report->failures->len; i++)
    g_string_append_printf (details, "\n%s", (const char *)g_ptr_array_index (report->failures, i));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Subscriptions Imported"), details->str));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_opml_imported (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(DtxWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DtxImportReport) report = dtx_subscriptions_import_finish (DTX_SOURCE_MANAGER (object), result, &error);

  if (report == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message, NULL);
      return;
    }
  show_import_report (self, report);
}

void
dtx_window_import_opml (DtxWindow *self,
                        GFile     *file)
{
  g_return_if_fail (DTX_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  dtx_subscriptions_import_async (self->manager, dtx_context_get_fetcher (self->context), file,
                                  self->cancellable, on_opml_imported, g_object_ref (self));
}

static void
on_opml_file_chosen (GtkNativeDialog *dialog,
                     int              response,
                     DtxWindow       *self)
{
  g_autoptr(GFile) file = NULL;
  gboolean export = gtk_file_chooser_get_action (GTK_FILE_CHOOSER (dialog)) == GTK_FILE_CHOOSER_ACTION_SAVE;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (file != NULL && export)
    dtx_subscriptions_export_async (self->manager, file, self->cancellable, on_opml_exported, g_object_ref (self));
  else if (file != NULL)
    dtx_window_import_opml (self, file);
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

/* GtkFileChooserNative: the FileChooser portal inside Flatpak. */
static void
opml_file_action (GtkWidget  *widget,
                  const char *name,
                  GVariant   *param)
{
  DtxWindow *self = DTX_WINDOW (widget);
  gboolean export = g_str_equal (name, "win.export-opml");
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (!self->manager_loaded)
    return;
  dialog = gtk_file_chooser_native_new (export ? _("Export Subscriptions") : _("Import Subscriptions"),
                                        GTK_WINDOW (self),
                                        export ? GTK_FILE_CHOOSER_ACTION_SAVE : GTK_FILE_CHOOSER_ACTION_OPEN,
                                        export ? _("_Export") : _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Subscriptions (OPML)"));
  gtk_file_filter_add_mime_type (filter, "text/x-opml+xml");
  gtk_file_filter_add_pattern (filter, "*.opml");
  gtk_file_filter_add_pattern (filter, "*.xml");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  if (export)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "digitripx-subscriptions.opml");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_opml_file_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Actions */

static void
refresh_action (GtkWidget *widget, const char *name, GVariant *param)
{
  refresh (DTX_WINDOW (widget));
}

static void
load_more_action (GtkWidget *widget, const char *name, GVariant *param)
{
  dtx_article_list_load_more (DTX_WINDOW (widget)->latest);
}

static void
open_in_browser_action (GtkWidget *widget, const char *name, GVariant *param)
{
  DtxWindow *self = DTX_WINDOW (widget);

  if (self->shown != NULL && dtx_article_get_link (self->shown) != NULL)
    dtx_launch_uri (widget, dtx_article_get_link (self->shown));
}

static void
open_failed_url_action (GtkWidget *widget, const char *name, GVariant *param)
{
  DtxWindow *self = DTX_WINDOW (widget);

  if (self->failed_url != NULL)
    dtx_launch_uri (widget, self->failed_url);
}

/* dtx_launch_uri() found nothing to open a link with: say so, and offer the
 * link itself. The reason is in the log. */
static void
launch_failed_action (GtkWidget *widget, const char *name, GVariant *param)
{
  DtxWindow *self = DTX_WINDOW (widget);
  AdwToast *toast = new_toast (_("Could not open the link"));

  adw_toast_set_button_label (toast, _("_Copy Link"));
  adw_toast_set_action_name (toast, "win.copy-url");
  adw_toast_set_action_target_value (toast, param);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
copy_url_action (GtkWidget *widget, const char *name, GVariant *param)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), g_variant_get_string (param, NULL));
}

/* Alt+Left, the reader's back button, mouse button 8: the reader's history
 * first, then (at narrow sizes) back to the list. */
static void
go_back_action (GtkWidget *widget, const char *name, GVariant *param)
{
  DtxWindow *self = DTX_WINDOW (widget);
  gboolean reader_visible = !is_narrow (self) || adw_leaflet_get_visible_child (self->leaflet) == self->content;

  if (reader_visible && self->history->len > 0 && self->history_pos > 0 &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->reader_stack), "reader") == 0)
    walk_history (self, -1);
  else
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
history_forward_action (GtkWidget *widget, const char *name, GVariant *param)
{
  walk_history (DTX_WINDOW (widget), +1);
}

/* j / k: the next or previous article of the list in view. */
static void
step_article_action (GtkWidget *widget, const char *name, GVariant *param)
{
  DtxWindow *self = DTX_WINDOW (widget);
  GtkSingleSelection *selection = visible_selection (self);
  GListModel *model = G_LIST_MODEL (selection);
  guint n = g_list_model_get_n_items (model);
  guint pos = self->shown ? position_of (model, self->shown) : GTK_INVALID_LIST_POSITION;
  g_autoptr(DtxArticle) article = NULL;

  if (n == 0)
    return;
  if (pos == GTK_INVALID_LIST_POSITION)
    pos = 0;
  else if (g_str_equal (name, "win.next-article") && pos + 1 < n)
    pos++;
  else if (g_str_equal (name, "win.previous-article") && pos > 0)
    pos--;
  else
    return;
  article = g_list_model_get_item (model, pos);
  show_article (self, article);
}

static void
on_mouse_back_forward (GtkGestureClick *gesture,
                       int              n_press,
                       double           x,
                       double           y,
                       DtxWindow       *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));

  if (button == 8)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.go-back", NULL);
  else if (button == 9)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.history-forward", NULL);
  else
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

/* Built when asked for, not with every window as GtkApplication would. */
static void
show_help_overlay_action (GtkWidget *widget, const char *name, GVariant *param)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/id/digitripx/Reader/ui/dtx-help-overlay.ui");
  GtkWindow *overlay = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));

  gtk_window_set_transient_for (overlay, GTK_WINDOW (widget));
  gtk_window_set_destroy_with_parent (overlay, TRUE);
  gtk_window_present (overlay);
}

static void
zoom_action (GtkWidget *widget, const char *name, GVariant *param)
{
  DtxWindow *self = DTX_WINDOW (widget);
  double zoom = g_settings_get_double (self->settings, "zoom-level");

  if (g_str_equal (name, "win.zoom-in"))
    zoom += ZOOM_STEP;
  else if (g_str_equal (name, "win.zoom-out"))
    zoom -= ZOOM_STEP;
  else
    zoom = 1.0;
  /* Round away float drift so 1.0 stays reachable by steps. */
  zoom = CLAMP (round (zoom * 10.0) / 10.0, 0.5, 3.0);
  g_settings_set_double (self->settings, "zoom-level", zoom);
}

/* Rows */

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           DtxWindow                *self)
{
  GtkWidget *row = dtx_article_row_new (self->thumbnails);

  GtkGesture *click = gtk_gesture_click_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect_object (click, "released", G_CALLBACK (on_row_released), self, 0);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (click));
  g_signal_connect_object (row, "menu", G_CALLBACK (on_row_menu), self, 0);
  gtk_list_item_set_child (item, row);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          DtxWindow                *self)
{
  DtxArticleRow *row = DTX_ARTICLE_ROW (gtk_list_item_get_child (item));

  /* One site in the list: each row says its category, not the site's name. */
  dtx_article_row_set_show_category (row, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "latest")) &&
                                          self->source != NULL);
  dtx_article_row_set_article (row, gtk_list_item_get_item (item));
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            DtxWindow                *self)
{
  dtx_article_row_set_article (DTX_ARTICLE_ROW (gtk_list_item_get_child (item)), NULL);
}

static GtkSingleSelection *
setup_list_view (DtxWindow      *self,
                 GtkListView    *view,
                 DtxArticleList *list)
{
  GtkSingleSelection *selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (list)));
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  g_signal_connect (selection, "notify::selected-item", G_CALLBACK (on_selected_item), self);

  g_object_set_data (G_OBJECT (factory), "latest", GINT_TO_POINTER (list == self->latest));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), self);
  gtk_list_view_set_factory (view, factory);
  g_object_unref (factory);
  g_signal_connect (view, "activate", G_CALLBACK (on_list_activate), self);
  {
    GtkEventController *keys = gtk_event_controller_key_new ();

    gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
    g_signal_connect (keys, "key-pressed", G_CALLBACK (on_list_key_pressed), self);
    g_signal_connect (keys, "key-released", G_CALLBACK (on_list_key_released), self);
    gtk_widget_add_controller (GTK_WIDGET (view), keys);
  }
  gtk_list_view_set_model (view, GTK_SELECTION_MODEL (selection));
  return selection;
}

static gboolean
dtx_window_close_request (GtkWindow *window)
{
  DtxWindow *self = DTX_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));

  return GTK_WINDOW_CLASS (dtx_window_parent_class)->close_request (window);
}

static void
dtx_window_dispose (GObject *object)
{
  DtxWindow *self = (DtxWindow *)object;

  if (self->list_painted_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->list_painted_id);
  self->list_painted_id = 0;
  g_clear_handle_id (&self->warm_up_id, g_source_remove);
  g_clear_handle_id (&self->present_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->refresh_cancellable);
  g_cancellable_cancel (self->article_cancellable);
  g_cancellable_cancel (self->search_site_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->refresh_cancellable);
  g_clear_object (&self->article_cancellable);
  g_clear_object (&self->search_site_cancellable);

  /* A removal waiting for its Undo toast goes through as the window closes. */
  if (self->remove_toast != NULL)
    g_signal_handlers_disconnect_by_data (self->remove_toast, self);
  if (self->manager != NULL && self->removed_source != NULL)
    commit_removal (self);

  set_shown (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DTX_TYPE_WINDOW);
  self->reader = NULL;

  if (self->latest != NULL)
    g_signal_handlers_disconnect_by_data (self->latest, self);
  if (self->bookmarks != NULL)
    g_signal_handlers_disconnect_by_data (self->bookmarks, self);
  g_clear_object (&self->latest_selection);
  g_clear_object (&self->bookmarks_selection);
  g_clear_object (&self->latest);
  g_clear_object (&self->bookmarks);
  g_clear_object (&self->removed_bookmark);
  g_clear_object (&self->thumbnails);
  g_clear_object (&self->source);
  g_clear_object (&self->remove_toast);
  g_clear_object (&self->manager);
  g_clear_pointer (&self->requested_url, g_free);
  g_clear_object (&self->context);
  g_clear_object (&self->settings);
  g_clear_error (&self->refresh_error);
  g_clear_pointer (&self->pending_url, g_free);
  g_clear_pointer (&self->failed_url, g_free);
  g_clear_pointer (&self->history, g_ptr_array_unref);

  G_OBJECT_CLASS (dtx_window_parent_class)->dispose (object);
}

static void
dtx_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  DtxWindow *self = DTX_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT: g_value_set_object (value, self->context); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dtx_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  DtxWindow *self = DTX_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT: self->context = g_value_dup_object (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dtx_window_class_init (DtxWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = dtx_window_dispose;
  object_class->get_property = dtx_window_get_property;
  object_class->set_property = dtx_window_set_property;
  window_class->close_request = dtx_window_close_request;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, DTX_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DTX_TYPE_SPINNER);
  gtk_widget_class_set_template_from_resource (widget_class, "/id/digitripx/Reader/ui/dtx-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, sources_sidebar);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, refresh_progress);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, content);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, list_title);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, refresh_spinner);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, offline_revealer);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, offline_label);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, list_spinner);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, scrolled);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, more_revealer);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, more_spinner);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, bookmarks_stack);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, bookmarks_scrolled);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, bookmarks_view);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, search_site_button);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, search_site_label);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, search_site_spinner);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, reader_title);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, bookmark_button);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, history_back_button);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, history_forward_button);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, reader_stack);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, reader_hint);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, reader_spinner);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, reader_bin);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, reader_error_page);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, reader_error_button);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);

  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.load-more", NULL, load_more_action);
  gtk_widget_class_install_action (widget_class, "win.open-in-browser", NULL, open_in_browser_action);
  gtk_widget_class_install_action (widget_class, "win.go-back", NULL, go_back_action);
  gtk_widget_class_install_action (widget_class, "win.history-forward", NULL, history_forward_action);
  gtk_widget_class_install_action (widget_class, "win.next-article", NULL, step_article_action);
  gtk_widget_class_install_action (widget_class, "win.previous-article", NULL, step_article_action);
  gtk_widget_class_install_action (widget_class, "win.open-failed-url", NULL, open_failed_url_action);
  gtk_widget_class_install_action (widget_class, "win.launch-failed", "s", launch_failed_action);
  gtk_widget_class_install_action (widget_class, "win.copy-url", "s", copy_url_action);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL, show_help_overlay_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-reset", NULL, zoom_action);
  /* Article actions take the article's link; "" is the one in the reader. */
  gtk_widget_class_install_action (widget_class, "win.toggle-bookmark", "s", toggle_bookmark_action);
  gtk_widget_class_install_action (widget_class, "win.undo-remove-bookmark", NULL, undo_remove_bookmark_action);
  gtk_widget_class_install_action (widget_class, "win.mark-read", "s", set_read_action);
  gtk_widget_class_install_action (widget_class, "win.mark-unread", "s", set_read_action);
  gtk_widget_class_install_action (widget_class, "win.mark-all-read", NULL, mark_all_read_action);
  gtk_widget_class_install_action (widget_class, "win.row-menu", NULL, row_menu_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.search-site", NULL, search_site_action);
  gtk_widget_class_install_action (widget_class, "win.export-bookmarks", NULL, bookmarks_file_action);
  gtk_widget_class_install_action (widget_class, "win.import-bookmarks", NULL, bookmarks_file_action);
  /* Sources: a target of "" means the selected one. */
  gtk_widget_class_install_action (widget_class, "win.add-source", NULL, add_source_action);
  gtk_widget_class_install_action (widget_class, "win.refresh-source", "s", refresh_source_action);
  gtk_widget_class_install_action (widget_class, "win.rename-source", "s", rename_source_action);
  gtk_widget_class_install_action (widget_class, "win.remove-source", "s", remove_source_action);
  gtk_widget_class_install_action (widget_class, "win.undo-remove-source", NULL, undo_remove_source_action);
  gtk_widget_class_install_action (widget_class, "win.move-source-up", "s", move_source_action);
  gtk_widget_class_install_action (widget_class, "win.move-source-down", "s", move_source_action);
  gtk_widget_class_install_action (widget_class, "win.select-source", "s", select_source_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-sidebar", NULL, toggle_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.import-opml", NULL, opml_file_action);
  gtk_widget_class_install_action (widget_class, "win.export-opml", NULL, opml_file_action);

  /* Bound here rather than on the application, so they work in any
   * window, including in tests that have no GtkApplication. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.add-source", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "win.rename-source", "s", "");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.toggle-sidebar", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.move-source-up", "s", "");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.move-source-down", "s", "");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open-in-browser", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK, "win.toggle-bookmark", "s", "");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "win.row-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "win.row-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_question, GDK_CONTROL_MASK, "win.show-help-overlay", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Back, 0, "win.go-back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Forward, 0, "win.history-forward", NULL);
  /* Plain letters: typing in the search entry keeps them. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_j, 0, "win.next-article", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, 0, "win.previous-article", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "win.zoom-reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK, "win.zoom-reset", NULL);

  dtx_window_share_class_init (widget_class);
}

static gboolean
on_history_key (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                DtxWindow             *self)
{
  if ((state & gtk_accelerator_get_default_mod_mask ()) != GDK_ALT_MASK)
    return GDK_EVENT_PROPAGATE;
  if (keyval == GDK_KEY_Left || keyval == GDK_KEY_KP_Left)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.go-back", NULL);
  else if (keyval == GDK_KEY_Right || keyval == GDK_KEY_KP_Right)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.history-forward", NULL);
  else
    return GDK_EVENT_PROPAGATE;
  return GDK_EVENT_STOP;
}

static void
dtx_window_init (DtxWindow *self)
{
  g_type_ensure (DTX_TYPE_ARTICLE_ROW);
  g_type_ensure (DTX_TYPE_SIDEBAR);
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self->sources_sidebar, "selection-changed", G_CALLBACK (on_sidebar_selection_changed), self);

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APPLICATION_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  g_signal_connect (self->search_bar, "notify::search-mode-enabled", G_CALLBACK (on_search_mode), self);
  g_signal_connect_swapped (self->view_stack, "notify::visible-child-name", G_CALLBACK (update_search_site), self);

  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scrolled), "changed",
                           G_CALLBACK (on_latest_adjustment_changed), self, 0);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scrolled), "value-changed",
                           G_CALLBACK (on_latest_adjustment_changed), self, 0);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->bookmarks_scrolled), "changed",
                           G_CALLBACK (on_bookmarks_adjustment_changed), self, 0);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->bookmarks_scrolled), "value-changed",
                           G_CALLBACK (on_bookmarks_adjustment_changed), self, 0);

  self->history = g_ptr_array_new_with_free_func (g_object_unref);
  {
    /* Before the focused widget: the reader's web view would otherwise
     * take Alt+Left for its own (refused) history. */
    GtkEventController *keys = gtk_event_controller_key_new ();

    gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
    g_signal_connect (keys, "key-pressed", G_CALLBACK (on_history_key), self);
    gtk_widget_add_controller (GTK_WIDGET (self), keys);
  }
  {
    GtkEventController *keys = gtk_event_controller_key_new ();

    gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
    g_signal_connect (keys, "key-pressed", G_CALLBACK (on_search_key_early), self);
    gtk_widget_add_controller (GTK_WIDGET (self), keys);
  }
  {
    GtkGesture *buttons = gtk_gesture_click_new ();

    gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (buttons), 0);
    gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (buttons), GTK_PHASE_CAPTURE);
    g_signal_connect (buttons, "pressed", G_CALLBACK (on_mouse_back_forward), self);
    gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (buttons));
  }
  g_signal_connect_swapped (self->leaflet, "notify::folded", G_CALLBACK (update_history_actions), self);
  update_history_actions (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-in-browser", FALSE);
  update_bookmark_button (self);
  dtx_window_share_init (self);
  gtk_widget_add_tick_callback (GTK_WIDGET (self), on_first_frame, NULL, NULL);
}

/* A refreshed page shows before the store has saved it. */
static void
on_page_arrived (DtxSourceManager *manager,
                 DtxSource        *source,
                 GPtrArray        *articles,
                 DtxWindow        *self)
{
  dtx_article_list_show_arrived (self->latest, dtx_source_get_url (source), articles);
}

DtxWindow *
dtx_window_new (GtkApplication *application,
                DtxContext     *context,
                const char     *source_url)
{
  g_autofree char *cache_dir = NULL;
  DtxFetcher *fetcher;
  DtxStore *store;
  DtxWindow *self;
  gboolean sources_loaded;

  g_return_val_if_fail (DTX_IS_CONTEXT (context), NULL);

  dtx_probe_start ();
  self = g_object_new (DTX_TYPE_WINDOW, "application", application, "context", context, NULL);
  fetcher = dtx_context_get_fetcher (context);
  store = dtx_context_get_store (context);
  self->manager = g_object_ref (dtx_context_get_sources (context));
  sources_loaded = g_object_get_data (G_OBJECT (self->manager), "dtx-loaded") != NULL;
  /* A source asked for by name shows (from the store) before the sources
   * are loaded; once they are, it is followed and selected. */
  if (source_url != NULL)
    {
      self->requested_url = g_strdup (source_url);
      self->source = dtx_source_new (fetcher, source_url);
    }
  cache_dir = g_build_filename (g_get_user_cache_dir (), PACKAGE_NAME, "thumbnails", NULL);
  self->thumbnails = dtx_thumbnail_cache_new (fetcher, cache_dir, THUMBNAIL_SIZE);

  dtx_store_open_async (store, self->cancellable, on_store_opened, g_object_ref (self));
  /* The store answers in order: the sources before the lists, so the first
   * request leaves before the window is shown with its list (realising a
   * window takes the UI thread 0.3 s with GL on a software rasteriser). */
  if (!sources_loaded)
    dtx_source_manager_load_async (self->manager, self->cancellable, on_manager_loaded, g_object_ref (self));
  g_signal_connect_object (store, "article-changed", G_CALLBACK (on_store_article_changed), self, 0);

  self->latest = dtx_article_list_new (store, self->source, DTX_STORE_LIST_ALL);
  self->bookmarks = dtx_article_list_new (store, NULL, DTX_STORE_LIST_BOOKMARKS);
  self->latest_selection = setup_list_view (self, self->list_view, self->latest);
  self->bookmarks_selection = setup_list_view (self, self->bookmarks_view, self->bookmarks);
  connect_latest (self);
  g_signal_connect_swapped (self->bookmarks, "items-changed", G_CALLBACK (on_list_state_changed), self);
  g_signal_connect_object (self->manager, "notify::refreshing", G_CALLBACK (update_progress), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->manager, "notify::progress", G_CALLBACK (update_progress), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->manager, "page-arrived", G_CALLBACK (on_page_arrived), self, 0);
  update_list_title (self);

  /* What was stored shows at once; the sites are asked as soon as the
   * sources are loaded (requests run in the fetcher's own thread). */
  dtx_article_list_reload (self->latest);
  dtx_article_list_reload (self->bookmarks);
  update_list_state (self);
  if (sources_loaded)
    {
      self->manager_loaded = TRUE;
      dtx_sidebar_set_manager (self->sources_sidebar, self->manager);
      if (self->requested_url != NULL)
        follow_requested (self);
    }
  return self;
}

/* Shows the window with its stored list in the first frame: a frame costs
 * up to 0.2 s on a software GL renderer, so one frame without the rows and
 * another with them is the slowest way to show them. The store answers in
 * milliseconds; the wait is capped for a store that is slow to open. */
void
dtx_window_present_with_list (DtxWindow *self)
{
  g_return_if_fail (DTX_IS_WINDOW (self));

  if (gtk_widget_get_visible (GTK_WIDGET (self)) || !dtx_article_list_get_loading (self->latest))
    {
      gtk_window_present (GTK_WINDOW (self));
      return;
    }
  if (self->present_id == 0)
    self->present_id = g_timeout_add (150, present_now, self);
}

DtxContext *
dtx_window_get_context (DtxWindow *self)
{
  g_return_val_if_fail (DTX_IS_WINDOW (self), NULL);
  return self->context;
}

DtxArticle *
dtx_window_get_shown_article (DtxWindow *self)
{
  g_return_val_if_fail (DTX_IS_WINDOW (self), NULL);
  return self->shown;
}

static DtxArticle *
find_in (GListModel *model,
         const char *link)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DtxArticle) article = g_list_model_get_item (model, i);
      if (g_strcmp0 (dtx_article_get_link (article), link) == 0)
        return article; /* the list keeps it alive */
    }
  return NULL;
}

DtxArticle *
dtx_window_lookup_article (DtxWindow  *self,
                           const char *link)
{
  DtxArticle *article;

  g_return_val_if_fail (DTX_IS_WINDOW (self), NULL);

  if (link == NULL || *link == '\0')
    return self->shown;
  if (self->shown != NULL && g_strcmp0 (dtx_article_get_link (self->shown), link) == 0)
    return self->shown;
  article = find_in (G_LIST_MODEL (self->latest), link);
  return article ? article : find_in (G_LIST_MODEL (self->bookmarks), link);
}

void
dtx_window_add_toast (DtxWindow *self,
                      AdwToast  *toast)
{
  g_return_if_fail (DTX_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

DtxSource *
dtx_window_get_source (DtxWindow *self)
{
  g_return_val_if_fail (DTX_IS_WINDOW (self), NULL);
  return self->source;
}

GListModel *
dtx_window_get_articles (DtxWindow *self)
{
  g_return_val_if_fail (DTX_IS_WINDOW (self), NULL);
  return G_LIST_MODEL (self->latest);
}

GListModel *
dtx_window_get_bookmarks (DtxWindow *self)
{
  g_return_val_if_fail (DTX_IS_WINDOW (self), NULL);
  return G_LIST_MODEL (self->bookmarks);
}

const char *
dtx_window_get_list_state (DtxWindow *self)
{
  g_return_val_if_fail (DTX_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->list_stack);
}

const char *
dtx_window_get_bookmarks_state (DtxWindow *self)
{
  g_return_val_if_fail (DTX_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->bookmarks_stack);
}

gboolean
dtx_window_is_offline_banner_shown (DtxWindow *self)
{
  g_return_val_if_fail (DTX_IS_WINDOW (self), FALSE);
  return gtk_revealer_get_reveal_child (self->offline_revealer);
}

gboolean
dtx_window_is_list_painted (DtxWindow *self)
{
  g_return_val_if_fail (DTX_IS_WINDOW (self), FALSE);
  return self->list_painted;
}

GtkWidget *
dtx_window_get_reader_view (DtxWindow *self)
{
  g_return_val_if_fail (DTX_IS_WINDOW (self), NULL);
  return self->reader;
}

gboolean
dtx_window_is_loading (DtxWindow *self)
{
  g_return_val_if_fail (DTX_IS_WINDOW (self), FALSE);
  return self->refreshing || self->fill_check || dtx_article_list_get_loading (self->latest);
}

void
dtx_window_select_source (DtxWindow *self,
                          DtxSource *source)
{
  g_return_if_fail (DTX_IS_WINDOW (self));
  dtx_sidebar_select (self->sources_sidebar, source, NULL);
}

GtkWidget *
dtx_window_get_sidebar (DtxWindow *self)
{
  g_return_val_if_fail (DTX_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->sources_sidebar);
}

gboolean
dtx_window_is_sources_loaded (DtxWindow *self)
{
  g_return_val_if_fail (DTX_IS_WINDOW (self), FALSE);
  return self->manager_loaded && self->requested_url == NULL;
}

AdwToast *
dtx_window_get_remove_toast (DtxWindow *self)
{
  g_return_val_if_fail (DTX_IS_WINDOW (self), NULL);
  return self->remove_toast;
}

DtxSource *
dtx_window_get_removed_source (DtxWindow *self)
{
  g_return_val_if_fail (DTX_IS_WINDOW (self), NULL);
  return self->removed_source;
}
