/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* Errors of the SQLite layer: the code is SQLite's primary result code
 * (SQLITE_FULL, SQLITE_CORRUPT…), the message SQLite's own text. These are
 * for logs and for the store to map; they are never shown to people. */
#define DTX_DATABASE_ERROR (dtx_database_error_quark ())
GQuark dtx_database_error_quark (void);

typedef enum {
  DTX_DATABASE_OPEN_READ_WRITE = 0,      /* read-write, created when missing */
  DTX_DATABASE_OPEN_READ_ONLY  = 1 << 0, /* never writes, never creates */
} DtxDatabaseOpenFlags;

#define DTX_TYPE_DATABASE (dtx_database_get_type ())
G_DECLARE_FINAL_TYPE (DtxDatabase, dtx_database, DTX, DATABASE, GObject)

/* A thin wrapper around one sqlite3 connection. Not thread-safe: one thread
 * uses a connection at a time (the store's worker). */
DtxDatabase  *dtx_database_open             (const char            *path,
                                             DtxDatabaseOpenFlags   flags,
                                             GError               **error);
sqlite3      *dtx_database_get_handle       (DtxDatabase           *self);
const char   *dtx_database_get_path         (DtxDatabase           *self);
/* TRUE when SQLite opened the file read-only (asked to, or it could not
 * write it). */
gboolean      dtx_database_is_read_only     (DtxDatabase           *self);
/* Finalizes the cached statements and closes the connection; later calls
 * fail with SQLITE_MISUSE. Also done on finalize. */
void          dtx_database_close            (DtxDatabase           *self);

/* Runs one or more statements that return no rows we need. */
gboolean      dtx_database_exec             (DtxDatabase           *self,
                                             const char            *sql,
                                             GError               **error);
/* A prepared statement, cached by its text for the connection's life: reset
 * and with its bindings cleared, owned by the connection (do not finalize).
 * Do not hold two uses of the same text at once. */
sqlite3_stmt *dtx_database_prepare          (DtxDatabase           *self,
                                             const char            *sql,
                                             GError               **error);
/* TRUE while the statement yields a row; FALSE when done or on an error,
 * which is then set. */
gboolean      dtx_database_step             (DtxDatabase           *self,
                                             sqlite3_stmt          *stmt,
                                             GError               **error);
/* Steps a statement to its end (an INSERT, UPDATE, DELETE), then resets it. */
gboolean      dtx_database_run              (DtxDatabase           *self,
                                             sqlite3_stmt          *stmt,
                                             GError               **error);
/* The first column of the first row as an integer (0 without a row). */
gboolean      dtx_database_query_int64      (DtxDatabase           *self,
                                             const char            *sql,
                                             gint64                *value,
                                             GError               **error);

/* BEGIN IMMEDIATE: takes the write lock now, so a second process waits in
 * the busy handler instead of failing half-way. */
gboolean      dtx_database_begin            (DtxDatabase           *self,
                                             GError               **error);
gboolean      dtx_database_commit           (DtxDatabase           *self,
                                             GError               **error);
/* Rolls back when a transaction is open; safe to call when none is. */
void          dtx_database_rollback         (DtxDatabase           *self);

gboolean      dtx_database_get_user_version (DtxDatabase           *self,
                                             int                   *version,
                                             GError               **error);
gboolean      dtx_database_set_user_version (DtxDatabase           *self,
                                             int                    version,
                                             GError               **error);

gint64        dtx_database_last_insert_id   (DtxDatabase           *self);
int           dtx_database_changes          (DtxDatabase           *self);

G_END_DECLS
