/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-html"
#include "config.h"

/* memmem(): GLib's g_strstr_len() is a naive search. */
#define _GNU_SOURCE
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>

#include "dtx-html.h"
#include "dtx-uri.h"

static void
silent_error (void       *context,
              const char *format,
              ...)
{
}

static void
ensure_libxml (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      xmlInitParser ();
      g_once_init_leave (&initialized, 1);
    }
}

htmlDocPtr
dtx_html_read (const char *html,
               gsize       length,
               const char *encoding)
{
  xmlGenericErrorFunc old_handler;
  void *old_context;
  htmlDocPtr doc;
  int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET;

  if (html == NULL || length > G_MAXINT)
    return NULL;
  ensure_libxml ();
  if (encoding != NULL)
    options |= HTML_PARSE_IGNORE_ENC;

  /* NOERROR does not cover the encoding layer, which reports bad bytes
   * through the (per-thread) generic handler. */
  old_handler = xmlGenericError;
  old_context = xmlGenericErrorContext;
  xmlSetGenericErrorFunc (NULL, silent_error);
  doc = htmlReadMemory (html, (int) length, NULL, encoding, options);
  xmlSetGenericErrorFunc (old_context, old_handler);

  return doc;
}

/* Bytes handed to the push parser at a time. */
#define PUSH_CHUNK (256 * 1024)

typedef struct {
  endElementNsSAX2Func end_element;
  DtxXmlElementDone done;
  gpointer data;
} Streaming;

static void
streaming_end_element (void          *ctx,
                       const xmlChar *localname,
                       const xmlChar *prefix,
                       const xmlChar *uri)
{
  xmlParserCtxtPtr ctxt = ctx;
  Streaming *streaming = ctxt->_private;
  xmlNode *node = ctxt->node;

  streaming->end_element (ctx, localname, prefix, uri);
  if (node == NULL || node->type != XML_ELEMENT_NODE || node == ctxt->node ||
      !streaming->done (node, streaming->data))
    return;

  xmlUnlinkNode (node);
  xmlFreeNode (node);
  /* libxml2 appends the next characters to the last text node it made
   * when nodemem says so; that node may have gone with the element. */
  ctxt->nodemem = 0;
  ctxt->nodelen = 0;
}

xmlDocPtr
dtx_xml_read_streaming (const char        *utf8,
                        gsize              length,
                        const char        *base_uri,
                        gboolean           recover,
                        DtxXmlElementDone  done,
                        gpointer           data,
                        gboolean          *well_formed,
                        char             **message)
{
  xmlGenericErrorFunc old_handler;
  void *old_context;
  xmlParserCtxtPtr ctxt;
  xmlDocPtr doc;
  Streaming streaming = { NULL, done, data };
  int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                XML_PARSE_IGNORE_ENC | XML_PARSE_COMPACT;

  if (well_formed != NULL)
    *well_formed = FALSE;
  if (message != NULL)
    *message = NULL;
  if (utf8 == NULL || length > G_MAXINT)
    return NULL;
  ensure_libxml ();

  /* The push parser: it hands CDATA sections over in blocks, where the
   * pull parser copies them a character at a time (most of a feed is
   * CDATA). */
  ctxt = xmlCreatePushParserCtxt (NULL, NULL, NULL, 0, base_uri);
  if (ctxt == NULL)
    return NULL;
  if (recover)
    options |= XML_PARSE_RECOVER;
  xmlCtxtUseOptions (ctxt, options);
  if (done != NULL && ctxt->sax != NULL && ctxt->sax->endElementNs != NULL)
    {
      streaming.end_element = ctxt->sax->endElementNs;
      ctxt->sax->endElementNs = streaming_end_element;
      ctxt->_private = &streaming;
    }

  /* No NOENT (entity substitution) and no DTDLOAD: external entities are
   * never fetched or read (XXE) and internal ones are not expanded
   * (billion laughs). No HUGE, so libxml2's size limits stay on. The
   * input is UTF-8 already, whatever its declaration says. */
  old_handler = xmlGenericError;
  old_context = xmlGenericErrorContext;
  xmlSetGenericErrorFunc (NULL, silent_error);
  for (gsize offset = 0; offset < length; offset += PUSH_CHUNK)
    if (xmlParseChunk (ctxt, utf8 + offset, (int) MIN (PUSH_CHUNK, length - offset), 0) != 0 &&
        !recover)
      break;
  xmlParseChunk (ctxt, NULL, 0, 1);
  doc = ctxt->myDoc;
  ctxt->myDoc = NULL;
  xmlSetGenericErrorFunc (old_context, old_handler);

  if (well_formed != NULL)
    *well_formed = ctxt->wellFormed && doc != NULL;
  if (message != NULL && (!ctxt->wellFormed || doc == NULL))
    {
      const xmlError *xerr = xmlCtxtGetLastError (ctxt);

      *message = g_strdup_printf ("%s (line %d)",
                                  xerr && xerr->message ? g_strstrip (xerr->message) : "unknown error",
                                  xerr ? xerr->line : 0);
    }
  ctxt->_private = NULL;
  xmlFreeParserCtxt (ctxt);

  return doc;
}

xmlDocPtr
dtx_xml_read (const char *utf8,
              gsize       length,
              const char *base_uri,
              gboolean   *well_formed,
              char      **message)
{
  return dtx_xml_read_streaming (utf8, length, base_uri, TRUE, NULL, NULL, well_formed, message);
}

/* ---- Encodings ---------------------------------------------------------- */

/* windows-1252's 0x80–0x9F; the five holes keep their C1 code points, as
 * browsers do. */
static const gunichar cp1252_high[32] = {
  0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
  0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

static gunichar
cp1252_char (guchar byte)
{
  return byte >= 0x80 && byte <= 0x9F ? cp1252_high[byte - 0x80] : byte;
}

static void
append_cp1252 (GString    *out,
               const char *data,
               gsize       length)
{
  for (gsize i = 0; i < length; i++)
    {
      guchar byte = (guchar) data[i];

      if (byte < 0x80)
        g_string_append_c (out, (char) byte);
      else
        g_string_append_unichar (out, cp1252_char (byte));
    }
}

/* UTF-8, with each byte that is not part of a valid sequence read as
 * windows-1252: feeds that paste Latin-1 text into a UTF-8 document. */
static void
append_utf8_mixed (GString    *out,
                   const char *data,
                   gsize       length)
{
  const char *p = data;
  const char *end = data + length;

  while (p < end)
    {
      const char *bad;

      if (g_utf8_validate_len (p, end - p, &bad))
        {
          g_string_append_len (out, p, end - p);
          return;
        }
      g_string_append_len (out, p, bad - p);
      if (*bad == '\0')
        g_string_append_c (out, ' ');   /* a NUL is not text */
      else
        g_string_append_unichar (out, cp1252_char ((guchar) *bad));
      p = bad + 1;
    }
}

static gboolean
is_charset (const char *charset,
            const char * const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (g_ascii_strcasecmp (charset, names[i]) == 0)
      return TRUE;
  return FALSE;
}

static const char * const utf8_names[] = { "utf-8", "utf8", "unicode-1-1-utf-8", NULL };
static const char * const cp1252_names[] = {
  "windows-1252", "cp1252", "x-cp1252", "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1",
  "l1", "iso-ir-100", "us-ascii", "ascii", "ansi_x3.4-1968", "cp819", "ibm819", NULL
};

/* The encoding named in an XML declaration, or NULL. */
static char *
declared_encoding (const char *data,
                   gsize       length)
{
  g_autofree char *head = g_strndup (data, MIN (length, 256));
  const char *end, *p;
  char quote;

  if (!g_str_has_prefix (head, "<?xml") || (end = strstr (head, "?>")) == NULL)
    return NULL;
  if ((p = strstr (head, "encoding")) == NULL || p > end)
    return NULL;
  p += strlen ("encoding");
  while (g_ascii_isspace (*p))
    p++;
  if (*p++ != '=')
    return NULL;
  while (g_ascii_isspace (*p))
    p++;
  quote = *p++;
  if ((quote != '"' && quote != '\'') || (end = strchr (p, quote)) == NULL)
    return NULL;
  return g_strndup (p, end - p);
}

static gboolean
has_multibyte (const char *data,
               gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if ((guchar) data[i] >= 0x80)
      return TRUE;
  return FALSE;
}

char *
dtx_content_type_charset (const char *content_type)
{
  const char *p;
  gsize len;

  if (content_type == NULL)
    return NULL;
  for (p = content_type; (p = strchr (p, ';')) != NULL; )
    {
      p++;
      while (g_ascii_isspace (*p))
        p++;
      if (g_ascii_strncasecmp (p, "charset", 7) != 0)
        continue;
      p += 7;
      while (g_ascii_isspace (*p))
        p++;
      if (*p != '=')
        continue;
      p++;
      while (g_ascii_isspace (*p) || *p == '"' || *p == '\'')
        p++;
      len = strcspn (p, "\"'; \t");
      return len > 0 ? g_strndup (p, len) : NULL;
    }
  return NULL;
}

/* The document as UTF-8 (not yet mended). */
static GString *
decode (const char *data,
        gsize       length,
        const char *http_charset)
{
  g_autofree char *declared = NULL;
  g_autofree char *converted = NULL;
  const char *charset = NULL;
  GString *out;
  gsize n = 0;

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
      charset = "UTF-8";
    }
  else if (length >= 2 && (memcmp (data, "\xFF\xFE", 2) == 0 || memcmp (data, "\xFE\xFF", 2) == 0))
    charset = "UTF-16";
  else if (length >= 4 && memcmp (data, "<\0?\0", 4) == 0)
    charset = "UTF-16LE";
  else if (length >= 4 && memcmp (data, "\0<\0?", 4) == 0)
    charset = "UTF-16BE";
  else if (http_charset != NULL && *http_charset != '\0')
    charset = http_charset;
  else
    charset = declared = declared_encoding (data, length);

  if (charset != NULL && g_ascii_strncasecmp (charset, "utf-16", 6) == 0)
    {
      /* Converted to UTF-8 first, then read like any UTF-8 document. */
      converted = g_convert_with_fallback (data, length, "UTF-8", charset, "\xEF\xBF\xBD", NULL, &n, NULL);
      if (converted == NULL)
        converted = g_convert_with_fallback (data, length, "UTF-8", "UTF-16LE", "\xEF\xBF\xBD", NULL, &n, NULL);
      if (converted != NULL)
        {
          data = converted;
          length = n;
          if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
            {
              data += 3;
              length -= 3;
            }
        }
      charset = "UTF-8";
    }

  out = g_string_sized_new (length + length / 16 + 16);

  if (charset == NULL || is_charset (charset, utf8_names))
    append_utf8_mixed (out, data, length);
  else if (is_charset (charset, cp1252_names))
    {
      /* Labelled Latin-1 but valid UTF-8 with non-ASCII in it: a server
       * default that lies, since real windows-1252 text is almost never
       * valid UTF-8. */
      if (has_multibyte (data, length) && g_utf8_validate_len (data, length, NULL))
        g_string_append_len (out, data, length);
      else
        append_cp1252 (out, data, length);
    }
  else
    {
      g_autofree char *other = g_convert_with_fallback (data, length, "UTF-8", charset,
                                                        "\xEF\xBF\xBD", NULL, &n, NULL);

      if (other != NULL)
        append_utf8_mixed (out, other, n);
      else
        {
          g_message ("Unknown charset “%s”, read as UTF-8", charset);
          append_utf8_mixed (out, data, length);
        }
    }

  return out;
}

char *
dtx_markup_utf8 (const char *data,
                 gsize       length)
{
  GString *out = g_string_sized_new (length + 16);

  append_utf8_mixed (out, data, length);
  return g_string_free (out, FALSE);
}

/* ---- Mending ------------------------------------------------------------ */

static gboolean
is_xml_char (gunichar c)
{
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

/* Bytes XML forbids: C0 controls other than tab, LF and CR. */
static inline gboolean
is_forbidden_byte (guchar c)
{
  return c < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

static void
append_clean (GString    *out,
              const char *p,
              const char *end)
{
  while (p < end)
    {
      const char *q = p;

      while (q < end && !is_forbidden_byte ((guchar) *q))
        q++;
      g_string_append_len (out, p, q - p);
      p = q + 1;
    }
}

/* A numeric reference at p ("&#…;"): its code point, browser-mapped, and
 * where it ends; FALSE when it is not one. */
static gboolean
read_char_ref (const char  *p,
               const char  *end,
               gunichar    *ch,
               const char **after)
{
  gboolean hex;
  guint64 value = 0;
  guint digits = 0;

  if (p + 2 >= end || p[1] != '#')
    return FALSE;
  p += 2;
  hex = *p == 'x' || *p == 'X';
  if (hex)
    p++;
  for (; p < end && (hex ? g_ascii_isxdigit (*p) : g_ascii_isdigit (*p)); p++, digits++)
    if (value < 0x110000)
      value = value * (hex ? 16 : 10) + (hex ? g_ascii_xdigit_value (*p) : g_ascii_digit_value (*p));
  if (digits == 0 || p >= end || *p != ';')
    return FALSE;

  *ch = value >= 0x80 && value <= 0x9F ? cp1252_char ((guchar) value) : (gunichar) value;
  *after = p + 1;
  return TRUE;
}

/* Inside CDATA the text is HTML for later: only the windows-1252 mapping
 * of &#128;–&#159; applies, as the HTML parser does not do it. */
static void
append_cdata (GString    *out,
              const char *p,
              const char *end)
{
  while (p < end)
    {
      const char *amp = memchr (p, '&', end - p);
      const char *after;
      gunichar ch;

      if (amp == NULL)
        {
          append_clean (out, p, end);
          return;
        }
      append_clean (out, p, amp);
      if (read_char_ref (amp, end, &ch, &after) && ch != g_utf8_get_char_validated (amp, 1))
        {
          g_string_append_printf (out, "&#%u;", ch);
          p = after;
        }
      else
        {
          g_string_append_c (out, '&');
          p = amp + 1;
        }
    }
}

/* Copies up to and including terminator (or the rest). */
static const char *
copy_through (GString    *out,
              const char *p,
              const char *end,
              const char *terminator)
{
  const char *found = memmem (p, end - p, terminator, strlen (terminator));
  const char *stop = found ? found + strlen (terminator) : end;

  append_clean (out, p, stop);
  return stop;
}

/* <!DOCTYPE …> with its internal subset, quoted strings included. */
static const char *
copy_doctype (GString    *out,
              const char *p,
              const char *end,
              gboolean   *has_subset)
{
  const char *q = p;
  int depth = 0;

  while (q < end)
    {
      if (*q == '"' || *q == '\'')
        {
          const char *close = memchr (q + 1, *q, end - q - 1);
          q = close ? close + 1 : end;
          continue;
        }
      if (*q == '[')
        {
          depth++;
          *has_subset = TRUE;
        }
      else if (*q == ']')
        depth--;
      else if (*q == '>' && depth <= 0)
        {
          q++;
          break;
        }
      q++;
    }
  append_clean (out, p, q);
  return q;
}

static const char *
mend_reference (GString    *out,
                const char *p,
                const char *end,
                gboolean    has_subset)
{
  const char *after;
  const char *q;
  gunichar ch;

  if (read_char_ref (p, end, &ch, &after))
    {
      /* One outside Unicode or XML's characters shows as U+FFFD, as in
       * browsers. */
      g_string_append_printf (out, "&#%u;", is_xml_char (ch) ? ch : 0xFFFD);
      return after;
    }

  for (q = p + 1; q < end && q - p <= 32 && g_ascii_isalnum (*q); q++)
    ;
  if (q > p + 1 && q < end && *q == ';' && g_ascii_isalpha (p[1]))
    {
      char name[40];
      const htmlEntityDesc *entity;
      gsize len = q - p - 1;

      memcpy (name, p + 1, len);
      name[len] = '\0';
      if (strcmp (name, "amp") == 0 || strcmp (name, "lt") == 0 || strcmp (name, "gt") == 0 ||
          strcmp (name, "quot") == 0 || strcmp (name, "apos") == 0)
        g_string_append_len (out, p, q + 1 - p);
      else if ((entity = htmlEntityLookup ((const xmlChar *) name)) != NULL)
        g_string_append_printf (out, "&#%u;", entity->value);
      else if (has_subset)
        /* Maybe declared: the reader keeps it unexpanded. */
        g_string_append_len (out, p, q + 1 - p);
      else
        {
          /* Unknown and undeclared: shown as written, as browsers do. */
          g_string_append (out, "&amp;");
          g_string_append_len (out, p + 1, q - p);
        }
      return q + 1;
    }

  /* A bare '&' ("AT&T", "?a=1&b=2"). */
  g_string_append (out, "&amp;");
  return p + 1;
}

/* The open elements, so that an end tag closes what a sloppy feed left
 * open inside it (<br>, <b>, an <item> never closed), as HTML parsers do.
 * Deeper than this, tags are copied as they are. */
#define TAG_STACK_MAX 128

typedef struct {
  char *names[TAG_STACK_MAX];
  guint depth;
  guint untracked;   /* open elements past TAG_STACK_MAX */
} TagStack;

static gsize
name_length (const char *p,
             const char *end)
{
  const char *q = p;

  while (q < end && *q != '\0' && !g_ascii_isspace (*q) && *q != '>' && *q != '/' && *q != '<' &&
         *q != '"' && *q != '\'' && *q != '=')
    q++;
  return q - p;
}

/* Closes open elements down to and including the deepest one named name
 * (end tags written out); FALSE, with nothing closed, when none is. */
static gboolean
close_through (GString    *out,
               TagStack   *stack,
               const char *name,
               gsize       len)
{
  guint i;

  for (i = stack->depth; i > 0; i--)
    {
      const char *n = stack->names[i - 1];
      if (strlen (n) == len && memcmp (n, name, len) == 0)
        break;
    }
  if (i == 0)
    return FALSE;
  while (stack->depth >= i)
    {
      char *n = stack->names[--stack->depth];

      g_string_append_printf (out, "</%s>", n);
      g_free (n);
    }
  return TRUE;
}

static const char *mend_reference (GString *out, const char *p, const char *end, gboolean has_subset);

static const char *
mend_tag (GString    *out,
          const char *p,
          const char *end,
          TagStack   *stack,
          gboolean    has_subset)
{
  gboolean closing = p[1] == '/';
  const char *name = p + (closing ? 2 : 1);
  gsize len = name_length (name, end);
  const char *q = name + len;

  if (closing)
    {
      while (q < end && g_ascii_isspace (*q))
        q++;
      /* "</title" with its '>' missing ends here all the same. */
      if (q < end && *q == '>')
        q++;
      if (len == 0)
        return q;
      if (stack->untracked > 0)
        {
          stack->untracked--;
          g_string_append_len (out, p, 2 + len);
          g_string_append_c (out, '>');
        }
      else
        /* One that closes nothing is dropped. */
        close_through (out, stack, name, len);
      return q;
    }

  /* A start tag: to its '>' outside quotes, or to a '<' that says the
   * '>' went missing. */
  {
    gboolean empty = FALSE;
    const char *t = q;

    while (t < end && *t != '>' && *t != '<')
      {
        if (*t == '"' || *t == '\'')
          {
            const char *close = memchr (t + 1, *t, end - t - 1);
            if (close == NULL)
              break;
            t = close;
          }
        t++;
      }
    empty = t > q && t[-1] == '/';

    /* An item or entry does not hold another: the one left open ends. */
    if (!empty && ((len == 4 && memcmp (name, "item", 4) == 0) ||
                   (len == 5 && memcmp (name, "entry", 5) == 0)) &&
        stack->untracked == 0)
      close_through (out, stack, name, len);

    /* Attribute values need their '&' mended too ("?a=1&b=2"). */
    while (p < t)
      {
        const char *amp = memchr (p, '&', t - p);

        if (amp == NULL)
          {
            append_clean (out, p, t);
            break;
          }
        append_clean (out, p, amp);
        p = mend_reference (out, amp, t, has_subset);
      }
    g_string_append_c (out, '>');
    if (!empty && len > 0)
      {
        if (stack->depth < TAG_STACK_MAX && stack->untracked == 0)
          stack->names[stack->depth++] = g_strndup (name, len);
        else
          stack->untracked++;
      }
    return t < end && *t == '>' ? t + 1 : t;
  }
}

static gboolean
starts_with (const char *p,
             const char *end,
             const char *prefix,
             gboolean    nocase)
{
  gsize len = strlen (prefix);

  if ((gsize) (end - p) < len)
    return FALSE;
  return nocase ? g_ascii_strncasecmp (p, prefix, len) == 0 : memcmp (p, prefix, len) == 0;
}

static char *
mend (const char *p,
      gsize       length,
      gsize      *out_length)
{
  static gboolean special[256];
  static gsize initialized = 0;
  const char *end = p + length;
  GString *out = g_string_sized_new (length + length / 32 + 16);
  gboolean has_subset = FALSE;
  TagStack stack = { 0 };

  if (g_once_init_enter (&initialized))
    {
      for (guint c = 0; c < 0x20; c++)
        special[c] = is_forbidden_byte (c);
      special['&'] = special['<'] = TRUE;
      g_once_init_leave (&initialized, 1);
    }

  while (p < end)
    {
      const char *q = p;

      while (q < end && !special[(guchar) *q])
        q++;
      g_string_append_len (out, p, q - p);
      if (q >= end)
        break;

      if (*q == '&')
        p = mend_reference (out, q, end, has_subset);
      else if (*q == '<')
        {
          guchar next = q + 1 < end ? (guchar) q[1] : 0;

          if (starts_with (q, end, "<![CDATA[", FALSE))
            {
              const char *close = memmem (q, end - q, "]]>", 3);
              const char *stop = close ? close + 3 : end;

              g_string_append_len (out, q, 9);
              append_cdata (out, q + 9, stop);
              p = stop;
            }
          else if (starts_with (q, end, "<!--", FALSE))
            p = copy_through (out, q, end, "-->");
          else if (starts_with (q, end, "<!DOCTYPE", TRUE))
            p = copy_doctype (out, q, end, &has_subset);
          else if (next == '?')
            p = copy_through (out, q, end, "?>");
          else if (next == '/' || g_ascii_isalpha (next) || next == '_' || next == ':' || next >= 0x80)
            p = mend_tag (out, q, end, &stack, has_subset);
          else if (next == '!')
            {
              g_string_append_c (out, '<');
              p = q + 1;
            }
          else
            {
              /* "a < b" in text. */
              g_string_append (out, "&lt;");
              p = q + 1;
            }
        }
      else
        p = q + 1;   /* a forbidden control character */
    }

  for (guint i = 0; i < stack.depth; i++)
    g_free (stack.names[i]);
  *out_length = out->len;
  return g_string_free (out, FALSE);
}

/* Whether decode() would read the input as UTF-8 as it is. */
static gboolean
looks_utf8 (const char *data,
            gsize       length,
            const char *http_charset)
{
  g_autofree char *declared = NULL;

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    return TRUE;
  if (length >= 2 && ((guchar) data[0] == 0xFF || (guchar) data[0] == 0xFE || data[0] == '\0' || data[1] == '\0'))
    return FALSE;
  if (http_charset != NULL && *http_charset != '\0')
    return is_charset (http_charset, utf8_names);
  declared = declared_encoding (data, length);
  return declared == NULL || is_charset (declared, utf8_names);
}

gboolean
dtx_xml_is_plain_utf8 (const char *data,
                       gsize       length,
                       const char *http_charset)
{
  const char *end = data + length;

  /* Not validated here: the strict reader stops at the first byte that
   * is not UTF-8, and the caller then mends the document. */
  if (!looks_utf8 (data, length, http_charset))
    return FALSE;
  for (const char *p = memchr (data, '&', length); p != NULL && p + 2 < end;
       p = memchr (p + 1, '&', end - p - 1))
    {
      const char *digits = p + 2;
      gboolean hex;
      guint value = 0;

      if (p[1] != '#')
        continue;
      hex = *digits == 'x' || *digits == 'X';
      if (hex)
        digits++;
      for (; digits < end && (hex ? g_ascii_isxdigit (*digits) : g_ascii_isdigit (*digits)) && value < 0x1000; digits++)
        value = value * (hex ? 16 : 10) + (hex ? g_ascii_xdigit_value (*digits) : g_ascii_digit_value (*digits));
      if (value >= 0x80 && value <= 0x9F)
        return FALSE;
    }
  return TRUE;
}

char *
dtx_xml_prepare (const char *data,
                 gsize       length,
                 const char *http_charset,
                 gsize      *out_length)
{
  GString *utf8 = NULL;
  char *mended;

  g_return_val_if_fail (out_length != NULL, NULL);

  /* The usual case, UTF-8 that says so (or says nothing) and is valid, is
   * mended straight from the input: no decoded copy. */
  if (!looks_utf8 (data, length, http_charset) || !g_utf8_validate_len (data, length, NULL))
    {
      utf8 = decode (data, length, http_charset);
      data = utf8->str;
      length = utf8->len;
    }
  else if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
    }

  /* White space before the XML declaration (a stray newline from a
   * template) makes the declaration an error: it goes. */
  while (length > 0 && g_ascii_isspace (*data))
    {
      data++;
      length--;
    }
  mended = mend (data, length, out_length);
  if (utf8 != NULL)
    g_string_free (utf8, TRUE);
  return mended;
}

/* ---- Lexical HTML --------------------------------------------------------- */

/* Entities in an attribute value: the XML five and numeric ones, enough
 * for URLs. */
static char *
decode_attribute (const char *p,
                  gsize       length)
{
  static const struct { const char *name; char ch; } named[] = {
    { "&amp;", '&' }, { "&quot;", '"' }, { "&apos;", '\'' }, { "&lt;", '<' }, { "&gt;", '>' },
  };
  const char *end = p + length;
  GString *out = g_string_sized_new (length);

  while (p < end)
    {
      const char *amp = memchr (p, '&', end - p);
      const char *after;
      gunichar ch;
      gboolean done = FALSE;

      if (amp == NULL)
        {
          g_string_append_len (out, p, end - p);
          break;
        }
      g_string_append_len (out, p, amp - p);
      if (read_char_ref (amp, end, &ch, &after) && is_xml_char (ch))
        {
          g_string_append_unichar (out, ch);
          p = after;
          continue;
        }
      for (guint i = 0; i < G_N_ELEMENTS (named) && !done; i++)
        if (starts_with (amp, end, named[i].name, TRUE))
          {
            g_string_append_c (out, named[i].ch);
            p = amp + strlen (named[i].name);
            done = TRUE;
          }
      if (!done)
        {
          g_string_append_c (out, '&');
          p = amp + 1;
        }
    }

  return g_string_free (out, FALSE);
}

char *
dtx_html_decode_simple (const char *text)
{
  for (const char *amp = strchr (text, '&'); amp != NULL; amp = strchr (amp + 1, '&'))
    if (g_ascii_isalpha (amp[1]) &&
        !(g_str_has_prefix (amp, "&amp;") || g_str_has_prefix (amp, "&lt;") || g_str_has_prefix (amp, "&gt;") ||
          g_str_has_prefix (amp, "&quot;") || g_str_has_prefix (amp, "&apos;")))
      return NULL;
  return decode_attribute (text, strlen (text));
}

typedef struct {
  const char *name;   /* tag name start */
  gsize name_len;
} Tag;

/* Calls visit for each attribute of each start tag: name, value (raw, not
 * decoded) and where the value sits. Comments are skipped. Stops when
 * visit returns FALSE. */
typedef gboolean (*AttrVisit) (const Tag  *tag,
                               const char *name,
                               gsize       name_len,
                               const char *value,
                               gsize       value_len,
                               gpointer    data);

static void
scan_tags (const char *html,
           AttrVisit   visit,
           gpointer    data)
{
  const char *p = html;

  while ((p = strchr (p, '<')) != NULL)
    {
      Tag tag;

      if (g_str_has_prefix (p, "<!--"))
        {
          const char *close = strstr (p + 4, "-->");
          if (close == NULL)
            return;
          p = close + 3;
          continue;
        }
      p++;
      if (!g_ascii_isalpha (*p))
        continue;
      tag.name = p;
      while (g_ascii_isalnum (*p) || *p == '-' || *p == ':')
        p++;
      tag.name_len = p - tag.name;

      for (;;)
        {
          const char *name, *value = NULL;
          gsize name_len, value_len = 0;

          while (g_ascii_isspace (*p) || *p == '/')
            p++;
          if (*p == '\0' || *p == '>' || *p == '<')
            break;
          name = p;
          while (*p != '\0' && !g_ascii_isspace (*p) && *p != '=' && *p != '>' && *p != '/' && *p != '<')
            p++;
          name_len = p - name;
          if (name_len == 0)
            {
              p++;
              continue;
            }
          while (g_ascii_isspace (*p))
            p++;
          if (*p == '=')
            {
              p++;
              while (g_ascii_isspace (*p))
                p++;
              if (*p == '"' || *p == '\'')
                {
                  const char *close = strchr (p + 1, *p);

                  if (close == NULL)
                    return;
                  value = p + 1;
                  value_len = close - value;
                  p = close + 1;
                }
              else
                {
                  value = p;
                  while (*p != '\0' && !g_ascii_isspace (*p) && *p != '>')
                    p++;
                  value_len = p - value;
                }
            }
          if (!visit (&tag, name, name_len, value, value_len, data))
            return;
        }
    }
}

static gboolean
name_is (const char *name,
         gsize       len,
         const char *expected)
{
  return strlen (expected) == len && g_ascii_strncasecmp (name, expected, len) == 0;
}

typedef struct {
  const char *first_img;   /* the first <img>'s name, to stop after it */
  char *urls[4];           /* data-src, data-lazy-src, data-original, src */
} ImageScan;

static gboolean
visit_image (const Tag  *tag,
             const char *name,
             gsize       name_len,
             const char *value,
             gsize       value_len,
             gpointer    data)
{
  static const char * const attrs[] = { "data-src", "data-lazy-src", "data-original", "src" };
  ImageScan *scan = data;

  if (!name_is (tag->name, tag->name_len, "img"))
    return scan->first_img == NULL;
  if (scan->first_img != NULL && scan->first_img != tag->name)
    return FALSE;
  scan->first_img = tag->name;

  for (guint i = 0; i < G_N_ELEMENTS (attrs); i++)
    if (value != NULL && scan->urls[i] == NULL && name_is (name, name_len, attrs[i]))
      {
        char *url = decode_attribute (value, value_len);

        g_strstrip (url);
        if (*url == '\0')
          g_free (url);
        else
          scan->urls[i] = url;
      }
  return TRUE;
}

char *
dtx_html_first_image (const char *html)
{
  ImageScan scan = { 0 };
  char *found = NULL;

  if (html == NULL || (strstr (html, "<img") == NULL && strstr (html, "<IMG") == NULL))
    return NULL;
  scan_tags (html, visit_image, &scan);
  for (guint i = 0; i < G_N_ELEMENTS (scan.urls); i++)
    {
      if (found == NULL)
        found = g_steal_pointer (&scan.urls[i]);
      g_free (scan.urls[i]);
    }
  if (found != NULL && g_ascii_strncasecmp (found, "data:", 5) == 0)
    g_clear_pointer (&found, g_free);
  return found;
}

typedef struct {
  const char *html;
  const char *base;
  GString *out;        /* NULL: only look */
  const char *copied;  /* html up to here is in out */
  gboolean found;
} Absolutize;

static gboolean
is_relative (const char *url)
{
  g_autofree char *scheme = NULL;

  if (url == NULL || *url == '\0' || *url == '#')
    return FALSE;
  scheme = dtx_uri_scheme (url);
  return scheme == NULL;
}

static gboolean
visit_url (const Tag  *tag,
           const char *name,
           gsize       name_len,
           const char *value,
           gsize       value_len,
           gpointer    data)
{
  Absolutize *abs = data;
  g_autofree char *url = NULL;
  g_autofree char *resolved = NULL;
  g_autofree char *escaped = NULL;

  if (value == NULL)
    return TRUE;

  if (name_is (name, name_len, "srcset") || name_is (name, name_len, "data-srcset"))
    {
      /* "a.png, b.png 2x": each candidate's URL, descriptors kept. */
      g_auto(GStrv) candidates = NULL;
      g_autoptr(GString) rewritten = g_string_new (NULL);
      gboolean relative = FALSE;

      url = decode_attribute (value, value_len);
      candidates = g_strsplit (url, ",", -1);
      for (guint i = 0; candidates[i] != NULL; i++)
        {
          char *c = g_strstrip (candidates[i]);
          gsize len = strcspn (c, " \t\n\r");
          g_autofree char *u = g_strndup (c, len);
          g_autofree char *r = NULL;

          if (*c == '\0')
            continue;
          if (is_relative (u))
            {
              relative = TRUE;
              r = dtx_uri_resolve (abs->base, u);
            }
          g_string_append_printf (rewritten, "%s%s%s", rewritten->len ? ", " : "", r ? r : u, c + len);
        }
      if (!relative)
        return TRUE;
      resolved = g_strdup (rewritten->str);
    }
  else if (name_is (name, name_len, "href") || name_is (name, name_len, "src") ||
           name_is (name, name_len, "poster") || name_is (name, name_len, "data-src"))
    {
      url = g_strstrip (decode_attribute (value, value_len));
      if (!is_relative (url))
        return TRUE;
      resolved = dtx_uri_resolve (abs->base, url);
    }
  else
    return TRUE;

  abs->found = TRUE;
  if (abs->out == NULL)
    return FALSE;

  escaped = g_markup_escape_text (resolved, -1);
  g_string_append_len (abs->out, abs->copied, value - abs->copied);
  g_string_append (abs->out, escaped);
  abs->copied = value + value_len;
  return TRUE;
}

char *
dtx_html_absolutize (const char *html,
                     const char *base)
{
  Absolutize abs = { html, base, NULL, html, FALSE };

  if (html == NULL || base == NULL || g_uri_peek_scheme (base) == NULL)
    return NULL;

  scan_tags (html, visit_url, &abs);
  if (!abs.found)
    return NULL;

  abs.out = g_string_sized_new (strlen (html) + 64);
  scan_tags (html, visit_url, &abs);
  g_string_append (abs.out, abs.copied);
  return g_string_free (abs.out, FALSE);
}
