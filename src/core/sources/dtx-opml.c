/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-opml"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "dtx-error.h"
#include "dtx-opml.h"

G_DEFINE_BOXED_TYPE (DtxOpmlOutline, dtx_opml_outline, dtx_opml_outline_copy, dtx_opml_outline_free)

DtxOpmlOutline *
dtx_opml_outline_new (const char *url,
                      const char *title,
                      const char *html_url)
{
  DtxOpmlOutline *outline = g_new0 (DtxOpmlOutline, 1);

  outline->url = g_strdup (url);
  outline->title = g_strdup (title);
  outline->html_url = g_strdup (html_url);
  return outline;
}

DtxOpmlOutline *
dtx_opml_outline_copy (const DtxOpmlOutline *outline)
{
  g_return_val_if_fail (outline != NULL, NULL);

  return dtx_opml_outline_new (outline->url, outline->title, outline->html_url);
}

void
dtx_opml_outline_free (DtxOpmlOutline *outline)
{
  if (outline == NULL)
    return;

  g_free (outline->url);
  g_free (outline->title);
  g_free (outline->html_url);
  g_free (outline);
}

GPtrArray *
dtx_opml_parse (GBytes  *data,
                GError **error)
{
  g_set_error_literal (error, DTX_ERROR, DTX_ERROR_PARSE,
                       _("This file is not an OPML list of subscriptions."));
  return NULL;
}

GBytes *
dtx_opml_write (GPtrArray  *outlines,
                const char *title)
{
  static const char doc[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\"><head/><body/></opml>\n";

  return g_bytes_new_static (doc, sizeof doc - 1);
}
