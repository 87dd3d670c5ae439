/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-database"
#include "config.h"

#include "dtx-database.h"

struct _DtxDatabase
{
  GObject     parent_instance;

  sqlite3    *db;
  char       *path;
  GHashTable *statements; /* SQL text → sqlite3_stmt */
};

G_DEFINE_FINAL_TYPE (DtxDatabase, dtx_database, G_TYPE_OBJECT)

G_DEFINE_QUARK (dtx-database-error-quark, dtx_database_error)

static void
set_error_code (GError     **error,
                int          code,
                const char  *message)
{
  g_set_error_literal (error, DTX_DATABASE_ERROR, code & 0xff, message);
}

/* Sets error from the connection's last failure; rc is what the call
 * returned, in case the connection kept no code (out of memory). */
static void
set_error (DtxDatabase  *self,
           int           rc,
           GError      **error)
{
  if (self->db != NULL && sqlite3_errcode (self->db) != SQLITE_OK)
    rc = sqlite3_errcode (self->db);
  set_error_code (error, rc, self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
}

static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

void
dtx_database_close (DtxDatabase *self)
{
  g_return_if_fail (DTX_IS_DATABASE (self));

  /* Statements first: sqlite3_close() refuses while any is alive. */
  g_hash_table_remove_all (self->statements);
  if (self->db != NULL)
    {
      int rc = sqlite3_close (self->db);

      if (rc != SQLITE_OK)
        {
          g_warning ("Closing %s: %s", self->path, sqlite3_errstr (rc));
          sqlite3_close_v2 (self->db);
        }
      self->db = NULL;
    }
}

static void
dtx_database_finalize (GObject *object)
{
  DtxDatabase *self = (DtxDatabase *)object;

  dtx_database_close (self);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (dtx_database_parent_class)->finalize (object);
}

static void
dtx_database_class_init (DtxDatabaseClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dtx_database_finalize;
}

static void
dtx_database_init (DtxDatabase *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
}

DtxDatabase *
dtx_database_open (const char            *path,
                   DtxDatabaseOpenFlags   flags,
                   GError               **error)
{
  g_autoptr(DtxDatabase) self = NULL;
  int open_flags = SQLITE_OPEN_NOMUTEX; /* one thread at a time by contract */
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  if (flags & DTX_DATABASE_OPEN_READ_ONLY)
    open_flags |= SQLITE_OPEN_READONLY;
  else
    open_flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;

  self = g_object_new (DTX_TYPE_DATABASE, NULL);
  self->path = g_strdup (path);

  rc = sqlite3_open_v2 (path, &self->db, open_flags, NULL);
  if (rc != SQLITE_OK)
    {
      set_error (self, rc, error);
      /* sqlite3_open_v2 hands out a handle even on failure. */
      sqlite3_close (self->db);
      self->db = NULL;
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, TRUE);

  return g_steal_pointer (&self);
}

sqlite3 *
dtx_database_get_handle (DtxDatabase *self)
{
  g_return_val_if_fail (DTX_IS_DATABASE (self), NULL);

  return self->db;
}

const char *
dtx_database_get_path (DtxDatabase *self)
{
  g_return_val_if_fail (DTX_IS_DATABASE (self), NULL);

  return self->path;
}

gboolean
dtx_database_is_read_only (DtxDatabase *self)
{
  g_return_val_if_fail (DTX_IS_DATABASE (self), TRUE);

  return self->db == NULL || sqlite3_db_readonly (self->db, "main") == 1;
}

gboolean
dtx_database_exec (DtxDatabase  *self,
                   const char   *sql,
                   GError      **error)
{
  char *message = NULL;
  int rc;

  g_return_val_if_fail (DTX_IS_DATABASE (self), FALSE);

  if (self->db == NULL)
    {
      set_error_code (error, SQLITE_MISUSE, "the database is closed");
      return FALSE;
    }

  rc = sqlite3_exec (self->db, sql, NULL, NULL, &message);
  if (rc != SQLITE_OK)
    {
      set_error_code (error, sqlite3_errcode (self->db) != SQLITE_OK ? sqlite3_errcode (self->db) : rc,
                      message != NULL ? message : sqlite3_errstr (rc));
      sqlite3_free (message);
      return FALSE;
    }

  return TRUE;
}

sqlite3_stmt *
dtx_database_prepare (DtxDatabase  *self,
                      const char   *sql,
                      GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DTX_IS_DATABASE (self), NULL);

  if (self->db == NULL)
    {
      set_error_code (error, SQLITE_MISUSE, "the database is closed");
      return NULL;
    }

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  /* PERSISTENT: these live as long as the connection. */
  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_error (self, rc, error);
      sqlite3_finalize (stmt);
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
dtx_database_step (DtxDatabase   *self,
                   sqlite3_stmt  *stmt,
                   GError       **error)
{
  int rc;

  g_return_val_if_fail (DTX_IS_DATABASE (self), FALSE);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    set_error (self, rc, error);
  /* Ends the statement's read transaction now, not at the next use. */
  sqlite3_reset (stmt);
  return FALSE;
}

gboolean
dtx_database_run (DtxDatabase   *self,
                  sqlite3_stmt  *stmt,
                  GError       **error)
{
  int rc;

  g_return_val_if_fail (DTX_IS_DATABASE (self), FALSE);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  if (rc != SQLITE_DONE)
    {
      set_error (self, rc, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
dtx_database_query_int64 (DtxDatabase  *self,
                          const char   *sql,
                          gint64       *value,
                          GError      **error)
{
  GError *local_error = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (value != NULL, FALSE);

  *value = 0;
  stmt = dtx_database_prepare (self, sql, error);
  if (stmt == NULL)
    return FALSE;

  if (dtx_database_step (self, stmt, &local_error))
    {
      *value = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

gboolean
dtx_database_begin (DtxDatabase  *self,
                    GError      **error)
{
  return dtx_database_exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
dtx_database_commit (DtxDatabase  *self,
                     GError      **error)
{
  if (dtx_database_exec (self, "COMMIT", error))
    return TRUE;

  /* A failed COMMIT (disk full, I/O error) may leave the transaction open. */
  dtx_database_rollback (self);
  return FALSE;
}

void
dtx_database_rollback (DtxDatabase *self)
{
  g_return_if_fail (DTX_IS_DATABASE (self));

  if (self->db != NULL && !sqlite3_get_autocommit (self->db))
    {
      g_autoptr(GError) error = NULL;

      if (!dtx_database_exec (self, "ROLLBACK", &error))
        g_message ("Rollback of %s failed: %s", self->path, error->message);
    }
}

gboolean
dtx_database_get_user_version (DtxDatabase  *self,
                               int          *version,
                               GError      **error)
{
  gint64 value = 0;

  g_return_val_if_fail (version != NULL, FALSE);

  if (!dtx_database_query_int64 (self, "PRAGMA user_version", &value, error))
    return FALSE;
  *version = (int)value;
  return TRUE;
}

gboolean
dtx_database_set_user_version (DtxDatabase  *self,
                               int           version,
                               GError      **error)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d", version);

  return dtx_database_exec (self, sql, error);
}

gint64
dtx_database_last_insert_id (DtxDatabase *self)
{
  g_return_val_if_fail (DTX_IS_DATABASE (self), 0);

  return self->db != NULL ? sqlite3_last_insert_rowid (self->db) : 0;
}

int
dtx_database_changes (DtxDatabase *self)
{
  g_return_val_if_fail (DTX_IS_DATABASE (self), 0);

  return self->db != NULL ? sqlite3_changes (self->db) : 0;
}
