/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-subscriptions"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "dtx-error.h"
#include "dtx-opml.h"
#include "dtx-source-discovery.h"
#include "dtx-subscriptions.h"

/* Discovery reads each address once: a few at a time, so a long file does
 * not queue hundreds of requests at once. */
#define MAX_PARALLEL 4
#define MAX_OPML_SIZE (4 * 1024 * 1024)

void
dtx_import_report_free (DtxImportReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->failures, g_ptr_array_unref);
  g_clear_pointer (&report->added, g_ptr_array_unref);
  g_free (report);
}

char *
dtx_import_report_describe (const DtxImportReport *report)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "Added %u source.", "Added %u sources.",
                                             report->n_added),
                          report->n_added);
  if (report->n_skipped > 0)
    {
      g_string_append_c (text, ' ');
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u was skipped as a duplicate.",
                                                 "%u were skipped as duplicates.", report->n_skipped),
                              report->n_skipped);
    }
  if (report->n_failed > 0)
    {
      g_string_append_c (text, ' ');
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u could not be added.",
                                                 "%u could not be added.", report->n_failed),
                              report->n_failed);
    }
  return g_string_free (text, FALSE);
}

typedef struct {
  DtxSourceManager *manager;
  DtxFetcher       *fetcher;
  GPtrArray        *outlines; /* DtxOpmlOutline */
  GHashTable       *seen;     /* urls already handled in this file */
  DtxImportReport  *report;
  guint             next;
  guint             running;
} ImportData;

static void
import_data_free (gpointer data)
{
  ImportData *d = data;

  g_clear_object (&d->manager);
  g_clear_object (&d->fetcher);
  g_clear_pointer (&d->outlines, g_ptr_array_unref);
  g_clear_pointer (&d->seen, g_hash_table_unref);
  dtx_import_report_free (d->report);
  g_free (d);
}

static void import_next (GTask *task);

static void
fail_outline (ImportData   *d,
              const char   *url,
              const GError *error)
{
  d->report->n_failed++;
  /* Translators: an import failure: the address, then why */
  g_ptr_array_add (d->report->failures, g_strdup_printf (_("%s: %s"), url, error->message));
}

static void
one_done (GTask *task)
{
  ImportData *d = g_task_get_task_data (task);

  d->running--;
  import_next (task);
}

typedef struct {
  GTask *task;
  char  *url;
} Pending;

/* An outline done with before any add: the next one may start. */
static void
pending_done (Pending *p)
{
  GTask *task = p->task;

  g_free (p->url);
  g_free (p);
  one_done (task);
  g_object_unref (task);
}

static void
on_source_added (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Pending *p = user_data;
  g_autoptr(GTask) task = p->task;
  g_autofree char *url = p->url;
  ImportData *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_free (p);
  if (!dtx_source_manager_add_finish (DTX_SOURCE_MANAGER (object), result, &error))
    {
      if (g_error_matches (error, DTX_ERROR, DTX_ERROR_EXISTS))
        d->report->n_skipped++;
      else
        {
          g_message ("Importing %s failed: %s", url, error->message);
          fail_outline (d, url, error);
        }
    }
  else
    {
      DtxSource *source = dtx_source_manager_lookup (d->manager, url);

      d->report->n_added++;
      if (source != NULL)
        g_ptr_array_add (d->report->added, g_object_ref (source));
    }
  one_done (task);
}

static void
on_discovered (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Pending *p = user_data;
  GTask *task = p->task;
  ImportData *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = dtx_source_discover_finish (result, &error);
  const DtxDiscovered *chosen = NULL;
  g_autoptr(DtxSource) source = NULL;

  if (found == NULL || found->len == 0)
    {
      if (error == NULL)
        error = g_error_new_literal (DTX_ERROR, DTX_ERROR_NO_FEED,
                                     _("No articles were found at this address."));
      g_message ("Importing %s failed: %s", p->url, error->message);
      fail_outline (d, p->url, error);
      pending_done (p);
      return;
    }
  /* The outline's own address when discovery offers it, else the first. */
  for (guint i = 0; i < found->len && chosen == NULL; i++)
    {
      const DtxDiscovered *candidate = g_ptr_array_index (found, i);

      if (g_strcmp0 (candidate->url, p->url) == 0)
        chosen = candidate;
    }
  if (chosen == NULL)
    chosen = g_ptr_array_index (found, 0);
  /* Discovery may lead elsewhere (a feed's site): followed, or found twice. */
  if (dtx_source_manager_lookup (d->manager, chosen->url) != NULL ||
      (g_strcmp0 (chosen->url, p->url) != 0 && !g_hash_table_add (d->seen, g_strdup (chosen->url))))
    {
      d->report->n_skipped++;
      pending_done (p);
      return;
    }
  source = dtx_discovered_create_source (chosen, d->fetcher);
  g_free (p->url);
  p->url = g_strdup (dtx_source_get_url (source));
  dtx_source_manager_add_async (d->manager, source, g_task_get_cancellable (task), on_source_added, p);
}

static void
import_next (GTask *task)
{
  ImportData *d = g_task_get_task_data (task);

  if (g_task_return_error_if_cancelled (task))
    return;
  while (d->running < MAX_PARALLEL && d->next < d->outlines->len)
    {
      const DtxOpmlOutline *outline = g_ptr_array_index (d->outlines, d->next++);
      const char *target;
      Pending *p;

      if (outline->url == NULL || *outline->url == '\0')
        continue;
      /* A WordPress site's feed (as this app exports it): the site itself
       * is richer (categories, paging, search) and keeps its key. */
      target = outline->url;
      if (outline->html_url != NULL && *outline->html_url != '\0' &&
          (g_str_has_suffix (outline->url, "/feed/") || g_str_has_suffix (outline->url, "/feed")))
        target = outline->html_url;
      /* Followed already, by its feed or by its site, or twice in the file:
       * nothing to fetch. */
      if (dtx_source_manager_lookup (d->manager, outline->url) != NULL ||
          dtx_source_manager_lookup (d->manager, target) != NULL ||
          g_hash_table_contains (d->seen, outline->url) || g_hash_table_contains (d->seen, target))
        {
          d->report->n_skipped++;
          continue;
        }
      g_hash_table_add (d->seen, g_strdup (outline->url));
      g_hash_table_add (d->seen, g_strdup (target));
      p = g_new0 (Pending, 1);
      p->task = g_object_ref (task);
      p->url = g_strdup (target);
      d->running++;
      dtx_source_discover_async (d->fetcher, p->url, g_task_get_cancellable (task), on_discovered, p);
    }
  if (d->running == 0 && d->next >= d->outlines->len)
    g_task_return_pointer (task, g_steal_pointer (&d->report), (GDestroyNotify)dtx_import_report_free);
}

static void
on_file_loaded (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ImportData *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &length, NULL, &error))
    {
      g_autofree char *name = g_file_get_parse_name (G_FILE (object));

      g_message ("Reading %s failed: %s", name, error->message);
      /* Translators: %s is a file name */
      g_task_return_new_error (task, DTX_ERROR, DTX_ERROR_NOT_FOUND, _("Could not read %s."), name);
      return;
    }
  bytes = g_bytes_new_take (contents, length);
  if (length > MAX_OPML_SIZE)
    {
      g_task_return_new_error (task, DTX_ERROR, DTX_ERROR_TOO_LARGE,
                               _("This file is too large to be a list of subscriptions."));
      return;
    }
  d->outlines = dtx_opml_parse (bytes, &error);
  if (d->outlines == NULL)
    {
      g_message ("Parsing OPML failed: %s", error->message);
      g_task_return_new_error (task, DTX_ERROR, DTX_ERROR_PARSE,
                               _("This file is not a list of subscriptions (OPML). Choose another file."));
      return;
    }
  import_next (task);
}

void
dtx_subscriptions_import_async (DtxSourceManager    *manager,
                                DtxFetcher          *fetcher,
                                GFile               *file,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportData *d;

  g_return_if_fail (DTX_IS_SOURCE_MANAGER (manager));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (manager, cancellable, callback, user_data);
  g_task_set_source_tag (task, dtx_subscriptions_import_async);
  d = g_new0 (ImportData, 1);
  d->manager = g_object_ref (manager);
  d->fetcher = g_object_ref (fetcher);
  d->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  d->report = g_new0 (DtxImportReport, 1);
  d->report->failures = g_ptr_array_new_with_free_func (g_free);
  d->report->added = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, d, import_data_free);
  g_file_load_contents_async (file, cancellable, on_file_loaded, g_steal_pointer (&task));
}

DtxImportReport *
dtx_subscriptions_import_finish (DtxSourceManager  *manager,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, manager), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_file_written (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      g_autofree char *name = g_file_get_parse_name (G_FILE (object));

      g_message ("Writing %s failed: %s", name, error->message);
      /* Translators: %s is a file name */
      g_task_return_new_error (task, DTX_ERROR, DTX_ERROR_NOT_FOUND,
                               _("Could not write %s. Choose another place."), name);
      return;
    }
  g_task_return_int (task, GPOINTER_TO_UINT (g_task_get_task_data (task)));
}

void
dtx_subscriptions_export_async (DtxSourceManager    *manager,
                                GFile               *file,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) outlines = g_ptr_array_new_with_free_func ((GDestroyNotify)dtx_opml_outline_free);
  g_autoptr(GBytes) bytes = NULL;
  guint n;

  g_return_if_fail (DTX_IS_SOURCE_MANAGER (manager));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (manager, cancellable, callback, user_data);
  g_task_set_source_tag (task, dtx_subscriptions_export_async);
  n = g_list_model_get_n_items (G_LIST_MODEL (manager));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DtxSource) source = g_list_model_get_item (G_LIST_MODEL (manager), i);
      /* A WordPress source is known by its site; readers find its feed there. */
      const char *url = dtx_source_get_url (source);
      g_autofree char *feed_url = dtx_source_get_kind (source) == DTX_SOURCE_KIND_WORDPRESS
                                    ? g_strconcat (url, g_str_has_suffix (url, "/") ? "" : "/", "feed/", NULL)
                                    : NULL;

      g_ptr_array_add (outlines, dtx_opml_outline_new (feed_url ? feed_url : url, dtx_source_get_title (source),
                                                       feed_url ? url : NULL));
    }
  g_task_set_task_data (task, GUINT_TO_POINTER (n), NULL);
  bytes = dtx_opml_write (outlines, _("DigiTripX Reader subscriptions"));
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       cancellable, on_file_written, g_steal_pointer (&task));
}

gboolean
dtx_subscriptions_export_finish (DtxSourceManager  *manager,
                                 GAsyncResult      *result,
                                 guint             *n_written,
                                 GError           **error)
{
  gssize n;

  g_return_val_if_fail (g_task_is_valid (result, manager), FALSE);
  n = g_task_propagate_int (G_TASK (result), error);
  if (n < 0)
    return FALSE;
  if (n_written != NULL)
    *n_written = (guint)n;
  return TRUE;
}
