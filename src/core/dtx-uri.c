/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-uri"
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "dtx-uri.h"

char *
dtx_uri_normalise (const char *raw)
{
  const char *start, *end;
  GString *s;

  if (raw == NULL)
    return NULL;

  start = raw;
  end = raw + strlen (raw);
  while (start < end && (guchar) *start <= 0x20)
    start++;
  while (end > start && (guchar) end[-1] <= 0x20)
    end--;

  s = g_string_sized_new (end - start);
  for (const char *p = start; p < end; p++)
    {
      guchar ch = (guchar) *p;

      if (ch == ' ')
        g_string_append (s, "%20");
      else if (ch > 0x20 && ch != 0x7f)
        g_string_append_c (s, (char) ch);
    }

  if (s->len == 0)
    {
      g_string_free (s, TRUE);
      return NULL;
    }
  return g_string_free (s, FALSE);
}

char *
dtx_uri_scheme (const char *url)
{
  const char *p = url;

  if (url == NULL || !g_ascii_isalpha (*p))
    return NULL;
  while (g_ascii_isalnum (*p) || *p == '+' || *p == '-' || *p == '.')
    p++;
  if (*p != ':')
    return NULL;
  return g_ascii_strdown (url, p - url);
}

gboolean
dtx_uri_is_http (const char *url)
{
  return url != NULL &&
         (g_ascii_strncasecmp (url, "https://", 8) == 0 ||
          g_ascii_strncasecmp (url, "http://", 7) == 0);
}

char *
dtx_uri_join (const char *base,
              const char *ref,
              GUriFlags   flags)
{
  g_autoptr(GUri) base_uri = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *host, *path;

  if (ref == NULL)
    return NULL;
  if (base != NULL && (base_uri = g_uri_parse (base, flags, NULL)) == NULL)
    return NULL;
  uri = base_uri ? g_uri_parse_relative (base_uri, ref, flags, NULL) : g_uri_parse (ref, flags, NULL);
  if (uri == NULL)
    return NULL;

  /* Relaxed parsing can yield a host with a path that does not start
   * with '/', which GLib refuses to print (a critical): not a URL. */
  host = g_uri_get_host (uri);
  path = g_uri_get_path (uri);
  if (host != NULL && *path != '\0' && *path != '/')
    return NULL;
  return g_uri_to_string (uri);
}

char *
dtx_uri_resolve (const char *base,
                 const char *ref)
{
  g_autofree char *trimmed = NULL;
  char *resolved;

  if (ref == NULL)
    return NULL;
  trimmed = g_strstrip (g_strdup (ref));
  if (*trimmed == '\0')
    return NULL;
  if (base == NULL || g_uri_peek_scheme (trimmed) != NULL || g_uri_peek_scheme (base) == NULL)
    return g_steal_pointer (&trimmed);

  /* Relaxed and encoded: feeds write spaces and stray '%' in their URLs,
   * and what they escaped must stay escaped. */
  resolved = dtx_uri_join (base, trimmed, G_URI_FLAGS_PARSE_RELAXED | G_URI_FLAGS_ENCODED);
  return resolved ? resolved : g_steal_pointer (&trimmed);
}

GUri *
dtx_uri_parse_http (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (url == NULL)
    return NULL;

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return NULL;

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    return NULL;

  return g_steal_pointer (&uri);
}
