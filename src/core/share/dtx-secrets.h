/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Where the app keeps secrets (the Telegram bot token): the user's keyring
 * through libsecret (the Secret portal inside Flatpak), never GSettings or
 * files. An interface so tests and a session without a keyring can use
 * another backend. Values are looked up by a key such as
 * DTX_SECRET_TELEGRAM_TOKEN. */
#define DTX_SECRET_TELEGRAM_TOKEN "telegram-bot-token"

#define DTX_TYPE_SECRETS (dtx_secrets_get_type ())
G_DECLARE_INTERFACE (DtxSecrets, dtx_secrets, DTX, SECRETS, GObject)

struct _DtxSecretsInterface
{
  GTypeInterface parent_iface;

  void      (*lookup_async)  (DtxSecrets          *self,
                              const char          *key,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data);
  char     *(*lookup_finish) (DtxSecrets          *self,
                              GAsyncResult        *result,
                              GError             **error);
  void      (*store_async)   (DtxSecrets          *self,
                              const char          *key,
                              const char          *label,
                              const char          *value,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data);
  gboolean  (*store_finish)  (DtxSecrets          *self,
                              GAsyncResult        *result,
                              GError             **error);
  void      (*clear_async)   (DtxSecrets          *self,
                              const char          *key,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data);
  gboolean  (*clear_finish)  (DtxSecrets          *self,
                              GAsyncResult        *result,
                              GError             **error);
};

/* The value, or NULL with no error when none is stored. */
void      dtx_secrets_lookup_async  (DtxSecrets          *self,
                                     const char          *key,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
char     *dtx_secrets_lookup_finish (DtxSecrets          *self,
                                     GAsyncResult        *result,
                                     GError             **error);
/* Stores value under key, replacing the last one; label is what keyring
 * managers (Seahorse) show. */
void      dtx_secrets_store_async   (DtxSecrets          *self,
                                     const char          *key,
                                     const char          *label,
                                     const char          *value,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
gboolean  dtx_secrets_store_finish  (DtxSecrets          *self,
                                     GAsyncResult        *result,
                                     GError             **error);
/* Removes key's value; TRUE also when there was none. */
void      dtx_secrets_clear_async   (DtxSecrets          *self,
                                     const char          *key,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
gboolean  dtx_secrets_clear_finish  (DtxSecrets          *self,
                                     GAsyncResult        *result,
                                     GError             **error);

/* The user's keyring through libsecret, under the schema
 * "id.digitripx.Reader.Secret" with the attribute "key". */
DtxSecrets *dtx_secrets_new_keyring (void);
/* Kept in memory for the life of the object (tests, or no keyring). */
DtxSecrets *dtx_secrets_new_memory  (void);

G_END_DECLS
