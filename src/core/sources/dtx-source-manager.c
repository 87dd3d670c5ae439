/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-source-manager"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "dtx-error.h"
#include "dtx-source-manager.h"
#include "dtx-source-manager-private.h"
#include "dtx-wordpress-source.h"

/* An icon larger than this is no icon. */
#define MAX_ICON_BYTES (512 * 1024)
/* Categories are asked for again after this long. */
#define CATEGORIES_MAX_AGE_US ((gint64)G_USEC_PER_SEC * 60 * 60 * 24)
/* Fetched pages waiting for the store at most: past this, no new page is
 * asked for until one is saved, so a store slower than the network does not
 * pile up every page of a large refresh in memory. */
#define MAX_PAGES_SAVING 3
/* Unread counts are read once per burst of store changes. */
#define COUNT_DELAY_MS 100
/* Pages of at least this many articles are let go of in a worker thread. */
#define BIG_PAGE 1000

/* ------------------------------------------------------------------------ */
/* Calls and jobs                                                            */

/* One refresh_async call: done when every job it waits for is done. */
typedef struct {
  GTask    *task;
  guint     remaining;
  guint     n_new;
  gulong    cancel_id;
  gboolean  returned;
} Call;

typedef enum {
  JOB_PAGE,       /* page 1 of the source, saved to the store */
  JOB_ICON,       /* the site's icon, into the cache folder */
  JOB_CATEGORIES, /* WordPress categories */
} JobKind;

/* A unit of network work in the queue: it takes one connection slot of its
 * host while its request is in flight. */
typedef struct {
  DtxSourceManager *self;  /* NULL once the manager went away */
  JobKind           kind;
  DtxSource        *source;
  char             *host;
  GCancellable     *cancellable;
  GPtrArray        *calls;  /* Call, JOB_PAGE only */
  gboolean          holds_slot;
  gboolean          saving;
  guint             n_new;
  GPtrArray        *saved;  /* the page as stored */
} Job;

struct _DtxSourceManager
{
  GObject        parent_instance;

  DtxFetcher    *fetcher;
  DtxStore      *store;
  GPtrArray     *sources;      /* DtxSource, in the user's order */
  GHashTable    *categories;   /* url → GPtrArray of DtxCategory */
  GHashTable    *categories_at; /* url → gint64 µs of the last fetch */
  GHashTable    *icon_tried;   /* icon URLs asked for in this run of the app */
  GCancellable  *cancellable;
  gboolean       loaded;

  /* The queue: jobs wait in pending, run while their host and the whole
   * manager have a slot free. */
  GQueue         pending;
  GPtrArray     *running;      /* Job */
  GHashTable    *per_host;     /* host → active count */
  guint          n_active;
  guint          n_saving;     /* pages handed to the store, not saved yet */

  /* The current refresh run: from the first queued page job until the
   * last page job is done. */
  guint          run_total;
  guint          run_done;
  guint          run_new;
  DtxSource     *run_new_source;  /* the one source with new articles */
  gboolean       run_several;
  DtxArticle    *run_newest;

  guint          refresh_interval;
  GNetworkMonitor *monitor;    /* NULL: the default one */
  guint          refresh_timeout_id;
  guint          count_timeout_id;
  gboolean       counting;
  gboolean       count_again;
  guint          total_unread;
};

static void dtx_source_manager_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DtxSourceManager, dtx_source_manager, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, dtx_source_manager_model_init))

enum {
  PROP_0,
  PROP_REFRESHING,
  PROP_PROGRESS,
  PROP_REFRESH_INTERVAL,
  PROP_TOTAL_UNREAD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_NEW_ARTICLES,
  SIGNAL_CATEGORIES_CHANGED,
  SIGNAL_ICON_CHANGED,
  SIGNAL_PAGE_ARRIVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void pump (DtxSourceManager *self);
static void schedule_count (DtxSourceManager *self);

static Call *
call_ref (Call *call)
{
  return g_atomic_rc_box_acquire (call);
}

static void
call_clear (Call *call)
{
  if (call->cancel_id != 0)
    g_cancellable_disconnect (g_task_get_cancellable (call->task), call->cancel_id);
  g_clear_object (&call->task);
}

static void
call_unref (Call *call)
{
  g_atomic_rc_box_release_full (call, (GDestroyNotify)call_clear);
}

static void
call_return (Call *call)
{
  g_autoptr(GError) error = NULL;

  if (call->returned)
    return;
  call->returned = TRUE;
  if (g_cancellable_set_error_if_cancelled (g_task_get_cancellable (call->task), &error))
    g_task_return_error (call->task, g_steal_pointer (&error));
  else
    g_task_return_int (call->task, call->n_new);
}

static gboolean
call_cancelled_idle (gpointer data)
{
  call_return (data);
  return G_SOURCE_REMOVE;
}

/* May run in the thread that cancels: the task returns from the main loop. */
static void
call_cancelled (GCancellable *cancellable,
                Call         *call)
{
  g_main_context_invoke_full (g_task_get_context (call->task), G_PRIORITY_DEFAULT,
                              call_cancelled_idle, call_ref (call), (GDestroyNotify)call_unref);
}

static void
unref_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  g_ptr_array_unref (task_data);
  /* (A task that never returns is reported when it goes.) */
  g_task_return_boolean (task, TRUE);
}

/* Lets go of a page; a big one in a worker thread, where its articles are
 * finalised: 10,000 of them took 10 ms of the UI thread. The ones a list
 * shows keep their references there. */
static void
drop_page (GPtrArray *page)
{
  g_autoptr(GTask) task = NULL;

  if (page->len < BIG_PAGE)
    {
      g_ptr_array_unref (page);
      return;
    }
  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_task_data (task, page, NULL);
  g_task_run_in_thread (task, unref_in_thread);
}

static void
job_free (Job *job)
{
  g_clear_object (&job->source);
  g_free (job->host);
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->calls, g_ptr_array_unref);
  g_clear_pointer (&job->saved, drop_page);
  g_free (job);
}

/* The host:port whose connection slots a request to url takes. */
static char *
host_of (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup ("");
  return g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
}

static Job *
job_new (DtxSourceManager *self,
         JobKind           kind,
         DtxSource        *source)
{
  Job *job = g_new0 (Job, 1);

  job->self = self;
  job->kind = kind;
  job->source = g_object_ref (source);
  job->host = host_of (dtx_source_get_url (source));
  job->cancellable = g_cancellable_new ();
  job->calls = g_ptr_array_new_with_free_func ((GDestroyNotify)call_unref);
  return job;
}

static void
release_slot (DtxSourceManager *self,
              Job              *job)
{
  guint n;

  if (!job->holds_slot)
    return;
  job->holds_slot = FALSE;
  n = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_host, job->host));
  if (n <= 1)
    g_hash_table_remove (self->per_host, job->host);
  else
    g_hash_table_insert (self->per_host, g_strdup (job->host), GUINT_TO_POINTER (n - 1));
  self->n_active--;
}

static gboolean
take_slot (DtxSourceManager *self,
           Job              *job)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_host, job->host));

  if (self->n_active >= DTX_SOURCE_MANAGER_MAX_CONNS || n >= DTX_SOURCE_MANAGER_MAX_CONNS_PER_HOST)
    return FALSE;
  g_hash_table_insert (self->per_host, g_strdup (job->host), GUINT_TO_POINTER (n + 1));
  self->n_active++;
  job->holds_slot = TRUE;
  return TRUE;
}

static Job *
find_job (DtxSourceManager *self,
          JobKind           kind,
          DtxSource        *source)
{
  for (GList *l = self->pending.head; l != NULL; l = l->next)
    {
      Job *job = l->data;

      if (job->kind == kind && job->source == source)
        return job;
    }
  for (guint i = 0; i < self->running->len; i++)
    {
      Job *job = g_ptr_array_index (self->running, i);

      if (job->kind == kind && job->source == source)
        return job;
    }
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* Persisting a source                                                       */

/* The categories as the sources table keeps them: a JSON array of
 * {id, name, slug, count}, so the sidebar lists them before the first
 * refresh of a run (and offline). */
static char *
categories_to_json (GPtrArray *categories)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  if (categories == NULL)
    return NULL;
  json_builder_begin_array (builder);
  for (guint i = 0; i < categories->len; i++)
    {
      DtxCategory *category = g_ptr_array_index (categories, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, category->id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, category->name);
      json_builder_set_member_name (builder, "slug");
      json_builder_add_string_value (builder, category->slug);
      json_builder_set_member_name (builder, "count");
      json_builder_add_int_value (builder, category->count);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* NULL when text is not what categories_to_json() wrote. */
static GPtrArray *
categories_from_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) categories = NULL;
  JsonArray *array;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL) ||
      !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    return NULL;
  array = json_node_get_array (json_parser_get_root (parser));
  categories = g_ptr_array_new_with_free_func ((GDestroyNotify)dtx_category_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *name = object ? json_object_get_string_member_with_default (object, "name", NULL) : NULL;

      if (name == NULL)
        continue;
      g_ptr_array_add (categories,
                       dtx_category_new (json_object_get_int_member_with_default (object, "id", 0), name,
                                         json_object_get_string_member_with_default (object, "slug", NULL),
                                         (guint)CLAMP (json_object_get_int_member_with_default (object, "count", 0),
                                                       0, G_MAXUINT)));
    }
  return g_steal_pointer (&categories);
}

/* When the source last answered; kept on the object, which S's base class
 * has no field for. */
static gint64
get_last_refresh (DtxSource *source)
{
  gint64 *when = g_object_get_data (G_OBJECT (source), "dtx-last-refresh");

  return when != NULL ? *when : 0;
}

static DtxStoreSource *
store_source_from (DtxSourceManager *self,
                   DtxSource        *source)
{
  DtxStoreSource *row = dtx_store_source_new (dtx_source_get_url (source));

  row->kind = dtx_source_get_kind (source);
  /* A WordPress site not probed yet is still one: it is kept as such. */
  if (row->kind == DTX_SOURCE_KIND_UNKNOWN && DTX_IS_WORDPRESS_SOURCE (source))
    row->kind = DTX_SOURCE_KIND_WORDPRESS;
  row->api_root = g_strdup (dtx_source_get_api_root (source));
  row->custom_title = g_strdup (dtx_source_get_custom_title (source));
  row->site_title = g_strdup (dtx_source_get_site_title (source));
  row->icon_url = g_strdup (dtx_source_get_icon_url (source));
  row->etag = g_strdup (dtx_source_get_etag (source));
  row->last_modified = g_strdup (dtx_source_get_last_modified (source));
  row->retry_after = dtx_source_get_retry_after (source);
  row->last_error = g_strdup (dtx_source_get_error (source));
  row->last_refresh = get_last_refresh (source);
  if (self != NULL)
    row->categories = categories_to_json (g_hash_table_lookup (self->categories, dtx_source_get_url (source)));
  return row;
}

static void
set_last_refresh (DtxSource *source,
                  gint64     when)
{
  gint64 *value = g_new (gint64, 1);

  *value = when;
  g_object_set_data_full (G_OBJECT (source), "dtx-last-refresh", value, g_free);
}

static void
source_written (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!dtx_store_update_source_finish (DTX_STORE (object), result, &error))
    g_message ("Could not store a source: %s", error->message);
}

static void
persist (DtxSourceManager *self,
         DtxSource        *source)
{
  g_autoptr(DtxStoreSource) row = store_source_from (self, source);

  dtx_store_update_source_async (self->store, row, NULL, source_written, NULL);
}

/* ------------------------------------------------------------------------ */
/* The refresh run                                                           */

static void
set_refreshing (DtxSourceManager *self,
                gboolean          refreshing)
{
  GObject *object = G_OBJECT (self);

  /* The property itself is computed from the run's counts. */
  g_debug ("Refresh run %s", refreshing ? "starts" : "ends");
  g_object_freeze_notify (object);
  g_object_notify_by_pspec (object, properties[PROP_PROGRESS]);
  g_object_notify_by_pspec (object, properties[PROP_REFRESHING]);
  g_object_thaw_notify (object);
}

gboolean
dtx_source_manager_get_refreshing (DtxSourceManager *self)
{
  g_return_val_if_fail (DTX_IS_SOURCE_MANAGER (self), FALSE);
  return self->run_total > self->run_done;
}

double
dtx_source_manager_get_progress (DtxSourceManager *self)
{
  g_return_val_if_fail (DTX_IS_SOURCE_MANAGER (self), 0.0);
  if (self->run_total == 0)
    return 0.0;
  return (double)self->run_done / self->run_total;
}

static void
end_run_if_done (DtxSourceManager *self)
{
  guint n_new = self->run_new;
  g_autoptr(DtxSource) source = NULL;
  g_autoptr(DtxArticle) newest = NULL;

  if (self->run_done < self->run_total)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
      return;
    }

  source = self->run_several ? NULL : g_steal_pointer (&self->run_new_source);
  newest = g_steal_pointer (&self->run_newest);
  g_clear_object (&self->run_new_source);
  self->run_total = self->run_done = self->run_new = 0;
  self->run_several = FALSE;
  set_refreshing (self, FALSE);

  if (n_new > 0)
    g_signal_emit (self, signals[SIGNAL_NEW_ARTICLES], 0, n_new, source, newest);
}

/* Counts the page into the run, ends the run when it was the last (so
 * ::new-articles comes before the calls return), then returns the calls
 * that waited for nothing else. */
static void
finish_page_job (Job *job)
{
  DtxSourceManager *self = job->self;

  if (self != NULL)
    {
      dtx_source_set_refreshing (job->source, FALSE);
      if (job->n_new > 0)
        {
          self->run_new += job->n_new;
          if (self->run_new_source != NULL && self->run_new_source != job->source)
            self->run_several = TRUE;
          else
            g_set_object (&self->run_new_source, job->source);

          /* The newest article of the pages that brought new ones. */
          for (guint i = 0; job->saved != NULL && i < job->saved->len; i++)
            {
              DtxArticle *article = g_ptr_array_index (job->saved, i);
              GDateTime *date = dtx_article_get_date (article);
              GDateTime *best = self->run_newest ? dtx_article_get_date (self->run_newest) : NULL;

              if (self->run_newest == NULL || (date != NULL && (best == NULL || g_date_time_compare (date, best) > 0)))
                g_set_object (&self->run_newest, article);
            }
        }
      self->run_done++;
      end_run_if_done (self);
    }

  for (guint i = 0; i < job->calls->len; i++)
    {
      Call *call = g_ptr_array_index (job->calls, i);

      call->n_new += job->n_new;
      if (--call->remaining == 0)
        call_return (call);
    }
  g_ptr_array_set_size (job->calls, 0);
}

/* The job is off the running list; free it and let the next one go. */
static void
job_done (Job *job)
{
  DtxSourceManager *self = job->self;
  /* Returning the last call may drop the last reference on us. */
  g_autoptr(DtxSourceManager) hold = self != NULL ? g_object_ref (self) : NULL;

  if (self != NULL)
    {
      release_slot (self, job);
      g_ptr_array_remove (self->running, job);
    }
  if (job->kind == JOB_PAGE)
    finish_page_job (job);
  job_free (job);
  if (self != NULL)
    pump (self);
}

/* What a person reads for a failed refresh: the DTX_ERROR sentence as it
 * is, anything else said generally. */
static const char *
error_sentence (const GError *error)
{
  if (error->domain == DTX_ERROR)
    return error->message;
  return _("The site could not be read. Try again later.");
}

static void maybe_queue_extras (DtxSourceManager *self, DtxSource *source);

static void
page_saved (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(GError) error = NULL;

  if (job->self != NULL && job->saving)
    job->self->n_saving--;
  job->saving = FALSE;
  if (!dtx_store_save_articles_finish (DTX_STORE (object), result, &job->n_new, &error))
    {
      g_message ("Storing %s failed: %s", dtx_source_get_url (job->source), error->message);
      if (job->self != NULL)
        dtx_source_set_error (job->source, error->message);
      job->n_new = 0;
    }
  else if (job->self != NULL && g_ptr_array_find (job->self->sources, job->source, NULL))
    {
      /* (A source removed while its page was saved is left alone.) */
      set_last_refresh (job->source, g_get_real_time ());
      persist (job->self, job->source);
      maybe_queue_extras (job->self, job->source);
    }
  job_done (job);
}

static void
page_fetched (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Job *job = user_data;
  DtxSourceManager *self = job->self;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  gboolean had_error;

  page = dtx_source_refresh_finish (DTX_SOURCE (object), result, &error);
  if (self == NULL || g_cancellable_is_cancelled (job->cancellable))
    {
      job_done (job);
      return;
    }
  /* The connection is free: the next source may go while this one is saved. */
  release_slot (self, job);
  pump (self);

  had_error = dtx_source_get_error (job->source) != NULL;
  if (page == NULL && (g_error_matches (error, DTX_ERROR, DTX_ERROR_NOT_MODIFIED) ||
                       g_error_matches (error, DTX_ERROR, DTX_ERROR_EMPTY)))
    {
      /* Nothing changed, or a site with no articles yet: nothing to write,
       * and no warning (but a cleared error, so the warning does not come
       * back at the next start). */
      set_last_refresh (job->source, g_get_real_time ());
      dtx_source_set_error (job->source, NULL);
      if (had_error)
        persist (self, job->source);
      maybe_queue_extras (self, job->source);
      job_done (job);
      return;
    }
  if (page == NULL)
    {
      g_message ("Refreshing %s failed: %s", dtx_source_get_url (job->source), error->message);
      dtx_source_set_refresh_error (job->source, error_sentence (error), error);
      /* Keeps the reason and any Retry-After for the next start. */
      persist (self, job->source);
      job_done (job);
      return;
    }

  dtx_source_set_error (job->source, NULL);
  job->saved = g_ptr_array_ref (page);
  job->saving = TRUE;
  self->n_saving++;
  dtx_store_save_articles_async (self->store, dtx_source_get_url (job->source), page,
                                 NULL, page_saved, job);
  /* Lists show it now; the store's reload keeps these objects. */
  g_signal_emit (self, signals[SIGNAL_PAGE_ARRIVED], 0, job->source, page);
}

/* ------------------------------------------------------------------------ */
/* Icons and categories                                                      */

static char *
icon_cache_path (const char *icon_url)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, icon_url, -1);

  return g_build_filename (g_get_user_cache_dir (), PACKAGE_NAME, "icons", hash, NULL);
}

/* The icon URL a source uses: its own, else the site's /favicon.ico. */
static char *
icon_url_of (DtxSource *source)
{
  const char *icon = dtx_source_get_icon_url (source);
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) favicon = NULL;

  if (icon != NULL && *icon)
    return g_strdup (icon);
  uri = g_uri_parse (dtx_source_get_url (source), G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;
  favicon = g_uri_build (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                         g_uri_get_port (uri), "/favicon.ico", NULL, NULL);
  return g_uri_to_string (favicon);
}

GFile *
dtx_source_manager_get_icon_file (DtxSourceManager *self,
                                  DtxSource        *source)
{
  g_autofree char *url = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (DTX_IS_SOURCE_MANAGER (self), NULL);
  g_return_val_if_fail (DTX_IS_SOURCE (source), NULL);

  url = icon_url_of (source);
  if (url == NULL)
    return NULL;
  path = icon_cache_path (url);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return NULL;
  return g_file_new_for_path (path);
}

static void
icon_written (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_message ("Caching an icon failed: %s", error->message);
  else if (job->self != NULL)
    g_signal_emit (job->self, signals[SIGNAL_ICON_CHANGED], 0, job->source);
  job_done (job);
}

static gboolean
looks_like_image (DtxResponse *response)
{
  g_autofree char *type = dtx_response_dup_content_type (response);
  gsize size = response->body != NULL ? g_bytes_get_size (response->body) : 0;

  if (size == 0 || size > MAX_ICON_BYTES)
    return FALSE;
  /* Servers send icons as an image type or as octet-stream: a page is no icon. */
  return type == NULL || g_str_has_prefix (type, "image/") ||
         g_str_equal (type, "application/octet-stream");
}

static void
icon_fetched (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(DtxResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) dir = NULL;
  g_autofree char *url = NULL;
  g_autofree char *path = NULL;

  response = dtx_fetcher_get_finish (DTX_FETCHER (object), result, &error);
  if (job->self == NULL || response == NULL || response->status < 200 ||
      response->status >= 300 || !looks_like_image (response))
    {
      if (response == NULL && error != NULL)
        g_debug ("No icon for %s: %s", dtx_source_get_url (job->source), error->message);
      job_done (job);
      return;
    }
  release_slot (job->self, job);

  url = icon_url_of (job->source);
  path = icon_cache_path (url);
  file = g_file_new_for_path (path);
  dir = g_file_get_parent (file);
  if (!g_file_make_directory_with_parents (dir, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_message ("No icon cache folder: %s", error->message);
      job_done (job);
      return;
    }
  g_file_replace_contents_bytes_async (file, response->body, NULL, FALSE, G_FILE_CREATE_NONE,
                                       job->cancellable, icon_written, job);
}

static void
categories_fetched (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GError) error = NULL;

  categories = dtx_source_fetch_categories_finish (DTX_SOURCE (object), result, &error);
  if (job->self != NULL && categories != NULL)
    {
      g_hash_table_insert (job->self->categories, g_strdup (dtx_source_get_url (job->source)),
                           g_ptr_array_ref (categories));
      if (g_ptr_array_find (job->self->sources, job->source, NULL))
        persist (job->self, job->source);
      g_signal_emit (job->self, signals[SIGNAL_CATEGORIES_CHANGED], 0, job->source);
    }
  else if (categories == NULL)
    g_message ("No categories for %s: %s", dtx_source_get_url (job->source), error->message);
  job_done (job);
}

/* After a page: the icon once, and a WordPress site's categories once a day. */
static void
maybe_queue_extras (DtxSourceManager *self,
                    DtxSource        *source)
{
  g_autofree char *icon_url = icon_url_of (source);
  const char *url = dtx_source_get_url (source);
  gint64 *fetched_at;

  if (icon_url != NULL && !g_hash_table_contains (self->icon_tried, icon_url))
    {
      g_autofree char *path = icon_cache_path (icon_url);

      g_hash_table_add (self->icon_tried, g_strdup (icon_url));
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) && find_job (self, JOB_ICON, source) == NULL)
        g_queue_push_tail (&self->pending, job_new (self, JOB_ICON, source));
    }

  fetched_at = g_hash_table_lookup (self->categories_at, url);
  if (dtx_source_get_kind (source) == DTX_SOURCE_KIND_WORDPRESS &&
      (fetched_at == NULL || g_get_real_time () - *fetched_at > CATEGORIES_MAX_AGE_US) &&
      find_job (self, JOB_CATEGORIES, source) == NULL)
    {
      gint64 *now = g_new (gint64, 1);

      *now = g_get_real_time ();
      g_hash_table_insert (self->categories_at, g_strdup (url), now);
      g_queue_push_tail (&self->pending, job_new (self, JOB_CATEGORIES, source));
    }
  pump (self);
}

GPtrArray *
dtx_source_manager_get_categories (DtxSourceManager *self,
                                   DtxSource        *source)
{
  static GPtrArray *empty;
  GPtrArray *categories;

  g_return_val_if_fail (DTX_IS_SOURCE_MANAGER (self), NULL);
  g_return_val_if_fail (DTX_IS_SOURCE (source), NULL);

  categories = g_hash_table_lookup (self->categories, dtx_source_get_url (source));
  if (categories != NULL)
    return categories;
  if (g_once_init_enter (&empty))
    g_once_init_leave (&empty, g_ptr_array_new_with_free_func ((GDestroyNotify)dtx_category_free));
  return empty;
}

/* ------------------------------------------------------------------------ */
/* The queue                                                                 */

static void
start_job (DtxSourceManager *self,
           Job              *job)
{
  g_ptr_array_add (self->running, job);
  switch (job->kind)
    {
    case JOB_PAGE:
      dtx_source_set_refreshing (job->source, TRUE);
      dtx_source_refresh_async (job->source, job->cancellable, page_fetched, job);
      break;
    case JOB_ICON:
      {
        g_autofree char *url = icon_url_of (job->source);

        dtx_fetcher_get_async (self->fetcher, url, job->cancellable, icon_fetched, job);
      }
      break;
    case JOB_CATEGORIES:
      dtx_source_fetch_categories_async (job->source, job->cancellable, categories_fetched, job);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Starts what the limits allow, in queue order; a job whose host is busy
 * waits without holding up those behind it. */
static void
pump (DtxSourceManager *self)
{
  GList *l = self->pending.head;

  while (l != NULL && self->n_active < DTX_SOURCE_MANAGER_MAX_CONNS)
    {
      GList *next = l->next;
      Job *job = l->data;

      if (job->kind == JOB_PAGE && self->n_saving >= MAX_PAGES_SAVING)
        {
          l = next;
          continue;
        }
      if (take_slot (self, job))
        {
          g_queue_delete_link (&self->pending, l);
          start_job (self, job);
        }
      l = next;
    }
}

/* Queues page 1 of source for call (NULL: nobody waits). FALSE when nothing
 * was queued: the source must wait for its Retry-After. */
static gboolean
queue_page (DtxSourceManager *self,
            DtxSource        *source,
            Call             *call)
{
  Job *job = find_job (self, JOB_PAGE, source);

  if (job == NULL)
    {
      gint64 retry_after = dtx_source_get_retry_after (source);

      if (retry_after > g_get_real_time ())
        {
          g_debug ("%s asked to wait; not asked again before %" G_GINT64_FORMAT,
                   dtx_source_get_url (source), retry_after);
          return FALSE;
        }
      job = job_new (self, JOB_PAGE, source);
      g_queue_push_tail (&self->pending, job);
      if (self->run_total++ == 0)
        set_refreshing (self, TRUE);
    }
  if (call != NULL)
    {
      call->remaining++;
      g_ptr_array_add (job->calls, call_ref (call));
    }
  return TRUE;
}

void
dtx_source_manager_refresh_async (DtxSourceManager    *self,
                                  DtxSource           *source,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Call *call;

  g_return_if_fail (DTX_IS_SOURCE_MANAGER (self));
  g_return_if_fail (source == NULL || DTX_IS_SOURCE (source));

  call = g_atomic_rc_box_new0 (Call);
  call->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (call->task, dtx_source_manager_refresh_async);
  if (cancellable != NULL)
    call->cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (call_cancelled), call, NULL);

  if (source != NULL)
    queue_page (self, source, call);
  else
    for (guint i = 0; i < self->sources->len; i++)
      queue_page (self, g_ptr_array_index (self->sources, i), call);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
  if (call->remaining == 0)
    call_return (call);
  else
    pump (self);
  call_unref (call);
}

gboolean
dtx_source_manager_refresh_finish (DtxSourceManager  *self,
                                   GAsyncResult      *result,
                                   guint             *n_new,
                                   GError           **error)
{
  gssize value;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  value = g_task_propagate_int (G_TASK (result), error);
  if (n_new != NULL)
    *n_new = value > 0 ? (guint)value : 0;
  return value >= 0;
}

/* ------------------------------------------------------------------------ */
/* Unread counts                                                             */

static void
counted (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(DtxSourceManager) self = user_data;
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(GError) error = NULL;
  guint total = 0;

  self->counting = FALSE;
  counts = dtx_store_count_unread_finish (DTX_STORE (object), result, &error);
  if (counts == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED) &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Counting unread articles failed: %s", error->message);
      return;
    }
  for (guint i = 0; i < self->sources->len; i++)
    {
      DtxSource *source = g_ptr_array_index (self->sources, i);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, dtx_source_get_url (source)));

      dtx_source_set_unread_count (source, n);
      total += n;
    }
  if (total != self->total_unread)
    {
      self->total_unread = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL_UNREAD]);
    }
  if (self->count_again)
    schedule_count (self);
}

static gboolean
count_now (gpointer data)
{
  DtxSourceManager *self = data;

  self->count_timeout_id = 0;
  self->count_again = FALSE;
  self->counting = TRUE;
  dtx_store_count_unread_async (self->store, self->cancellable, counted, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
schedule_count (DtxSourceManager *self)
{
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (self->counting)
    {
      self->count_again = TRUE;
      return;
    }
  if (self->count_timeout_id == 0)
    self->count_timeout_id = g_timeout_add (COUNT_DELAY_MS, count_now, self);
}

static void
on_articles_changed (DtxStore         *store,
                     const char       *source_url,
                     DtxSourceManager *self)
{
  schedule_count (self);
}

static void
on_article_changed (DtxStore         *store,
                    gint64            id,
                    gboolean          bookmarked,
                    gboolean          read,
                    DtxSourceManager *self)
{
  schedule_count (self);
}

guint
dtx_source_manager_get_total_unread (DtxSourceManager *self)
{
  g_return_val_if_fail (DTX_IS_SOURCE_MANAGER (self), 0);
  return self->total_unread;
}

/* ------------------------------------------------------------------------ */
/* Loading                                                                   */

static DtxSource *
source_from_row (DtxSourceManager     *self,
                 const DtxStoreSource *row)
{
  DtxSource *source = dtx_source_new_for_kind (self->fetcher, row->url, row->kind, row->api_root);

  dtx_source_set_custom_title (source, row->custom_title);
  dtx_source_set_site_title (source, row->site_title);
  if (row->icon_url != NULL)
    dtx_source_set_icon_url (source, row->icon_url);
  dtx_source_set_validators (source, row->etag, row->last_modified);
  dtx_source_set_retry_after (source, row->retry_after);
  dtx_source_set_error (source, row->last_error);
  set_last_refresh (source, row->last_refresh);
  {
    GPtrArray *categories = categories_from_json (row->categories);

    if (categories != NULL)
      g_hash_table_insert (self->categories, g_strdup (dtx_source_get_url (source)), categories);
  }
  return source;
}

static void
default_added (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DtxSourceManager *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  /* A store that cannot be written (opened read-only, or broken: the app
   * says so on its own) still reads the default site, for this run. */
  if (!dtx_store_add_source_finish (DTX_STORE (object), result, &error))
    g_message ("The default source was not stored: %s", error->message);
  self->loaded = TRUE;
  schedule_count (self);
  g_task_return_boolean (task, TRUE);
}

static void
sources_listed (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DtxSourceManager *self = g_task_get_source_object (task);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  guint old_len = self->sources->len;

  rows = dtx_store_list_sources_finish (DTX_STORE (object), result, &error);
  if (rows == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (rows == NULL)
    {
      /* The store's own error reaches the user through its open; the
       * reader still reads the default site meanwhile. */
      g_message ("The sources could not be read: %s", error->message);
      rows = g_ptr_array_new ();
    }

  g_ptr_array_set_size (self->sources, 0);
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (self->sources, source_from_row (self, g_ptr_array_index (rows, i)));

  if (rows->len == 0)
    {
      /* The first start: DigiTripX.id, already set up. */
      DtxSource *source = dtx_source_new_for_kind (self->fetcher, DTX_SOURCE_DEFAULT_URL,
                                                   DTX_SOURCE_KIND_WORDPRESS, NULL);
      g_autoptr(DtxStoreSource) row = NULL;

      /* Its name before the site tells it, so an offline first start
       * shows more than a host name. */
      dtx_source_set_site_title (source, "DigiTripX.id");
      row = store_source_from (self, source);
      GCancellable *cancellable = g_task_get_cancellable (task);

      g_ptr_array_add (self->sources, source);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->sources->len);
      dtx_store_add_source_async (self->store, row, cancellable, default_added, g_steal_pointer (&task));
      return;
    }

  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->sources->len);
  self->loaded = TRUE;
  schedule_count (self);
  g_task_return_boolean (task, TRUE);
}

void
dtx_source_manager_load_async (DtxSourceManager    *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (DTX_IS_SOURCE_MANAGER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dtx_source_manager_load_async);
  if (self->loaded)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  dtx_store_list_sources_async (self->store, cancellable, sources_listed, task);
}

gboolean
dtx_source_manager_load_finish (DtxSourceManager  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

DtxSource *
dtx_source_manager_lookup (DtxSourceManager *self,
                           const char       *url)
{
  g_return_val_if_fail (DTX_IS_SOURCE_MANAGER (self), NULL);

  if (url == NULL)
    return NULL;
  for (guint i = 0; i < self->sources->len; i++)
    {
      DtxSource *source = g_ptr_array_index (self->sources, i);

      if (g_strcmp0 (dtx_source_get_url (source), url) == 0)
        return source;
    }
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* Add, remove, rename, move                                                 */

static void
exists_error (GTask     *task,
              DtxSource *source)
{
  g_task_return_new_error (task, DTX_ERROR, DTX_ERROR_EXISTS,
                           _("You already follow “%s”."), dtx_source_get_title (source));
}

/* Stops the source's queued and running work. */
static void
drop_jobs (DtxSourceManager *self,
           DtxSource        *source)
{
  for (GList *l = self->pending.head; l != NULL;)
    {
      GList *next = l->next;
      Job *job = l->data;

      if (job->source == source)
        {
          g_queue_delete_link (&self->pending, l);
          job->self = self;
          if (job->kind == JOB_PAGE)
            finish_page_job (job);
          job_free (job);
        }
      l = next;
    }
  for (guint i = 0; i < self->running->len; i++)
    {
      Job *job = g_ptr_array_index (self->running, i);

      if (job->source == source)
        g_cancellable_cancel (job->cancellable);
    }
}

/* Takes source out of the list, with its work and its categories. */
static void
unfollow (DtxSourceManager *self,
          DtxSource        *source)
{
  guint index;

  if (!g_ptr_array_find (self->sources, source, &index))
    return;
  drop_jobs (self, source);
  g_hash_table_remove (self->categories, dtx_source_get_url (source));
  g_hash_table_remove (self->categories_at, dtx_source_get_url (source));
  g_ptr_array_remove_index (self->sources, index);
  g_list_model_items_changed (G_LIST_MODEL (self), index, 1, 0);
}

static void
source_added (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DtxSourceManager *self = g_task_get_source_object (task);
  DtxSource *source = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!dtx_store_add_source_finish (DTX_STORE (object), result, &error))
    {
      /* Not stored, so not followed either. */
      unfollow (self, source);
      if (g_error_matches (error, DTX_STORE_ERROR, DTX_STORE_ERROR_EXISTS))
        exists_error (task, source);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  schedule_count (self);
  g_task_return_boolean (task, TRUE);
}

void
dtx_source_manager_add_async (DtxSourceManager    *self,
                              DtxSource           *source,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(DtxStoreSource) row = NULL;
  guint index;

  g_return_if_fail (DTX_IS_SOURCE_MANAGER (self));
  g_return_if_fail (DTX_IS_SOURCE (source));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dtx_source_manager_add_async);
  g_task_set_task_data (task, g_object_ref (source), g_object_unref);

  if (dtx_source_manager_lookup (self, dtx_source_get_url (source)) != NULL)
    {
      exists_error (task, source);
      return;
    }
  /* Followed at once, so that its first page is asked for now, while the
   * store writes it down (and let go if the store refuses it). The store
   * saves the page after the source: it does one job at a time, in order. */
  index = self->sources->len;
  g_ptr_array_add (self->sources, g_object_ref (source));
  g_list_model_items_changed (G_LIST_MODEL (self), index, 0, 1);
  row = store_source_from (self, source);
  dtx_store_add_source_async (self->store, row, cancellable, source_added, g_steal_pointer (&task));
  dtx_source_manager_refresh_async (self, source, NULL, NULL, NULL);
}

gboolean
dtx_source_manager_add_finish (DtxSourceManager  *self,
                               GAsyncResult      *result,
                               GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
source_removed (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!dtx_store_remove_source_finish (DTX_STORE (object), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
dtx_source_manager_remove_async (DtxSourceManager    *self,
                                 DtxSource           *source,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(DtxSource) removed = NULL;
  GTask *task;

  g_return_if_fail (DTX_IS_SOURCE_MANAGER (self));
  g_return_if_fail (DTX_IS_SOURCE (source));

  /* The caller may hold no reference of its own (lookup()). */
  removed = g_object_ref (source);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dtx_source_manager_remove_async);
  unfollow (self, source);
  dtx_store_remove_source_async (self->store, dtx_source_get_url (source), cancellable,
                                 source_removed, task);
}

gboolean
dtx_source_manager_remove_finish (DtxSourceManager  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
dtx_source_manager_rename (DtxSourceManager *self,
                           DtxSource        *source,
                           const char       *title)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (DTX_IS_SOURCE_MANAGER (self));
  g_return_if_fail (DTX_IS_SOURCE (source));

  stripped = title != NULL ? g_strstrip (g_strdup (title)) : NULL;
  dtx_source_set_custom_title (source, stripped != NULL && *stripped ? stripped : NULL);
  persist (self, source);
}

static void
reordered (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!dtx_store_reorder_sources_finish (DTX_STORE (object), result, &error))
    g_message ("Could not store the order of the sources: %s", error->message);
}

void
dtx_source_manager_move (DtxSourceManager *self,
                         DtxSource        *source,
                         guint             position)
{
  g_autoptr(GPtrArray) urls = NULL;
  guint index;

  g_return_if_fail (DTX_IS_SOURCE_MANAGER (self));
  g_return_if_fail (DTX_IS_SOURCE (source));

  if (!g_ptr_array_find (self->sources, source, &index))
    return;
  position = MIN (position, self->sources->len - 1);
  if (position == index)
    return;

  g_object_ref (source);
  g_ptr_array_remove_index (self->sources, index);
  g_ptr_array_insert (self->sources, position, source);
  g_list_model_items_changed (G_LIST_MODEL (self), MIN (index, position),
                              ABS ((int)index - (int)position) + 1,
                              ABS ((int)index - (int)position) + 1);

  urls = g_ptr_array_new ();
  for (guint i = 0; i < self->sources->len; i++)
    g_ptr_array_add (urls, (gpointer)dtx_source_get_url (g_ptr_array_index (self->sources, i)));
  g_ptr_array_add (urls, NULL);
  dtx_store_reorder_sources_async (self->store, (const char * const *)urls->pdata, NULL, reordered, NULL);
}

/* ------------------------------------------------------------------------ */
/* Periodic refresh                                                          */

static gboolean
periodic_refresh (gpointer data)
{
  DtxSourceManager *self = data;
  GNetworkMonitor *monitor = self->monitor ? self->monitor : g_network_monitor_get_default ();

  /* Someone else pays for a metered connection's bytes: wait for a free one. */
  if (g_network_monitor_get_network_metered (monitor))
    g_debug ("The network is metered: no periodic refresh");
  else if (!dtx_source_manager_get_refreshing (self))
    dtx_source_manager_refresh_async (self, NULL, NULL, NULL, NULL);
  return G_SOURCE_CONTINUE;
}

static void
start_periodic (DtxSourceManager *self,
                guint             seconds)
{
  g_clear_handle_id (&self->refresh_timeout_id, g_source_remove);
  if (seconds > 0)
    self->refresh_timeout_id = g_timeout_add_seconds (seconds, periodic_refresh, self);
}

void
dtx_source_manager_set_refresh_interval (DtxSourceManager *self,
                                         guint             minutes)
{
  g_return_if_fail (DTX_IS_SOURCE_MANAGER (self));

  if (self->refresh_interval == minutes)
    return;
  self->refresh_interval = minutes;
  start_periodic (self, minutes * 60);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESH_INTERVAL]);
}

void
dtx_source_manager_set_refresh_seconds_for_testing (DtxSourceManager *self,
                                                    guint             seconds)
{
  g_return_if_fail (DTX_IS_SOURCE_MANAGER (self));
  start_periodic (self, seconds);
}

void
dtx_source_manager_set_network_monitor_for_testing (DtxSourceManager *self,
                                                    GNetworkMonitor  *monitor)
{
  g_return_if_fail (DTX_IS_SOURCE_MANAGER (self));
  g_set_object (&self->monitor, monitor);
}

guint
dtx_source_manager_get_refresh_interval (DtxSourceManager *self)
{
  g_return_val_if_fail (DTX_IS_SOURCE_MANAGER (self), 0);
  return self->refresh_interval;
}

/* ------------------------------------------------------------------------ */
/* GListModel                                                                */

static GType
dtx_source_manager_get_item_type (GListModel *model)
{
  return DTX_TYPE_SOURCE;
}

static guint
dtx_source_manager_get_n_items (GListModel *model)
{
  return DTX_SOURCE_MANAGER (model)->sources->len;
}

static gpointer
dtx_source_manager_get_item (GListModel *model,
                             guint       position)
{
  DtxSourceManager *self = DTX_SOURCE_MANAGER (model);

  if (position >= self->sources->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->sources, position));
}

static void
dtx_source_manager_model_init (GListModelInterface *iface)
{
  iface->get_item_type = dtx_source_manager_get_item_type;
  iface->get_n_items = dtx_source_manager_get_n_items;
  iface->get_item = dtx_source_manager_get_item;
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                   */

static void
dtx_source_manager_dispose (GObject *object)
{
  DtxSourceManager *self = (DtxSourceManager *)object;
  Job *job;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_timeout_id, g_source_remove);
  g_clear_handle_id (&self->count_timeout_id, g_source_remove);

  /* Running jobs finish in their callbacks, detached from us. */
  for (guint i = 0; self->running != NULL && i < self->running->len; i++)
    {
      job = g_ptr_array_index (self->running, i);
      job->self = NULL;
      g_cancellable_cancel (job->cancellable);
    }
  g_clear_pointer (&self->running, g_ptr_array_unref);
  while ((job = g_queue_pop_head (&self->pending)) != NULL)
    {
      job->self = NULL;
      finish_page_job (job);
      job_free (job);
    }

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  g_clear_object (&self->fetcher);
  g_clear_object (&self->run_new_source);
  g_clear_object (&self->run_newest);
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (dtx_source_manager_parent_class)->dispose (object);
}

static void
dtx_source_manager_finalize (GObject *object)
{
  DtxSourceManager *self = (DtxSourceManager *)object;

  g_clear_pointer (&self->sources, g_ptr_array_unref);
  g_clear_pointer (&self->categories, g_hash_table_unref);
  g_clear_pointer (&self->categories_at, g_hash_table_unref);
  g_clear_pointer (&self->icon_tried, g_hash_table_unref);
  g_clear_pointer (&self->per_host, g_hash_table_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (dtx_source_manager_parent_class)->finalize (object);
}

static void
dtx_source_manager_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  DtxSourceManager *self = DTX_SOURCE_MANAGER (object);

  switch (prop_id)
    {
    case PROP_REFRESHING: g_value_set_boolean (value, dtx_source_manager_get_refreshing (self)); break;
    case PROP_PROGRESS: g_value_set_double (value, dtx_source_manager_get_progress (self)); break;
    case PROP_REFRESH_INTERVAL: g_value_set_uint (value, self->refresh_interval); break;
    case PROP_TOTAL_UNREAD: g_value_set_uint (value, self->total_unread); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dtx_source_manager_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  DtxSourceManager *self = DTX_SOURCE_MANAGER (object);

  switch (prop_id)
    {
    case PROP_REFRESH_INTERVAL: dtx_source_manager_set_refresh_interval (self, g_value_get_uint (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dtx_source_manager_class_init (DtxSourceManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dtx_source_manager_dispose;
  object_class->finalize = dtx_source_manager_finalize;
  object_class->get_property = dtx_source_manager_get_property;
  object_class->set_property = dtx_source_manager_set_property;

  properties[PROP_REFRESHING] =
    g_param_spec_boolean ("refreshing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REFRESH_INTERVAL] =
    g_param_spec_uint ("refresh-interval", NULL, NULL, 0, 24 * 60, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOTAL_UNREAD] =
    g_param_spec_uint ("total-unread", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_NEW_ARTICLES] =
    g_signal_new ("new-articles", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_UINT, DTX_TYPE_SOURCE, DTX_TYPE_ARTICLE);
  signals[SIGNAL_CATEGORIES_CHANGED] =
    g_signal_new ("categories-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, DTX_TYPE_SOURCE);
  signals[SIGNAL_ICON_CHANGED] =
    g_signal_new ("icon-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, DTX_TYPE_SOURCE);
  signals[SIGNAL_PAGE_ARRIVED] =
    g_signal_new ("page-arrived", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, DTX_TYPE_SOURCE, G_TYPE_PTR_ARRAY);
}

static void
dtx_source_manager_init (DtxSourceManager *self)
{
  self->sources = g_ptr_array_new_with_free_func (g_object_unref);
  self->categories = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify)g_ptr_array_unref);
  self->categories_at = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->icon_tried = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->per_host = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->running = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  g_queue_init (&self->pending);
}

DtxSourceManager *
dtx_source_manager_new (DtxFetcher *fetcher,
                        DtxStore   *store)
{
  DtxSourceManager *self;

  g_return_val_if_fail (DTX_IS_FETCHER (fetcher), NULL);
  g_return_val_if_fail (DTX_IS_STORE (store), NULL);

  self = g_object_new (DTX_TYPE_SOURCE_MANAGER, NULL);
  self->fetcher = g_object_ref (fetcher);
  self->store = g_object_ref (store);
  g_signal_connect (store, "articles-changed", G_CALLBACK (on_articles_changed), self);
  g_signal_connect (store, "article-changed", G_CALLBACK (on_article_changed), self);
  return self;
}
