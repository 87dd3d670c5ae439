/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The bot token in a real Secret Service: tests/with-keyring.sh starts an
 * unlocked gnome-keyring-daemon on this test's session bus. */
#define G_LOG_DOMAIN "test-secrets"
#include "config.h"

#include <libsecret/secret.h>

#include "dtx-error.h"
#include "dtx-secrets.h"
#include "dtx-test-site.h"

#define TOKEN_1 "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
#define TOKEN_2 "123456789:BBnewTokenAfterRevokeXyz_-42"

static char *
lookup (DtxSecrets *secrets, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dtx_secrets_lookup_async (secrets, DTX_SECRET_TELEGRAM_TOKEN, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  return dtx_secrets_lookup_finish (secrets, result, error);
}

static gboolean
store (DtxSecrets *secrets, const char *value, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dtx_secrets_store_async (secrets, DTX_SECRET_TELEGRAM_TOKEN, "DigiTripX Reader: Telegram bot token",
                           value, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  return dtx_secrets_store_finish (secrets, result, error);
}

static gboolean
clear (DtxSecrets *secrets, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dtx_secrets_clear_async (secrets, DTX_SECRET_TELEGRAM_TOKEN, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  return dtx_secrets_clear_finish (secrets, result, error);
}

/* What another client of the Secret Service (Seahorse, secret-tool) finds
 * under the app's schema: one item, with our label. */
static guint
count_items (char **label)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(SecretService) service = secret_service_get_sync (SECRET_SERVICE_LOAD_COLLECTIONS, NULL, &error);
  GList *items;
  guint n;

  g_assert_no_error (error);
  g_hash_table_insert (attributes, "key", DTX_SECRET_TELEGRAM_TOKEN);
  items = secret_service_search_sync (service, NULL, attributes, SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);
  n = g_list_length (items);
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autofree char *schema = secret_item_get_schema_name (l->data);

      g_assert_cmpstr (schema, ==, APPLICATION_ID ".Secret");
      if (label != NULL)
        *label = secret_item_get_label (l->data);
    }
  g_list_free_full (items, g_object_unref);
  return n;
}

static void
run_round_trip (DtxSecrets *secrets, gboolean real)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *none = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *gone = NULL;
  g_autofree char *label = NULL;

  none = lookup (secrets, &error);
  g_assert_no_error (error);
  g_assert_null (none);

  g_assert_true (store (secrets, TOKEN_1, &error));
  g_assert_no_error (error);
  first = lookup (secrets, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, TOKEN_1);
  if (real)
    {
      g_assert_cmpuint (count_items (&label), ==, 1);
      g_assert_cmpstr (label, ==, "DigiTripX Reader: Telegram bot token");
    }

  /* Replacing keeps one item. */
  g_assert_true (store (secrets, TOKEN_2, &error));
  second = lookup (secrets, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (second, ==, TOKEN_2);
  if (real)
    g_assert_cmpuint (count_items (NULL), ==, 1);

  g_assert_true (clear (secrets, &error));
  g_assert_no_error (error);
  gone = lookup (secrets, &error);
  g_assert_no_error (error);
  g_assert_null (gone);
  if (real)
    g_assert_cmpuint (count_items (NULL), ==, 0);

  /* Removing what is not there is fine. */
  g_assert_true (clear (secrets, &error));
  g_assert_no_error (error);
}

static void
test_keyring (void)
{
  g_autoptr(DtxSecrets) secrets = dtx_secrets_new_keyring ();
  g_autofree char *keyrings = g_build_filename (g_get_user_data_dir (), "keyrings", NULL);

  /* The daemon must be the scratch one from with-keyring.sh, not a user's. */
  g_assert_nonnull (g_getenv ("DTX_TEST_KEYRING"));
  g_assert_true (g_str_has_prefix (g_get_user_data_dir (), g_getenv ("DTX_TEST_KEYRING")));

  run_round_trip (secrets, TRUE);
  /* The keyring file exists on disk, and the token is not in it in clear. */
  g_assert_true (g_file_test (keyrings, G_FILE_TEST_IS_DIR));
}

static void
test_token_not_in_clear_on_disk (void)
{
  g_autoptr(DtxSecrets) secrets = dtx_secrets_new_keyring ();
  g_autoptr(GError) error = NULL;
  g_autofree char *keyrings = g_build_filename (g_get_user_data_dir (), "keyrings", NULL);
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint files = 0;

  g_assert_true (store (secrets, TOKEN_1, &error));
  g_assert_no_error (error);
  /* gnome-keyring writes the file when the item changes; give it a moment. */
  g_usleep (500 * 1000);
  dir = g_dir_open (keyrings, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (keyrings, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (!g_file_get_contents (path, &contents, &length, NULL))
        continue;
      files++;
      g_assert_null (g_strstr_len (contents, length, "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"));
    }
  g_assert_cmpuint (files, >, 0);
  g_assert_true (clear (secrets, &error));
}

static void
test_memory (void)
{
  g_autoptr(DtxSecrets) secrets = dtx_secrets_new_memory ();

  run_round_trip (secrets, FALSE);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/secrets/keyring/store-read-replace-delete", test_keyring);
  g_test_add_func ("/secrets/keyring/not-in-clear-on-disk", test_token_not_in_clear_on_disk);
  g_test_add_func ("/secrets/memory/store-read-replace-delete", test_memory);

  return g_test_run ();
}
