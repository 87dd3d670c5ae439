/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-test-uri"
#include "config.h"

#include "dtx-html.h"
#include "dtx-sanitizer.h"
#include "dtx-uri.h"

#include <string.h>

static void
test_resolve (void)
{
  static const struct { const char *base, *ref, *expected; } cases[] = {
    { "https://a.example/blog/feed.xml", "post", "https://a.example/blog/post" },
    { "https://a.example/blog/feed.xml", "/about", "https://a.example/about" },
    { "https://a.example/blog/", "../up", "https://a.example/up" },
    { "https://a.example/blog/", "//cdn.example/x.png", "https://cdn.example/x.png" },
    { "https://a.example/blog/", "  https://b.example/  ", "https://b.example/" },
    { "https://a.example/blog/", "?p=1", "https://a.example/blog/?p=1" },
    { "https://a.example/blog/", "a%20b", "https://a.example/blog/a%20b" },
    { NULL, "relative", "relative" },
    { "not a base", "relative", "relative" },
    { "https://a.example/", "", NULL },
    { "https://a.example/", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *resolved = dtx_uri_resolve (cases[i].base, cases[i].ref);
      g_assert_cmpstr (resolved, ==, cases[i].expected);
    }
}

/* Found by fuzz-sanitizer: relaxed parsing gave a host with a path not
 * starting with '/', and GLib raised a critical printing it. */
static void
test_join_odd (void)
{
  g_autofree char *html = NULL;
  g_autofree char *path = g_build_filename (DTX_FIXTURES_DIR, "feeds", "fuzz", "sanitizer-iframe-url.html", NULL);
  g_autofree char *clean = NULL;
  g_autofree char *joined = dtx_uri_join (NULL, "https://www.youtube.coplay;%20clipboard-write;%20encrypted-media",
                                          G_URI_FLAGS_PARSE_RELAXED | G_URI_FLAGS_ENCODED);
  g_autofree char *resolved = dtx_uri_resolve ("https://a.example/", "https://www.youtube.coplay; clipboard-write");
  g_autofree char *ok = dtx_uri_join ("https://a.example/x/", "../y", G_URI_FLAGS_ENCODED);

  g_assert_null (joined);
  g_assert_nonnull (resolved);
  g_assert_cmpstr (ok, ==, "https://a.example/y");

  g_assert_true (g_file_get_contents (path, &html, NULL, NULL));
  clean = dtx_sanitizer_clean (html, "https://fuzz.example/post/");
  g_assert_null (strstr (clean, "youtube.coplay"));
}

static void
test_normalise (void)
{
  g_autofree char *a = dtx_uri_normalise ("  java\tscript:alert(1)\n ");
  g_autofree char *b = dtx_uri_normalise ("https://a.example/a b\x01");
  g_autofree char *c = dtx_uri_normalise (" \x02 ");
  g_autofree char *scheme = dtx_uri_scheme ("HTTPS://x");

  g_assert_cmpstr (a, ==, "javascript:alert(1)");
  g_assert_cmpstr (b, ==, "https://a.example/a%20b");
  g_assert_null (c);
  g_assert_cmpstr (scheme, ==, "https");
  g_assert_null (dtx_uri_scheme ("/path:x"));
  g_assert_null (dtx_uri_scheme (NULL));
}

static void
test_http (void)
{
  g_autoptr(GUri) uri = dtx_uri_parse_http ("https://Example.org:8080/a?b=c");

  g_assert_true (dtx_uri_is_http ("HTTP://x"));
  g_assert_true (dtx_uri_is_http ("https://x"));
  g_assert_false (dtx_uri_is_http ("ftp://x"));
  g_assert_false (dtx_uri_is_http ("javascript:1"));
  g_assert_false (dtx_uri_is_http (NULL));

  g_assert_nonnull (uri);
  g_assert_cmpint (g_uri_get_port (uri), ==, 8080);
  g_assert_null (dtx_uri_parse_http ("file:///etc/passwd"));
  g_assert_null (dtx_uri_parse_http ("https://"));
  g_assert_null (dtx_uri_parse_http ("not a url"));
}

static void
test_content_type (void)
{
  static const struct { const char *type, *charset; } cases[] = {
    { "text/xml; charset=windows-1252", "windows-1252" },
    { "application/rss+xml;charset=\"UTF-8\"", "UTF-8" },
    { "text/xml; foo=bar; CHARSET = iso-8859-1", "iso-8859-1" },
    { "text/xml", NULL },
    { NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *charset = dtx_content_type_charset (cases[i].type);
      g_assert_cmpstr (charset, ==, cases[i].charset);
    }
}

static void
test_first_image (void)
{
  static const struct { const char *html, *expected; } cases[] = {
    { "<p>x</p><img src=\"/a.png\"><img src=\"/b.png\">", "/a.png" },
    { "<IMG data-src='https://x/lazy.jpg' src=\"data:image/gif;base64,R0l\">", "https://x/lazy.jpg" },
    { "<img src=\"https://x/a.jpg?w=1&amp;h=2\">", "https://x/a.jpg?w=1&h=2" },
    { "<img src=data:image/png;base64,AAA>", NULL },
    { "<p>no image</p>", NULL },
    { "<!-- <img src=\"/hidden.png\"> --><img src=/shown.png>", "/shown.png" },
    { "<img src=\"/unterminated", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *src = dtx_html_first_image (cases[i].html);
      g_assert_cmpstr (src, ==, cases[i].expected);
    }
}

static void
test_absolutize (void)
{
  g_autofree char *a = dtx_html_absolutize ("<a href=\"../x?a=1&amp;b=2\">x</a> <img src='p.png'> "
                                            "<a href=\"#top\">t</a> <a href=\"mailto:a@b\">m</a>",
                                            "https://s.example/dir/sub/");
  g_autofree char *none = dtx_html_absolutize ("<a href=\"https://x/\">x</a>", "https://s.example/");

  g_assert_cmpstr (a, ==, "<a href=\"https://s.example/dir/x?a=1&amp;b=2\">x</a> "
                          "<img src='https://s.example/dir/sub/p.png'> "
                          "<a href=\"#top\">t</a> <a href=\"mailto:a@b\">m</a>");
  g_assert_null (none);

  {
    g_autofree char *srcset = dtx_html_absolutize ("<img srcset=\"/rel/img.png, /rel/img.2x.png 2x,https://x/a.png 3x\">",
                                                   "https://s.example/feed");
    g_assert_cmpstr (srcset, ==, "<img srcset=\"https://s.example/rel/img.png, https://s.example/rel/img.2x.png 2x, "
                                 "https://x/a.png 3x\">");
  }
}

static void
test_prepare (void)
{
  static const struct { const char *in, *charset, *out; } cases[] = {
    { "<a>&nbsp;&eacute;&rsquo;</a>", NULL, "<a>&#160;&#233;&#8217;</a>" },
    { "<a>AT&T &amp; &#146;</a>", NULL, "<a>AT&amp;T &amp; &#8217;</a>" },
    { "<a>1 < 2</a>", NULL, "<a>1 &lt; 2</a>" },
    { "<a>\x01x\x0b</a>", NULL, "<a>x</a>" },
    { "<a><![CDATA[&nbsp; &#150;]]></a>", NULL, "<a><![CDATA[&nbsp; &#8211;]]></a>" },
    { "<a><b>x</a>", NULL, "<a><b>x</b></a>" },
    { "<a>x</b></a>", NULL, "<a>x</a>" },
    { "<a>\x93q\x94</a>", "iso-8859-1", "<a>\xe2\x80\x9cq\xe2\x80\x9d</a>" },
    { "\n <?xml version=\"1.0\"?><a/>", NULL, "<?xml version=\"1.0\"?><a/>" },
    { "<a>&foo;</a>", NULL, "<a>&amp;foo;</a>" },
    { "<a>a &#1114112; b &#xD800; c</a>", NULL, "<a>a &#65533; b &#65533; c</a>" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize length = 0;
      g_autofree char *out = dtx_xml_prepare (cases[i].in, strlen (cases[i].in), cases[i].charset, &length);

      g_assert_cmpstr (out, ==, cases[i].out);
      g_assert_cmpuint (length, ==, strlen (out));
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/uri/resolve", test_resolve);
  g_test_add_func ("/uri/normalise", test_normalise);
  g_test_add_func ("/uri/join-odd", test_join_odd);
  g_test_add_func ("/uri/http", test_http);
  g_test_add_func ("/html/content-type-charset", test_content_type);
  g_test_add_func ("/html/first-image", test_first_image);
  g_test_add_func ("/html/absolutize", test_absolutize);
  g_test_add_func ("/html/prepare", test_prepare);

  return g_test_run ();
}
