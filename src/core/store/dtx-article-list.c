/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-article-list"
#include "config.h"

#include "dtx-article-list-private.h"
#include "dtx-error.h"

/* Rows read from the store at a time. */
#define PAGE_SIZE 50
/* Site pages fetched in one go when they bring nothing new. */
#define MAX_SITE_PAGES_PER_LOAD 3
/* A list that grows at its end announces a screenful at once and the rest a
 * screenful every REST_DELAY_MS: a list view builds and measures a row for
 * every item it is told of within 200 of those in sight (50 rows cost
 * 13-60 ms of a frame here). Ten rows fill the default 720-pixel window
 * (seven with thumbnails). */
#define FIRST_SCREEN_ROWS 10
#define REST_DELAY_MS 32

struct _DtxArticleList
{
  GObject            parent_instance;

  DtxStore          *store;
  DtxSource         *source;
  DtxStoreListFlags  flags;
  char              *search;
  char              *category;

  GPtrArray         *items;     /* DtxArticle */
  GHashTable        *by_id;     /* store id → DtxArticle in items */
  guint              n_shown;   /* items announced to the views, while rest_id holds the others back */
  guint              rest_id;
  guint              rest_delay_ms;

  GCancellable      *cancellable; /* the read of the store under way */
  guint              generation;  /* of that read: older answers are dropped */
  gboolean           replacing;   /* that read is a whole reload */
  GCancellable      *site_cancellable;
  guint              next_site_page;
  guint              site_pages_this_load;
  gboolean           reading;
  gboolean           fetching;
  gboolean           store_exhausted;
  gboolean           site_exhausted;
  gboolean           previews;    /* items hold arrived articles the store is still saving */
};

static void dtx_article_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DtxArticleList, dtx_article_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, dtx_article_list_model_init))

enum {
  PROP_0,
  PROP_LOADING,
  PROP_EXHAUSTED,
  N_PROPS
};

enum {
  SIGNAL_ERROR,
  SIGNAL_LOADED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void fetch_site_page (DtxArticleList *self);

static GType
list_get_item_type (GListModel *model)
{
  return DTX_TYPE_ARTICLE;
}

static guint
n_announced (DtxArticleList *self)
{
  return self->rest_id != 0 ? self->n_shown : self->items->len;
}

static guint
list_get_n_items (GListModel *model)
{
  return n_announced (DTX_ARTICLE_LIST (model));
}

static gpointer
list_get_item (GListModel *model,
               guint       position)
{
  DtxArticleList *self = DTX_ARTICLE_LIST (model);

  if (position >= n_announced (self))
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
dtx_article_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = list_get_item_type;
  iface->get_n_items = list_get_n_items;
  iface->get_item = list_get_item;
}

/* Announces the items held back, before anything else changes the list. */
static void
show_rest (DtxArticleList *self)
{
  guint n_shown = self->n_shown;

  if (self->rest_id == 0)
    return;
  g_clear_handle_id (&self->rest_id, g_source_remove);
  if (self->items->len > n_shown)
    g_list_model_items_changed (G_LIST_MODEL (self), n_shown, 0, self->items->len - n_shown);
}

/* The next screenful of the held-back rows. */
static void
show_screenful (DtxArticleList *self)
{
  guint position = self->n_shown;
  guint n = MIN (self->items->len - position, FIRST_SCREEN_ROWS);

  self->n_shown += n;
  if (self->n_shown >= self->items->len)
    g_clear_handle_id (&self->rest_id, g_source_remove);
  if (n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), position, 0, n);
}

/* The held-back rows come a screenful at a time, each in a frame of its
 * own: forty at once took a 17-25 ms frame. */
static gboolean
show_rest_cb (gpointer data)
{
  DtxArticleList *self = data;

  show_screenful (self);
  return self->rest_id != 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* The items from position on are new at the end of the list: a screenful
 * is announced now, the rest after it. A list view makes a row for each
 * item within 200 of those in sight, so a page announced at once costs a
 * long frame even when none of it shows. */
static void
announce_from (DtxArticleList *self,
               guint           position)
{
  guint n = self->items->len - position;

  g_assert (self->rest_id == 0);
  if (n <= FIRST_SCREEN_ROWS)
    {
      if (n > 0)
        g_list_model_items_changed (G_LIST_MODEL (self), position, 0, n);
      return;
    }
  self->n_shown = position + FIRST_SCREEN_ROWS;
  self->rest_id = g_timeout_add_full (G_PRIORITY_LOW, self->rest_delay_ms, show_rest_cb, self, NULL);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, FIRST_SCREEN_ROWS);
}

static gboolean
is_searching (DtxArticleList *self)
{
  return self->search != NULL && *self->search != '\0';
}

/* A search or a category shows stored rows only: the site's pages are
 * not filtered by it. */
static gboolean
is_store_only (DtxArticleList *self)
{
  return is_searching (self) || self->category != NULL;
}

static void
notify_state (DtxArticleList *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXHAUSTED]);
}

gboolean
dtx_article_list_get_loading (DtxArticleList *self)
{
  g_return_val_if_fail (DTX_IS_ARTICLE_LIST (self), FALSE);
  return self->reading || self->fetching;
}

gboolean
dtx_article_list_get_exhausted (DtxArticleList *self)
{
  g_return_val_if_fail (DTX_IS_ARTICLE_LIST (self), FALSE);
  return self->store_exhausted &&
         (self->source == NULL || is_store_only (self) || self->site_exhausted);
}

/* Copies what the store says of an article onto the object already shown,
 * so rows and the selection stay on the same object. */
static void
update_article (DtxArticle *shown,
                DtxArticle *stored)
{
  dtx_article_set_link (shown, dtx_article_get_link (stored));
  dtx_article_set_title (shown, dtx_article_get_title (stored));
  dtx_article_set_excerpt (shown, dtx_article_get_excerpt (stored));
  dtx_article_set_author (shown, dtx_article_get_author (stored));
  dtx_article_set_date (shown, dtx_article_get_date (stored));
  dtx_article_set_image_url (shown, dtx_article_get_image_url (stored));
  dtx_article_set_source_name (shown, dtx_article_get_source_name (stored));
  dtx_article_set_bookmarked (shown, dtx_article_get_bookmarked (stored));
  dtx_article_set_saved (shown, dtx_article_get_saved (stored));
  dtx_article_set_read (shown, dtx_article_get_read (stored));
  if (g_strcmp0 ((const char *)dtx_article_get_categories (shown), (const char *)dtx_article_get_categories (stored)) != 0)
    dtx_article_set_categories (shown, dtx_article_get_categories (stored));
}

/* Arrived articles got their store ids when the store saved them: key them
 * by it, so the reload that follows keeps their objects. */
static void
key_previews (DtxArticleList *self)
{
  if (!self->previews)
    return;
  self->previews = FALSE;
  for (guint i = 0; i < self->items->len; i++)
    {
      DtxArticle *article = g_ptr_array_index (self->items, i);
      gint64 id = dtx_article_get_store_id (article);
      gint64 *key;

      if (id == 0)
        self->previews = TRUE; /* not saved yet */
      if (id == 0 || g_hash_table_contains (self->by_id, &id))
        continue;
      key = g_new (gint64, 1);
      *key = id;
      g_hash_table_replace (self->by_id, key, article);
    }
}

/* Tells the views that items changed from old between an unchanged head and
 * tail, in one step. */
static void
announce_changes (DtxArticleList *self,
                  GPtrArray      *old)
{
  guint prefix = 0, suffix = 0;

  while (prefix < old->len && prefix < self->items->len &&
         old->pdata[prefix] == self->items->pdata[prefix])
    prefix++;
  while (suffix < old->len - prefix && suffix < self->items->len - prefix &&
         old->pdata[old->len - 1 - suffix] == self->items->pdata[self->items->len - 1 - suffix])
    suffix++;

  if (old->len == 0 && self->items->len > 0)
    announce_from (self, 0);
  else if (old->len != self->items->len || prefix != old->len)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix,
                                old->len - prefix - suffix,
                                self->items->len - prefix - suffix);
}

/* Replaces the list by rows, reusing the objects of articles already listed,
 * and tells the views only what changed between the unchanged head and
 * tail: new articles at the top arrive as one insertion at 0. */
static void
merge (DtxArticleList *self,
       GPtrArray      *rows)
{
  g_autoptr(GPtrArray) old = NULL;
  GPtrArray *items;
  gboolean head_kept;

  key_previews (self);
  items = g_ptr_array_new_full (rows->len, g_object_unref);
  for (guint i = 0; i < rows->len; i++)
    {
      DtxArticle *row = g_ptr_array_index (rows, i);
      gint64 id = dtx_article_get_store_id (row);
      DtxArticle *known = g_hash_table_lookup (self->by_id, &id);

      if (known != NULL)
        {
          update_article (known, row);
          g_ptr_array_add (items, g_object_ref (known));
        }
      else
        g_ptr_array_add (items, g_object_ref (row));
    }

  /* The first screenful is still all the views have: when the reload (the
   * save of a page just shown, say) keeps it, the rest stays held back,
   * so the frame that first shows rows lays out a screenful, not a page. */
  head_kept = self->rest_id != 0 && items->len > self->n_shown;
  for (guint i = 0; head_kept && i < self->n_shown; i++)
    head_kept = items->pdata[i] == self->items->pdata[i];
  if (!head_kept)
    show_rest (self);
  old = self->items;
  self->items = items;

  g_hash_table_remove_all (self->by_id);
  for (guint i = 0; i < self->items->len; i++)
    {
      DtxArticle *article = g_ptr_array_index (self->items, i);
      gint64 *key = g_new (gint64, 1);

      *key = dtx_article_get_store_id (article);
      g_hash_table_replace (self->by_id, key, article);
    }
  /* Only stored rows now: an arrived article the store never took (a
   * failed save) is gone and no longer holds the paging back. */
  self->previews = FALSE;
  if (!head_kept)
    announce_changes (self, old);
}

static void
append (DtxArticleList *self,
        GPtrArray      *rows)
{
  guint position;

  show_rest (self);
  key_previews (self);
  position = self->items->len;

  for (guint i = 0; i < rows->len; i++)
    {
      DtxArticle *row = g_ptr_array_index (rows, i);
      gint64 id = dtx_article_get_store_id (row);
      gint64 *key;

      /* The store may have changed since the last page was read. */
      if (g_hash_table_contains (self->by_id, &id))
        continue;
      key = g_new (gint64, 1);
      *key = id;
      g_ptr_array_add (self->items, g_object_ref (row));
      g_hash_table_replace (self->by_id, key, row);
    }
  announce_from (self, position);
}

typedef struct {
  DtxArticleList *self;
  gboolean        replace; /* merge over the whole list, else append */
  guint           limit;
  guint           generation;
} ReadOp;

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  ReadOp *op = user_data;
  g_autoptr(DtxArticleList) self = op->self;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  gboolean replace = op->replace;
  guint limit = op->limit;
  guint generation = op->generation;

  g_free (op);
  rows = dtx_store_list_query_finish (DTX_STORE (object), result, &error);
  /* A newer read (another search, a reload) replaced this one, even if the
   * store had already answered it. */
  if (generation != self->generation || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->reading = FALSE;
  if (rows == NULL)
    {
      g_warning ("Reading the stored articles failed: %s", error->message);
      self->store_exhausted = TRUE;
      notify_state (self);
      g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
      return;
    }

  if (replace)
    merge (self, rows);
  else
    append (self, rows);
  self->store_exhausted = rows->len < limit;
  notify_state (self);
  g_signal_emit (self, signals[SIGNAL_LOADED], 0);

  /* Past the stored rows: ask the site for more. */
  if (!replace && self->store_exhausted && self->source != NULL &&
      !is_store_only (self) && !self->site_exhausted)
    fetch_site_page (self);
}

static void
read_store (DtxArticleList *self,
            gboolean        replace)
{
  ReadOp *op;
  guint offset = replace ? 0 : self->items->len;

  /* A reload under way (a new search, say) already brings what an append
   * would, and must not be dropped for it. */
  if (!replace && self->reading && self->replacing)
    return;

  op = g_new0 (ReadOp, 1);
  self->replacing = replace;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  op->self = g_object_ref (self);
  op->generation = ++self->generation;
  op->replace = replace;
  op->limit = replace ? MAX (PAGE_SIZE, self->items->len) : PAGE_SIZE;
  self->reading = TRUE;
  notify_state (self);
  dtx_store_list_query_async (self->store,
                              &(DtxStoreQuery) {
                                .source_url = self->source ? dtx_source_get_url (self->source) : NULL,
                                .category = self->category,
                                .flags = self->flags,
                                .search = self->search,
                                .offset = offset,
                                .limit = op->limit,
                              },
                              self->cancellable, read_cb, op);
}

void
dtx_article_list_reload (DtxArticleList *self)
{
  g_return_if_fail (DTX_IS_ARTICLE_LIST (self));
  read_store (self, TRUE);
}

/* Site pages */

static void
site_page_saved (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(DtxArticleList) self = user_data;
  g_autoptr(GError) error = NULL;
  guint n_new = 0;

  self->fetching = FALSE;
  if (!dtx_store_save_articles_finish (DTX_STORE (object), result, &n_new, &error))
    {
      notify_state (self);
      g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
      return;
    }

  /* A page of articles stored before brings nothing to show: try the next
   * one, a few at a time. */
  if (n_new == 0 && !self->site_exhausted && self->site_pages_this_load < MAX_SITE_PAGES_PER_LOAD)
    {
      fetch_site_page (self);
      return;
    }
  self->site_pages_this_load = 0;
  read_store (self, FALSE);
}

static void
site_page_fetched (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(DtxArticleList) self = user_data;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;
  guint total;

  articles = dtx_source_fetch_page_finish (DTX_SOURCE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (articles == NULL)
    {
      self->fetching = FALSE;
      self->site_pages_this_load = 0;
      if (g_error_matches (error, DTX_ERROR, DTX_ERROR_EMPTY))
        self->site_exhausted = TRUE;
      else
        g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
      notify_state (self);
      return;
    }

  total = dtx_source_get_total_pages (self->source);
  self->site_exhausted = total > 0 && self->next_site_page >= total;
  self->next_site_page++;
  dtx_store_save_articles_async (self->store, dtx_source_get_url (self->source), articles,
                                 self->site_cancellable, site_page_saved, g_object_ref (self));
}

static void
fetch_site_page (DtxArticleList *self)
{
  if (self->fetching)
    return;
  if (self->site_cancellable == NULL)
    self->site_cancellable = g_cancellable_new ();
  self->fetching = TRUE;
  self->site_pages_this_load++;
  notify_state (self);
  /* A source that has read a page in this run was refreshed (the manager
   * stores page 1): paging goes on from page 2. */
  if (self->next_site_page <= 1 && dtx_source_get_total_pages (self->source) > 0)
    self->next_site_page = 2;
  dtx_source_fetch_page_async (self->source, MAX (self->next_site_page, 1), self->site_cancellable,
                               site_page_fetched, g_object_ref (self));
}

void
dtx_article_list_load_more (DtxArticleList *self)
{
  g_return_if_fail (DTX_IS_ARTICLE_LIST (self));

  /* Arrived articles count in the offset of the next page once saved. */
  if (self->reading || self->fetching || self->previews)
    return;
  /* Rows held back are the next ones: a screenful now, not all of them in
   * one frame. */
  if (self->rest_id != 0)
    show_screenful (self);
  else if (!self->store_exhausted)
    read_store (self, FALSE);
  else if (self->source != NULL && !is_store_only (self))
    {
      /* Retrying after a failure: the site may answer now. */
      self->site_exhausted = FALSE;
      fetch_site_page (self);
    }
}

/* Arrived pages */

typedef struct {
  DtxArticle *article;
  gint64      when;   /* its date in µs since 1970; undated: G_MININT64 */
  guint       index;  /* in the page: the store numbers new articles in this order */
} Arrived;

/* A number to compare: GDateTime's comparison works out both offsets from
 * UTC every time, and a page of 10,000 compares often. */
static gint64
when_of (GDateTime *date)
{
  if (date == NULL)
    return G_MININT64;
  return g_date_time_to_unix (date) * G_USEC_PER_SEC + g_date_time_get_microsecond (date);
}

/* The store's order: newest first, undated last, and among equal dates the
 * article stored last first. */
static int
compare_arrived (const Arrived *x,
                 const Arrived *y)
{
  if (x->when != y->when)
    return x->when < y->when ? 1 : -1;
  return (x->index < y->index) - (x->index > y->index);
}

void
dtx_article_list_show_arrived (DtxArticleList *self,
                               const char     *source_url,
                               GPtrArray      *articles)
{
  g_autoptr(GHashTable) listed = NULL;
  g_autoptr(GArray) picked = NULL;
  g_autoptr(GPtrArray) old = NULL;
  gint64 cutoff = G_MININT64;
  guint i, j;

  g_return_if_fail (DTX_IS_ARTICLE_LIST (self));
  g_return_if_fail (source_url != NULL);
  g_return_if_fail (articles != NULL);

  /* Only a list of everything of this source: the store alone knows
   * bookmarks, read state, matches and categories; and a reload under way
   * brings the page anyway. */
  if ((self->flags & (DTX_STORE_LIST_BOOKMARKS | DTX_STORE_LIST_UNREAD)) || is_store_only (self) ||
      (self->source != NULL && g_strcmp0 (source_url, dtx_source_get_url (self->source)) != 0) ||
      (self->reading && self->replacing))
    return;
  /* Past the last listed row are stored articles not read yet: only newer
   * ones can be new, and only new ones are shown before the store has
   * them (a known one keeps its read state until the reload). */
  if (self->items->len > 0 && !self->store_exhausted)
    cutoff = when_of (dtx_article_get_date (g_ptr_array_index (self->items, self->items->len - 1)));

  listed = g_hash_table_new (g_str_hash, g_str_equal);
  for (i = 0; i < self->items->len; i++)
    {
      const char *link = dtx_article_get_link (g_ptr_array_index (self->items, i));

      if (link != NULL)
        g_hash_table_add (listed, (gpointer)link);
    }
  /* The PAGE_SIZE newest, in order, picked in one pass: a page of 10,000
   * is neither sorted nor hashed whole on the UI thread. */
  picked = g_array_sized_new (FALSE, FALSE, sizeof (Arrived), PAGE_SIZE + 1);
  for (i = 0; i < articles->len; i++)
    {
      DtxArticle *article = g_ptr_array_index (articles, i);
      Arrived arrived = { article, when_of (dtx_article_get_date (article)), i };
      const char *link;
      guint at;

      if (arrived.when < cutoff ||
          (picked->len == PAGE_SIZE &&
           compare_arrived (&arrived, &g_array_index (picked, Arrived, PAGE_SIZE - 1)) > 0))
        continue;
      /* Listed already, or named twice by the page (the first counts). */
      link = dtx_article_get_link (article);
      if (link == NULL || !g_hash_table_add (listed, (gpointer)link))
        continue;
      for (at = picked->len; at > 0 && compare_arrived (&arrived, &g_array_index (picked, Arrived, at - 1)) < 0; at--)
        ;
      g_array_insert_val (picked, at, arrived);
      if (picked->len > PAGE_SIZE)
        {
          g_hash_table_remove (listed, dtx_article_get_link (g_array_index (picked, Arrived, PAGE_SIZE).article));
          g_array_set_size (picked, PAGE_SIZE);
        }
    }
  if (picked->len == 0)
    return;

  show_rest (self);
  old = self->items;
  self->items = g_ptr_array_new_full (old->len + picked->len, g_object_unref);
  for (i = 0, j = 0; i < old->len || j < picked->len;)
    {
      DtxArticle *next_old = i < old->len ? g_ptr_array_index (old, i) : NULL;
      Arrived *next_new = j < picked->len ? &g_array_index (picked, Arrived, j) : NULL;

      /* New articles get the higher store ids: first among equal dates. */
      if (next_new != NULL &&
          (next_old == NULL ||
           next_new->when >= when_of (dtx_article_get_date (next_old))))
        {
          g_ptr_array_add (self->items, g_object_ref (next_new->article));
          j++;
        }
      else
        {
          g_ptr_array_add (self->items, g_object_ref (next_old));
          i++;
        }
    }
  self->previews = TRUE;
  announce_changes (self, old);
}

/* Site search */

static void
search_saved (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GPtrArray *articles = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!dtx_store_save_articles_finish (DTX_STORE (object), result, NULL, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    {
      read_store (g_task_get_source_object (task), TRUE);
      g_task_return_int (task, articles->len);
    }
}

static void
search_fetched (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DtxArticleList *self = g_task_get_source_object (task);
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  articles = dtx_source_search_finish (DTX_SOURCE (object), result, &error);
  if (articles == NULL)
    {
      if (g_error_matches (error, DTX_ERROR, DTX_ERROR_EMPTY))
        g_task_return_int (task, 0);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_set_task_data (task, g_ptr_array_ref (articles), (GDestroyNotify)g_ptr_array_unref);
  dtx_store_save_articles_async (self->store, dtx_source_get_url (self->source), articles,
                                 g_task_get_cancellable (task), search_saved, g_object_ref (task));
}

void
dtx_article_list_search_site_async (DtxArticleList      *self,
                                    const char          *text,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DTX_IS_ARTICLE_LIST (self));
  g_return_if_fail (text != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dtx_article_list_search_site_async);
  if (self->source == NULL)
    {
      g_task_return_new_error (task, DTX_ERROR, DTX_ERROR_NOT_FOUND, "No site to search");
      return;
    }
  dtx_source_search_async (self->source, text, cancellable, search_fetched, g_steal_pointer (&task));
}

gboolean
dtx_article_list_search_site_finish (DtxArticleList  *self,
                                     GAsyncResult    *result,
                                     guint           *n_found,
                                     GError         **error)
{
  gssize n;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  n = g_task_propagate_int (G_TASK (result), error);
  if (n < 0)
    return FALSE;
  if (n_found != NULL)
    *n_found = (guint)n;
  return TRUE;
}

/* Following the store */

static void
on_article_changed (DtxStore       *store,
                    gint64          store_id,
                    gboolean        bookmarked,
                    gboolean        read,
                    DtxArticleList *self)
{
  DtxArticle *article = g_hash_table_lookup (self->by_id, &store_id);

  if (article != NULL)
    {
      dtx_article_set_bookmarked (article, bookmarked);
      dtx_article_set_read (article, read);
    }
  /* A bookmark came or went: the bookmark list changes shape. */
  if (self->flags & DTX_STORE_LIST_BOOKMARKS)
    read_store (self, TRUE);
}

static void
on_articles_changed (DtxStore       *store,
                     const char     *source_url,
                     DtxArticleList *self)
{
  if (source_url == NULL || self->source == NULL ||
      g_strcmp0 (source_url, dtx_source_get_url (self->source)) == 0)
    read_store (self, TRUE);
}

void
dtx_article_list_set_search (DtxArticleList *self,
                             const char     *text)
{
  g_return_if_fail (DTX_IS_ARTICLE_LIST (self));

  if (text != NULL && *text == '\0')
    text = NULL;
  if (g_strcmp0 (self->search, text) == 0)
    return;
  g_free (self->search);
  self->search = g_strdup (text);
  read_store (self, TRUE);
}

const char *
dtx_article_list_get_search (DtxArticleList *self)
{
  g_return_val_if_fail (DTX_IS_ARTICLE_LIST (self), NULL);
  return self->search;
}

void
dtx_article_list_set_category (DtxArticleList *self,
                               const char     *category)
{
  g_return_if_fail (DTX_IS_ARTICLE_LIST (self));

  if (category != NULL && *category == '\0')
    category = NULL;
  if (g_strcmp0 (self->category, category) == 0)
    return;
  g_free (self->category);
  self->category = g_strdup (category);
  read_store (self, TRUE);
}

const char *
dtx_article_list_get_category (DtxArticleList *self)
{
  g_return_val_if_fail (DTX_IS_ARTICLE_LIST (self), NULL);
  return self->category;
}

static void
dtx_article_list_dispose (GObject *object)
{
  DtxArticleList *self = (DtxArticleList *)object;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->site_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->site_cancellable);
  g_clear_handle_id (&self->rest_id, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  g_clear_object (&self->source);

  G_OBJECT_CLASS (dtx_article_list_parent_class)->dispose (object);
}

static void
dtx_article_list_finalize (GObject *object)
{
  DtxArticleList *self = (DtxArticleList *)object;

  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->search, g_free);
  g_clear_pointer (&self->category, g_free);

  G_OBJECT_CLASS (dtx_article_list_parent_class)->finalize (object);
}

static void
dtx_article_list_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DtxArticleList *self = DTX_ARTICLE_LIST (object);

  switch (prop_id)
    {
    case PROP_LOADING: g_value_set_boolean (value, dtx_article_list_get_loading (self)); break;
    case PROP_EXHAUSTED: g_value_set_boolean (value, dtx_article_list_get_exhausted (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dtx_article_list_class_init (DtxArticleListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dtx_article_list_dispose;
  object_class->finalize = dtx_article_list_finalize;
  object_class->get_property = dtx_article_list_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXHAUSTED] =
    g_param_spec_boolean ("exhausted", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[SIGNAL_LOADED] =
    g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
dtx_article_list_init (DtxArticleList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->next_site_page = 1;
  self->rest_delay_ms = REST_DELAY_MS;
}

void
dtx_article_list_set_rest_delay_for_testing (DtxArticleList *self,
                                             guint           milliseconds)
{
  g_return_if_fail (DTX_IS_ARTICLE_LIST (self));
  self->rest_delay_ms = milliseconds;
}

DtxArticleList *
dtx_article_list_new (DtxStore          *store,
                      DtxSource         *source,
                      DtxStoreListFlags  flags)
{
  DtxArticleList *self;

  g_return_val_if_fail (DTX_IS_STORE (store), NULL);
  g_return_val_if_fail (source == NULL || DTX_IS_SOURCE (source), NULL);

  self = g_object_new (DTX_TYPE_ARTICLE_LIST, NULL);
  self->store = g_object_ref (store);
  self->source = source ? g_object_ref (source) : NULL;
  self->flags = flags;
  g_signal_connect_object (store, "article-changed", G_CALLBACK (on_article_changed), self, 0);
  g_signal_connect_object (store, "articles-changed", G_CALLBACK (on_articles_changed), self, 0);
  return self;
}
