/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-test-sanitizer"
#include "config.h"

#include <string.h>

#include <glib.h>
#include <libxml/HTMLparser.h>

#include "dtx-sanitizer.h"

#define BASE "https://digitripx.id/review-ponsel-lipat/"

/* ------------------------------------------------------------ checkers */

/* Everything the sanitiser may ever print. Kept separate from the
 * implementation's tables so a widened allowlist fails here first. */
static const char * const ok_elements[] = {
  "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
  "b", "strong", "i", "em", "u", "s", "small", "sub", "sup", "mark",
  "code", "pre", "kbd", "samp", "var", "dfn", "del", "ins", "wbr",
  "blockquote", "q", "cite", "abbr", "ul", "ol", "li", "dl", "dt", "dd",
  "a", "img", "figure", "figcaption", "picture", "source",
  "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "col", "colgroup",
  "div", "span", "section", "article", "header", "footer", "aside", "main", "time",
  "video", "audio", "iframe", NULL
};

static const char * const ok_attributes[] = {
  "title", "lang", "dir", "class", "id", "alt", "width", "height", "colspan",
  "rowspan", "scope", "datetime", "cite", "href", "src", "srcset", "sizes",
  "media", "type", "poster", "controls", "start", "reversed", "value", "span",
  "loading", "sandbox", "allowfullscreen", NULL
};

static gboolean
in_list (const char * const *list,
         const char         *name)
{
  return g_strv_contains (list, name);
}

/* The URL as a browser would read it: tabs and newlines dropped, leading and
 * trailing C0/space trimmed. */
static char *
browser_url (const char *value)
{
  GString *s = g_string_new (NULL);

  for (const char *p = value; *p; p++)
    if (*p != '\t' && *p != '\n' && *p != '\r')
      g_string_append_c (s, *p);
  while (s->len > 0 && (guchar) s->str[0] <= 0x20)
    g_string_erase (s, 0, 1);
  while (s->len > 0 && (guchar) s->str[s->len - 1] <= 0x20)
    g_string_truncate (s, s->len - 1);
  return g_string_free (s, FALSE);
}

static void
assert_url_ok (const char *element,
               const char *attribute,
               const char *value)
{
  g_autofree char *url = browser_url (value);
  g_autofree char *lower = g_ascii_strdown (url, -1);
  const char *p = lower;

  while (g_ascii_isalnum (*p) || *p == '+' || *p == '-' || *p == '.')
    p++;
  if (*p != ':' || !g_ascii_isalpha (lower[0]))
    return; /* relative */

  if (g_str_has_prefix (lower, "http:") || g_str_has_prefix (lower, "https:"))
    return;
  if (strcmp (attribute, "href") == 0 &&
      (g_str_has_prefix (lower, "mailto:") || g_str_has_prefix (lower, "tel:")))
    return;
  if (strcmp (element, "img") == 0 && strcmp (attribute, "src") == 0 &&
      (g_str_has_prefix (lower, "data:image/png") || g_str_has_prefix (lower, "data:image/jpeg") ||
       g_str_has_prefix (lower, "data:image/gif") || g_str_has_prefix (lower, "data:image/webp") ||
       g_str_has_prefix (lower, "data:image/avif")))
    return;

  g_error ("<%s %s=\"%s\">: scheme not allowed", element, attribute, value);
}

static char *
decode_attribute (const char *raw)
{
  GString *s = g_string_new (NULL);

  for (const char *p = raw; *p; p++)
    {
      if (*p != '&')
        g_string_append_c (s, *p);
      else if (g_str_has_prefix (p, "&amp;"))
        g_string_append_c (s, '&'), p += 4;
      else if (g_str_has_prefix (p, "&lt;"))
        g_string_append_c (s, '<'), p += 3;
      else if (g_str_has_prefix (p, "&gt;"))
        g_string_append_c (s, '>'), p += 3;
      else if (g_str_has_prefix (p, "&quot;"))
        g_string_append_c (s, '"'), p += 5;
      else
        g_error ("bare & in attribute value: %s", raw);
    }
  return g_string_free (s, FALSE);
}

static void
check_url_attribute (const char *element,
                     const char *attribute,
                     const char *value)
{
  if (strcmp (attribute, "srcset") == 0)
    {
      /* URLs hold no white space, and candidates are joined with ", " */
      g_auto(GStrv) candidates = g_strsplit (value, ", ", -1);

      for (guint i = 0; candidates[i]; i++)
        {
          g_auto(GStrv) parts = g_strsplit (g_strstrip (candidates[i]), " ", 2);

          if (parts[0] != NULL && *parts[0] != '\0')
            assert_url_ok (element, attribute, parts[0]);
        }
    }
  else if (strcmp (attribute, "href") == 0 || strcmp (attribute, "src") == 0 ||
           strcmp (attribute, "poster") == 0 || strcmp (attribute, "cite") == 0)
    {
      assert_url_ok (element, attribute, value);
    }
}

/* Reads the output the way a browser's tokenizer would: outside tags the
 * only '<' may open a tag we allow, '&' only starts our own escapes, and
 * every tag is <name( attr="value")*> with allowed names. No comments,
 * doctypes or bogus markup can slip through this. */
static void
assert_lexically_safe (const char *html)
{
  const char *p = html;

  while (*p)
    {
      if (*p == '<')
        {
          const char *start;
          g_autofree char *element = NULL;

          p++;
          if (*p == '/')
            p++;
          start = p;
          while (g_ascii_isalnum (*p))
            p++;
          element = g_strndup (start, p - start);
          if (!in_list (ok_elements, element))
            g_error ("element <%s> not allowed in: %s", element, html);

          for (;;)
            {
              g_autofree char *attribute = NULL;
              g_autofree char *raw = NULL;
              g_autofree char *value = NULL;

              if (*p == '>')
                {
                  p++;
                  break;
                }
              if (*p != ' ')
                g_error ("unexpected %.10s in a tag of: %s", p, html);
              p++;
              start = p;
              while (g_ascii_islower (*p) || *p == '-')
                p++;
              attribute = g_strndup (start, p - start);
              if (!in_list (ok_attributes, attribute))
                g_error ("attribute %s not allowed in: %s", attribute, html);
              if (p[0] != '=' || p[1] != '"')
                g_error ("unquoted attribute %s in: %s", attribute, html);
              p += 2;
              start = p;
              while (*p && *p != '"')
                {
                  if (*p == '<' || *p == '>')
                    g_error ("raw %c in attribute value in: %s", *p, html);
                  p++;
                }
              if (*p != '"')
                g_error ("unterminated attribute in: %s", html);
              raw = g_strndup (start, p - start);
              p++;
              value = decode_attribute (raw);
              check_url_attribute (element, attribute, value);
            }
        }
      else if (*p == '>')
        {
          g_error ("raw > in text of: %s", html);
        }
      else if (*p == '&')
        {
          if (!g_str_has_prefix (p, "&amp;") && !g_str_has_prefix (p, "&lt;") &&
              !g_str_has_prefix (p, "&gt;"))
            g_error ("unexpected entity at %.10s in: %s", p, html);
          p++;
        }
      else
        {
          p++;
        }
    }
}

static void
walk_reparsed (xmlNode *node)
{
  for (; node != NULL; node = node->next)
    {
      if (node->type == XML_COMMENT_NODE || node->type == XML_PI_NODE ||
          node->type == XML_CDATA_SECTION_NODE)
        g_error ("comment/PI/CDATA in output");
      if (node->type != XML_ELEMENT_NODE)
        continue;

      if (strcmp ((const char *) node->name, "html") != 0 &&
          strcmp ((const char *) node->name, "body") != 0)
        {
          g_assert_true (in_list (ok_elements, (const char *) node->name));
          for (xmlAttr *attr = node->properties; attr; attr = attr->next)
            {
              xmlChar *value = xmlNodeGetContent ((xmlNode *) attr);

              g_assert_false (g_ascii_strncasecmp ((const char *) attr->name, "on", 2) == 0);
              g_assert_true (in_list (ok_attributes, (const char *) attr->name));
              check_url_attribute ((const char *) node->name, (const char *) attr->name,
                                   value ? (const char *) value : "");
              xmlFree (value);
            }
        }
      walk_reparsed (node->children);
    }
}

/* Both views of "nothing dangerous survived": our own tokenizer-level scan
 * and libxml2's tree of the output. */
static void
assert_safe (const char *html)
{
  htmlDocPtr doc;

  g_assert_nonnull (html);
  g_assert_true (g_utf8_validate (html, -1, NULL));
  assert_lexically_safe (html);

  if (*html == '\0')
    return;
  doc = htmlReadMemory (html, strlen (html), NULL, "UTF-8",
                        HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
  g_assert_nonnull (doc);
  walk_reparsed (doc->children);
  xmlFreeDoc (doc);
}

static char *
clean (const char *html,
       const char *base)
{
  char *out = dtx_sanitizer_clean (html, base);

  if (g_test_verbose ())
    g_test_message ("%s\n  → %s", html, out);
  assert_safe (out);
  return out;
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("expected «%s» in «%s»", needle, haystack);
}

static void
assert_lacks (const char *haystack,
              const char *needle)
{
  g_autofree char *h = g_ascii_strdown (haystack, -1);
  g_autofree char *n = g_ascii_strdown (needle, -1);

  if (strstr (h, n) != NULL)
    g_error ("unexpected «%s» in «%s»", needle, haystack);
}

static void
assert_clean_eq (const char *html,
                 const char *base,
                 const char *expected)
{
  g_autofree char *out = clean (html, base);

  g_assert_cmpstr (out, ==, expected);
}

static char *
read_fixture (const char *name)
{
  g_autofree char *path = g_build_filename (DTX_FIXTURES_DIR, "sanitizer", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

/* --------------------------------------------------------------- clean */

static void
test_null_and_empty (void)
{
  g_autofree char *a = dtx_sanitizer_clean (NULL, NULL);
  g_autofree char *b = dtx_sanitizer_clean ("", BASE);
  g_autofree char *c = dtx_sanitizer_clean ("   ", BASE);

  g_assert_cmpstr (a, ==, "");
  g_assert_cmpstr (b, ==, "");
  g_assert_cmpstr (c, ==, "   ");
}

static void
test_article_markup_kept (void)
{
  assert_clean_eq ("<p>Halo <strong>dunia</strong> <em>ini</em> <a href=\"https://contoh.id/\" title=\"t\">tautan</a>.</p>",
                   NULL,
                   "<p>Halo <strong>dunia</strong> <em>ini</em> <a href=\"https://contoh.id/\" title=\"t\">tautan</a>.</p>");
  assert_clean_eq ("<h2 id=\"spek\" class=\"wp-block-heading\">Spesifikasi</h2><ul><li>RAM 12 GB</li><li lang=\"en\">Storage</li></ul>",
                   NULL,
                   "<h2 id=\"spek\" class=\"wp-block-heading\">Spesifikasi</h2><ul><li>RAM 12 GB</li><li lang=\"en\">Storage</li></ul>");
  assert_clean_eq ("<ol start=\"3\" reversed type=\"a\"><li>x</li></ol>", NULL,
                   "<ol start=\"3\" reversed=\"\" type=\"a\"><li>x</li></ol>");
  assert_clean_eq ("<table><thead><tr><th scope=\"col\" colspan=\"2\">A</th></tr></thead><tbody><tr><td rowspan=\"2\">1</td><td>2</td></tr></tbody></table>",
                   NULL,
                   "<table><thead><tr><th scope=\"col\" colspan=\"2\">A</th></tr></thead><tbody><tr><td rowspan=\"2\">1</td><td>2</td></tr></tbody></table>");
  assert_clean_eq ("<blockquote cite=\"https://contoh.id/kutipan\"><p>Kutipan</p><cite>Sumber</cite></blockquote>",
                   NULL,
                   "<blockquote cite=\"https://contoh.id/kutipan\"><p>Kutipan</p><cite>Sumber</cite></blockquote>");
  assert_clean_eq ("<p>Rilis <time datetime=\"2024-05-01\">1 Mei</time> <abbr title=\"Random Access Memory\">RAM</abbr> H<sub>2</sub>O x<sup>2</sup> <mark>baru</mark></p>",
                   NULL,
                   "<p>Rilis <time datetime=\"2024-05-01\">1 Mei</time> <abbr title=\"Random Access Memory\">RAM</abbr> H<sub>2</sub>O x<sup>2</sup> <mark>baru</mark></p>");
  assert_clean_eq ("<p>a<br>b</p><hr>", NULL, "<p>a<br>b</p><hr>");
}

static void
test_code_is_escaped (void)
{
  /* Code samples about HTML must stay text, not become markup. */
  assert_clean_eq ("<pre><code>&lt;script&gt;alert(&quot;x&quot;) &amp;&amp; 1&lt;/script&gt;</code></pre>", NULL,
                   "<pre><code>&lt;script&gt;alert(\"x\") &amp;&amp; 1&lt;/script&gt;</code></pre>");
  assert_clean_eq ("<p>5 &lt; 7 &amp; 8 &gt; 3</p>", NULL, "<p>5 &lt; 7 &amp; 8 &gt; 3</p>");
  assert_clean_eq ("<p>A & B</p>", NULL, "<p>A &amp; B</p>");
}

static void
test_pre_leading_newline (void)
{
  /* Browsers drop the first newline after <pre>: printing the text exactly
   * as written keeps what the user sees, and stays stable when re-cleaned. */
  g_autofree char *out = clean ("<pre>\n\nbaris</pre>", NULL);
  g_autofree char *again = clean (out, NULL);

  g_assert_cmpstr (out, ==, "<pre>\n\nbaris</pre>");
  g_assert_cmpstr (out, ==, again);
}

static void
test_script_dropped (void)
{
  assert_clean_eq ("<p>Sebelum</p><script>alert(1)</script><p>Sesudah</p>", NULL,
                   "<p>Sebelum</p><p>Sesudah</p>");
  assert_clean_eq ("<p>a<SCRIPT SRC=//evil.example/x.js></SCRIPT>b</p>", NULL, "<p>ab</p>");
  assert_clean_eq ("<p>a<script>document.write('<p>x</p>')</script>b</p>", NULL, "<p>ab</p>");
}

static void
test_event_handlers_dropped (void)
{
  assert_clean_eq ("<img src=\"https://ok.example/a.jpg\" onerror=\"alert(1)\" onload=alert(2)>", NULL,
                   "<img src=\"https://ok.example/a.jpg\" loading=\"lazy\">");
  assert_clean_eq ("<p onclick=\"alert(1)\" OnMouseOver=\"x\">teks</p>", NULL, "<p>teks</p>");
  assert_clean_eq ("<body onload=alert(1)><p>x</p>", NULL, "<p>x</p>");
  assert_clean_eq ("<svg onload=alert(1)><circle r=10 /></svg>ok", NULL, "ok");
}

static void
test_javascript_links (void)
{
  static const char * const hrefs[] = {
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "\x01javascript:alert(1)",
    "java&#x09;script:alert(1)",
    "jav&#x0A;ascript:alert(1)",
    "jav&#x0D;ascript:alert(1)",
    "jav&#09;ascript:alert(1)",
    "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
    "&#x6A;avascript:alert(1)",
    "&#14;javascript:alert(1)",
    "javascript&#58;alert(1)",
    "  jAvAsCrIpT:alert(1)  ",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:image/png;base64,iVBORw0KGgo=",
    "file:///etc/passwd",
    "livescript:x",
  };

  for (guint i = 0; i < G_N_ELEMENTS (hrefs); i++)
    {
      g_autofree char *html = g_strdup_printf ("<p><a href=\"%s\">klik</a></p>", hrefs[i]);

      /* The link text stays, only the target goes. */
      assert_clean_eq (html, BASE, "<p><a>klik</a></p>");
    }
}

static void
test_allowed_link_schemes (void)
{
  assert_clean_eq ("<a href=\"mailto:redaksi@digitripx.id\">surel</a>", NULL,
                   "<a href=\"mailto:redaksi@digitripx.id\">surel</a>");
  assert_clean_eq ("<a href=\"TEL:+62211234\">telepon</a>", NULL,
                   "<a href=\"tel:+62211234\">telepon</a>");
  assert_clean_eq ("<a href=\"HTTPS://contoh.id/a?b=1&amp;c=2\">x</a>", NULL,
                   "<a href=\"https://contoh.id/a?b=1&amp;c=2\">x</a>");
  /* mailto is for links, not images */
  assert_clean_eq ("<img src=\"mailto:x@y.z\" alt=\"a\">", NULL, "");
}

static void
test_relative_urls (void)
{
  assert_clean_eq ("<a href=\"/catatan-lain/\">a</a>", BASE,
                   "<a href=\"https://digitripx.id/catatan-lain/\">a</a>");
  assert_clean_eq ("<a href=\"../kategori/gadget/\">a</a>", BASE,
                   "<a href=\"https://digitripx.id/kategori/gadget/\">a</a>");
  assert_clean_eq ("<a href=\"#spek\">a</a>", BASE,
                   "<a href=\"https://digitripx.id/review-ponsel-lipat/#spek\">a</a>");
  assert_clean_eq ("<img src=\"gambar satu.jpg\">", BASE,
                   "<img src=\"https://digitripx.id/review-ponsel-lipat/gambar%20satu.jpg\" loading=\"lazy\">");
  assert_clean_eq ("<img src=\"//cdn.digitripx.id/a.jpg\">", BASE,
                   "<img src=\"https://cdn.digitripx.id/a.jpg\" loading=\"lazy\">");
  assert_clean_eq ("<blockquote cite=\"/sumber\">q</blockquote>", BASE,
                   "<blockquote cite=\"https://digitripx.id/sumber\">q</blockquote>");
  /* Without a base a relative reference stays relative: it has no scheme. */
  assert_clean_eq ("<a href=\"/catatan-lain/\">a</a>", NULL, "<a href=\"/catatan-lain/\">a</a>");
  /* A colon after a slash is no scheme. */
  assert_clean_eq ("<a href=\"./javascript:alert(1)\">a</a>", BASE,
                   "<a href=\"https://digitripx.id/review-ponsel-lipat/javascript:alert(1)\">a</a>");
}

static void
test_data_urls (void)
{
  assert_clean_eq ("<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"titik\">", NULL,
                   "<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"titik\" loading=\"lazy\">");
  assert_clean_eq ("<img src=\"DATA:image/webp;base64,UklGRg==\">", NULL,
                   "<img src=\"data:image/webp;base64,UklGRg==\" loading=\"lazy\">");
  /* SVG can script; text/html is a page. */
  assert_clean_eq ("<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">", NULL, "");
  assert_clean_eq ("<img src=\"data:image/pngx,abc\">", NULL, "");
  assert_clean_eq ("<img src=\"data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;\">", NULL, "");
  /* data: never in srcset, video or poster */
  assert_clean_eq ("<video src=\"data:video/mp4,AAAA\" poster=\"data:image/svg+xml,x\"></video>", NULL,
                   "<video controls=\"\"></video>");
}

static void
test_iframes (void)
{
  assert_clean_eq ("<iframe title=\"Review\" width=\"500\" height=\"281\" src=\"https://www.youtube.com/embed/dQw4w9WgXcQ?feature=oembed\" frameborder=\"0\" allow=\"autoplay\" allowfullscreen onload=\"alert(1)\" srcdoc=\"x\">fallback</iframe>",
                   NULL,
                   "<iframe src=\"https://www.youtube.com/embed/dQw4w9WgXcQ?feature=oembed\" width=\"500\" height=\"281\" title=\"Review\" allowfullscreen=\"\" sandbox=\"allow-scripts allow-same-origin\" loading=\"lazy\"></iframe>");
  assert_clean_eq ("<iframe src=\"https://www.youtube-nocookie.com/embed/abc\"></iframe>", NULL,
                   "<iframe src=\"https://www.youtube-nocookie.com/embed/abc\" sandbox=\"allow-scripts allow-same-origin\" loading=\"lazy\"></iframe>");
  assert_clean_eq ("<iframe src=\"https://player.vimeo.com/video/76979871\" sandbox=\"allow-top-navigation\"></iframe>", NULL,
                   "<iframe src=\"https://player.vimeo.com/video/76979871\" sandbox=\"allow-scripts allow-same-origin\" loading=\"lazy\"></iframe>");
  /* protocol-relative and plain http both end up on https */
  assert_clean_eq ("<iframe src=\"//www.youtube.com/embed/abc\"></iframe>", NULL,
                   "<iframe src=\"https://www.youtube.com/embed/abc\" sandbox=\"allow-scripts allow-same-origin\" loading=\"lazy\"></iframe>");
  assert_clean_eq ("<iframe src=\"//www.youtube.com/embed/abc\"></iframe>", "http://example.id/",
                   "<iframe src=\"https://www.youtube.com/embed/abc\" sandbox=\"allow-scripts allow-same-origin\" loading=\"lazy\"></iframe>");
  /* WP Rocket: the player waits in data-lazy-src */
  assert_clean_eq ("<iframe src=\"about:blank\" data-lazy-src=\"https://www.youtube.com/embed/abc\"></iframe>", NULL,
                   "<iframe src=\"https://www.youtube.com/embed/abc\" sandbox=\"allow-scripts allow-same-origin\" loading=\"lazy\"></iframe>");

  /* Anything else is a link the user can choose to open. */
  assert_clean_eq ("<iframe src=\"https://evil.example/widget?a=1&amp;b=2\">x</iframe>", NULL,
                   "<p><a href=\"https://evil.example/widget?a=1&amp;b=2\">https://evil.example/widget?a=1&amp;b=2</a></p>");
  assert_clean_eq ("<iframe src=\"https://www.youtube.com.evil.example/embed/x\"></iframe>", NULL,
                   "<p><a href=\"https://www.youtube.com.evil.example/embed/x\">https://www.youtube.com.evil.example/embed/x</a></p>");
  assert_clean_eq ("<iframe src=\"https://www.youtube.com@evil.example/embed/x\"></iframe>", NULL,
                   "<p><a href=\"https://www.youtube.com@evil.example/embed/x\">https://www.youtube.com@evil.example/embed/x</a></p>");
  assert_clean_eq ("<iframe src=\"https://www.youtube.com/watch?v=x\"></iframe>", NULL,
                   "<p><a href=\"https://www.youtube.com/watch?v=x\">https://www.youtube.com/watch?v=x</a></p>");
  /* Read as the browser resolves it, a frame URL must still be a player:
   * backslashes are slashes, %2e is a dot, dot segments climb out. */
  {
    static const char * const escapes[] = {
      "https://www.youtube.com/embed/x\\..\\..\\redirect?q=https://evil.example/",
      "https://www.youtube.com/embed/x/../../redirect?q=https://evil.example/",
      "https://www.youtube.com/embed/x/%2e%2e/%2E%2E/redirect?q=x",
      "https://www.youtube.com/embed/x/.%2e/.%2e/redirect",
      "https://www.youtube.com\\embed\\..\\redirect",
      "https://player.vimeo.com/video/1/../../api/x",
      "https://www.youtube.com/embed/",
      "https://www.youtube.com/embed/a/b",
      "https://www.youtube.com:8443/embed/abc",
      "https://WWW.YOUTUBE.COM/embed/a\"onload=x",
    };
    for (guint i = 0; i < G_N_ELEMENTS (escapes); i++)
      {
        g_autofree char *escaped = g_markup_escape_text (escapes[i], -1);
        g_autofree char *input = g_strdup_printf ("<iframe src=\"%s\"></iframe>", escaped);
        g_autofree char *out = clean (input, NULL);
        assert_lacks (out, "<iframe");
      }
  }
  /* Dot segments that stay inside the player path are fine; the src is
   * rebuilt from the parts that were checked. */
  assert_clean_eq ("<iframe src=\"https://WWW.YouTube.com/embed/zzz/../abc?start=30&amp;x=%2F\"></iframe>", NULL,
                   "<iframe src=\"https://www.youtube.com/embed/abc?start=30&amp;x=%2F\" sandbox=\"allow-scripts allow-same-origin\" loading=\"lazy\"></iframe>");
  assert_clean_eq ("<iframe src=\"https://www.youtube.com/embed/abc?q=&lt;x&gt;#t=1\"></iframe>", NULL,
                   "<iframe src=\"https://www.youtube.com/embed/abc\" sandbox=\"allow-scripts allow-same-origin\" loading=\"lazy\"></iframe>");
  /* … unless it is not a web page at all. */
  assert_clean_eq ("<iframe src=\"javascript:alert(1)\"></iframe>", NULL, "");
  assert_clean_eq ("<iframe src=\"data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>", NULL, "");
  assert_clean_eq ("<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>", NULL, "");
  assert_clean_eq ("<iframe src=\"/relatif\"></iframe>", NULL, "");
}

static void
test_document_metadata_dropped (void)
{
  assert_clean_eq ("<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\"><p>x</p>", NULL, "<p>x</p>");
  assert_clean_eq ("<base href=\"https://evil.example/\"><a href=\"/a\">a</a>", NULL, "<a href=\"/a\">a</a>");
  assert_clean_eq ("<link rel=\"stylesheet\" href=\"https://evil.example/x.css\"><p>x</p>", NULL, "<p>x</p>");
  assert_clean_eq ("<title>judul</title><p>x</p>", NULL, "<p>x</p>");
  assert_clean_eq ("<!DOCTYPE html><!-- komentar --><?php echo 1; ?><p>x</p>", NULL, "<p>x</p>");
  assert_clean_eq ("</body></html><p onclick=alert(1)>sesudah</p><body onload=alert(1)><script>alert(2)</script>", NULL,
                   "<p>sesudah</p>");
}

static void
test_forms_dropped (void)
{
  assert_clean_eq ("<p>a</p><form action=\"https://evil.example/\"><p>Masuk</p><input name=q value=\"x\"><button formaction=\"javascript:alert(1)\">Go</button><select><option>1</option></select><textarea>t</textarea></form><p>b</p>",
                   NULL, "<p>a</p><p>b</p>");
  assert_clean_eq ("<p>Nama <input type=text> <button>Kirim</button></p>", NULL, "<p>Nama  </p>");
}

static void
test_styles_dropped (void)
{
  assert_clean_eq ("<style>@import 'https://evil.example/x.css'; p{color:red}</style><p>x</p>", NULL, "<p>x</p>");
  assert_clean_eq ("<p style=\"background:url(https://evil.example/track.gif)\">x</p>", NULL, "<p>x</p>");
  assert_clean_eq ("<div style=\"width:expression(alert(1))\">x</div>", NULL, "<div>x</div>");
}

static void
test_plugins_dropped (void)
{
  assert_clean_eq ("<p>a</p><object data=\"https://evil.example/x.swf\"><param name=x value=y><p>fallback</p></object><embed src=\"https://evil.example/x.swf\"><applet code=x>j</applet><p>b</p>",
                   NULL, "<p>a</p><p>b</p>");
  assert_clean_eq ("<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg><math><mi>y</mi></math><canvas>z</canvas><p>ok</p>",
                   NULL, "<p>ok</p>");
}

static void
test_attributes_filtered (void)
{
  assert_clean_eq ("<a href=\"https://contoh.id/\" target=\"_blank\" rel=\"noopener\" data-x=\"1\" style=\"color:red\" xlink:href=\"javascript:alert(1)\" ping=\"https://evil.example/\">a</a>",
                   NULL, "<a href=\"https://contoh.id/\">a</a>");
  assert_clean_eq ("<p title='&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;' dir=\"rtl\">x</p>", NULL,
                   "<p title=\"&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;\" dir=\"rtl\">x</p>");
  /* A quote inside a value cannot break out of the attribute. */
  assert_clean_eq ("<img src=\"https://ok.example/a.jpg\" alt=\"&quot; onerror=&quot;alert(1)\">", NULL,
                   "<img src=\"https://ok.example/a.jpg\" alt=\"&quot; onerror=&quot;alert(1)\" loading=\"lazy\">");
  /* type/start only where they mean something */
  assert_clean_eq ("<p type=\"x\" start=\"2\" href=\"https://contoh.id/\">x</p>", NULL, "<p>x</p>");
}

static void
test_unwrapped_containers (void)
{
  assert_clean_eq ("<center><font color=\"red\" face=\"x\">Merah</font></center>", NULL, "Merah");
  assert_clean_eq ("<p><custom-el onmouseover=alert(1)>isi <b>tebal</b></custom-el></p>", NULL,
                   "<p>isi <b>tebal</b></p>");
  assert_clean_eq ("<nav><a href=\"https://contoh.id/\">x</a></nav>", NULL, "<a href=\"https://contoh.id/\">x</a>");
}

static void
test_media (void)
{
  assert_clean_eq ("<video src=\"https://cdn.example/v.mp4\" poster=\"/p.jpg\" autoplay loop onplay=\"x\" width=\"640\"><source src=\"javascript:alert(1)\"><source src=\"/v.webm\" type=\"video/webm\"><track src=\"/s.vtt\">Tidak didukung</video>",
                   "https://cdn.example/",
                   "<video src=\"https://cdn.example/v.mp4\" poster=\"https://cdn.example/p.jpg\" width=\"640\" controls=\"\"><source src=\"https://cdn.example/v.webm\" type=\"video/webm\">Tidak didukung</video>");
  assert_clean_eq ("<audio src=\"https://cdn.example/a.mp3\" autoplay></audio>", NULL,
                   "<audio src=\"https://cdn.example/a.mp3\" controls=\"\"></audio>");
}

static void
test_picture (void)
{
  assert_clean_eq ("<picture><source data-srcset=\"/a.avif 1x, javascript:alert(1) 2x\" type=\"image/avif\" media=\"(min-width: 600px)\" onerror=\"x\"><img src=\"/a.jpg\" alt=\"A\"></picture>",
                   "https://digitripx.id/",
                   "<picture><source srcset=\"https://digitripx.id/a.avif 1x\" media=\"(min-width: 600px)\" type=\"image/avif\"><img src=\"https://digitripx.id/a.jpg\" alt=\"A\" loading=\"lazy\"></picture>");
  /* <source> means nothing outside picture/video/audio */
  assert_clean_eq ("<p><source srcset=\"https://ok.example/a.jpg\">x</p>", NULL, "<p>x</p>");
}

static void
test_srcset (void)
{
  assert_clean_eq ("<img srcset=\"a-300.jpg 300w,a-1024.jpg 1024w, javascript:alert(1) 2x, data:image/png;base64,AAAA 3x, https://cdn.example/a,b.jpg 4x, https://cdn.example/c.jpg evil\" sizes=\"(max-width: 1024px) 100vw, 1024px\">",
                   "https://digitripx.id/p/",
                   "<img srcset=\"https://digitripx.id/p/a-300.jpg 300w, https://digitripx.id/p/a-1024.jpg 1024w, https://cdn.example/a,b.jpg 4x, https://cdn.example/c.jpg\" sizes=\"(max-width: 1024px) 100vw, 1024px\" loading=\"lazy\">");
  assert_clean_eq ("<img srcset=\"javascript:alert(1)\">", NULL, "");
}

static void
test_lazy_images (void)
{
  /* Jetpack / a3 lazy load: GIF placeholder in src, the image in data-src. */
  assert_clean_eq ("<img class=\"lazyload\" src=\"data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==\" data-src=\"/wp-content/uploads/a.jpg\" data-srcset=\"/wp-content/uploads/a.jpg 800w, /wp-content/uploads/a-300.jpg 300w\" data-sizes=\"(max-width: 800px) 100vw, 800px\" alt=\"A\" width=\"800\" height=\"450\">",
                   "https://digitripx.id/",
                   "<img src=\"https://digitripx.id/wp-content/uploads/a.jpg\" srcset=\"https://digitripx.id/wp-content/uploads/a.jpg 800w, https://digitripx.id/wp-content/uploads/a-300.jpg 300w\" sizes=\"(max-width: 800px) 100vw, 800px\" class=\"lazyload\" alt=\"A\" width=\"800\" height=\"450\" loading=\"lazy\">");
  /* WP Rocket */
  assert_clean_eq ("<img src=\"data:image/svg+xml,%3Csvg%3E%3C/svg%3E\" data-lazy-src=\"https://cdn.example/b.jpg\" data-lazy-srcset=\"https://cdn.example/b.jpg 1x\">", NULL,
                   "<img src=\"https://cdn.example/b.jpg\" srcset=\"https://cdn.example/b.jpg 1x\" loading=\"lazy\">");
  /* jQuery lazyload */
  assert_clean_eq ("<img src=\"/grey.gif\" data-original=\"https://cdn.example/c.jpg\">", "https://digitripx.id/",
                   "<img src=\"https://cdn.example/c.jpg\" loading=\"lazy\">");
  /* A hostile lazy URL does not replace a good src. */
  assert_clean_eq ("<img src=\"https://ok.example/a.jpg\" data-src=\"javascript:alert(1)\">", NULL,
                   "<img src=\"https://ok.example/a.jpg\" loading=\"lazy\">");
}

static void
test_lazy_noscript_twin (void)
{
  /* The visible lazy image stays, its noscript twin does not show twice. */
  assert_clean_eq ("<p><img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==\" data-src=\"https://cdn.example/a.jpg\" alt=\"A\"><noscript><img src=\"https://cdn.example/a.jpg\" alt=\"A\"></noscript></p>",
                   NULL, "<p><img src=\"https://cdn.example/a.jpg\" alt=\"A\" loading=\"lazy\"></p>");
  /* Only a placeholder (no data-src): the twin has the real image. */
  assert_clean_eq ("<p><img class=\"lazy\" src=\"data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==\" alt=\"B\">\n<noscript><img src=\"https://cdn.example/b.jpg\" srcset=\"https://cdn.example/b.jpg 1x\" alt=\"B\"></noscript></p>",
                   NULL, "<p><img src=\"https://cdn.example/b.jpg\" srcset=\"https://cdn.example/b.jpg 1x\" class=\"lazy\" alt=\"B\" loading=\"lazy\">\n</p>");
  /* No src at all */
  assert_clean_eq ("<img data-lazy-type=\"image\" alt=\"C\"><noscript><img src=\"https://cdn.example/c.jpg\"></noscript>",
                   NULL, "<img src=\"https://cdn.example/c.jpg\" alt=\"C\" loading=\"lazy\">");
  /* The twin is sanitised like anything else. */
  assert_clean_eq ("<img alt=\"D\"><noscript><img src=\"javascript:alert(1)\" onerror=\"alert(1)\"></noscript>", NULL, "");
  /* A lone noscript is dropped with what it holds. */
  assert_clean_eq ("<p>x</p><noscript><p>Aktifkan JavaScript</p></noscript>", NULL, "<p>x</p>");
}

static void
test_jetpack_noise (void)
{
  assert_clean_eq ("<p>Isi</p><div class=\"sharedaddy sd-sharing-enabled\"><h3>Bagikan ini:</h3><a href=\"https://digitripx.id/?share=telegram\">Telegram</a></div><div id=\"jp-relatedposts\" class=\"jp-relatedposts\"><h3>Terkait</h3></div>",
                   NULL, "<p>Isi</p>");
}

static void
test_mxss (void)
{
  static const char * const payloads[] = {
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<svg><p><style><img src onerror=alert(1)></style></p></svg>",
    "<math><mi><mglyph><svg><mtext><textarea><path id=\"</textarea><img onerror=alert(1) src=1>\">",
    "<!--><script>alert(1)</script>-->",
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<noembed><img src=x onerror=alert(1)></noembed>",
    "<noframes><img src=x onerror=alert(1)></noframes>",
    "<template><img src=x onerror=alert(1)></template>",
    "<plaintext><img src=x onerror=alert(1)>",
    "<style><img src=x onerror=alert(1)></style>",
    "<title><img src=x onerror=alert(1)></title>",
    "<iframe><img src=x onerror=alert(1)></iframe>",
    "<textarea><img src=x onerror=alert(1)></textarea>",
  };

  for (guint i = 0; i < G_N_ELEMENTS (payloads); i++)
    {
      g_autofree char *out = clean (payloads[i], NULL);

      /* Nothing of it is markup now: at most inert, escaped text. */
      assert_lacks (out, "<img");
      assert_lacks (out, "<script");
      assert_lacks (out, "<style");
      assert_lacks (out, "<!--");
    }

  /* "--!>" closes a comment for libxml2 as for browsers: the img is real
   * markup there, and it loses its handler like any other. */
  assert_clean_eq ("<!-- --!><img src=x onerror=alert(1)> -->", NULL,
                   "<img src=\"x\" loading=\"lazy\"> --&gt;");

  /* CDATA is no HTML: its brackets become escaped text, the img inside
   * (markup for libxml2) loses its handler. */
  assert_clean_eq ("<![CDATA[<img src=x onerror=alert(1)>]]>", NULL,
                   "&lt;![CDATA[<img src=\"x\" loading=\"lazy\">]]&gt;");
}

/* Every frame left is one of the players, by its exact path. */
static void
assert_frames_are_players (const char *out)
{
  const char *p = out;

  while ((p = strstr (p, "<iframe src=\"")) != NULL)
    {
      gsize len;

      p += strlen ("<iframe src=\"");
      len = strcspn (p, "\"");
      if (!g_str_has_prefix (p, "https://www.youtube.com/embed/") &&
          !g_str_has_prefix (p, "https://www.youtube-nocookie.com/embed/") &&
          !g_str_has_prefix (p, "https://player.vimeo.com/video/"))
        g_error ("A frame that is not a player: %.*s", (int)len, p);
      g_assert_null (g_strstr_len (p, len, ".."));
      g_assert_null (g_strstr_len (p, len, "\\"));
      g_assert_null (g_strstr_len (p, len, "redirect"));
    }
}

static void
test_hostile_corpus (void)
{
  g_autofree char *corpus = read_fixture ("hostile-corpus.html");
  g_auto(GStrv) payloads = g_strsplit (corpus, "\n#----\n", -1);
  guint n = 0;

  for (guint i = 0; payloads[i] != NULL; i++)
    {
      g_autofree char *out = clean (payloads[i], BASE);
      g_autofree char *out_nobase = clean (payloads[i], NULL);
      g_autofree char *twice = clean (out, BASE);

      /* The output of one pass is a fixed point of the next: what the
       * reader shows is what was checked. */
      g_assert_cmpstr (twice, ==, out);
      assert_lacks (out, "<script");
      /* (assert_safe already checked every URL's scheme as a browser reads it) */
      assert_lacks (out, "=\"javascript:");
      assert_lacks (out_nobase, "=\"javascript:");
      assert_lacks (out, "http-equiv");
      assert_frames_are_players (out);
      assert_frames_are_players (out_nobase);
      n++;
    }

  g_assert_cmpuint (n, >=, 50);
}

static void
test_invalid_utf8 (void)
{
  static const char input[] = "<p>Harga \xff\xfe Rp \xe2\x82 25 juta \xc3\xa9t\xc3</p><img src=\"https://ok.example/\xff.jpg\">";
  g_autofree char *out = clean (input, NULL);
  g_autofree char *text = dtx_sanitizer_to_text (input);

  assert_contains (out, "Harga ");
  assert_contains (out, "25 juta \xc3\xa9t");
  g_assert_true (g_utf8_validate (text, -1, NULL));
  assert_contains (text, "25 juta");
}

static void
test_bad_character_references (void)
{
  static const char input[] = "<p title=\"a&#xD800;b&#0;c\">x&#xD800;y&#x110000;z&#0;&#55296;!&#x80;</p>";
  g_autofree char *out = clean (input, NULL);
  g_autofree char *text = dtx_sanitizer_to_text (input);

  g_assert_true (g_utf8_validate (text, -1, NULL));
  assert_contains (out, "x");
  assert_contains (text, "z");
}

static void
test_deep_nesting (void)
{
  GString *html = g_string_new (NULL);
  g_autofree char *out = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < 20000; i++)
    g_string_append (html, "<div><span>");
  g_string_append (html, "dalam<script>alert(1)</script>");

  /* Absurd nesting must neither crash nor run away; past a sane depth the
   * content may be cut. */
  out = clean (html->str, NULL);
  text = dtx_sanitizer_to_text (html->str);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  assert_lacks (out, "alert");
  g_string_free (html, TRUE);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&text, g_free);

  /* Real articles nest a few levels: everything is kept. */
  html = g_string_new (NULL);
  for (guint i = 0; i < 40; i++)
    g_string_append (html, "<div><blockquote>");
  g_string_append (html, "dalam");
  out = clean (html->str, NULL);
  text = dtx_sanitizer_to_text (html->str);
  assert_contains (out, "<blockquote>dalam</blockquote>");
  g_assert_cmpstr (text, ==, "dalam");
  g_string_free (html, TRUE);
}

static void
test_wordpress_post (void)
{
  g_autofree char *html = read_fixture ("wordpress-post.html");
  g_autofree char *out = clean (html, BASE);
  g_autofree char *again = clean (out, BASE);
  const char *first, *second;

  /* Text and captions */
  assert_contains (out, "Ponsel lipat terbaru hadir dengan engsel yang lebih tipis \xe2\x80\x93 dan layar 7,6\xe2\x80\x9d.");
  assert_contains (out, "<figcaption class=\"wp-element-caption\">Tampilan engsel baru</figcaption>");
  assert_contains (out, "<p>Harganya mulai Rp 25 juta.</p>");

  /* Responsive image kept with its srcset */
  assert_contains (out, "srcset=\"https://digitripx.id/wp-content/uploads/2024/05/lipat-1024x576.jpg 1024w, https://digitripx.id/wp-content/uploads/2024/05/lipat-300x169.jpg 300w\"");

  /* Lazy image: the real file once, no GIF placeholder */
  first = strstr (out, "src=\"https://digitripx.id/wp-content/uploads/2024/05/lipat-detail.jpg\"");
  g_assert_nonnull (first);
  second = strstr (first + 1, "src=\"https://digitripx.id/wp-content/uploads/2024/05/lipat-detail.jpg\"");
  g_assert_null (second);
  assert_lacks (out, "data:image/gif");
  assert_lacks (out, "noscript");

  /* YouTube embed, sandboxed */
  assert_contains (out, "<iframe src=\"https://www.youtube.com/embed/dQw4w9WgXcQ?feature=oembed\" width=\"500\" height=\"281\" title=\"Review\" allowfullscreen=\"\" sandbox=\"allow-scripts allow-same-origin\" loading=\"lazy\"></iframe>");
  assert_lacks (out, "autoplay");

  /* Script gone, relative link resolved, target dropped */
  assert_lacks (out, "iklan");
  assert_lacks (out, "<script");
  assert_contains (out, "<a href=\"https://digitripx.id/catatan-lain/\">tautan relatif</a>");
  assert_contains (out, "<a href=\"https://contoh.lain/\">tautan luar</a>");
  assert_lacks (out, "target=");

  /* Share and related-post widgets gone */
  assert_lacks (out, "Bagikan ini");
  assert_lacks (out, "Terkait");
  assert_lacks (out, "share=telegram");

  g_assert_cmpstr (again, ==, out);
}

/* ---------------------------------------------------------------- text */

static void
assert_text_eq (const char *html,
                const char *expected)
{
  g_autofree char *text = dtx_sanitizer_to_text (html);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_text_entities (void)
{
  assert_text_eq ("Review Ponsel Lipat: Layar 7,6&#8221; &#038; Baterai 4.400 mAh",
                  "Review Ponsel Lipat: Layar 7,6\xe2\x80\x9d & Baterai 4.400 mAh");
  assert_text_eq ("7,6&#8221; &#038; 4.400 mAh", "7,6\xe2\x80\x9d & 4.400 mAh");
  assert_text_eq ("Aplikasi Catatan &#8211; Begini Caranya", "Aplikasi Catatan \xe2\x80\x93 Begini Caranya");
  assert_text_eq ("It&#8217;s &hellip; done", "It\xe2\x80\x99s \xe2\x80\xa6 done");
  assert_text_eq ("Tom &amp; Jerry", "Tom & Jerry");
  assert_text_eq ("a&nbsp;b&#160;c", "a b c");
  assert_text_eq ("&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>");
}

static void
test_text_plain_input (void)
{
  assert_text_eq ("A & B", "A & B");
  assert_text_eq ("5 < 7 and 8 > 3", "5 < 7 and 8 > 3");
  assert_text_eq ("Halo dunia", "Halo dunia");
  assert_text_eq ("Harga \xe2\x82\xac 5", "Harga \xe2\x82\xac 5");
}

static void
test_text_markup (void)
{
  assert_text_eq ("<p>Sebuah aplikasi catatan open source kini bisa menyinkronkan data. Fitur ini &#8220;menghemat kuota&#8221; &hellip; <a href=\"https://example.id/x/\" class=\"more-link\">Baca selengkapnya</a></p>\n",
                  "Sebuah aplikasi catatan open source kini bisa menyinkronkan data. Fitur ini \xe2\x80\x9cmenghemat kuota\xe2\x80\x9d \xe2\x80\xa6 Baca selengkapnya");
  assert_text_eq ("<p>Satu</p><p>Dua</p><ul><li>a</li><li>b</li></ul>baris<br>baru", "Satu Dua a b baris baru");
  assert_text_eq ("<p>Teks<script>alert(1)</script><style>p{}</style> bersih</p>", "Teks bersih");
  assert_text_eq ("  <p>\n\t banyak   \n  spasi  </p>  ", "banyak spasi");
  assert_text_eq ("<b>te</b><i>bal</i>", "tebal");
  assert_text_eq ("<p>Harganya mulai Rp 25 juta. [&hellip;]</p>", "Harganya mulai Rp 25 juta. [\xe2\x80\xa6]");
}

static void
test_text_null_and_empty (void)
{
  g_autofree char *a = dtx_sanitizer_to_text (NULL);

  g_assert_cmpstr (a, ==, "");
  assert_text_eq ("", "");
  assert_text_eq ("   \n ", "");
  assert_text_eq ("<p></p><img src=x>", "");
}


/* libxml2 takes time quadratic in the attributes of one tag (40,000 took
 * 9 s): the sanitiser keeps the first few, in order, and still cleans them. */
static void
test_hostile_many_attributes (void)
{
  g_autoptr(GString) html = g_string_new ("<p title=\"kept\" onclick=\"alert(1)\" class=\"lead\"");
  g_autofree char *clean = NULL;
  g_autofree char *text = NULL;
  g_autofree char *bounded = NULL;
  gsize dropped = 0;

  for (guint i = 0; i < 40000; i++)
    g_string_append_printf (html, " a%u=\"%u\"", i, i);
  g_string_append (html, " id=\"last\">Isi artikel</p><p>Paragraf kedua</p>");

  bounded = dtx_sanitizer_bound_markup (html->str, &dropped);
  g_assert_cmpuint (dropped, ==, 40004 - DTX_SANITIZER_MAX_ATTRIBUTES);
  g_assert_nonnull (strstr (bounded, " a60=\"60\""));
  g_assert_null (strstr (bounded, " a61="));
  g_assert_null (strstr (bounded, "id=\"last\""));
  g_assert_nonnull (strstr (bounded, ">Isi artikel</p><p>Paragraf kedua</p>"));

  clean = dtx_sanitizer_clean (html->str, "https://contoh.id/a/");
  g_assert_nonnull (strstr (clean, "Isi artikel"));
  g_assert_nonnull (strstr (clean, "Paragraf kedua"));
  g_assert_nonnull (strstr (clean, "title=\"kept\""));
  g_assert_null (strstr (clean, "onclick"));
  g_assert_null (strstr (clean, "a39999"));
  g_assert_cmpuint (strlen (clean), <, 200);

  text = dtx_sanitizer_to_text (html->str);
  g_assert_cmpstr (text, ==, "Isi artikel Paragraf kedua");
}

/* Nesting deeper than the bound loses the deeper tags, not their text. */
static void
test_hostile_deep_nesting (void)
{
  g_autoptr(GString) html = g_string_new (NULL);
  g_autofree char *clean = NULL;
  g_autofree char *text = NULL;
  guint n_div = 0;

  for (guint i = 0; i < 100000; i++)
    g_string_append (html, "<div>");
  g_string_append (html, "dasar");
  for (guint i = 0; i < 100000; i++)
    g_string_append (html, "</div>");
  g_string_append (html, "<p>sesudah</p>");

  clean = dtx_sanitizer_clean (html->str, NULL);
  for (const char *p = clean; (p = strstr (p, "<div")) != NULL; p++)
    n_div++;
  g_assert_cmpuint (n_div, <=, DTX_SANITIZER_MAX_NESTING);
  g_assert_nonnull (strstr (clean, "<p>sesudah</p>"));

  text = dtx_sanitizer_to_text (html->str);
  g_assert_cmpstr (text, ==, "dasar sesudah");
}

/* The text extraction behind excerpts and search, on 10 MiB made to be slow:
 * one tag with 200,000 attributes, 100,000 nested elements, then elements
 * with handlers to the size. Every word comes out, in order, no markup or
 * handler text does; it stays linear (build-aux/dev bench times it). */
static void
test_hostile_10mib_text (void)
{
  g_autoptr(GString) html = g_string_new ("<p class=\"lead\" onclick=\"alert(1)\"");
  g_autofree char *text = NULL;
  g_autofree char *clean = NULL;
  guint n_words = 0, n_found = 0;
  const char *tail;

  for (guint i = 0; i < 200000; i++)
    g_string_append_printf (html, " a%u=\"%u\"", i, i);
  g_string_append (html, ">awal artikel</p>");
  for (guint i = 0; i < 100000; i++)
    g_string_append (html, "<div>");
  g_string_append (html, "tengah");
  for (guint i = 0; i < 100000; i++)
    g_string_append (html, "</div>");
  for (; html->len < 10 * 1024 * 1024; n_words++)
    g_string_append (html, "<span onmouseover=\"alert(2)\" title=\"x\">kata</span> ");
  g_string_append (html, "<p>akhir artikel</p>");

  text = dtx_sanitizer_to_text (html->str);
  g_assert_true (g_str_has_prefix (text, "awal artikel tengah kata kata "));
  g_assert_true (g_str_has_suffix (text, " kata kata akhir artikel"));
  g_assert_null (strstr (text, "alert"));
  g_assert_null (strchr (text, '<'));
  for (const char *p = text; (p = strstr (p, "kata")) != NULL; p += 4)
    n_found++;
  g_assert_cmpuint (n_found, ==, n_words);
  tail = text + strlen ("awal artikel tengah ");
  g_assert_cmpuint (strlen (tail), ==, n_words * strlen ("kata ") + strlen ("akhir artikel"));

  /* The page the reader would show: the same words, no handler. */
  clean = dtx_sanitizer_clean (html->str, NULL);
  g_assert_nonnull (strstr (clean, "awal artikel"));
  /* Past the tag budget the rest is text. */
  g_assert_nonnull (strstr (clean, "kata akhir artikel"));
  g_assert_null (strstr (clean, "onmouseover"));
  g_assert_null (strstr (clean, "onclick"));
}

/* The bounding pass leaves ordinary markup exactly as it was. */
static void
test_bound_keeps_markup (void)
{
  const char *html =
    "<!-- a <b> comment --><p class='x' title=\"a>b\">teks &amp; <a href=https://e.id/>tautan</a></p>"
    "<script>if (a<b && c>d) x();</script><img src=\"x.jpg\" alt=\"\"/><br>"
    "1 < 2 <style>p > a { }</style><ul><li>satu<li>dua</ul>";
  g_autofree char *bounded = NULL;
  gsize dropped = 7;

  bounded = dtx_sanitizer_bound_markup (html, &dropped);
  g_assert_cmpstr (bounded, ==, html);
  g_assert_cmpuint (dropped, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sanitizer/null-empty", test_null_and_empty);
  g_test_add_func ("/sanitizer/article-markup", test_article_markup_kept);
  g_test_add_func ("/sanitizer/code-escaped", test_code_is_escaped);
  g_test_add_func ("/sanitizer/pre-newline", test_pre_leading_newline);
  g_test_add_func ("/sanitizer/script", test_script_dropped);
  g_test_add_func ("/sanitizer/event-handlers", test_event_handlers_dropped);
  g_test_add_func ("/sanitizer/javascript-links", test_javascript_links);
  g_test_add_func ("/sanitizer/link-schemes", test_allowed_link_schemes);
  g_test_add_func ("/sanitizer/relative-urls", test_relative_urls);
  g_test_add_func ("/sanitizer/data-urls", test_data_urls);
  g_test_add_func ("/sanitizer/iframes", test_iframes);
  g_test_add_func ("/sanitizer/document-metadata", test_document_metadata_dropped);
  g_test_add_func ("/sanitizer/forms", test_forms_dropped);
  g_test_add_func ("/sanitizer/styles", test_styles_dropped);
  g_test_add_func ("/sanitizer/plugins-foreign", test_plugins_dropped);
  g_test_add_func ("/sanitizer/attributes", test_attributes_filtered);
  g_test_add_func ("/sanitizer/unwrap", test_unwrapped_containers);
  g_test_add_func ("/sanitizer/media", test_media);
  g_test_add_func ("/sanitizer/picture", test_picture);
  g_test_add_func ("/sanitizer/srcset", test_srcset);
  g_test_add_func ("/sanitizer/lazy-images", test_lazy_images);
  g_test_add_func ("/sanitizer/lazy-noscript-twin", test_lazy_noscript_twin);
  g_test_add_func ("/sanitizer/jetpack", test_jetpack_noise);
  g_test_add_func ("/sanitizer/mxss", test_mxss);
  g_test_add_func ("/sanitizer/hostile-corpus", test_hostile_corpus);
  g_test_add_func ("/sanitizer/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/sanitizer/bad-character-references", test_bad_character_references);
  g_test_add_func ("/sanitizer/deep-nesting", test_deep_nesting);
  g_test_add_func ("/sanitizer/wordpress-post", test_wordpress_post);
  g_test_add_func ("/sanitizer/text/entities", test_text_entities);
  g_test_add_func ("/sanitizer/text/plain-input", test_text_plain_input);
  g_test_add_func ("/sanitizer/text/markup", test_text_markup);
  g_test_add_func ("/sanitizer/text/null-empty", test_text_null_and_empty);
  g_test_add_func ("/sanitizer/hostile/many-attributes", test_hostile_many_attributes);
  g_test_add_func ("/sanitizer/hostile/deep-nesting", test_hostile_deep_nesting);
  g_test_add_func ("/sanitizer/hostile/10mib-text", test_hostile_10mib_text);
  g_test_add_func ("/sanitizer/bound/keeps-markup", test_bound_keeps_markup);

  return g_test_run ();
}
