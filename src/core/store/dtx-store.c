/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-store"
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#endif
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "dtx-database.h"
#include "dtx-store.h"
#include "dtx-store-private.h"

/* The schema this version writes; a file with a higher user_version was
 * written by a newer version and is only read. */
#define SCHEMA_VERSION 3

/* Lets a second process (--export-bookmarks while the app runs) wait for
 * the write lock instead of failing. */
#define BUSY_TIMEOUT_MS 5000

/* An import file larger than this is not a bookmarks file anyone made. */
#define MAX_IMPORT_BYTES (256 * 1024 * 1024)

/* Search input past these is noise, and cost. */
#define MAX_SEARCH_TOKENS 16
#define MAX_TOKEN_CHARS 64

G_DEFINE_QUARK (dtx-store-error-quark, dtx_store_error)

/* ------------------------------------------------------------------------ */
/* Snapshots: plain data crossing between the caller's thread and the worker */

typedef struct {
  gint64    remote_id;
  char     *source_url;
  char     *link;
  char     *title;
  char     *excerpt;
  char     *content;      /* a GRefString */
  char     *author;
  char     *image_url;
  char     *categories;   /* joined with \x1f */
  char     *source_name;
  gboolean  has_date;
  gint64    date_us;

  /* From the store. */
  gint64    store_id;
  gboolean  bookmarked;
  gboolean  read;
  gboolean  has_saved;
  gint64    saved_us;
  gboolean  has_content;  /* content was loaded, even when NULL */
} Snapshot;

static void
snapshot_free (Snapshot *s)
{
  g_free (s->source_url);
  g_free (s->link);
  g_free (s->title);
  g_free (s->excerpt);
  if (s->content != NULL)
    g_ref_string_release (s->content);
  g_free (s->author);
  g_free (s->image_url);
  g_free (s->categories);
  g_free (s->source_name);
  g_free (s);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Snapshot, snapshot_free)

static gint64
datetime_to_us (GDateTime *dt)
{
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

static GDateTime *
datetime_from_us (gint64 us)
{
  gint64 secs = us / G_USEC_PER_SEC;
  gint64 rest = us % G_USEC_PER_SEC;
  g_autoptr(GDateTime) base = NULL;

  if (rest < 0)
    {
      secs -= 1;
      rest += G_USEC_PER_SEC;
    }
  base = g_date_time_new_from_unix_utc (secs);
  if (base == NULL)
    return NULL;
  return g_date_time_add (base, rest);
}

static char *
join_categories (const char * const *categories)
{
  GString *joined;

  if (categories == NULL || categories[0] == NULL)
    return NULL;

  joined = g_string_new (NULL);
  for (guint i = 0; categories[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (joined, '\x1f');
      /* The separator cannot be part of a name. */
      for (const char *p = categories[i]; *p; p++)
        if (*p != '\x1f')
          g_string_append_c (joined, *p);
    }
  return g_string_free (joined, FALSE);
}

static Snapshot *
snapshot_from_article (DtxArticle *article,
                       gboolean    with_content)
{
  Snapshot *s = g_new0 (Snapshot, 1);
  GDateTime *date = dtx_article_get_date (article);

  s->remote_id = dtx_article_get_id (article);
  s->link = g_strdup (dtx_article_get_link (article));
  s->title = g_strdup (dtx_article_get_title (article));
  s->excerpt = g_strdup (dtx_article_get_excerpt (article));
  if (with_content)
    s->content = dtx_article_ref_content (article);
  s->author = g_strdup (dtx_article_get_author (article));
  s->image_url = g_strdup (dtx_article_get_image_url (article));
  s->categories = join_categories (dtx_article_get_categories (article));
  s->source_name = g_strdup (dtx_article_get_source_name (article));
  if (date != NULL)
    {
      s->has_date = TRUE;
      s->date_us = datetime_to_us (date);
    }
  s->store_id = dtx_article_get_store_id (article);
  return s;
}

/* Main thread only: the store's view of an article onto an object. */
static void
snapshot_apply_state (Snapshot   *s,
                      DtxArticle *article)
{
  g_autoptr(GDateTime) saved = s->has_saved ? datetime_from_us (s->saved_us) : NULL;

  dtx_article_set_store_id (article, s->store_id);
  dtx_article_set_bookmarked (article, s->bookmarked);
  dtx_article_set_saved (article, saved);
  dtx_article_set_read (article, s->read);
}

static DtxArticle *
snapshot_to_article (Snapshot *s)
{
  DtxArticle *article = dtx_article_new ();
  g_autoptr(GDateTime) date = s->has_date ? datetime_from_us (s->date_us) : NULL;
  g_auto(GStrv) categories = s->categories != NULL ? g_strsplit (s->categories, "\x1f", -1) : NULL;

  dtx_article_set_id (article, s->remote_id);
  dtx_article_set_link (article, s->link);
  dtx_article_set_title (article, s->title);
  dtx_article_set_excerpt (article, s->excerpt);
  if (s->has_content)
    dtx_article_set_content_ref (article, s->content);
  dtx_article_set_author (article, s->author);
  dtx_article_set_date (article, date);
  dtx_article_set_image_url (article, s->image_url);
  dtx_article_set_categories (article, (const char * const *)categories);
  dtx_article_set_source_name (article, s->source_name);
  snapshot_apply_state (s, article);
  return article;
}

/* The key an article is stored under within its source. */
static char *
snapshot_remote_key (Snapshot *s)
{
  if (s->remote_id != 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT, s->remote_id);
  if (s->link != NULL && *s->link)
    return g_strdup (s->link);
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* Plain text of an HTML body, for the search index                          */

static gboolean
tag_is (const char *tag,
        gsize       len,
        const char *name)
{
  gsize n = strlen (name);

  return len >= n && g_ascii_strncasecmp (tag, name, n) == 0 &&
         (len == n || !g_ascii_isalnum (tag[n]));
}

static const char *
decode_entity (const char *p,
               GString    *out)
{
  static const struct { const char *name; const char *text; } named[] = {
    { "amp;", "&" }, { "lt;", "<" }, { "gt;", ">" }, { "quot;", "\"" },
    { "apos;", "'" }, { "nbsp;", " " }, { "#39;", "'" },
  };

  /* p points after '&'. */
  for (guint i = 0; i < G_N_ELEMENTS (named); i++)
    {
      gsize n = strlen (named[i].name);

      if (strncmp (p, named[i].name, n) == 0)
        {
          g_string_append (out, named[i].text);
          return p + n;
        }
    }

  if (*p == '#')
    {
      const char *q = p + 1;
      gboolean hex = (*q == 'x' || *q == 'X');
      gunichar c = 0;
      guint digits = 0;

      if (hex)
        q++;
      for (; digits < 8 && (hex ? g_ascii_isxdigit (*q) : g_ascii_isdigit (*q)); q++, digits++)
        c = c * (hex ? 16 : 10) + (hex ? g_ascii_xdigit_value (*q) : g_ascii_digit_value (*q));
      if (digits > 0 && *q == ';' && g_unichar_validate (c) && c != 0)
        {
          g_string_append_unichar (out, c);
          return q + 1;
        }
    }

  g_string_append_c (out, '&');
  return p;
}

static void
append_space (GString *out)
{
  if (out->len > 0 && out->str[out->len - 1] != ' ')
    g_string_append_c (out, ' ');
}

char *
dtx_store_plain_text (const char *html)
{
  GString *out;
  const char *p;

  if (html == NULL)
    return NULL;

  out = g_string_sized_new (strlen (html) / 2 + 1);
  for (p = html; *p; )
    {
      if (*p == '<')
        {
          const char *end = strchr (p, '>');
          const char *tag = p + 1;
          gsize len;

          if (end == NULL)
            break;
          len = end - tag;
          /* Words on both sides of a tag are words apart: "a<br>b". */
          append_space (out);
          if (tag_is (tag, len, "script") || tag_is (tag, len, "style"))
            {
              const char *close = tag_is (tag, len, "script") ? "</script" : "</style";
              const char *q = end + 1;

              /* Skip to the closing tag, case-insensitively. */
              for (; *q; q++)
                if (*q == '<' && g_ascii_strncasecmp (q, close, strlen (close)) == 0)
                  break;
              end = *q ? strchr (q, '>') : NULL;
              if (end == NULL)
                break;
            }
          p = end + 1;
        }
      else if (*p == '&')
        p = decode_entity (p + 1, out);
      else if (g_ascii_isspace (*p))
        {
          append_space (out);
          p++;
        }
      else
        g_string_append_c (out, *p++);
    }

  return g_string_free (out, FALSE);
}

static void
plain_text_sql (sqlite3_context  *context,
                int               argc,
                sqlite3_value   **argv)
{
  const char *html = (const char *)sqlite3_value_text (argv[0]);
  char *text;

  if (html == NULL)
    {
      sqlite3_result_null (context);
      return;
    }
  text = dtx_store_plain_text (html);
  sqlite3_result_text (context, text, -1, g_free);
}

/* ------------------------------------------------------------------------ */
/* The worker: owns the connection                                           */

typedef struct {
  char         *path;
  DtxDatabase  *db;
  gboolean      read_only;
  gboolean      has_fts;
  gboolean      index_pending; /* rows may wait for the search index */
  gboolean      merge_pending; /* index segments may want merging */

  /* What the open found, handed to every open_finish. */
  GError       *open_error;
  char         *moved_to;
  guint         n_recovered;

  gboolean      check_needed; /* the last run ended badly or saw damage */
  char         *marker;       /* path.open-PID while this process has it open */
} Worker;

typedef struct _Job Job;
/* Runs on the worker; FALSE with error set on failure. */
typedef gboolean (*JobRun)  (Worker *w, Job *job, GError **error);
/* Runs in the caller's context on success, before the callback: applies
 * results to the caller's articles and emits signals. */
typedef void     (*JobDone) (DtxStore *self, Job *job);

struct _Job {
  JobRun      run;
  JobDone     done;
  gboolean    writes;
  GTask      *task;

  /* Inputs. */
  char       *source_url;
  char       *text;        /* search, url or SQL */
  guint       flags;
  guint       offset;
  guint       limit;
  gboolean    value;
  gboolean    bookmark;    /* set_flag: the bookmark, else the read state */
  guint       keep_days;
  GFile      *file;
  GPtrArray  *articles;    /* DtxArticle, touched in the caller's thread only */
  GPtrArray  *snapshots;   /* Snapshot, in and out */
  char       *category;    /* list: exact category name */
  GPtrArray  *sources;     /* DtxStoreSource, in and out */
  GHashTable *counts;      /* count_unread: source_url → count */

  /* Outputs. */
  guint       n_new;
  guint       n_changed;
  guint       n_skipped;
  char      **strv;
  char       *moved_to;
  guint       n_recovered;
  GError     *error;
  gboolean    shutdown;
};

static void
job_free (Job *job)
{
  g_clear_object (&job->task);
  g_free (job->source_url);
  g_free (job->text);
  g_clear_object (&job->file);
  g_clear_pointer (&job->articles, g_ptr_array_unref);
  g_clear_pointer (&job->snapshots, g_ptr_array_unref);
  g_free (job->category);
  g_clear_pointer (&job->sources, g_ptr_array_unref);
  g_clear_pointer (&job->counts, g_hash_table_unref);
  g_strfreev (job->strv);
  g_free (job->moved_to);
  g_clear_error (&job->error);
  g_free (job);
}

struct _DtxStore
{
  GObject       parent_instance;

  char         *path;
  GMainContext *main_context;
  GAsyncQueue  *queue;
  GThread      *thread;
  int           read_only;  /* atomic: set by the worker */
  int           has_fts;    /* atomic */
};

G_DEFINE_FINAL_TYPE (DtxStore, dtx_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ARTICLE_CHANGED,
  ARTICLES_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------------ */
/* Errors: what people read, and what the log keeps                         */

static gboolean
db_error_is (const GError *error,
             int           code)
{
  return error != NULL && error->domain == DTX_DATABASE_ERROR && error->code == code;
}

static gboolean
db_error_is_damage (const GError *error)
{
  return db_error_is (error, SQLITE_CORRUPT) || db_error_is (error, SQLITE_NOTADB);
}

/* Turns an SQLite failure into DTX_STORE_ERROR_IO with a message that says
 * what to do; SQLite's own text goes to the log. */
static void
set_io_error (GError       **error,
              const GError  *db_error,
              const char    *path)
{
  if (db_error != NULL)
    g_message ("Store %s: %s (%s %d)", path, db_error->message,
               g_quark_to_string (db_error->domain), db_error->code);

  if (db_error_is (db_error, SQLITE_FULL))
    g_set_error_literal (error, DTX_STORE_ERROR, DTX_STORE_ERROR_IO,
                         _("The disk is full, so the articles could not be saved. Free some space and try again."));
  else if (db_error_is (db_error, SQLITE_BUSY) || db_error_is (db_error, SQLITE_LOCKED))
    g_set_error_literal (error, DTX_STORE_ERROR, DTX_STORE_ERROR_IO,
                         _("The article store is in use by another program. Try again in a moment."));
  else if (db_error_is (db_error, SQLITE_READONLY) || db_error_is (db_error, SQLITE_PERM) ||
           db_error_is (db_error, SQLITE_CANTOPEN))
    g_set_error (error, DTX_STORE_ERROR, DTX_STORE_ERROR_IO,
                 _("The article store “%s” cannot be written. Check that its folder is yours and writable, then restart the app."),
                 path);
  else if (db_error_is_damage (db_error))
    g_set_error_literal (error, DTX_STORE_ERROR, DTX_STORE_ERROR_IO,
                         _("The article store is damaged. Restart the app to repair it; your bookmarks are kept."));
  else
    g_set_error_literal (error, DTX_STORE_ERROR, DTX_STORE_ERROR_IO,
                         _("The article store could not be read or written. Try again; if it keeps failing, restart the app."));
}

static void
set_read_only_error (GError **error)
{
  g_set_error_literal (error, DTX_STORE_ERROR, DTX_STORE_ERROR_READ_ONLY,
                       _("Your articles were saved by a newer version of DigiTripX Reader, so this version cannot change them. Update the app to save bookmarks again."));
}

static void
set_newer_error (GError **error)
{
  g_set_error_literal (error, DTX_STORE_ERROR, DTX_STORE_ERROR_NEWER,
                       _("Your articles were saved by a newer version of DigiTripX Reader. They are shown read-only; update the app to change them."));
}

static void
set_bad_file_error (GError     **error,
                    const char  *why)
{
  g_message ("Not a bookmarks file: %s", why);
  g_set_error_literal (error, DTX_STORE_ERROR, DTX_STORE_ERROR_BAD_FILE,
                       _("This is not a bookmarks file exported by DigiTripX Reader, so nothing was imported. Choose a file made with Export Bookmarks."));
}

/* ------------------------------------------------------------------------ */
/* Schema and migrations                                                     */

/* Small columns first and content last: a list or a scan of bookmarks reads
 * only the row's first page, never the content's overflow pages (faster, and
 * a damaged overflow page does not hide the bookmark). */
static const char schema_v1[] =
  "CREATE TABLE articles ("
  "  id           INTEGER PRIMARY KEY,"
  "  source_url   TEXT NOT NULL,"
  "  remote_key   TEXT NOT NULL,"     /* the remote id as text, else the link */
  "  remote_id    INTEGER NOT NULL DEFAULT 0,"
  "  link         TEXT,"
  "  bookmarked   INTEGER NOT NULL DEFAULT 0,"
  "  saved        INTEGER,"           /* µs since the epoch, when bookmarked */
  "  read         INTEGER NOT NULL DEFAULT 0,"
  "  first_stored INTEGER NOT NULL,"  /* µs since the epoch, for trimming */
  "  date         INTEGER,"           /* µs since the epoch */
  "  title        TEXT,"
  "  author       TEXT,"
  "  source_name  TEXT,"
  "  image_url    TEXT,"
  "  categories   TEXT,"              /* joined with U+001F */
  "  excerpt      TEXT,"
  "  content      TEXT,"
  "  UNIQUE (source_url, remote_key)"
  ");"
  "CREATE INDEX articles_by_date ON articles (date DESC, id DESC);"
  "CREATE INDEX articles_by_source ON articles (source_url, date DESC, id DESC);"
  "CREATE INDEX articles_by_link ON articles (link);"
  "CREATE INDEX articles_by_saved ON articles (saved DESC, id DESC) WHERE bookmarked = 1;";

static gboolean
migrate_v1 (Worker  *w,
            GError **error)
{
  return dtx_database_exec (w->db, schema_v1, error);
}

static gboolean fts_disabled_for_testing;

/* What PRAGMA compile_options tells, through the C API. */
static gboolean
fts5_available (void)
{
  return !g_atomic_int_get (&fts_disabled_for_testing) &&
         sqlite3_compileoption_used ("ENABLE_FTS5") == 1;
}

void
dtx_store_disable_fts_for_testing (gboolean disabled)
{
  g_atomic_int_set (&fts_disabled_for_testing, disabled);
}

/* A contentless FTS5 index over title, excerpt and the body's plain text.
 * Contentless: the body text is not stored twice, and a removal hands the
 * old values back. detail=column: which columns hold a word, not where; a
 * third less work and smaller, and searches are single words, never phrases.
 *
 * Tokenising a page of bodies costs more than storing it, so a row is
 * indexed after it is stored: by the worker when it is idle, and before any
 * search (index_pending_rows), so a search never misses a stored article.
 * articles.indexed says which rows the index holds; the triggers take a
 * changed or deleted row out of the index in the writing transaction, so the
 * index never holds stale text, and a crash leaves rows to index, no more. */
static const char schema_fts[] =
  "CREATE VIRTUAL TABLE articles_fts USING fts5 ("
  "  title, excerpt, body, content='', detail=column,"
  "  tokenize='unicode61 remove_diacritics 2');"
  /* A word in the title weighs more than one in the excerpt, then the body. */
  "INSERT INTO articles_fts (articles_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0)');"
  /* No merging of index segments inside a write: the worker merges when it
   * is idle (worker_merge_step). */
  "INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 0);"
  "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles WHEN old.indexed = 1 BEGIN"
  "  INSERT INTO articles_fts (articles_fts, rowid, title, excerpt, body)"
  "  VALUES ('delete', old.id, old.title, old.excerpt, dtx_plain_text (old.content));"
  "END;"
  "CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, excerpt, content ON articles"
  "  WHEN old.indexed = 1 AND (old.title IS NOT new.title OR old.excerpt IS NOT new.excerpt"
  "    OR old.content IS NOT new.content) BEGIN"
  "  INSERT INTO articles_fts (articles_fts, rowid, title, excerpt, body)"
  "  VALUES ('delete', old.id, old.title, old.excerpt, dtx_plain_text (old.content));"
  "  UPDATE articles SET indexed = 0 WHERE id = old.id;"
  "END;"
  "UPDATE articles SET indexed = 0;";

static gboolean
table_exists (DtxDatabase *db,
              const char  *name,
              gboolean    *exists,
              GError     **error)
{
  GError *local_error = NULL;
  sqlite3_stmt *stmt;

  *exists = FALSE;
  stmt = dtx_database_prepare (db, "SELECT 1 FROM sqlite_master WHERE name = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  *exists = dtx_database_step (db, stmt, &local_error);
  sqlite3_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

/* v2: the search index, when this SQLite has FTS5 (else searches fall back
 * to LIKE, and a later open with FTS5 adds the index). */
static gboolean
migrate_v2 (Worker  *w,
            GError **error)
{
  if (!dtx_database_exec (w->db,
                          "ALTER TABLE articles ADD COLUMN indexed INTEGER NOT NULL DEFAULT 0;"
                          "CREATE INDEX articles_unindexed ON articles (id) WHERE indexed = 0;",
                          error))
    return FALSE;
  if (!fts5_available ())
    {
      g_message ("SQLite has no FTS5: searches use LIKE");
      return TRUE;
    }
  return dtx_database_exec (w->db, schema_fts, error);
}

/* Splits articles.categories (joined with U+001F) into article_categories
 * rows, for every article (?1 NULL) or one: a category filter is then an
 * index lookup and matches a name exactly, never a part of another. */
#define FILL_CATEGORIES_SQL(which) \
  "WITH RECURSIVE split (id, name, rest) AS (" \
  "  SELECT id, NULL, categories || char (31) FROM articles" \
  "   WHERE categories IS NOT NULL AND categories <> '' " which \
  "  UNION ALL" \
  "  SELECT id, substr (rest, 1, instr (rest, char (31)) - 1)," \
  "         substr (rest, instr (rest, char (31)) + 1) FROM split WHERE rest <> ''" \
  ") INSERT OR IGNORE INTO article_categories (name, article_id)" \
  "  SELECT name, id FROM split WHERE name IS NOT NULL AND name <> ''"

/* One article by its id (a lookup, not a scan of the table), or all (0). */
static gboolean
fill_categories (Worker  *w,
                 gint64   id,
                 GError **error)
{
  sqlite3_stmt *stmt;

  if (id == 0)
    return dtx_database_exec (w->db, FILL_CATEGORIES_SQL (""), error);
  stmt = dtx_database_prepare (w->db, FILL_CATEGORIES_SQL ("AND id = ?1"), error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return dtx_database_run (w->db, stmt, error);
}

/* v3: the followed sources, the categories of each article as rows, and an
 * index that counts unread articles per source without reading the table. */
static gboolean
migrate_v3 (Worker  *w,
            GError **error)
{
  if (!dtx_database_exec (w->db,
                          "CREATE TABLE sources ("
                          "  url           TEXT PRIMARY KEY,"
                          "  kind          INTEGER NOT NULL DEFAULT 0,"
                          "  api_root      TEXT,"
                          "  custom_title  TEXT,"
                          "  site_title    TEXT,"
                          "  icon_url      TEXT,"
                          "  position      INTEGER NOT NULL DEFAULT 0,"
                          "  etag          TEXT,"
                          "  last_modified TEXT,"
                          "  retry_after   INTEGER NOT NULL DEFAULT 0," /* µs since the epoch */
                          "  last_error    TEXT,"
                          "  last_refresh  INTEGER NOT NULL DEFAULT 0,"  /* µs since the epoch */
                          "  categories    TEXT"  /* the source manager's JSON */
                          ");"
                          "CREATE TABLE article_categories ("
                          "  name       TEXT NOT NULL,"
                          "  article_id INTEGER NOT NULL,"
                          "  PRIMARY KEY (name, article_id)"
                          ") WITHOUT ROWID;"
                          "CREATE INDEX article_categories_by_article ON article_categories (article_id);"
                          "CREATE TRIGGER article_categories_delete AFTER DELETE ON articles BEGIN"
                          "  DELETE FROM article_categories WHERE article_id = old.id;"
                          "END;"
                          "CREATE INDEX articles_unread ON articles (source_url) WHERE read = 0;",
                          error))
    return FALSE;
  return fill_categories (w, 0, error);
}

static const struct {
  int        version;
  gboolean (*run) (Worker *w, GError **error);
} migrations[] = {
  { 1, migrate_v1 },
  { 2, migrate_v2 },
  { 3, migrate_v3 },
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == SCHEMA_VERSION);

/* Each step in its own transaction with the version it reaches: a failure
 * leaves the file at the last complete version. */
static gboolean
migrate (Worker  *w,
         int      from,
         GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (migrations); i++)
    {
      if (migrations[i].version <= from)
        continue;
      g_debug ("Migrating %s to version %d", w->path, migrations[i].version);
      if (!dtx_database_begin (w->db, error))
        return FALSE;
      if (!migrations[i].run (w, error) ||
          !dtx_database_set_user_version (w->db, migrations[i].version, error) ||
          !dtx_database_commit (w->db, error))
        {
          dtx_database_rollback (w->db);
          return FALSE;
        }
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Opening, and repairing what will not open                                 */

typedef enum {
  OPEN_OK,
  OPEN_NEWER,   /* opened read-only */
  OPEN_DAMAGED, /* move it aside */
  OPEN_FAILED,  /* leave it: busy, disk, permissions of the folder */
} OpenResult;

static gboolean
setup_connection (DtxDatabase  *db,
                  GError      **error)
{
  int rc = sqlite3_busy_timeout (dtx_database_get_handle (db), BUSY_TIMEOUT_MS);

  /* The triggers of the search index call it, in every process. */
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function (dtx_database_get_handle (db), "dtx_plain_text", 1,
                                  SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                  NULL, plain_text_sql, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, DTX_DATABASE_ERROR, rc & 0xff, "setting up the connection: %s", sqlite3_errstr (rc));
      return FALSE;
    }
  return TRUE;
}

static OpenResult
classify (const GError *error)
{
  return db_error_is_damage (error) ? OPEN_DAMAGED : OPEN_FAILED;
}

/* A full check of a large file takes long (0.5 s at 50,000 articles), so it
 * runs only when there is a reason: a process that had the file open died
 * without closing it (its path.open-PID marker is left, the PID gone), or an
 * earlier run met damage (path.damaged). Otherwise the cheap checks catch
 * garbage and truncation, and damage met later marks the file for the next
 * start. */
static char *
damaged_marker (const char *path)
{
  return g_strconcat (path, ".damaged", NULL);
}

static gboolean
pid_is_alive (gint64 pid)
{
  return pid > 0 && pid <= G_MAXINT && (kill ((pid_t)pid, 0) == 0 || errno == EPERM);
}

/* TRUE when the file needs the full check; clears the markers it read. */
static gboolean
take_check_markers (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *prefix = g_strconcat (base, ".open-", NULL);
  g_autofree char *damaged = damaged_marker (path);
  g_autoptr(GDir) children = g_dir_open (dir, 0, NULL);
  gboolean needed = g_file_test (damaged, G_FILE_TEST_EXISTS);
  const char *name;

  while (children != NULL && (name = g_dir_read_name (children)) != NULL)
    {
      gint64 pid;

      if (!g_str_has_prefix (name, prefix) ||
          !g_ascii_string_to_signed (name + strlen (prefix), 10, 1, G_MAXINT, &pid, NULL) ||
          pid == getpid () || pid_is_alive (pid))
        continue;
      {
        g_autofree char *stale = g_build_filename (dir, name, NULL);

        g_message ("%s was left open by process %" G_GINT64_FORMAT ": checking it", path, pid);
        g_unlink (stale);
        needed = TRUE;
      }
    }
  return needed;
}

static void
mark_damaged (Worker *w)
{
  g_autofree char *damaged = damaged_marker (w->path);

  if (!g_file_set_contents (damaged, "", 0, NULL))
    g_message ("Could not mark %s for a check at the next start", w->path);
}

/* The file's header names more pages than the file holds: cut short. */
static gboolean
is_truncated (DtxDatabase  *db,
              const char   *path,
              GError      **error)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  GStatBuf st, wal_st;
  sqlite3_stmt *stmt;
  gint64 pages = 0, page_size = 0;

  /* Pages may still live in the write-ahead log. */
  if (g_stat (path, &st) != 0 || (g_stat (wal, &wal_st) == 0 && wal_st.st_size > 0))
    return FALSE;
  stmt = dtx_database_prepare (db, "PRAGMA page_count", error);
  if (stmt == NULL || !dtx_database_step (db, stmt, error))
    return FALSE;
  pages = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  stmt = dtx_database_prepare (db, "PRAGMA page_size", error);
  if (stmt == NULL || !dtx_database_step (db, stmt, error))
    return FALSE;
  page_size = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return pages * page_size > (gint64)st.st_size;
}

static OpenResult
try_open (Worker  *w,
          GError **error)
{
  g_autoptr(DtxDatabase) db = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *check = NULL;
  gboolean has_fts_table = FALSE;
  sqlite3_stmt *stmt;
  int version = 0;

  /* A directory or other non-file in its place. */
  if (g_file_test (w->path, G_FILE_TEST_EXISTS) && !g_file_test (w->path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error_literal (error, DTX_DATABASE_ERROR, SQLITE_CANTOPEN, "not a regular file");
      return OPEN_DAMAGED;
    }

  db = dtx_database_open (w->path, DTX_DATABASE_OPEN_READ_WRITE, &local_error);
  if (db == NULL)
    {
      OpenResult result = classify (local_error);

      /* It exists but SQLite cannot use it. */
      if (db_error_is (local_error, SQLITE_CANTOPEN) && g_file_test (w->path, G_FILE_TEST_EXISTS))
        result = OPEN_DAMAGED;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return result;
    }

  if (!setup_connection (db, &local_error) ||
      !dtx_database_get_user_version (db, &version, &local_error))
    goto fail;

  if (version > SCHEMA_VERSION)
    {
      /* Never migrate or write what a newer version wrote. */
      g_message ("%s has schema %d, newer than %d: opening read-only", w->path, version, SCHEMA_VERSION);
      dtx_database_close (db);
      g_clear_object (&db);
      db = dtx_database_open (w->path, DTX_DATABASE_OPEN_READ_ONLY, &local_error);
      if (db == NULL || !setup_connection (db, &local_error) ||
          !table_exists (db, "articles_fts", &has_fts_table, &local_error))
        goto fail;
      w->db = g_steal_pointer (&db);
      w->read_only = TRUE;
      w->has_fts = has_fts_table && fts5_available ();
      return OPEN_NEWER;
    }

  /* Catches truncation, and with a reason to look, any damage, before any
   * write builds on it. */
  if (is_truncated (db, w->path, &local_error))
    {
      g_set_error_literal (error, DTX_DATABASE_ERROR, SQLITE_CORRUPT, "the file is shorter than its header says");
      return OPEN_DAMAGED;
    }
  if (local_error != NULL)
    goto fail;
  if (w->check_needed)
    {
      stmt = dtx_database_prepare (db, "PRAGMA quick_check", &local_error);
      if (stmt == NULL)
        goto fail;
      if (dtx_database_step (db, stmt, &local_error))
        {
          check = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
          sqlite3_reset (stmt);
        }
      if (local_error != NULL)
        goto fail;
      if (g_strcmp0 (check, "ok") != 0)
        {
          g_set_error (error, DTX_DATABASE_ERROR, SQLITE_CORRUPT, "quick_check: %s", check ? check : "no answer");
          return OPEN_DAMAGED;
        }
    }

  /* SQLite opened a file it may not write (its mode, as a user other than
   * root): it is of no use as the store, so it goes aside like a damaged one
   * and its bookmarks are carried over. */
  if (dtx_database_is_read_only (db))
    {
      g_set_error_literal (error, DTX_DATABASE_ERROR, SQLITE_READONLY, "the file is read-only");
      return OPEN_DAMAGED;
    }

  /* WAL: readers (the UI's lists, a second process) never wait for the
   * writer. synchronous=FULL: a commit is on disk when it returns, so a
   * bookmark shown as saved survives a crash or a power cut. */
  if (!dtx_database_exec (db,
                          "PRAGMA journal_mode = WAL;"
                          "PRAGMA synchronous = FULL;"
                          "PRAGMA foreign_keys = ON;"
                          "PRAGMA cache_size = -4000;"
                          /* A WAL grown by a large write shrinks back. */
                          "PRAGMA journal_size_limit = 16777216;"
                          "PRAGMA temp_store = MEMORY;",
                          &local_error))
    goto fail;

  w->db = g_steal_pointer (&db);
  if (version < SCHEMA_VERSION && !migrate (w, version, &local_error))
    goto fail_worker;

  if (!table_exists (w->db, "articles_fts", &has_fts_table, &local_error))
    goto fail_worker;
  /* Made where SQLite had no FTS5; this one has it: index now. */
  if (!has_fts_table && fts5_available ())
    {
      if (!dtx_database_begin (w->db, &local_error))
        goto fail_worker;
      if (!dtx_database_exec (w->db, schema_fts, &local_error) ||
          !dtx_database_commit (w->db, &local_error))
        {
          dtx_database_rollback (w->db);
          goto fail_worker;
        }
      has_fts_table = TRUE;
    }
  w->has_fts = has_fts_table && fts5_available ();
  /* Rows a crash or an older file left out of the index. */
  w->index_pending = w->merge_pending = w->has_fts;

  return OPEN_OK;

fail_worker:
  db = g_steal_pointer (&w->db);
fail:
  {
    OpenResult result = classify (local_error);

    if (db != NULL)
      dtx_database_close (db);
    g_propagate_error (error, g_steal_pointer (&local_error));
    return result;
  }
}

static gboolean
rename_if_exists (const char  *from,
                  const char  *to,
                  GError     **error)
{
  if (g_rename (from, to) == 0 || errno == ENOENT)
    return TRUE;
  {
    int saved_errno = errno;

    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                 "rename %s: %s", from, g_strerror (saved_errno));
  }
  return FALSE;
}

/* Moves the file and its WAL, shared-memory and journal files aside, under
 * names SQLite still pairs up (so the WAL is read when recovering). */
static char *
move_aside (const char  *path,
            GError     **error)
{
  static const char * const suffixes[] = { "-wal", "-shm", "-journal" };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *target = g_strdup_printf ("%s.corrupt-%s", path, stamp);

  /* Twice in one second: do not overwrite the first. */
  for (guint n = 2; g_file_test (target, G_FILE_TEST_EXISTS); n++)
    {
      g_free (target);
      target = g_strdup_printf ("%s.corrupt-%s-%u", path, stamp, n);
    }

  if (!rename_if_exists (path, target, error))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (target, suffixes[i], NULL);
      g_autoptr(GError) local_error = NULL;

      if (!rename_if_exists (from, to, &local_error))
        {
          /* A stale WAL beside the fresh file would be replayed into it. */
          g_message ("%s; removing it", local_error->message);
          g_unlink (from);
        }
    }
  return g_steal_pointer (&target);
}

#define FULL_COLUMNS \
  "id, remote_id, link, title, excerpt, author, date, image_url, categories, " \
  "source_name, bookmarked, saved, read, source_url, content"
#define LIST_COLUMNS \
  "a.id, a.remote_id, a.link, a.title, a.excerpt, a.author, a.date, a.image_url, " \
  "a.categories, a.source_name, a.bookmarked, a.saved, a.read, a.source_url"

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *)text) : NULL;
}

static char *
column_dup_ref (sqlite3_stmt *stmt,
                int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_ref_string_new_len ((const char *)text, sqlite3_column_bytes (stmt, column)) : NULL;
}

/* Reads FULL_COLUMNS or LIST_COLUMNS (content is column 14 when present). */
static Snapshot *
snapshot_from_row (sqlite3_stmt *stmt,
                   gboolean      with_content)
{
  Snapshot *s = g_new0 (Snapshot, 1);

  s->store_id = sqlite3_column_int64 (stmt, 0);
  s->remote_id = sqlite3_column_int64 (stmt, 1);
  s->link = column_dup (stmt, 2);
  s->title = column_dup (stmt, 3);
  s->excerpt = column_dup (stmt, 4);
  s->author = column_dup (stmt, 5);
  s->has_date = sqlite3_column_type (stmt, 6) != SQLITE_NULL;
  s->date_us = sqlite3_column_int64 (stmt, 6);
  s->image_url = column_dup (stmt, 7);
  s->categories = column_dup (stmt, 8);
  s->source_name = column_dup (stmt, 9);
  s->bookmarked = sqlite3_column_int (stmt, 10) != 0;
  s->has_saved = sqlite3_column_type (stmt, 11) != SQLITE_NULL;
  s->saved_us = sqlite3_column_int64 (stmt, 11);
  s->read = sqlite3_column_int (stmt, 12) != 0;
  s->source_url = column_dup (stmt, 13);
  if (with_content)
    {
      s->content = column_dup_ref (stmt, 14);
      s->has_content = TRUE;
    }
  return s;
}

/* Reads one bookmark of a damaged file; its content too when that can
 * still be read. */
static Snapshot *
read_damaged_row (DtxDatabase *old,
                  gint64       id)
{
  static const char * const queries[] = {
    "SELECT " FULL_COLUMNS " FROM articles WHERE id = ?1",
    "SELECT id, remote_id, link, title, excerpt, author, date, image_url, categories, "
    "source_name, bookmarked, saved, read, source_url FROM articles WHERE id = ?1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autoptr(GError) error = NULL;
      sqlite3_stmt *stmt = dtx_database_prepare (old, queries[i], &error);

      if (stmt == NULL)
        continue;
      sqlite3_bind_int64 (stmt, 1, id);
      if (dtx_database_step (old, stmt, &error))
        {
          Snapshot *s = snapshot_from_row (stmt, i == 0);

          sqlite3_reset (stmt);
          return s;
        }
      g_debug ("Bookmark %" G_GINT64_FORMAT ": %s", id, error ? error->message : "gone");
    }
  return NULL;
}

/* Every bookmark that can still be read from a damaged file, row by row:
 * a bad page ends one scan, and the next starts past it. */
static GPtrArray *
salvage_bookmarks (const char *path)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify)snapshot_free);
  g_autoptr(DtxDatabase) old = NULL;
  g_autoptr(GError) error = NULL;
  gint64 next = 0; /* row ids SQLite assigns start at 1 */
  guint64 skip = 0;
  guint failures = 0;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&found);

  old = dtx_database_open (path, DTX_DATABASE_OPEN_READ_ONLY, &error);
  if (old == NULL)
    {
      g_message ("Cannot read %s for bookmarks: %s", path, error->message);
      return g_steal_pointer (&found);
    }
  /* As SQLite's own recovery does: reads a file shorter than its header
   * says (truncated), and a schema that does not fully parse. */
  if (!dtx_database_exec (old, "PRAGMA writable_schema = ON", &error))
    {
      g_debug ("writable_schema: %s", error->message);
      g_clear_error (&error);
    }

  while (failures < 64)
    {
      g_autoptr(GError) scan_error = NULL;
      /* The table alone (NOT INDEXED): a damaged index must not hide rows. */
      sqlite3_stmt *stmt = dtx_database_prepare (old,
                                                 "SELECT id, bookmarked FROM articles NOT INDEXED"
                                                 " WHERE id >= ?1 ORDER BY id",
                                                 &scan_error);
      gboolean progressed = FALSE;

      if (stmt == NULL)
        {
          g_message ("Cannot read bookmarks of %s: %s", path, scan_error->message);
          break;
        }
      sqlite3_bind_int64 (stmt, 1, skip >= (guint64)(G_MAXINT64 - next) ? G_MAXINT64 : next + (gint64)skip);
      while (dtx_database_step (old, stmt, &scan_error))
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);
          gboolean bookmarked = sqlite3_column_int (stmt, 1) != 0;

          /* A damaged b-tree can lead a scan back to rows it gave already. */
          if (id < next)
            continue;
          progressed = TRUE;
          next = id + 1;
          skip = 0;
          if (bookmarked)
            {
              Snapshot *s = read_damaged_row (old, id);

              if (s != NULL)
                g_ptr_array_add (found, s);
            }
        }
      if (scan_error == NULL)
        break; /* read to the end */

      g_debug ("Scan of %s stopped after %" G_GINT64_FORMAT ": %s", path, next, scan_error->message);
      failures++;
      if (progressed)
        skip = 1;
      else
        skip = skip == 0 ? 1 : skip * 4;
    }

  return g_steal_pointer (&found);
}

static gboolean upsert (Worker *w, const char *source_url, Snapshot *s, gboolean *is_new, gboolean *changed, GError **error);

static gboolean
store_recovered (Worker     *w,
                 GPtrArray  *bookmarks,
                 GError    **error)
{
  sqlite3_stmt *stmt;

  if (bookmarks->len == 0)
    return TRUE;
  if (!dtx_database_begin (w->db, error))
    return FALSE;
  for (guint i = 0; i < bookmarks->len; i++)
    {
      Snapshot *s = g_ptr_array_index (bookmarks, i);
      /* upsert() reads the new row's state into s: keep the old file's. */
      gint64 saved_us = s->has_saved ? s->saved_us : g_get_real_time ();
      gboolean read = s->read;
      gboolean is_new, changed;

      if (!upsert (w, s->source_url ? s->source_url : "", s, &is_new, &changed, error))
        goto fail;
      stmt = dtx_database_prepare (w->db,
                                   "UPDATE articles SET bookmarked = 1, saved = ?2, read = ?3 WHERE id = ?1",
                                   error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, s->store_id);
      sqlite3_bind_int64 (stmt, 2, saved_us);
      sqlite3_bind_int (stmt, 3, read);
      if (!dtx_database_run (w->db, stmt, error))
        goto fail;
    }
  return dtx_database_commit (w->db, error);

fail:
  dtx_database_rollback (w->db);
  return FALSE;
}

static void
worker_open (Worker *w)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (w->path);
  OpenResult result;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_message ("Cannot create %s: %s", dir, g_strerror (saved_errno));
      g_set_error (&w->open_error, DTX_STORE_ERROR, DTX_STORE_ERROR_IO,
                   _("The folder “%s” for your articles cannot be created. Check that it is yours and writable, then restart the app."),
                   dir);
      return;
    }

  w->check_needed = take_check_markers (w->path);
  result = try_open (w, &error);
  if (result == OPEN_DAMAGED)
    {
      g_autoptr(GPtrArray) bookmarks = NULL;
      g_autoptr(GError) move_error = NULL;
      g_autoptr(GError) recover_error = NULL;

      g_message ("The store %s is unusable (%s): moving it aside", w->path, error->message);
      g_clear_error (&error);
      w->moved_to = move_aside (w->path, &move_error);
      if (w->moved_to == NULL)
        {
          g_message ("%s", move_error->message);
          g_set_error (&w->open_error, DTX_STORE_ERROR, DTX_STORE_ERROR_IO,
                       _("The article store “%s” is damaged and cannot be moved aside. Check that its folder is yours and writable, then restart the app."),
                       w->path);
          return;
        }

      bookmarks = salvage_bookmarks (w->moved_to);
      result = try_open (w, &error);
      if (result == OPEN_OK)
        {
          if (store_recovered (w, bookmarks, &recover_error))
            w->n_recovered = bookmarks->len;
          else
            g_message ("Could not carry the bookmarks of %s over: %s", w->moved_to, recover_error->message);
          g_message ("Moved %s to %s, carried over %u bookmarks", w->path, w->moved_to, w->n_recovered);
        }
      else if (result == OPEN_DAMAGED)
        result = OPEN_FAILED; /* a fresh file is no better: the folder is at fault */
    }

  switch (result)
    {
    case OPEN_OK:
      {
        g_autofree char *damaged = damaged_marker (w->path);

        /* Checked or made anew: the damage marker has served. */
        g_unlink (damaged);
        w->marker = g_strdup_printf ("%s.open-%d", w->path, (int)getpid ());
        if (!g_file_set_contents (w->marker, "", 0, NULL))
          g_clear_pointer (&w->marker, g_free);
      }
      break;
    case OPEN_NEWER:
      set_newer_error (&w->open_error);
      break;
    case OPEN_DAMAGED:
    case OPEN_FAILED:
    default:
      set_io_error (&w->open_error, error, w->path);
      break;
    }
}

/* ------------------------------------------------------------------------ */
/* Writing articles                                                          */

static void
bind_text (sqlite3_stmt *stmt,
           int           column,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, column, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, column);
}

static void
bind_time (sqlite3_stmt *stmt,
           int           column,
           gboolean      has,
           gint64        us)
{
  if (has)
    sqlite3_bind_int64 (stmt, column, us);
  else
    sqlite3_bind_null (stmt, column);
}

static gboolean
read_state (Worker   *w,
            Snapshot *s,
            GError  **error)
{
  GError *local_error = NULL;
  sqlite3_stmt *stmt = dtx_database_prepare (w->db,
                                             "SELECT bookmarked, saved, read FROM articles WHERE id = ?1",
                                             error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, s->store_id);
  if (dtx_database_step (w->db, stmt, &local_error))
    {
      s->bookmarked = sqlite3_column_int (stmt, 0) != 0;
      s->has_saved = sqlite3_column_type (stmt, 1) != SQLITE_NULL;
      s->saved_us = sqlite3_column_int64 (stmt, 1);
      s->read = sqlite3_column_int (stmt, 2) != 0;
      sqlite3_reset (stmt);
      return TRUE;
    }
  if (local_error == NULL)
    g_set_error_literal (&local_error, DTX_DATABASE_ERROR, SQLITE_NOTFOUND, "row vanished");
  g_propagate_error (error, local_error);
  return FALSE;
}

/* Finds the row of (source_url, key). The same article seen once without
 * an id (a feed) and once with one (the REST API) is one row: found by its
 * link, it is re-keyed to the id, and a later copy without the id keeps the
 * key (*keep_key). */
static gboolean
find_row (Worker     *w,
          const char *source_url,
          Snapshot   *s,
          const char *key,
          gint64     *id,
          gboolean   *keep_key,
          GError    **error)
{
  static const char * const queries[] = {
    "SELECT id FROM articles WHERE source_url = ?1 AND remote_key = ?2",
    "SELECT id FROM articles WHERE source_url = ?1 AND remote_key = ?2",
    "SELECT id FROM articles WHERE source_url = ?1 AND link = ?2 ORDER BY id LIMIT 1",
  };
  const char *values[G_N_ELEMENTS (queries)] = { key, NULL, NULL };
  gboolean has_link = s->link != NULL && *s->link;

  *id = 0;
  *keep_key = FALSE;
  if (s->remote_id != 0 && has_link)
    values[1] = s->link;
  else if (s->remote_id == 0 && has_link)
    values[2] = s->link;

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      GError *local_error = NULL;
      sqlite3_stmt *stmt;

      if (values[i] == NULL)
        continue;
      stmt = dtx_database_prepare (w->db, queries[i], error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, source_url);
      bind_text (stmt, 2, values[i]);
      if (dtx_database_step (w->db, stmt, &local_error))
        {
          *id = sqlite3_column_int64 (stmt, 0);
          *keep_key = (i == 2);
          sqlite3_reset (stmt);
          return TRUE;
        }
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
    }
  return TRUE;
}

/* Inserts or updates in place; bookmark and read state stay. Content,
 * excerpt and image are kept when the new copy has none (a feed without
 * bodies must not erase what the REST API gave). On return s->store_id and
 * the state fields come from the row. */
static gboolean
upsert (Worker      *w,
        const char  *source_url,
        Snapshot    *s,
        gboolean    *is_new,
        gboolean    *changed,
        GError     **error)
{
  g_autofree char *key = snapshot_remote_key (s);
  sqlite3_stmt *stmt;
  gboolean keep_key = FALSE;
  gint64 id = 0;

  *is_new = *changed = FALSE;
  if (key == NULL)
    {
      g_set_error_literal (error, DTX_DATABASE_ERROR, SQLITE_MISMATCH, "an article with neither id nor link");
      return FALSE;
    }

  if (!find_row (w, source_url, s, key, &id, &keep_key, error))
    return FALSE;

  if (id != 0)
    {
      stmt = dtx_database_prepare (w->db,
                                   "UPDATE articles SET remote_key = coalesce (?2, remote_key),"
                                   " remote_id = coalesce (?3, remote_id), link = ?4,"
                                   " title = ?5, excerpt = coalesce (?6, excerpt),"
                                   " content = coalesce (?7, content), author = ?8, date = ?9,"
                                   " image_url = coalesce (?10, image_url), categories = ?11,"
                                   " source_name = ?12"
                                   " WHERE id = ?1 AND ((?2 IS NOT NULL AND remote_key IS NOT ?2)"
                                   "  OR (?3 IS NOT NULL AND remote_id IS NOT ?3)"
                                   "  OR link IS NOT ?4 OR title IS NOT ?5"
                                   "  OR (?6 IS NOT NULL AND excerpt IS NOT ?6)"
                                   "  OR (?7 IS NOT NULL AND content IS NOT ?7)"
                                   "  OR author IS NOT ?8 OR date IS NOT ?9"
                                   "  OR (?10 IS NOT NULL AND image_url IS NOT ?10)"
                                   "  OR categories IS NOT ?11 OR source_name IS NOT ?12)",
                                   error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
    }
  else
    {
      stmt = dtx_database_prepare (w->db,
                                   "INSERT INTO articles (source_url, remote_key, remote_id, link,"
                                   " title, excerpt, content, author, date, image_url, categories,"
                                   " source_name, first_stored)"
                                   " VALUES (?13, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?14)",
                                   error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 13, source_url);
      sqlite3_bind_int64 (stmt, 14, g_get_real_time ());
    }

  if (keep_key)
    {
      sqlite3_bind_null (stmt, 2);
      sqlite3_bind_null (stmt, 3);
    }
  else
    {
      bind_text (stmt, 2, key);
      sqlite3_bind_int64 (stmt, 3, s->remote_id);
    }
  bind_text (stmt, 4, s->link);
  bind_text (stmt, 5, s->title);
  bind_text (stmt, 6, s->excerpt);
  bind_text (stmt, 7, s->content);
  bind_text (stmt, 8, s->author);
  bind_time (stmt, 9, s->has_date, s->date_us);
  bind_text (stmt, 10, s->image_url);
  bind_text (stmt, 11, s->categories);
  bind_text (stmt, 12, s->source_name);

  if (!dtx_database_run (w->db, stmt, error))
    return FALSE;

  if (id == 0)
    {
      id = dtx_database_last_insert_id (w->db);
      *is_new = TRUE;
    }
  else
    *changed = dtx_database_changes (w->db) > 0;

  if (*changed)
    {
      stmt = dtx_database_prepare (w->db, "DELETE FROM article_categories WHERE article_id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      if (!dtx_database_run (w->db, stmt, error))
        return FALSE;
    }
  if ((*is_new || *changed) && s->categories != NULL && !fill_categories (w, id, error))
    return FALSE;

  s->store_id = id;
  return read_state (w, s, error);
}

/* ------------------------------------------------------------------------ */
/* The queue                                                                 */

static gboolean
job_complete_cb (gpointer data)
{
  Job *job = data;
  DtxStore *self = g_task_get_source_object (job->task);
  GTask *task = g_steal_pointer (&job->task);

  /* An open that found a newer file fails, yet has state to hand over. */
  if (job->done != NULL && (job->error == NULL || job->run == NULL))
    job->done (self, job);

  if (job->error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&job->error));
      job_free (job);
    }
  else
    g_task_return_pointer (task, job, (GDestroyNotify)job_free);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

/* Indexes up to batch rows not yet in the search index, in one
 * transaction; clears index_pending when none is left (or on an error,
 * until the next write). */
static void
worker_index_step (Worker *w,
                   guint   batch)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  gint64 last = 0;

  if (w->db == NULL || w->read_only || !w->has_fts)
    {
      w->index_pending = FALSE;
      return;
    }
  /* The rows are picked inside the write transaction: a second process
   * indexing at the same time cannot index them twice. */
  if (!dtx_database_begin (w->db, &error))
    goto fail;
  stmt = dtx_database_prepare (w->db,
                               "SELECT max (id) FROM (SELECT id FROM articles WHERE indexed = 0"
                               " ORDER BY id LIMIT ?1)",
                               &error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int (stmt, 1, batch);
  if (dtx_database_step (w->db, stmt, &error))
    {
      last = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }
  if (error != NULL)
    goto fail;
  if (last == 0)
    {
      dtx_database_rollback (w->db);
      w->index_pending = FALSE;
      return;
    }

  stmt = dtx_database_prepare (w->db,
                               "INSERT INTO articles_fts (rowid, title, excerpt, body)"
                               " SELECT id, title, excerpt, dtx_plain_text (content) FROM articles"
                               " WHERE indexed = 0 AND id <= ?1",
                               &error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, last);
  if (!dtx_database_run (w->db, stmt, &error))
    goto fail;
  stmt = dtx_database_prepare (w->db, "UPDATE articles SET indexed = 1 WHERE indexed = 0 AND id <= ?1", &error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, last);
  if (!dtx_database_run (w->db, stmt, &error) ||
      !dtx_database_commit (w->db, &error))
    goto fail;
  return;

fail:
  g_message ("Indexing %s: %s", w->path, error->message);
  dtx_database_rollback (w->db);
  w->index_pending = FALSE;
}

/* One bounded step of FTS5 segment merging; the index is correct without
 * it, merging keeps searches fast as segments pile up. */
static void
worker_merge_step (Worker *w)
{
  g_autoptr(GError) error = NULL;
  int before;

  if (w->db == NULL || w->read_only || !w->has_fts)
    {
      w->merge_pending = FALSE;
      return;
    }
  before = sqlite3_total_changes (dtx_database_get_handle (w->db));
  if (!dtx_database_exec (w->db, "INSERT INTO articles_fts (articles_fts, rank) VALUES ('merge', 64)", &error))
    {
      g_debug ("Index merge: %s", error->message);
      w->merge_pending = FALSE;
      return;
    }
  /* Less than two changes: nothing was left to merge. */
  if (sqlite3_total_changes (dtx_database_get_handle (w->db)) - before < 2)
    {
      w->merge_pending = FALSE;
#ifdef __GLIBC__
      /* Idle now: hand back what a page of bodies and the merges left in
       * this thread's malloc arena, or it stays in the app's memory. */
      malloc_trim (0);
#endif
    }
}

static gpointer
worker_thread (gpointer data)
{
  GAsyncQueue *queue = data;
  Worker *w = g_new0 (Worker, 1);
  Job *job;

#ifdef __linux__
  /* Behind the UI: where the CPUs are busy, saving a large feed must not
   * hold back the window's frames. (Linux gives each thread a nice value.) */
  if (setpriority (PRIO_PROCESS, (id_t)syscall (SYS_gettid), 10) != 0)
    g_debug ("The store thread keeps its priority: %s", g_strerror (errno));
#endif

  /* The first job is always the open. */
  for (;;)
    {
      /* Idle: index new rows, then merge index segments, a small step at a
       * time between jobs, so a job waits for one step at most. */
      job = w->index_pending || w->merge_pending ? g_async_queue_try_pop (queue)
                                                 : g_async_queue_pop (queue);
      if (job == NULL)
        {
          if (w->index_pending)
            worker_index_step (w, 10);
          else
            worker_merge_step (w);
          continue;
        }

      if (job->shutdown)
        {
          job_free (job);
          break;
        }

      if (job->task == NULL)
        {
          /* The open, queued by the constructor. */
          w->path = g_steal_pointer (&job->text);
          worker_open (w);
          job_free (job);
          continue;
        }

      if (g_cancellable_is_cancelled (g_task_get_cancellable (job->task)))
        g_cancellable_set_error_if_cancelled (g_task_get_cancellable (job->task), &job->error);
      else if (job->writes && w->read_only)
        set_read_only_error (&job->error);
      else if (w->db == NULL && job->run != NULL)
        g_propagate_error (&job->error, g_error_copy (w->open_error));
      else if (job->run != NULL)
        {
          g_autoptr(GError) error = NULL;

          if (!job->run (w, job, &error))
            {
              if (db_error_is_damage (error))
                mark_damaged (w);
              if (error->domain == DTX_DATABASE_ERROR)
                set_io_error (&job->error, error, w->path);
              else
                job->error = g_steal_pointer (&error);
            }
          else if (job->writes)
            w->index_pending = w->merge_pending = w->has_fts;
        }

      /* Open jobs read what the open found. */
      if (job->run == NULL)
        {
          job->value = w->read_only;
          job->flags = w->has_fts;
          if (job->error == NULL)
            {
              job->moved_to = g_strdup (w->moved_to);
              job->n_recovered = w->n_recovered;
              if (w->open_error != NULL)
                job->error = g_error_copy (w->open_error);
            }
        }

      /* The worker never drops the last reference of the task (and so of
       * the store): completion and the free happen in the caller's context. */
      g_main_context_invoke_full (g_task_get_context (job->task),
                                  g_task_get_priority (job->task), job_complete_cb, job, NULL);
    }

  if (w->db != NULL)
    {
      /* Leave the file whole for whoever opens it next, even read-only. */
      while (w->index_pending)
        worker_index_step (w, 500);
      /* Keeps the planner's statistics fresh, cheaply. */
      if (!w->read_only)
        dtx_database_exec (w->db, "PRAGMA optimize", NULL);
      dtx_database_close (w->db);
    }
  /* Closed whole: the next start needs no full check. */
  if (w->marker != NULL)
    g_unlink (w->marker);
  g_free (w->marker);
  g_clear_object (&w->db);
  g_clear_error (&w->open_error);
  g_free (w->moved_to);
  g_free (w->path);
  g_free (w);
  g_async_queue_unref (queue);
  return NULL;
}

static Job *
job_new (DtxStore            *self,
         JobRun               run,
         JobDone              done,
         gboolean             writes,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data,
         gpointer             tag)
{
  Job *job = g_new0 (Job, 1);

  job->run = run;
  job->done = done;
  job->writes = writes;
  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, tag);
  /* We decide: a write that went through is not reported as cancelled. */
  g_task_set_check_cancellable (job->task, FALSE);
  return job;
}

static void
job_queue (DtxStore *self,
           Job      *job)
{
  if (self->thread == NULL)
    {
      /* Closed: the job fails in the caller's context, as any other. */
      job->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CLOSED, "the store is closed");
      job->run = NULL;
      job->done = NULL;
      g_main_context_invoke_full (g_task_get_context (job->task),
                                  g_task_get_priority (job->task), job_complete_cb, job, NULL);
      return;
    }
  g_async_queue_push (self->queue, job);
}

/* Job from a finished task, or NULL with error set. */
static Job *
job_finish (DtxStore      *self,
            GAsyncResult  *result,
            gpointer       tag,
            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Signals go out in the context of the thread that made the store. */
typedef struct {
  DtxStore *self;
  guint     signal;
  gint64    id;
  gboolean  bookmarked;
  gboolean  read;
  char     *source_url;
} Emission;

static gboolean
emit_cb (gpointer data)
{
  Emission *e = data;

  if (e->signal == ARTICLE_CHANGED)
    g_signal_emit (e->self, signals[ARTICLE_CHANGED], 0, e->id, e->bookmarked, e->read);
  else
    g_signal_emit (e->self, signals[ARTICLES_CHANGED], 0, e->source_url);
  return G_SOURCE_REMOVE;
}

static void
emission_free (gpointer data)
{
  Emission *e = data;

  g_object_unref (e->self);
  g_free (e->source_url);
  g_free (e);
}

static void
emit (DtxStore   *self,
      guint       signal,
      gint64      id,
      gboolean    bookmarked,
      gboolean    read,
      const char *source_url)
{
  Emission *e = g_new0 (Emission, 1);

  e->self = g_object_ref (self);
  e->signal = signal;
  e->id = id;
  e->bookmarked = bookmarked;
  e->read = read;
  e->source_url = g_strdup (source_url);
  /* Runs at once when this thread owns that context (the usual case). */
  g_main_context_invoke_full (self->main_context, G_PRIORITY_DEFAULT, emit_cb, e, emission_free);
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                   */

static void
dtx_store_constructed (GObject *object)
{
  DtxStore *self = DTX_STORE (object);
  Job *open = g_new0 (Job, 1);

  G_OBJECT_CLASS (dtx_store_parent_class)->constructed (object);

  self->main_context = g_main_context_ref_thread_default ();
  self->queue = g_async_queue_new ();
  open->text = g_strdup (self->path);
  g_async_queue_push (self->queue, open);
  self->thread = g_thread_new ("dtx-store", worker_thread, g_async_queue_ref (self->queue));
}

void
dtx_store_close (DtxStore *self)
{
  Job *stop;

  g_return_if_fail (DTX_IS_STORE (self));

  if (self->thread == NULL)
    return;
  /* The jobs queued before run first; the thread then closes the
   * connection (indexing what is left) and ends. */
  stop = g_new0 (Job, 1);
  stop->shutdown = TRUE;
  g_async_queue_push (self->queue, stop);
  g_thread_join (self->thread);
  self->thread = NULL;
}

static void
dtx_store_finalize (GObject *object)
{
  DtxStore *self = DTX_STORE (object);

  /* Every queued job holds a reference on the store, so the queue is empty
   * but for what runs. */
  dtx_store_close (self);
  g_async_queue_unref (self->queue);
  g_main_context_unref (self->main_context);
  g_free (self->path);

  G_OBJECT_CLASS (dtx_store_parent_class)->finalize (object);
}

static void
dtx_store_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  DtxStore *self = DTX_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH: g_value_set_string (value, self->path); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dtx_store_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  DtxStore *self = DTX_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH: self->path = g_value_dup_string (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dtx_store_class_init (DtxStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = dtx_store_constructed;
  object_class->finalize = dtx_store_finalize;
  object_class->get_property = dtx_store_get_property;
  object_class->set_property = dtx_store_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ARTICLE_CHANGED] =
    g_signal_new ("article-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_INT64, G_TYPE_BOOLEAN, G_TYPE_BOOLEAN);
  signals[ARTICLES_CHANGED] =
    g_signal_new ("articles-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
dtx_store_init (DtxStore *self)
{
}

DtxStore *
dtx_store_new (const char *path)
{
  g_return_val_if_fail (path != NULL, NULL);

  return g_object_new (DTX_TYPE_STORE, "path", path, NULL);
}

const char *
dtx_store_get_path (DtxStore *self)
{
  g_return_val_if_fail (DTX_IS_STORE (self), NULL);

  return self->path;
}

gboolean
dtx_store_is_read_only (DtxStore *self)
{
  g_return_val_if_fail (DTX_IS_STORE (self), FALSE);

  return g_atomic_int_get (&self->read_only);
}

gboolean
dtx_store_has_fts_for_testing (DtxStore *self)
{
  g_return_val_if_fail (DTX_IS_STORE (self), FALSE);

  return g_atomic_int_get (&self->has_fts);
}

/* ------------------------------------------------------------------------ */
/* open                                                                      */

static void
open_done (DtxStore *self,
           Job      *job)
{
  g_atomic_int_set (&self->read_only, job->value);
  g_atomic_int_set (&self->has_fts, job->flags);
}

void
dtx_store_open_async (DtxStore            *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  Job *job;

  g_return_if_fail (DTX_IS_STORE (self));

  job = job_new (self, NULL, open_done, FALSE, cancellable, callback, user_data, dtx_store_open_async);
  job_queue (self, job);
}

gboolean
dtx_store_open_finish (DtxStore      *self,
                       GAsyncResult  *result,
                       char         **moved_to,
                       guint         *n_recovered,
                       GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  Job *job = job_finish (self, result, dtx_store_open_async, &local_error);

  if (moved_to != NULL)
    *moved_to = NULL;
  if (n_recovered != NULL)
    *n_recovered = 0;

  if (job == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (moved_to != NULL)
    *moved_to = g_steal_pointer (&job->moved_to);
  if (n_recovered != NULL)
    *n_recovered = job->n_recovered;
  job_free (job);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* save_articles                                                             */

static gboolean
save_articles_run (Worker  *w,
                   Job     *job,
                   GError **error)
{
  /* Here rather than on the UI thread: copying 10,000 articles took 17 ms. */
  for (guint i = 0; i < job->articles->len; i++)
    g_ptr_array_add (job->snapshots, snapshot_from_article (g_ptr_array_index (job->articles, i), TRUE));

  if (!dtx_database_begin (w->db, error))
    return FALSE;

  for (guint i = 0; i < job->snapshots->len; i++)
    {
      Snapshot *s = g_ptr_array_index (job->snapshots, i);
      g_autoptr(GError) local_error = NULL;
      gboolean is_new, changed;

      if (!upsert (w, job->source_url, s, &is_new, &changed, &local_error))
        {
          /* An article without id or link cannot be keyed: skip it. */
          if (db_error_is (local_error, SQLITE_MISMATCH))
            continue;
          dtx_database_rollback (w->db);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      job->n_new += is_new;
      job->n_changed += changed;
    }

  if (!dtx_database_commit (w->db, error))
    {
      /* Nothing of the page was stored: do not report ids. */
      return FALSE;
    }
  return TRUE;
}

static void
save_articles_done (DtxStore *self,
                    Job      *job)
{
  for (guint i = 0; i < job->snapshots->len; i++)
    {
      Snapshot *s = g_ptr_array_index (job->snapshots, i);

      if (s->store_id != 0)
        snapshot_apply_state (s, g_ptr_array_index (job->articles, i));
    }
  if (job->n_new > 0 || job->n_changed > 0)
    emit (self, ARTICLES_CHANGED, 0, FALSE, FALSE, job->source_url);
}

void
dtx_store_save_articles_async (DtxStore            *self,
                               const char          *source_url,
                               GPtrArray           *articles,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  Job *job;

  g_return_if_fail (DTX_IS_STORE (self));
  g_return_if_fail (source_url != NULL);
  g_return_if_fail (articles != NULL);

  job = job_new (self, save_articles_run, save_articles_done, TRUE,
                 cancellable, callback, user_data, dtx_store_save_articles_async);
  /* The answer waits for a frame GTK has asked for (GDK_PRIORITY_REDRAW):
   * a page a refresh has just listed is painted before its save comes back
   * to reload the list (3-8 ms of the 30 from last byte to rows here). */
  g_task_set_priority (job->task, G_PRIORITY_DEFAULT_IDLE);
  job->source_url = g_strdup (source_url);
  job->articles = g_ptr_array_new_with_free_func (g_object_unref);
  job->snapshots = g_ptr_array_new_with_free_func ((GDestroyNotify)snapshot_free);
  for (guint i = 0; i < articles->len; i++)
    g_ptr_array_add (job->articles, g_object_ref (g_ptr_array_index (articles, i)));
  job_queue (self, job);
}

gboolean
dtx_store_save_articles_finish (DtxStore      *self,
                                GAsyncResult  *result,
                                guint         *n_new,
                                GError       **error)
{
  Job *job = job_finish (self, result, dtx_store_save_articles_async, error);

  if (n_new != NULL)
    *n_new = job != NULL ? job->n_new : 0;
  if (job == NULL)
    return FALSE;
  job_free (job);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* list                                                                      */

/* User text to an FTS5 query: each run of letters and digits becomes a
 * quoted prefix term ("tele"*), all of them required. Quoting and dropping
 * everything else leaves no syntax (AND, NEAR(, ", *, -) for input to
 * reach, and each term is one word of unicode61 (letters and digits), never
 * a phrase. NULL when nothing searchable is left. */
static char *
search_to_fts (const char *search)
{
  GString *query = g_string_new (NULL);
  GString *token = g_string_new (NULL);
  guint n_tokens = 0;
  const char *p = search;

  for (;; p = g_utf8_next_char (p))
    {
      gunichar c = *p ? g_utf8_get_char_validated (p, -1) : 0;
      gboolean word = c != 0 && c != (gunichar)-1 && c != (gunichar)-2 && g_unichar_isalnum (c);

      if (word && g_utf8_strlen (token->str, -1) < MAX_TOKEN_CHARS)
        g_string_append_unichar (token, c);
      else if (!word && token->len > 0)
        {
          if (n_tokens++ < MAX_SEARCH_TOKENS)
            g_string_append_printf (query, "%s\"%s\"*", query->len ? " " : "", token->str);
          g_string_truncate (token, 0);
        }
      if (*p == '\0' || c == (gunichar)-1 || c == (gunichar)-2)
        break;
    }

  g_string_free (token, TRUE);
  if (query->len == 0)
    {
      g_string_free (query, TRUE);
      return NULL;
    }
  return g_string_free (query, FALSE);
}

/* The same words for the LIKE fallback, as %word% patterns. */
static GPtrArray *
search_to_like (const char *search)
{
  g_autofree char *fts = search_to_fts (search);
  g_auto(GStrv) terms = NULL;
  GPtrArray *patterns = g_ptr_array_new_with_free_func (g_free);

  if (fts == NULL)
    return patterns;
  terms = g_strsplit (fts, " ", -1);
  for (guint i = 0; terms[i] != NULL; i++)
    {
      /* "word"* → %word%; letters and digits need no LIKE escaping. */
      gsize len = strlen (terms[i]);

      if (len >= 3)
        g_ptr_array_add (patterns, g_strdup_printf ("%%%.*s%%", (int)(len - 3), terms[i] + 1));
    }
  return patterns;
}

/* The WHERE terms of a list, on the articles table as alias t. */
static void
append_filters (GString    *sql,
                Job        *job,
                const char *t)
{
  if (job->source_url != NULL)
    g_string_append_printf (sql, " AND %s.source_url = :source", t);
  if (job->flags & DTX_STORE_LIST_BOOKMARKS)
    g_string_append_printf (sql, " AND %s.bookmarked = 1", t);
  if (job->flags & DTX_STORE_LIST_UNREAD)
    g_string_append_printf (sql, " AND %s.read = 0", t);
  if (job->category != NULL)
    g_string_append_printf (sql, " AND %s.id IN (SELECT article_id FROM article_categories"
                                 " WHERE name = :category)", t);
}

static gboolean
list_run (Worker  *w,
          Job     *job,
          GError **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GPtrArray) like = NULL;
  g_autofree char *fts = NULL;
  gboolean searching = job->text != NULL && *job->text;
  GError *local_error = NULL;
  sqlite3_stmt *stmt;
  int param = 1;

  job->snapshots = g_ptr_array_new_with_free_func ((GDestroyNotify)snapshot_free);

  if (searching && w->has_fts)
    {
      fts = search_to_fts (job->text);
      if (fts == NULL)
        return TRUE; /* nothing searchable: nothing found */
      /* A search sees every stored article. */
      while (w->index_pending)
        worker_index_step (w, 500);
    }
  else if (searching)
    {
      like = search_to_like (job->text);
      if (like->len == 0)
        return TRUE;
    }

  if (fts != NULL)
    {
      /* Rank and cut to the page on the index (and the small columns the
       * filters need), then read the listed columns of that page only. */
      g_string_append (sql, "SELECT " LIST_COLUMNS " FROM (SELECT f.rowid AS id, f.rank AS rank"
                            " FROM articles_fts f");
      if (job->source_url != NULL || job->category != NULL || job->flags != DTX_STORE_LIST_ALL)
        g_string_append (sql, " JOIN articles b ON b.id = f.rowid");
      g_string_append (sql, " WHERE f.articles_fts MATCH :fts");
      append_filters (sql, job, "b");
      g_string_append (sql, " ORDER BY f.rank, f.rowid DESC LIMIT :limit OFFSET :offset) r"
                            " JOIN articles a ON a.id = r.id ORDER BY r.rank, r.id DESC");
    }
  else
    {
      g_string_append (sql, "SELECT " LIST_COLUMNS " FROM articles a WHERE 1");
      append_filters (sql, job, "a");
      for (guint i = 0; like != NULL && i < like->len; i++)
        g_string_append_printf (sql, " AND (a.title LIKE ?%u OR a.excerpt LIKE ?%u OR a.content LIKE ?%u)",
                                100 + i, 100 + i, 100 + i);
      if (job->flags & DTX_STORE_LIST_BOOKMARKS)
        g_string_append (sql, " ORDER BY a.saved DESC, a.id DESC");
      else
        g_string_append (sql, " ORDER BY a.date DESC, a.id DESC");
      g_string_append (sql, " LIMIT :limit OFFSET :offset");
    }

  stmt = dtx_database_prepare (w->db, sql->str, error);
  if (stmt == NULL)
    return FALSE;

  if ((param = sqlite3_bind_parameter_index (stmt, ":fts")) > 0)
    bind_text (stmt, param, fts);
  if ((param = sqlite3_bind_parameter_index (stmt, ":source")) > 0)
    bind_text (stmt, param, job->source_url);
  if ((param = sqlite3_bind_parameter_index (stmt, ":category")) > 0)
    bind_text (stmt, param, job->category);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":limit"), job->limit);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":offset"), job->offset);
  for (guint i = 0; like != NULL && i < like->len; i++)
    bind_text (stmt, 100 + i, g_ptr_array_index (like, i));

  while (dtx_database_step (w->db, stmt, &local_error))
    g_ptr_array_add (job->snapshots, snapshot_from_row (stmt, FALSE));
  if (fts != NULL && db_error_is (local_error, SQLITE_ERROR))
    {
      /* A query FTS5 refuses (a character its tokenizer splits where ours
       * did not) finds nothing; it is no failure of the store. */
      g_message ("Search %s: %s", fts, local_error->message);
      g_clear_error (&local_error);
      g_ptr_array_set_size (job->snapshots, 0);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

void
dtx_store_list_async (DtxStore            *self,
                      const char          *source_url,
                      DtxStoreListFlags    flags,
                      const char          *search,
                      guint                offset,
                      guint                limit,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  Job *job;

  g_return_if_fail (DTX_IS_STORE (self));

  job = job_new (self, list_run, NULL, FALSE, cancellable, callback, user_data, dtx_store_list_async);
  job->source_url = g_strdup (source_url);
  job->flags = flags;
  job->text = g_strdup (search);
  job->offset = offset;
  job->limit = limit;
  job_queue (self, job);
}

void
dtx_store_list_query_async (DtxStore            *self,
                            const DtxStoreQuery *query,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  Job *job;

  g_return_if_fail (DTX_IS_STORE (self));
  g_return_if_fail (query != NULL);

  job = job_new (self, list_run, NULL, FALSE, cancellable, callback, user_data, dtx_store_list_query_async);
  job->source_url = g_strdup (query->source_url);
  job->category = g_strdup (query->category);
  job->flags = query->flags;
  job->text = g_strdup (query->search);
  job->offset = query->offset;
  job->limit = query->limit;
  job_queue (self, job);
}

static GPtrArray *
articles_from_snapshots (GPtrArray *snapshots)
{
  GPtrArray *articles = g_ptr_array_new_full (snapshots ? snapshots->len : 0, g_object_unref);

  for (guint i = 0; snapshots != NULL && i < snapshots->len; i++)
    g_ptr_array_add (articles, snapshot_to_article (g_ptr_array_index (snapshots, i)));
  return articles;
}

GPtrArray *
dtx_store_list_finish (DtxStore      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  Job *job = job_finish (self, result, dtx_store_list_async, error);
  GPtrArray *articles;

  if (job == NULL)
    return NULL;
  articles = articles_from_snapshots (job->snapshots);
  job_free (job);
  return articles;
}

GPtrArray *
dtx_store_list_query_finish (DtxStore      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  Job *job = job_finish (self, result, dtx_store_list_query_async, error);
  GPtrArray *articles;

  if (job == NULL)
    return NULL;
  articles = articles_from_snapshots (job->snapshots);
  job_free (job);
  return articles;
}

/* ------------------------------------------------------------------------ */
/* load_content and find_url                                                 */

static gboolean
load_content_run (Worker  *w,
                  Job     *job,
                  GError **error)
{
  Snapshot *s = g_ptr_array_index (job->snapshots, 0);
  GError *local_error = NULL;
  sqlite3_stmt *stmt = dtx_database_prepare (w->db, "SELECT content FROM articles WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, s->store_id);
  if (dtx_database_step (w->db, stmt, &local_error))
    {
      s->content = column_dup_ref (stmt, 0);
      s->has_content = TRUE;
      sqlite3_reset (stmt);
      return TRUE;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       _("This article is no longer stored. Open it from the list again."));
  return FALSE;
}

static void
load_content_done (DtxStore *self,
                   Job      *job)
{
  Snapshot *s = g_ptr_array_index (job->snapshots, 0);

  dtx_article_set_content_ref (g_ptr_array_index (job->articles, 0), s->content);
}

void
dtx_store_load_content_async (DtxStore            *self,
                              DtxArticle          *article,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  Job *job;
  Snapshot *s;

  g_return_if_fail (DTX_IS_STORE (self));
  g_return_if_fail (DTX_IS_ARTICLE (article));

  job = job_new (self, load_content_run, load_content_done, FALSE,
                 cancellable, callback, user_data, dtx_store_load_content_async);
  job->articles = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (job->articles, g_object_ref (article));
  job->snapshots = g_ptr_array_new_with_free_func ((GDestroyNotify)snapshot_free);
  s = g_new0 (Snapshot, 1);
  s->store_id = dtx_article_get_store_id (article);
  g_ptr_array_add (job->snapshots, s);
  job_queue (self, job);
}

gboolean
dtx_store_load_content_finish (DtxStore      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  Job *job = job_finish (self, result, dtx_store_load_content_async, error);

  if (job == NULL)
    return FALSE;
  job_free (job);
  return TRUE;
}

static gboolean
find_url_run (Worker  *w,
              Job     *job,
              GError **error)
{
  g_autofree char *other = NULL;
  GError *local_error = NULL;
  gsize len = strlen (job->text);
  sqlite3_stmt *stmt;

  /* The same page with or without the trailing slash. */
  if (len > 0 && job->text[len - 1] == '/')
    other = g_strndup (job->text, len - 1);
  else
    other = g_strconcat (job->text, "/", NULL);

  stmt = dtx_database_prepare (w->db,
                               "SELECT " FULL_COLUMNS " FROM articles WHERE link IN (?1, ?2)"
                               " ORDER BY link = ?1 DESC, bookmarked DESC, id DESC LIMIT 1",
                               error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, job->text);
  bind_text (stmt, 2, other);
  job->snapshots = g_ptr_array_new_with_free_func ((GDestroyNotify)snapshot_free);
  if (dtx_database_step (w->db, stmt, &local_error))
    {
      g_ptr_array_add (job->snapshots, snapshot_from_row (stmt, TRUE));
      sqlite3_reset (stmt);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

void
dtx_store_find_url_async (DtxStore            *self,
                          const char          *url,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  Job *job;

  g_return_if_fail (DTX_IS_STORE (self));
  g_return_if_fail (url != NULL);

  job = job_new (self, find_url_run, NULL, FALSE, cancellable, callback, user_data, dtx_store_find_url_async);
  job->text = g_strdup (url);
  job_queue (self, job);
}

DtxArticle *
dtx_store_find_url_finish (DtxStore      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  Job *job = job_finish (self, result, dtx_store_find_url_async, error);
  DtxArticle *article = NULL;

  if (job == NULL)
    return NULL;
  if (job->snapshots != NULL && job->snapshots->len > 0)
    article = snapshot_to_article (g_ptr_array_index (job->snapshots, 0));
  job_free (job);
  return article;
}

/* ------------------------------------------------------------------------ */
/* set_bookmarked and set_read                                               */

/* The row of the article: its store id when that row still exists, else
 * stored now (content included). */
static gboolean
ensure_stored (Worker     *w,
               const char *source_url,
               Snapshot   *s,
               GError    **error)
{
  GError *local_error = NULL;
  gboolean is_new, changed;

  if (s->store_id != 0)
    {
      sqlite3_stmt *stmt = dtx_database_prepare (w->db, "SELECT 1 FROM articles WHERE id = ?1", error);
      gboolean found;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, s->store_id);
      found = dtx_database_step (w->db, stmt, &local_error);
      sqlite3_reset (stmt);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      if (found)
        {
          /* Listed without content, read in full since: keep the body. */
          if (s->content != NULL)
            {
              stmt = dtx_database_prepare (w->db,
                                           "UPDATE articles SET content = ?2 WHERE id = ?1 AND content IS NULL",
                                           error);
              if (stmt == NULL)
                return FALSE;
              sqlite3_bind_int64 (stmt, 1, s->store_id);
              bind_text (stmt, 2, s->content);
              if (!dtx_database_run (w->db, stmt, error))
                return FALSE;
            }
          return TRUE;
        }
    }

  if (!upsert (w, source_url != NULL ? source_url : "", s, &is_new, &changed, &local_error))
    {
      if (db_error_is (local_error, SQLITE_MISMATCH))
        {
          g_message ("Cannot store an article without id or link");
          g_clear_error (&local_error);
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("This article has no address, so it cannot be saved."));
        }
      else
        g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
set_flag_run (Worker  *w,
              Job     *job,
              GError **error)
{
  Snapshot *s = g_ptr_array_index (job->snapshots, 0);
  sqlite3_stmt *stmt;

  if (!dtx_database_begin (w->db, error))
    return FALSE;
  if (!ensure_stored (w, job->source_url, s, error))
    goto fail;

  if (job->bookmark)
    /* Bookmarking again keeps the first saved time (the order of the list). */
    stmt = dtx_database_prepare (w->db,
                                 "UPDATE articles SET bookmarked = ?2,"
                                 " saved = CASE WHEN ?2 THEN (CASE WHEN bookmarked = 1 THEN saved ELSE ?3 END)"
                                 " ELSE NULL END WHERE id = ?1",
                                 error);
  else
    stmt = dtx_database_prepare (w->db, "UPDATE articles SET read = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, s->store_id);
  sqlite3_bind_int (stmt, 2, job->value ? 1 : 0);
  if (job->bookmark)
    sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
  if (!dtx_database_run (w->db, stmt, error) ||
      !read_state (w, s, error))
    goto fail;

  /* synchronous=FULL: when this returns, the change is on disk. */
  return dtx_database_commit (w->db, error);

fail:
  dtx_database_rollback (w->db);
  return FALSE;
}

static void
set_flag_done (DtxStore *self,
               Job      *job)
{
  Snapshot *s = g_ptr_array_index (job->snapshots, 0);

  snapshot_apply_state (s, g_ptr_array_index (job->articles, 0));
  emit (self, ARTICLE_CHANGED, s->store_id, s->bookmarked, s->read, NULL);
}

static void
queue_set_flag (DtxStore            *self,
                gboolean             bookmark,
                const char          *source_url,
                DtxArticle          *article,
                gboolean             value,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data,
                gpointer             tag)
{
  Job *job = job_new (self, set_flag_run, set_flag_done, TRUE, cancellable, callback, user_data, tag);

  job->bookmark = bookmark;
  job->value = value;
  job->source_url = g_strdup (source_url);
  job->articles = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (job->articles, g_object_ref (article));
  job->snapshots = g_ptr_array_new_with_free_func ((GDestroyNotify)snapshot_free);
  g_ptr_array_add (job->snapshots, snapshot_from_article (article, TRUE));
  job_queue (self, job);
}

void
dtx_store_set_bookmarked_async (DtxStore            *self,
                                const char          *source_url,
                                DtxArticle          *article,
                                gboolean             bookmarked,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (DTX_IS_STORE (self));
  g_return_if_fail (DTX_IS_ARTICLE (article));

  queue_set_flag (self, TRUE, source_url, article, bookmarked, cancellable, callback, user_data,
                  dtx_store_set_bookmarked_async);
}

gboolean
dtx_store_set_bookmarked_finish (DtxStore      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  Job *job = job_finish (self, result, dtx_store_set_bookmarked_async, error);

  if (job == NULL)
    return FALSE;
  job_free (job);
  return TRUE;
}

void
dtx_store_set_read_async (DtxStore            *self,
                          const char          *source_url,
                          DtxArticle          *article,
                          gboolean             read,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (DTX_IS_STORE (self));
  g_return_if_fail (DTX_IS_ARTICLE (article));

  queue_set_flag (self, FALSE, source_url, article, read, cancellable, callback, user_data,
                  dtx_store_set_read_async);
}

gboolean
dtx_store_set_read_finish (DtxStore      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  Job *job = job_finish (self, result, dtx_store_set_read_async, error);

  if (job == NULL)
    return FALSE;
  job_free (job);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* mark_all_read                                                             */

static gboolean
mark_all_read_run (Worker  *w,
                   Job     *job,
                   GError **error)
{
  sqlite3_stmt *stmt = dtx_database_prepare (w->db,
                                             "UPDATE articles SET read = 1 WHERE read = 0"
                                             " AND (?1 IS NULL OR source_url = ?1)",
                                             error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, job->source_url);
  if (!dtx_database_run (w->db, stmt, error))
    return FALSE;
  job->n_changed = dtx_database_changes (w->db);
  return TRUE;
}

static void
mark_all_read_done (DtxStore *self,
                    Job      *job)
{
  emit (self, ARTICLES_CHANGED, 0, FALSE, FALSE, job->source_url);
}

void
dtx_store_mark_all_read_async (DtxStore            *self,
                               const char          *source_url,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  Job *job;

  g_return_if_fail (DTX_IS_STORE (self));

  job = job_new (self, mark_all_read_run, mark_all_read_done, TRUE,
                 cancellable, callback, user_data, dtx_store_mark_all_read_async);
  job->source_url = g_strdup (source_url);
  job_queue (self, job);
}

gboolean
dtx_store_mark_all_read_finish (DtxStore      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  Job *job = job_finish (self, result, dtx_store_mark_all_read_async, error);

  if (job == NULL)
    return FALSE;
  job_free (job);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* trim                                                                      */

static gboolean
trim_run (Worker  *w,
          Job     *job,
          GError **error)
{
  g_autoptr(GPtrArray) images = g_ptr_array_new_with_free_func (g_free);
  GError *local_error = NULL;
  sqlite3_stmt *stmt;

  if (!dtx_database_begin (w->db, error))
    return FALSE;
  stmt = dtx_database_prepare (w->db,
                               "DELETE FROM articles WHERE bookmarked = 0 AND first_stored < ?1",
                               error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time () - (gint64)job->keep_days * G_USEC_PER_SEC * 60 * 60 * 24);
  if (!dtx_database_run (w->db, stmt, error))
    goto fail;
  job->n_changed = dtx_database_changes (w->db);
  if (!dtx_database_commit (w->db, error))
    return FALSE;

  stmt = dtx_database_prepare (w->db,
                               "SELECT DISTINCT image_url FROM articles WHERE image_url IS NOT NULL"
                               " AND image_url <> ''",
                               error);
  if (stmt == NULL)
    return FALSE;
  while (dtx_database_step (w->db, stmt, &local_error))
    g_ptr_array_add (images, column_dup (stmt, 0));
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  g_ptr_array_add (images, NULL);
  job->strv = (char **)g_ptr_array_free (g_steal_pointer (&images), FALSE);
  return TRUE;

fail:
  dtx_database_rollback (w->db);
  return FALSE;
}

static void
trim_done (DtxStore *self,
           Job      *job)
{
  if (job->n_changed > 0)
    emit (self, ARTICLES_CHANGED, 0, FALSE, FALSE, NULL);
}

void
dtx_store_trim_async (DtxStore            *self,
                      guint                keep_days,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  Job *job;

  g_return_if_fail (DTX_IS_STORE (self));

  job = job_new (self, trim_run, trim_done, TRUE, cancellable, callback, user_data, dtx_store_trim_async);
  job->keep_days = keep_days;
  job_queue (self, job);
}

gboolean
dtx_store_trim_finish (DtxStore       *self,
                       GAsyncResult   *result,
                       guint          *n_deleted,
                       char         ***keep_images,
                       GError        **error)
{
  Job *job = job_finish (self, result, dtx_store_trim_async, error);

  if (n_deleted != NULL)
    *n_deleted = job != NULL ? job->n_changed : 0;
  if (keep_images != NULL)
    *keep_images = job != NULL ? g_steal_pointer (&job->strv) : NULL;
  if (job == NULL)
    return FALSE;
  job_free (job);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* export and import                                                         */

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gboolean     has,
          gint64       us)
{
  g_autoptr(GDateTime) dt = has ? datetime_from_us (us) : NULL;
  g_autofree char *text = dt != NULL ? g_date_time_format_iso8601 (dt) : NULL;

  add_string (builder, name, text);
}

static gboolean
export_run (Worker  *w,
            Job     *job,
            GError **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) write_error = NULL;
  g_autofree char *data = NULL;
  GError *local_error = NULL;
  sqlite3_stmt *stmt;
  gsize length;

  stmt = dtx_database_prepare (w->db,
                               "SELECT " FULL_COLUMNS " FROM articles WHERE bookmarked = 1"
                               " ORDER BY saved DESC, id DESC",
                               error);
  if (stmt == NULL)
    return FALSE;

  json_builder_begin_array (builder);
  while (dtx_database_step (w->db, stmt, &local_error))
    {
      g_autoptr(Snapshot) s = snapshot_from_row (stmt, TRUE);

      json_builder_begin_object (builder);
      add_string (builder, "url", s->link);
      add_string (builder, "title", s->title);
      add_string (builder, "author", s->author);
      add_time (builder, "date", s->has_date, s->date_us);
      add_string (builder, "source", s->source_name);
      add_string (builder, "source_url", s->source_url);
      add_time (builder, "saved", s->has_saved, s->saved_us);
      add_string (builder, "excerpt", s->excerpt);
      add_string (builder, "content", s->content);
      add_string (builder, "image", s->image_url);
      json_builder_set_member_name (builder, "categories");
      json_builder_begin_array (builder);
      if (s->categories != NULL)
        {
          g_auto(GStrv) names = g_strsplit (s->categories, "\x1f", -1);

          for (guint i = 0; names[i] != NULL; i++)
            json_builder_add_string_value (builder, names[i]);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      job->n_new++;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  data = json_generator_to_data (generator, &length);

  /* Written to a temporary file and renamed over: a crash leaves the old
   * file or the new one, never half of one. */
  if (!g_file_replace_contents (job->file, data, length, NULL, FALSE, G_FILE_CREATE_NONE,
                                NULL, NULL, &write_error))
    {
      g_autofree char *name = g_file_get_parse_name (job->file);

      g_message ("Export to %s: %s", name, write_error->message);
      g_set_error (error, DTX_STORE_ERROR, DTX_STORE_ERROR_IO,
                   _("The bookmarks could not be written to “%s”. Check that there is space and that you may write there."),
                   name);
      return FALSE;
    }
  return TRUE;
}

void
dtx_store_export_bookmarks_async (DtxStore            *self,
                                  GFile               *file,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Job *job;

  g_return_if_fail (DTX_IS_STORE (self));
  g_return_if_fail (G_IS_FILE (file));

  job = job_new (self, export_run, NULL, FALSE, cancellable, callback, user_data,
                 dtx_store_export_bookmarks_async);
  job->file = g_object_ref (file);
  job_queue (self, job);
}

gboolean
dtx_store_export_bookmarks_finish (DtxStore      *self,
                                   GAsyncResult  *result,
                                   guint         *n_written,
                                   GError       **error)
{
  Job *job = job_finish (self, result, dtx_store_export_bookmarks_async, error);

  if (n_written != NULL)
    *n_written = job != NULL ? job->n_new : 0;
  if (job == NULL)
    return FALSE;
  job_free (job);
  return TRUE;
}

static gboolean
is_web_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;

  return scheme != NULL &&
         (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0) &&
         g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0';
}

/* A member that must be a string or absent/null. */
static gboolean
get_string (JsonObject  *object,
            const char  *name,
            char       **value)
{
  JsonNode *node = json_object_get_member (object, name);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  *value = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
get_time (JsonObject  *object,
          const char  *name,
          gboolean    *has,
          gint64      *us)
{
  g_autofree char *text = NULL;
  g_autoptr(GDateTime) dt = NULL;

  *has = FALSE;
  if (!get_string (object, name, &text))
    return FALSE;
  if (text == NULL || *text == '\0')
    return TRUE;
  dt = g_date_time_new_from_iso8601 (text, NULL);
  if (dt == NULL)
    return FALSE;
  *has = TRUE;
  *us = datetime_to_us (dt);
  return TRUE;
}

/* The whole file is checked before anything is written. */
static GPtrArray *
parse_bookmarks (const char  *data,
                 gsize        length,
                 GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify)snapshot_free);
  g_autoptr(GError) parse_error = NULL;
  JsonNode *root;
  JsonArray *array;

  if (!g_utf8_validate (data, length, NULL))
    {
      set_bad_file_error (error, "not UTF-8");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, length, &parse_error))
    {
      set_bad_file_error (error, parse_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      set_bad_file_error (error, "not an array");
      return NULL;
    }

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autoptr(Snapshot) s = g_new0 (Snapshot, 1);
      g_autofree char *content = NULL;
      JsonObject *object;
      JsonNode *categories;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          set_bad_file_error (error, "an entry is not an object");
          return NULL;
        }
      object = json_node_get_object (node);
      if (!get_string (object, "url", &s->link) || s->link == NULL || !is_web_url (s->link))
        {
          set_bad_file_error (error, "an entry without an http(s) url");
          return NULL;
        }
      if (!get_string (object, "title", &s->title) ||
          !get_string (object, "author", &s->author) ||
          !get_string (object, "source", &s->source_name) ||
          !get_string (object, "source_url", &s->source_url) ||
          !get_string (object, "excerpt", &s->excerpt) ||
          !get_string (object, "content", &content) ||
          !get_string (object, "image", &s->image_url) ||
          !get_time (object, "date", &s->has_date, &s->date_us) ||
          !get_time (object, "saved", &s->has_saved, &s->saved_us))
        {
          set_bad_file_error (error, "an entry with a member of the wrong type");
          return NULL;
        }
      s->content = content != NULL ? g_ref_string_new (content) : NULL;

      categories = json_object_get_member (object, "categories");
      if (categories != NULL && !JSON_NODE_HOLDS_NULL (categories))
        {
          g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
          JsonArray *list;

          if (!JSON_NODE_HOLDS_ARRAY (categories))
            {
              set_bad_file_error (error, "categories is not an array");
              return NULL;
            }
          list = json_node_get_array (categories);
          for (guint j = 0; j < json_array_get_length (list); j++)
            {
              JsonNode *name = json_array_get_element (list, j);

              if (!JSON_NODE_HOLDS_VALUE (name) || json_node_get_value_type (name) != G_TYPE_STRING)
                {
                  set_bad_file_error (error, "a category is not a string");
                  return NULL;
                }
              g_ptr_array_add (names, g_strdup (json_node_get_string (name)));
            }
          g_ptr_array_add (names, NULL);
          s->categories = join_categories ((const char * const *)names->pdata);
        }
      g_ptr_array_add (entries, g_steal_pointer (&s));
    }

  return g_steal_pointer (&entries);
}

static gboolean
import_run (Worker  *w,
            Job     *job,
            GError **error)
{
  g_autoptr(GError) read_error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;

  info = g_file_query_info (job->file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  if (info != NULL && g_file_info_get_size (info) > MAX_IMPORT_BYTES)
    {
      set_bad_file_error (error, "too large");
      return FALSE;
    }
  if (!g_file_load_contents (job->file, NULL, &data, &length, NULL, &read_error))
    {
      g_autofree char *name = g_file_get_parse_name (job->file);

      g_message ("Import from %s: %s", name, read_error->message);
      g_set_error (error, DTX_STORE_ERROR, DTX_STORE_ERROR_IO,
                   _("The file “%s” could not be read. Check that it exists and that you may read it."),
                   name);
      return FALSE;
    }

  entries = parse_bookmarks (data, length, error);
  if (entries == NULL)
    return FALSE;

  if (!dtx_database_begin (w->db, error))
    return FALSE;
  for (guint i = 0; i < entries->len; i++)
    {
      Snapshot *s = g_ptr_array_index (entries, i);
      GError *local_error = NULL;
      sqlite3_stmt *stmt;
      gint64 id = 0;
      gboolean bookmarked = FALSE;
      /* upsert() reads the row's state into s: keep the file's. */
      gint64 saved_us = s->has_saved ? s->saved_us : g_get_real_time ();

      stmt = dtx_database_prepare (w->db,
                                   "SELECT id, bookmarked FROM articles WHERE link = ?1"
                                   " ORDER BY bookmarked DESC, id LIMIT 1",
                                   error);
      if (stmt == NULL)
        goto fail;
      bind_text (stmt, 1, s->link);
      if (dtx_database_step (w->db, stmt, &local_error))
        {
          id = sqlite3_column_int64 (stmt, 0);
          bookmarked = sqlite3_column_int (stmt, 1) != 0;
          sqlite3_reset (stmt);
        }
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          goto fail;
        }

      if (bookmarked)
        {
          job->n_skipped++;
          continue;
        }
      if (id == 0)
        {
          gboolean is_new, changed;

          if (!upsert (w, s->source_url != NULL ? s->source_url : "", s, &is_new, &changed, error))
            goto fail;
          id = s->store_id;
        }

      stmt = dtx_database_prepare (w->db, "UPDATE articles SET bookmarked = 1, saved = ?2 WHERE id = ?1", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int64 (stmt, 2, saved_us);
      if (!dtx_database_run (w->db, stmt, error))
        goto fail;
      job->n_new++;
    }
  return dtx_database_commit (w->db, error);

fail:
  dtx_database_rollback (w->db);
  job->n_new = job->n_skipped = 0;
  return FALSE;
}

static void
import_done (DtxStore *self,
             Job      *job)
{
  if (job->n_new > 0)
    emit (self, ARTICLES_CHANGED, 0, FALSE, FALSE, NULL);
}

void
dtx_store_import_bookmarks_async (DtxStore            *self,
                                  GFile               *file,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Job *job;

  g_return_if_fail (DTX_IS_STORE (self));
  g_return_if_fail (G_IS_FILE (file));

  job = job_new (self, import_run, import_done, TRUE, cancellable, callback, user_data,
                 dtx_store_import_bookmarks_async);
  job->file = g_object_ref (file);
  job_queue (self, job);
}

gboolean
dtx_store_import_bookmarks_finish (DtxStore      *self,
                                   GAsyncResult  *result,
                                   guint         *n_added,
                                   guint         *n_skipped,
                                   GError       **error)
{
  Job *job = job_finish (self, result, dtx_store_import_bookmarks_async, error);

  if (n_added != NULL)
    *n_added = job != NULL ? job->n_new : 0;
  if (n_skipped != NULL)
    *n_skipped = job != NULL ? job->n_skipped : 0;
  if (job == NULL)
    return FALSE;
  job_free (job);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Test hooks                                                                */

static gboolean
finish_background_run (Worker  *w,
                       Job     *job,
                       GError **error)
{
  while (w->index_pending)
    worker_index_step (w, 500);
  while (w->merge_pending)
    worker_merge_step (w);
  return TRUE;
}

void
dtx_store_finish_background_for_testing_async (DtxStore            *self,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data)
{
  Job *job;

  g_return_if_fail (DTX_IS_STORE (self));

  job = job_new (self, finish_background_run, NULL, FALSE, NULL, callback, user_data,
                 dtx_store_finish_background_for_testing_async);
  job_queue (self, job);
}

gboolean
dtx_store_finish_background_for_testing_finish (DtxStore      *self,
                                                GAsyncResult  *result,
                                                GError       **error)
{
  Job *job = job_finish (self, result, dtx_store_finish_background_for_testing_async, error);

  if (job == NULL)
    return FALSE;
  job_free (job);
  return TRUE;
}

static gboolean
exec_run (Worker  *w,
          Job     *job,
          GError **error)
{
  return dtx_database_exec (w->db, job->text, error);
}

void
dtx_store_exec_for_testing_async (DtxStore            *self,
                                  const char          *sql,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Job *job;

  g_return_if_fail (DTX_IS_STORE (self));

  job = job_new (self, exec_run, NULL, FALSE, NULL, callback, user_data, dtx_store_exec_for_testing_async);
  job->text = g_strdup (sql);
  job_queue (self, job);
}

gboolean
dtx_store_exec_for_testing_finish (DtxStore      *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  Job *job = job_finish (self, result, dtx_store_exec_for_testing_async, error);

  if (job == NULL)
    return FALSE;
  job_free (job);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Unread counts                                                             */

static gboolean
count_unread_run (Worker  *w,
                  Job     *job,
                  GError **error)
{
  GError *local_error = NULL;
  sqlite3_stmt *stmt;

  job->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* One pass over the partial index articles_unread. */
  stmt = dtx_database_prepare (w->db,
                               "SELECT source_url, count(*) FROM articles WHERE read = 0"
                               " GROUP BY source_url",
                               error);
  if (stmt == NULL)
    return FALSE;
  while (dtx_database_step (w->db, stmt, &local_error))
    g_hash_table_insert (job->counts, column_dup (stmt, 0),
                         GUINT_TO_POINTER ((guint)sqlite3_column_int64 (stmt, 1)));
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

void
dtx_store_count_unread_async (DtxStore            *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  Job *job;

  g_return_if_fail (DTX_IS_STORE (self));

  job = job_new (self, count_unread_run, NULL, FALSE, cancellable, callback, user_data,
                 dtx_store_count_unread_async);
  job_queue (self, job);
}

GHashTable *
dtx_store_count_unread_finish (DtxStore      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  Job *job = job_finish (self, result, dtx_store_count_unread_async, error);
  GHashTable *counts;

  if (job == NULL)
    return NULL;
  counts = g_steal_pointer (&job->counts);
  job_free (job);
  return counts;
}

/* ------------------------------------------------------------------------ */
/* Sources                                                                   */

G_DEFINE_BOXED_TYPE (DtxStoreSource, dtx_store_source, dtx_store_source_copy, dtx_store_source_free)

DtxStoreSource *
dtx_store_source_new (const char *url)
{
  DtxStoreSource *self = g_new0 (DtxStoreSource, 1);

  self->url = g_strdup (url);
  return self;
}

DtxStoreSource *
dtx_store_source_copy (const DtxStoreSource *self)
{
  DtxStoreSource *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (DtxStoreSource, 1);
  *copy = *self;
  copy->url = g_strdup (self->url);
  copy->api_root = g_strdup (self->api_root);
  copy->custom_title = g_strdup (self->custom_title);
  copy->site_title = g_strdup (self->site_title);
  copy->icon_url = g_strdup (self->icon_url);
  copy->etag = g_strdup (self->etag);
  copy->last_modified = g_strdup (self->last_modified);
  copy->last_error = g_strdup (self->last_error);
  copy->categories = g_strdup (self->categories);
  return copy;
}

void
dtx_store_source_free (DtxStoreSource *self)
{
  if (self == NULL)
    return;
  g_free (self->url);
  g_free (self->api_root);
  g_free (self->custom_title);
  g_free (self->site_title);
  g_free (self->icon_url);
  g_free (self->etag);
  g_free (self->last_modified);
  g_free (self->last_error);
  g_free (self->categories);
  g_free (self);
}

#define SOURCE_COLUMNS \
  "url, kind, api_root, custom_title, site_title, icon_url, position, etag, " \
  "last_modified, retry_after, last_error, last_refresh, categories"

static gboolean
list_sources_run (Worker  *w,
                  Job     *job,
                  GError **error)
{
  GError *local_error = NULL;
  sqlite3_stmt *stmt;

  job->sources = g_ptr_array_new_with_free_func ((GDestroyNotify)dtx_store_source_free);
  stmt = dtx_database_prepare (w->db,
                               "SELECT " SOURCE_COLUMNS " FROM sources ORDER BY position, rowid",
                               error);
  if (stmt == NULL)
    return FALSE;
  while (dtx_database_step (w->db, stmt, &local_error))
    {
      DtxStoreSource *source = dtx_store_source_new (NULL);

      source->url = column_dup (stmt, 0);
      source->kind = sqlite3_column_int (stmt, 1);
      source->api_root = column_dup (stmt, 2);
      source->custom_title = column_dup (stmt, 3);
      source->site_title = column_dup (stmt, 4);
      source->icon_url = column_dup (stmt, 5);
      source->position = sqlite3_column_int (stmt, 6);
      source->etag = column_dup (stmt, 7);
      source->last_modified = column_dup (stmt, 8);
      source->retry_after = sqlite3_column_int64 (stmt, 9);
      source->last_error = column_dup (stmt, 10);
      source->last_refresh = sqlite3_column_int64 (stmt, 11);
      source->categories = column_dup (stmt, 12);
      g_ptr_array_add (job->sources, source);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

void
dtx_store_list_sources_async (DtxStore            *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  Job *job;

  g_return_if_fail (DTX_IS_STORE (self));

  job = job_new (self, list_sources_run, NULL, FALSE, cancellable, callback, user_data,
                 dtx_store_list_sources_async);
  job_queue (self, job);
}

GPtrArray *
dtx_store_list_sources_finish (DtxStore      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  Job *job = job_finish (self, result, dtx_store_list_sources_async, error);
  GPtrArray *sources;

  if (job == NULL)
    return NULL;
  sources = g_steal_pointer (&job->sources);
  job_free (job);
  return sources;
}

/* Binds every column of SOURCE_COLUMNS but position (?7). */
static void
bind_source (sqlite3_stmt         *stmt,
             const DtxStoreSource *source)
{
  bind_text (stmt, 1, source->url);
  sqlite3_bind_int (stmt, 2, source->kind);
  bind_text (stmt, 3, source->api_root);
  bind_text (stmt, 4, source->custom_title);
  bind_text (stmt, 5, source->site_title);
  bind_text (stmt, 6, source->icon_url);
  bind_text (stmt, 8, source->etag);
  bind_text (stmt, 9, source->last_modified);
  sqlite3_bind_int64 (stmt, 10, source->retry_after);
  bind_text (stmt, 11, source->last_error);
  sqlite3_bind_int64 (stmt, 12, source->last_refresh);
  bind_text (stmt, 13, source->categories);
}

static gboolean
write_source_run (Worker  *w,
                  Job     *job,
                  GError **error)
{
  const DtxStoreSource *source = g_ptr_array_index (job->sources, 0);
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;

  if (job->value)
    stmt = dtx_database_prepare (w->db,
                                 "INSERT INTO sources (" SOURCE_COLUMNS ") VALUES"
                                 " (?1, ?2, ?3, ?4, ?5, ?6,"
                                 "  (SELECT coalesce (max (position) + 1, 0) FROM sources),"
                                 "  ?8, ?9, ?10, ?11, ?12, ?13)",
                                 error);
  else
    stmt = dtx_database_prepare (w->db,
                                 "UPDATE sources SET kind = ?2, api_root = ?3, custom_title = ?4,"
                                 " site_title = ?5, icon_url = ?6, etag = ?8, last_modified = ?9,"
                                 " retry_after = ?10, last_error = ?11, last_refresh = ?12,"
                                 " categories = ?13"
                                 " WHERE url = ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;
  bind_source (stmt, source);
  if (dtx_database_run (w->db, stmt, &local_error))
    return TRUE;
  if (job->value && db_error_is (local_error, SQLITE_CONSTRAINT))
    {
      g_set_error (error, DTX_STORE_ERROR, DTX_STORE_ERROR_EXISTS,
                   _("You already follow “%s”."), source->url);
      return FALSE;
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static void
queue_write_source (DtxStore             *self,
                    const DtxStoreSource *source,
                    gboolean              add,
                    GCancellable         *cancellable,
                    GAsyncReadyCallback   callback,
                    gpointer              user_data,
                    gpointer              tag)
{
  Job *job;

  g_return_if_fail (DTX_IS_STORE (self));
  g_return_if_fail (source != NULL && source->url != NULL);

  job = job_new (self, write_source_run, NULL, TRUE, cancellable, callback, user_data, tag);
  job->value = add;
  job->sources = g_ptr_array_new_with_free_func ((GDestroyNotify)dtx_store_source_free);
  g_ptr_array_add (job->sources, dtx_store_source_copy (source));
  job_queue (self, job);
}

static gboolean
finish_simple (DtxStore      *self,
               GAsyncResult  *result,
               gpointer       tag,
               GError       **error)
{
  Job *job = job_finish (self, result, tag, error);

  if (job == NULL)
    return FALSE;
  job_free (job);
  return TRUE;
}

void
dtx_store_add_source_async (DtxStore             *self,
                            const DtxStoreSource *source,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data)
{
  queue_write_source (self, source, TRUE, cancellable, callback, user_data, dtx_store_add_source_async);
}

gboolean
dtx_store_add_source_finish (DtxStore      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return finish_simple (self, result, dtx_store_add_source_async, error);
}

void
dtx_store_update_source_async (DtxStore             *self,
                               const DtxStoreSource *source,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data)
{
  queue_write_source (self, source, FALSE, cancellable, callback, user_data, dtx_store_update_source_async);
}

gboolean
dtx_store_update_source_finish (DtxStore      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish_simple (self, result, dtx_store_update_source_async, error);
}

static gboolean
remove_source_run (Worker  *w,
                   Job     *job,
                   GError **error)
{
  sqlite3_stmt *stmt;

  if (!dtx_database_begin (w->db, error))
    return FALSE;
  stmt = dtx_database_prepare (w->db, "DELETE FROM sources WHERE url = ?1", error);
  if (stmt == NULL)
    goto fail;
  bind_text (stmt, 1, job->source_url);
  if (!dtx_database_run (w->db, stmt, error))
    goto fail;
  /* Bookmarks stay: the user kept them, whoever wrote them. */
  stmt = dtx_database_prepare (w->db,
                               "DELETE FROM articles WHERE source_url = ?1 AND bookmarked = 0",
                               error);
  if (stmt == NULL)
    goto fail;
  bind_text (stmt, 1, job->source_url);
  if (!dtx_database_run (w->db, stmt, error))
    goto fail;
  job->n_changed = dtx_database_changes (w->db);
  return dtx_database_commit (w->db, error);

fail:
  dtx_database_rollback (w->db);
  return FALSE;
}

static void
remove_source_done (DtxStore *self,
                    Job      *job)
{
  emit (self, ARTICLES_CHANGED, 0, FALSE, FALSE, job->source_url);
}

void
dtx_store_remove_source_async (DtxStore            *self,
                               const char          *url,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  Job *job;

  g_return_if_fail (DTX_IS_STORE (self));
  g_return_if_fail (url != NULL);

  job = job_new (self, remove_source_run, remove_source_done, TRUE, cancellable, callback, user_data,
                 dtx_store_remove_source_async);
  job->source_url = g_strdup (url);
  job_queue (self, job);
}

gboolean
dtx_store_remove_source_finish (DtxStore      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish_simple (self, result, dtx_store_remove_source_async, error);
}

static gboolean
reorder_sources_run (Worker  *w,
                     Job     *job,
                     GError **error)
{
  guint n = job->strv != NULL ? g_strv_length (job->strv) : 0;
  sqlite3_stmt *stmt;

  if (!dtx_database_begin (w->db, error))
    return FALSE;
  /* Those not named go after the named ones, in their order. */
  stmt = dtx_database_prepare (w->db, "UPDATE sources SET position = position + ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, n);
  if (!dtx_database_run (w->db, stmt, error))
    goto fail;
  for (guint i = 0; i < n; i++)
    {
      stmt = dtx_database_prepare (w->db, "UPDATE sources SET position = ?2 WHERE url = ?1", error);
      if (stmt == NULL)
        goto fail;
      bind_text (stmt, 1, job->strv[i]);
      sqlite3_bind_int64 (stmt, 2, i);
      if (!dtx_database_run (w->db, stmt, error))
        goto fail;
    }
  return dtx_database_commit (w->db, error);

fail:
  dtx_database_rollback (w->db);
  return FALSE;
}

void
dtx_store_reorder_sources_async (DtxStore            *self,
                                 const char * const  *urls,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  Job *job;

  g_return_if_fail (DTX_IS_STORE (self));

  job = job_new (self, reorder_sources_run, NULL, TRUE, cancellable, callback, user_data,
                 dtx_store_reorder_sources_async);
  job->strv = g_strdupv ((char **)urls);
  job_queue (self, job);
}

gboolean
dtx_store_reorder_sources_finish (DtxStore      *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_simple (self, result, dtx_store_reorder_sources_async, error);
}
