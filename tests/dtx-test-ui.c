/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-test-ui"
#include "config.h"

#include "dtx-test-ui.h"
#include "dtx-row-label.h"


#define DEADLINE_SECONDS 60

void
dtx_test_ui_init (void)
{
  g_autofree char *name = g_path_get_basename (g_get_prgname ());

  /* g_test_init() names the program by its full path; WebKit builds its data
   * folders from that name, and its sandbox then fails to start. */
  g_set_prgname (name);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  adw_init ();
#ifdef DTX_TEST_LINKS_READER
  /* Registered up front, so the window uses it instead of the module. */
  g_type_ensure (DTX_TYPE_READER_VIEW);
#endif
}

static gboolean
on_tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
dtx_test_wait_until (DtxTestCondition  condition,
                     gpointer          data,
                     const char       *what)
{
  gint64 deadline = g_get_monotonic_time () + DEADLINE_SECONDS * G_USEC_PER_SEC;
  guint tick = g_timeout_add (50, on_tick, NULL);
  gboolean ok;

  while (!(ok = condition (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);

  if (!ok)
    {
      g_test_message ("Gave up waiting for: %s", what);
      g_test_fail ();
    }
  return ok;
}

static gboolean
past (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *)data;
}

void
dtx_test_spin (guint milliseconds)
{
  gint64 until = g_get_monotonic_time () + milliseconds * 1000;

  dtx_test_wait_until (past, &until, "time to pass");
}

#ifdef DTX_TEST_LINKS_READER
DtxReaderView *
dtx_test_reader_of (DtxWindow *window)
{
  GtkWidget *reader = dtx_window_get_reader_view (window);

  return reader ? DTX_READER_VIEW (reader) : NULL;
}

static gboolean
loaded (gpointer data)
{
  WebKitWebView *web_view = data;
  GtkWidget *reader = gtk_widget_get_ancestor (GTK_WIDGET (web_view), DTX_TYPE_READER_VIEW);

  return !(reader != NULL && dtx_reader_view_is_rendering (DTX_READER_VIEW (reader))) &&
         !webkit_web_view_is_loading (web_view) && webkit_web_view_get_uri (web_view) != NULL;
}

gboolean
dtx_test_wait_loaded (WebKitWebView *web_view)
{
  return dtx_test_wait_until (loaded, web_view, "the web view to finish loading");
}

typedef struct {
  gboolean  done;
  char     *result;
} EvalData;

static void
on_evaluated (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  EvalData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JSCValue) value = webkit_web_view_evaluate_javascript_finish (WEBKIT_WEB_VIEW (object), result, &error);

  if (value == NULL)
    data->result = g_strdup_printf ("ERROR: %s", error->message);
  else
    data->result = jsc_value_to_string (value);
  data->done = TRUE;
}

static gboolean
eval_done (gpointer data)
{
  return ((EvalData *)data)->done;
}

char *
dtx_test_eval_string (WebKitWebView *web_view,
                      const char    *script)
{
  EvalData data = { FALSE, NULL };

  webkit_web_view_evaluate_javascript (web_view, script, -1, NULL, NULL, NULL, on_evaluated, &data);
  dtx_test_wait_until (eval_done, &data, script);
  return data.result;
}

#endif

GtkWidget *
dtx_test_find_widget (GtkWidget     *widget,
                      DtxTestMatch   match,
                      gconstpointer  data)
{
  if (match (widget, data))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = dtx_test_find_widget (child, match, data);
      if (found != NULL)
        return found;
    }
  return NULL;
}

const char *
dtx_test_label_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_text (GTK_LABEL (widget));
  if (DTX_IS_ROW_LABEL (widget))
    return dtx_row_label_get_text (DTX_ROW_LABEL (widget));
  return NULL;
}

static gboolean
is_label (GtkWidget *widget, gconstpointer text)
{
  const char *shown = dtx_test_label_text (widget);

  return shown != NULL && g_str_equal (shown, text) && gtk_widget_get_mapped (widget);
}

GtkWidget *
dtx_test_find_label (GtkWidget  *widget,
                     const char *text)
{
  return dtx_test_find_widget (widget, is_label, text);
}
