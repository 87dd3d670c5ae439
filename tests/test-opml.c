/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-opml"
#include "config.h"

#include "dtx-error.h"
#include "dtx-opml.h"

static GPtrArray *
parse_string (const char  *text,
              GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return dtx_opml_parse (bytes, error);
}

static DtxOpmlOutline *
outline_at (GPtrArray *outlines,
            guint      i)
{
  return g_ptr_array_index (outlines, i);
}

/* An export of another reader: folders, OPML 1.0, text without title,
 * attribute names in odd case, a link outline with url=. */
static void
test_parse_nested (void)
{
  static const char doc[] =
    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
    "<opml version=\"1.0\">\n"
    "  <head><title>Langganan</title></head>\n"
    "  <body>\n"
    "    <outline text=\"Teknologi\" title=\"Teknologi\">\n"
    "      <outline type=\"rss\" text=\"DigiTripX\" title=\"DigiTripX.id\" xmlUrl=\"https://digitripx.id/feed/\" htmlUrl=\"https://digitripx.id/\"/>\n"
    "      <outline text=\"Dalam\">\n"
    "        <outline type=\"rss\" text=\"Caf\xe9 &amp; Kode\" xmlurl=\"https://cafe.example/rss\"/>\n"
    "      </outline>\n"
    "    </outline>\n"
    "    <outline type=\"link\" text=\"Tautan\" url=\"https://link.example/atom.xml\"/>\n"
    "    <outline type=\"include\" text=\"Not a feed\" url=\"https://other.example/list.opml\"/>\n"
    "    <outline text=\"Folder kosong\"/>\n"
    "    <outline type=\"rss\" xmlUrl=\"  https://untitled.example/feed  \"/>\n"
    "  </body>\n"
    "</opml>\n";
  g_autoptr(GPtrArray) outlines = NULL;
  g_autoptr(GError) error = NULL;

  outlines = parse_string (doc, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outlines->len, ==, 4);

  g_assert_cmpstr (outline_at (outlines, 0)->url, ==, "https://digitripx.id/feed/");
  g_assert_cmpstr (outline_at (outlines, 0)->title, ==, "DigiTripX.id");
  g_assert_cmpstr (outline_at (outlines, 0)->html_url, ==, "https://digitripx.id/");
  /* Nested deeper, latin-1 decoded, title from text. */
  g_assert_cmpstr (outline_at (outlines, 1)->url, ==, "https://cafe.example/rss");
  g_assert_cmpstr (outline_at (outlines, 1)->title, ==, "Café & Kode");
  g_assert_null (outline_at (outlines, 1)->html_url);
  g_assert_cmpstr (outline_at (outlines, 2)->url, ==, "https://link.example/atom.xml");
  g_assert_cmpstr (outline_at (outlines, 3)->url, ==, "https://untitled.example/feed");
  g_assert_null (outline_at (outlines, 3)->title);
}

/* What goes out comes back: odd characters, duplicates kept in order (the
 * importer reports them as skipped), missing titles. */
static void
test_round_trip (void)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify)dtx_opml_outline_free);
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_ptr_array_add (out, dtx_opml_outline_new ("https://digitripx.id", "DigiTripX.id", "https://digitripx.id/"));
  g_ptr_array_add (out, dtx_opml_outline_new ("https://a.example/feed?x=1&y=<2>",
                                              "Tom & Jerry's \"Best\" <Feed>", NULL));
  g_ptr_array_add (out, dtx_opml_outline_new ("https://b.example/rss", "Berita Ekonomi 📈 — Rupiah menguat", NULL));
  g_ptr_array_add (out, dtx_opml_outline_new ("https://c.example/atom", "Baris satu\nBaris\tdua\x01", NULL));
  g_ptr_array_add (out, dtx_opml_outline_new ("https://digitripx.id", "DigiTripX lagi", NULL));
  g_ptr_array_add (out, dtx_opml_outline_new ("https://d.example/feed.json", NULL, NULL));

  bytes = dtx_opml_write (out, "Langganan “saya” & teman");
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert_true (g_str_has_prefix (text, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">"));
  g_assert_nonnull (strstr (text, "<dateCreated>"));
  g_assert_nonnull (strstr (text, " GMT</dateCreated>"));
  g_assert_nonnull (strstr (text, "<title>Langganan “saya” &amp; teman</title>"));
  g_assert_nonnull (strstr (text, "xmlUrl=\"https://a.example/feed?x=1&amp;y=&lt;2&gt;\""));
  g_assert_null (strstr (text, "\x01"));
  g_assert_true (g_utf8_validate (text, -1, NULL));

  back = dtx_opml_parse (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, 6);
  g_assert_cmpstr (outline_at (back, 0)->url, ==, "https://digitripx.id");
  g_assert_cmpstr (outline_at (back, 0)->html_url, ==, "https://digitripx.id/");
  g_assert_cmpstr (outline_at (back, 1)->url, ==, "https://a.example/feed?x=1&y=<2>");
  g_assert_cmpstr (outline_at (back, 1)->title, ==, "Tom & Jerry's \"Best\" <Feed>");
  g_assert_cmpstr (outline_at (back, 2)->title, ==, "Berita Ekonomi 📈 — Rupiah menguat");
  /* Line breaks and tabs survive as references; a control character goes. */
  g_assert_cmpstr (outline_at (back, 3)->title, ==, "Baris satu\nBaris\tdua");
  /* The duplicate is there, in its place: the importer counts it. */
  g_assert_cmpstr (outline_at (back, 4)->url, ==, "https://digitripx.id");
  g_assert_cmpstr (outline_at (back, 4)->title, ==, "DigiTripX lagi");
  /* Without a title the URL stands as the text OPML 2.0 requires. */
  g_assert_cmpstr (outline_at (back, 5)->title, ==, "https://d.example/feed.json");

  /* Nested outlines written by hand read back flat, in document order. */
  {
    static const char nested[] =
      "<opml version=\"2.0\"><head/><body>"
      "<outline text=\"A\"><outline text=\"B\"><outline text=\"C\" xmlUrl=\"https://c.example/\"/></outline>"
      "<outline text=\"D\" xmlUrl=\"https://d.example/\"/></outline>"
      "<outline text=\"E\" xmlUrl=\"https://e.example/\"><outline text=\"F\" xmlUrl=\"https://f.example/\"/></outline>"
      "</body></opml>";
    g_autoptr(GPtrArray) flat = parse_string (nested, &error);
    g_autoptr(GBytes) again = NULL;
    g_autoptr(GPtrArray) flat_again = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (flat->len, ==, 4);
    g_assert_cmpstr (outline_at (flat, 0)->title, ==, "C");
    g_assert_cmpstr (outline_at (flat, 1)->title, ==, "D");
    g_assert_cmpstr (outline_at (flat, 2)->title, ==, "E");
    g_assert_cmpstr (outline_at (flat, 3)->title, ==, "F");

    again = dtx_opml_write (flat, NULL);
    flat_again = dtx_opml_parse (again, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (flat_again->len, ==, 4);
    for (guint i = 0; i < 4; i++)
      {
        g_assert_cmpstr (outline_at (flat_again, i)->url, ==, outline_at (flat, i)->url);
        g_assert_cmpstr (outline_at (flat_again, i)->title, ==, outline_at (flat, i)->title);
      }
  }
}

static void
test_malformed (void)
{
  static const char * const docs[] = {
    "",
    "not xml at all",
    "<opml version=\"2.0\"><body><outline xmlUrl=\"https://a.example/\"></body></opml>",
    "<opml version=\"2.0\"><head/><body><outline xmlUrl=\"https://a.example/\"/></body>",
    "<rss version=\"2.0\"><channel><title>A feed, not a list</title></channel></rss>",
    "<opml version=\"2.0\"><head/></opml>",
    /* An entity bomb, and an external entity: refused, nothing read. */
    "<?xml version=\"1.0\"?><!DOCTYPE opml [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
    "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>"
    "<opml version=\"2.0\"><body><outline text=\"&d;\" xmlUrl=\"https://a.example/\"/></body></opml>",
    "<?xml version=\"1.0\"?><!DOCTYPE opml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
    "<opml version=\"2.0\"><body><outline text=\"&xxe;\" xmlUrl=\"https://a.example/\"/></body></opml>",
  };

  for (guint i = 0; i < G_N_ELEMENTS (docs); i++)
    {
      g_autoptr(GPtrArray) outlines = NULL;
      g_autoptr(GError) error = NULL;

      outlines = parse_string (docs[i], &error);
      g_assert_error (error, DTX_ERROR, DTX_ERROR_PARSE);
      g_assert_null (outlines);
      g_assert_cmpstr (error->message, ==,
                       "This file is not a valid OPML list of subscriptions. Export it again from the other app.");
    }
}

static void
test_empty_body (void)
{
  g_autoptr(GPtrArray) outlines = NULL;
  g_autoptr(GError) error = NULL;

  outlines = parse_string ("<opml version=\"2.0\"><head/><body/></opml>", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outlines->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/opml/parse-nested", test_parse_nested);
  g_test_add_func ("/opml/round-trip", test_round_trip);
  g_test_add_func ("/opml/malformed", test_malformed);
  g_test_add_func ("/opml/empty-body", test_empty_body);

  return g_test_run ();
}
