/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-window"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "dtx-article-row.h"
#include "dtx-error.h"
#include "dtx-launch.h"
#include "dtx-reader-loader.h"
#include "dtx-thumbnail-cache.h"
#include "dtx-window-private.h"
#include "dtx-window-share.h"

#define ZOOM_STEP 0.1
#define THUMBNAIL_SIZE 144 /* pixels: shown at 72, sharp at scale 2 */

struct _DtxWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkWidget            *content;
  AdwWindowTitle       *list_title;
  GtkSpinner           *refresh_spinner;
  GtkStack             *list_stack;
  GtkSpinner           *list_spinner;
  GtkScrolledWindow    *scrolled;
  GtkListView          *list_view;
  GtkRevealer          *more_revealer;
  GtkSpinner           *more_spinner;
  AdwStatusPage        *error_page;
  AdwWindowTitle       *reader_title;
  GtkStack             *reader_stack;
  GtkSpinner           *reader_spinner;
  AdwBin               *reader_bin;
  AdwStatusPage        *reader_error_page;

  DtxContext           *context;
  DtxSource            *source;
  DtxThumbnailCache    *thumbnails;
  GListStore           *articles;
  GtkSingleSelection   *selection;
  GtkWidget            *reader; /* a DtxReaderView, created when the first article opens */
  GSettings            *settings;

  GCancellable         *list_cancellable;
  GCancellable         *article_cancellable;
  guint                 next_page;
  guint                 loading_page;
  guint                 start_id;
  gboolean              loading;
  gboolean              exhausted;
};

G_DEFINE_FINAL_TYPE (DtxWindow, dtx_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void load_page (DtxWindow *self, guint page);

static void
set_list_state (DtxWindow  *self,
                const char *state)
{
  gtk_stack_set_visible_child_name (self->list_stack, state);
  gtk_spinner_set_spinning (self->list_spinner, g_str_equal (state, "loading"));
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

/* Status page descriptions are markup; error messages quote servers. */
static void
set_description (AdwStatusPage *page,
                 const char    *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  adw_status_page_set_description (page, escaped);
}

static void
show_toast (DtxWindow  *self,
            const char *message,
            const char *action_name)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1); /* toast titles are markup */
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 8);
  if (action_name != NULL)
    {
      adw_toast_set_button_label (toast, _("_Retry"));
      adw_toast_set_action_name (toast, action_name);
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Shows progress where the user looks: a spinner at the end of the list for
 * the next page, beside the refresh button for a refresh of a shown list. */
static void
update_loading (DtxWindow *self,
                gboolean   loading)
{
  gboolean more = loading && self->loading_page > 1;
  gboolean refreshing = loading && self->loading_page == 1 &&
                        g_list_model_get_n_items (G_LIST_MODEL (self->articles)) > 0;

  self->loading = loading;
  gtk_revealer_set_reveal_child (self->more_revealer, more);
  gtk_spinner_set_spinning (self->more_spinner, more);
  gtk_widget_set_visible (GTK_WIDGET (self->refresh_spinner), refreshing);
  gtk_spinner_set_spinning (self->refresh_spinner, refreshing);
}

/* Fetch the next page when the user nears the end of the list, or when the
 * list does not fill the view yet. */
static void
maybe_load_more (DtxWindow *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scrolled);
  double remaining;

  if (self->loading || self->exhausted || self->next_page < 2)
    return;
  remaining = gtk_adjustment_get_upper (adj) - gtk_adjustment_get_value (adj) - gtk_adjustment_get_page_size (adj);
  if (remaining < gtk_adjustment_get_page_size (adj) / 2)
    load_page (self, self->next_page);
}

static void
on_page_loaded (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DtxWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) articles = NULL;
  guint page;
  guint total;

  articles = dtx_source_fetch_page_finish (DTX_SOURCE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Only one page is ever on its way: a new load cancels the last. */
  page = self->loading_page;

  update_loading (self, FALSE);

  if (articles == NULL)
    {
      gboolean showing = g_list_model_get_n_items (G_LIST_MODEL (self->articles)) > 0;

      if (g_error_matches (error, DTX_ERROR, DTX_ERROR_EMPTY))
        {
          self->exhausted = TRUE;
          if (page == 1)
            {
              g_list_store_remove_all (self->articles);
              set_list_state (self, "empty");
            }
          return;
        }

      g_message ("Loading page %u of %s failed: %s", page, dtx_source_get_url (self->source), error->message);
      if (showing)
        {
          /* Keep what the user is reading; say what failed and offer a retry. */
          self->exhausted = page > 1; /* no automatic retries while scrolling */
          show_toast (self, error->message, page == 1 ? "win.refresh" : "win.load-more");
        }
      else
        {
          adw_status_page_set_title (self->error_page, error_title (error));
          set_description (self->error_page, error->message);
          set_list_state (self, "error");
        }
      return;
    }

  if (page == 1)
    g_list_store_splice (self->articles, 0, g_list_model_get_n_items (G_LIST_MODEL (self->articles)),
                         articles->pdata, articles->len);
  else
    g_list_store_splice (self->articles, g_list_model_get_n_items (G_LIST_MODEL (self->articles)), 0,
                         articles->pdata, articles->len);

  total = dtx_source_get_total_pages (self->source);
  self->next_page = page + 1;
  self->exhausted = total > 0 && page >= total;
  set_list_state (self, "list");
  adw_window_title_set_subtitle (self->list_title, dtx_source_get_title (self->source));
  maybe_load_more (self);
}

static void
load_page (DtxWindow *self,
           guint      page)
{
  if (page == 1)
    {
      /* A refresh replaces whatever page was on its way; paging state
       * changes only when it succeeds. */
      g_cancellable_cancel (self->list_cancellable);
      if (g_list_model_get_n_items (G_LIST_MODEL (self->articles)) == 0)
        set_list_state (self, "loading");
    }
  else if (self->loading)
    return;

  g_clear_object (&self->list_cancellable);
  self->list_cancellable = g_cancellable_new ();
  self->loading_page = page;
  update_loading (self, TRUE);
  dtx_source_fetch_page_async (self->source, page, self->list_cancellable, on_page_loaded, g_object_ref (self));
}

static void
on_adjustment_changed (GtkAdjustment *adjustment,
                       DtxWindow     *self)
{
  maybe_load_more (self);
}

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
show_reader_error (DtxWindow    *self,
                   const GError *error)
{
  adw_status_page_set_title (self->reader_error_page, error_title (error));
  set_description (self->reader_error_page, error->message);
  adw_window_title_set_title (self->reader_title, "");
  adw_window_title_set_subtitle (self->reader_title, "");
  gtk_stack_set_visible_child_name (self->reader_stack, "error");
  dtx_window_share_update (self);
}

static void
show_article (DtxWindow  *self,
              DtxArticle *article)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *reader = ensure_reader (self, &error);

  adw_leaflet_set_visible_child (self->leaflet, self->content);
  gtk_spinner_set_spinning (self->reader_spinner, FALSE);
  if (reader == NULL)
    {
      show_reader_error (self, error);
      return;
    }
  g_object_set (reader, "article", article, NULL);
  adw_window_title_set_title (self->reader_title, dtx_article_get_title (article));
  adw_window_title_set_subtitle (self->reader_title, dtx_article_get_source_name (article));
  gtk_stack_set_visible_child_name (self->reader_stack, "reader");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-in-browser", TRUE);
  dtx_window_share_update (self);
}

static void
on_selected_item (GtkSingleSelection *selection,
                  GParamSpec         *pspec,
                  DtxWindow          *self)
{
  DtxArticle *article = gtk_single_selection_get_selected_item (selection);

  /* A refresh that drops the selection keeps the open article on screen. */
  if (article != NULL)
    {
      g_cancellable_cancel (self->article_cancellable);
      show_article (self, article);
    }
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

  gtk_spinner_set_spinning (self->reader_spinner, FALSE);
  if (article == NULL)
    {
      show_reader_error (self, error);
      return;
    }
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  show_article (self, article);
}

void
dtx_window_open_url (DtxWindow  *self,
                     const char *url)
{
  g_return_if_fail (DTX_IS_WINDOW (self));
  g_return_if_fail (url != NULL);

  g_cancellable_cancel (self->article_cancellable);
  g_clear_object (&self->article_cancellable);
  self->article_cancellable = g_cancellable_new ();

  /* Until it arrives, the reader's article is not the one on screen. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-in-browser", FALSE);
  gtk_stack_set_visible_child_name (self->reader_stack, "loading");
  gtk_spinner_set_spinning (self->reader_spinner, TRUE);
  dtx_window_share_update (self);
  adw_leaflet_set_visible_child (self->leaflet, self->content);
  dtx_source_fetch_article_async (self->source, url, self->article_cancellable,
                                  on_article_fetched, g_object_ref (self));
}

static void
refresh_action (GtkWidget *widget, const char *name, GVariant *param)
{
  load_page (DTX_WINDOW (widget), 1);
}

static void
load_more_action (GtkWidget *widget, const char *name, GVariant *param)
{
  DtxWindow *self = DTX_WINDOW (widget);

  self->exhausted = FALSE;
  load_page (self, MAX (self->next_page, 1));
}

static void
open_in_browser_action (GtkWidget *widget, const char *name, GVariant *param)
{
  DtxWindow *self = DTX_WINDOW (widget);
  g_autoptr(DtxArticle) article = NULL;

  if (self->reader != NULL)
    g_object_get (self->reader, "article", &article, NULL);
  if (article != NULL && dtx_article_get_link (article) != NULL)
    dtx_launch_uri (widget, dtx_article_get_link (article));
}

static void
go_back_action (GtkWidget *widget, const char *name, GVariant *param)
{
  adw_leaflet_navigate (DTX_WINDOW (widget)->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
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

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           DtxWindow                *self)
{
  gtk_list_item_set_child (item, dtx_article_row_new (self->thumbnails));
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          DtxWindow                *self)
{
  dtx_article_row_set_article (DTX_ARTICLE_ROW (gtk_list_item_get_child (item)),
                               gtk_list_item_get_item (item));
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            DtxWindow                *self)
{
  dtx_article_row_set_article (DTX_ARTICLE_ROW (gtk_list_item_get_child (item)), NULL);
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

  g_clear_handle_id (&self->start_id, g_source_remove);
  g_cancellable_cancel (self->list_cancellable);
  g_cancellable_cancel (self->article_cancellable);
  g_clear_object (&self->list_cancellable);
  g_clear_object (&self->article_cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), DTX_TYPE_WINDOW);
  self->reader = NULL;

  g_clear_object (&self->selection);
  g_clear_object (&self->articles);
  g_clear_object (&self->thumbnails);
  g_clear_object (&self->source);
  g_clear_object (&self->context);
  g_clear_object (&self->settings);

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

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, DTX_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  window_class->close_request = dtx_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/id/digitripx/Reader/ui/dtx-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, content);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, list_title);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, refresh_spinner);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, list_spinner);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, scrolled);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, more_revealer);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, more_spinner);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, reader_title);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, reader_stack);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, reader_spinner);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, reader_bin);
  gtk_widget_class_bind_template_child (widget_class, DtxWindow, reader_error_page);

  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.load-more", NULL, load_more_action);
  gtk_widget_class_install_action (widget_class, "win.open-in-browser", NULL, open_in_browser_action);
  gtk_widget_class_install_action (widget_class, "win.go-back", NULL, go_back_action);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL, show_help_overlay_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-reset", NULL, zoom_action);

  /* Bound here rather than on the application, so they work in any
   * window, including in tests that have no GtkApplication. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open-in-browser", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_question, GDK_CONTROL_MASK, "win.show-help-overlay", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.go-back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "win.zoom-reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK, "win.zoom-reset", NULL);

  dtx_window_share_class_init (widget_class);
}

static void
dtx_window_init (DtxWindow *self)
{
  GtkListItemFactory *factory;

  g_type_ensure (DTX_TYPE_ARTICLE_ROW);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  self->articles = g_list_store_new (DTX_TYPE_ARTICLE);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->articles)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect (self->selection, "notify::selected-item", G_CALLBACK (on_selected_item), self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scrolled), "changed",
                           G_CALLBACK (on_adjustment_changed), self, 0);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scrolled), "value-changed",
                           G_CALLBACK (on_adjustment_changed), self, 0);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-in-browser", FALSE);
  dtx_window_share_init (self);
}

static gboolean
start_loading (gpointer data)
{
  DtxWindow *self = data;

  self->start_id = 0;
  if (self->next_page == 0)
    load_page (self, 1);
  return G_SOURCE_REMOVE;
}

DtxWindow *
dtx_window_new (GtkApplication *application,
                DtxContext     *context,
                const char     *source_url)
{
  g_autofree char *cache_dir = NULL;
  DtxFetcher *fetcher;
  DtxWindow *self;

  g_return_val_if_fail (DTX_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (source_url != NULL, NULL);

  self = g_object_new (DTX_TYPE_WINDOW, "application", application, "context", context, NULL);
  fetcher = dtx_context_get_fetcher (context);
  self->source = dtx_source_new (fetcher, source_url);
  cache_dir = g_build_filename (g_get_user_cache_dir (), PACKAGE_NAME, "thumbnails", NULL);
  self->thumbnails = dtx_thumbnail_cache_new (fetcher, cache_dir, THUMBNAIL_SIZE);
  adw_window_title_set_subtitle (self->list_title, dtx_source_get_title (self->source));

  /* After the first frame: the first request loads GIO's proxy modules, which
   * would otherwise hold up the window. */
  self->start_id = g_idle_add_full (G_PRIORITY_LOW, start_loading, self, NULL);
  return self;
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
  g_autoptr(DtxArticle) article = NULL;

  g_return_val_if_fail (DTX_IS_WINDOW (self), NULL);

  if (self->reader == NULL || g_strcmp0 (gtk_stack_get_visible_child_name (self->reader_stack), "reader") != 0)
    return NULL;
  g_object_get (self->reader, "article", &article, NULL);
  /* The reader holds a reference for as long as it shows the article. */
  return article;
}

DtxArticle *
dtx_window_lookup_article (DtxWindow  *self,
                           const char *link)
{
  DtxArticle *shown = dtx_window_get_shown_article (self);
  GListModel *model = G_LIST_MODEL (self->articles);
  guint n = g_list_model_get_n_items (model);

  if (link == NULL || *link == '\0')
    return shown;
  if (shown != NULL && g_strcmp0 (dtx_article_get_link (shown), link) == 0)
    return shown;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DtxArticle) article = g_list_model_get_item (model, i);
      if (g_strcmp0 (dtx_article_get_link (article), link) == 0)
        return article; /* the list keeps it alive */
    }
  return NULL;
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
  return G_LIST_MODEL (self->articles);
}

const char *
dtx_window_get_list_state (DtxWindow *self)
{
  g_return_val_if_fail (DTX_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->list_stack);
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
  return self->loading;
}
