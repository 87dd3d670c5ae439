/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-secrets"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "dtx-error.h"
#include "dtx-secrets.h"

G_DEFINE_INTERFACE (DtxSecrets, dtx_secrets, G_TYPE_OBJECT)

static void
dtx_secrets_default_init (DtxSecretsInterface *iface)
{
}

void
dtx_secrets_lookup_async (DtxSecrets          *self,
                          const char          *key,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (DTX_IS_SECRETS (self));
  g_return_if_fail (key != NULL);
  DTX_SECRETS_GET_IFACE (self)->lookup_async (self, key, cancellable, callback, user_data);
}

char *
dtx_secrets_lookup_finish (DtxSecrets    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (DTX_IS_SECRETS (self), NULL);
  return DTX_SECRETS_GET_IFACE (self)->lookup_finish (self, result, error);
}

void
dtx_secrets_store_async (DtxSecrets          *self,
                         const char          *key,
                         const char          *label,
                         const char          *value,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (DTX_IS_SECRETS (self));
  g_return_if_fail (key != NULL && label != NULL && value != NULL);
  DTX_SECRETS_GET_IFACE (self)->store_async (self, key, label, value, cancellable, callback, user_data);
}

gboolean
dtx_secrets_store_finish (DtxSecrets    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (DTX_IS_SECRETS (self), FALSE);
  return DTX_SECRETS_GET_IFACE (self)->store_finish (self, result, error);
}

void
dtx_secrets_clear_async (DtxSecrets          *self,
                         const char          *key,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (DTX_IS_SECRETS (self));
  g_return_if_fail (key != NULL);
  DTX_SECRETS_GET_IFACE (self)->clear_async (self, key, cancellable, callback, user_data);
}

gboolean
dtx_secrets_clear_finish (DtxSecrets    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (DTX_IS_SECRETS (self), FALSE);
  return DTX_SECRETS_GET_IFACE (self)->clear_finish (self, result, error);
}

/* The keyring, through libsecret */

#define DTX_TYPE_KEYRING_SECRETS (dtx_keyring_secrets_get_type ())
G_DECLARE_FINAL_TYPE (DtxKeyringSecrets, dtx_keyring_secrets, DTX, KEYRING_SECRETS, GObject)

struct _DtxKeyringSecrets
{
  GObject parent_instance;
};

static void keyring_iface_init (DtxSecretsInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DtxKeyringSecrets, dtx_keyring_secrets, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (DTX_TYPE_SECRETS, keyring_iface_init))

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    APPLICATION_ID ".Secret", SECRET_SCHEMA_NONE,
    {
      { "key", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

/* libsecret's messages name D-Bus objects, never the secret: still, the
 * user reads ours and the detail goes to the log. */
static GError *
keyring_error (GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);
  g_message ("Keyring: %s", error->message);
  return g_error_new (DTX_ERROR, DTX_ERROR_SECRETS,
                      _("The keyring could not be used. Is a keyring service such as GNOME Keyring running and unlocked?"));
}

static void
on_keyring_lookup (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *value = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, keyring_error (error));
  else
    {
      char *copy = g_strdup (value);
      secret_password_free (value);
      g_task_return_pointer (task, copy, g_free);
    }
}

static void
keyring_lookup_async (DtxSecrets          *secrets,
                      const char          *key,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task = g_task_new (secrets, cancellable, callback, user_data);

  secret_password_lookup (get_schema (), cancellable, on_keyring_lookup, task, "key", key, NULL);
}

static char *
keyring_lookup_finish (DtxSecrets    *secrets,
                       GAsyncResult  *result,
                       GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_keyring_store (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, keyring_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
keyring_store_async (DtxSecrets          *secrets,
                     const char          *key,
                     const char          *label,
                     const char          *value,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GTask *task = g_task_new (secrets, cancellable, callback, user_data);

  /* The same attributes replace the item: one token at a time. */
  secret_password_store (get_schema (), SECRET_COLLECTION_DEFAULT, label, value,
                         cancellable, on_keyring_store, task, "key", key, NULL);
}

static gboolean
keyring_bool_finish (DtxSecrets    *secrets,
                     GAsyncResult  *result,
                     GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_keyring_clear (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error: there was nothing to remove. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_task_return_error (task, keyring_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
keyring_clear_async (DtxSecrets          *secrets,
                     const char          *key,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GTask *task = g_task_new (secrets, cancellable, callback, user_data);

  secret_password_clear (get_schema (), cancellable, on_keyring_clear, task, "key", key, NULL);
}

static void
keyring_iface_init (DtxSecretsInterface *iface)
{
  iface->lookup_async = keyring_lookup_async;
  iface->lookup_finish = keyring_lookup_finish;
  iface->store_async = keyring_store_async;
  iface->store_finish = keyring_bool_finish;
  iface->clear_async = keyring_clear_async;
  iface->clear_finish = keyring_bool_finish;
}

static void
dtx_keyring_secrets_class_init (DtxKeyringSecretsClass *klass)
{
}

static void
dtx_keyring_secrets_init (DtxKeyringSecrets *self)
{
}

DtxSecrets *
dtx_secrets_new_keyring (void)
{
  return g_object_new (DTX_TYPE_KEYRING_SECRETS, NULL);
}

/* In memory */

#define DTX_TYPE_MEMORY_SECRETS (dtx_memory_secrets_get_type ())
G_DECLARE_FINAL_TYPE (DtxMemorySecrets, dtx_memory_secrets, DTX, MEMORY_SECRETS, GObject)

struct _DtxMemorySecrets
{
  GObject     parent_instance;
  GHashTable *values;
};

static void memory_iface_init (DtxSecretsInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DtxMemorySecrets, dtx_memory_secrets, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (DTX_TYPE_SECRETS, memory_iface_init))

static void
memory_lookup_async (DtxSecrets          *secrets,
                     const char          *key,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  DtxMemorySecrets *self = DTX_MEMORY_SECRETS (secrets);
  g_autoptr(GTask) task = g_task_new (secrets, cancellable, callback, user_data);

  g_task_return_pointer (task, g_strdup (g_hash_table_lookup (self->values, key)), g_free);
}

static void
memory_store_async (DtxSecrets          *secrets,
                    const char          *key,
                    const char          *label,
                    const char          *value,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  DtxMemorySecrets *self = DTX_MEMORY_SECRETS (secrets);
  g_autoptr(GTask) task = g_task_new (secrets, cancellable, callback, user_data);

  g_hash_table_replace (self->values, g_strdup (key), g_strdup (value));
  g_task_return_boolean (task, TRUE);
}

static void
memory_clear_async (DtxSecrets          *secrets,
                    const char          *key,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  DtxMemorySecrets *self = DTX_MEMORY_SECRETS (secrets);
  g_autoptr(GTask) task = g_task_new (secrets, cancellable, callback, user_data);

  g_hash_table_remove (self->values, key);
  g_task_return_boolean (task, TRUE);
}

static void
memory_iface_init (DtxSecretsInterface *iface)
{
  iface->lookup_async = memory_lookup_async;
  iface->lookup_finish = keyring_lookup_finish;
  iface->store_async = memory_store_async;
  iface->store_finish = keyring_bool_finish;
  iface->clear_async = memory_clear_async;
  iface->clear_finish = keyring_bool_finish;
}

static void
dtx_memory_secrets_finalize (GObject *object)
{
  g_clear_pointer (&DTX_MEMORY_SECRETS (object)->values, g_hash_table_unref);
  G_OBJECT_CLASS (dtx_memory_secrets_parent_class)->finalize (object);
}

static void
dtx_memory_secrets_class_init (DtxMemorySecretsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dtx_memory_secrets_finalize;
}

static void
dtx_memory_secrets_init (DtxMemorySecrets *self)
{
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

DtxSecrets *
dtx_secrets_new_memory (void)
{
  return g_object_new (DTX_TYPE_MEMORY_SECRETS, NULL);
}
