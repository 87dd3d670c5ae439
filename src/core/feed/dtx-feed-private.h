/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

#include "dtx-article.h"

G_BEGIN_DECLS

/* What the format files share: the entry being built, and how they read
 * XML forgivingly. Not for use outside src/core/feed/. */

#define DTX_NS_ATOM       "http://www.w3.org/2005/Atom"
#define DTX_NS_ATOM03     "http://purl.org/atom/ns#"
#define DTX_NS_RSS10      "http://purl.org/rss/1.0/"
#define DTX_NS_RSS090     "http://my.netscape.com/rdf/simple/0.9/"
#define DTX_NS_USERLAND   "http://backend.userland.com/rss2"
#define DTX_NS_USERLAND2  "http://blogs.law.harvard.edu/tech/rss"
#define DTX_NS_RDF        "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define DTX_NS_CONTENT    "http://purl.org/rss/1.0/modules/content/"
#define DTX_NS_DC         "http://purl.org/dc/elements/1.1/"
#define DTX_NS_DCTERMS    "http://purl.org/dc/terms/"
#define DTX_NS_MEDIA      "http://search.yahoo.com/mrss/"
#define DTX_NS_XHTML      "http://www.w3.org/1999/xhtml"
#define DTX_NS_ITUNES     "http://www.itunes.com/dtds/podcast-1.0.dtd"

/* What one item/entry yields before it becomes a DtxArticle. */
typedef struct {
  char       *guid;
  char       *link;
  char       *title;     /* plain text */
  char       *excerpt;   /* plain text */
  char       *content;   /* raw HTML */
  char       *content_base; /* what relative URLs in content resolve against */
  char       *author;    /* plain text */
  GDateTime  *date;
  char       *image;
  GPtrArray  *categories;
  GHashTable *category_set; /* once there are many, so adding stays O(1) */
} DtxFeedEntry;

void      dtx_feed_entry_clear        (DtxFeedEntry *entry);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DtxFeedEntry, dtx_feed_entry_clear)

/* Takes name; duplicates are dropped in O(1). */
void      dtx_feed_entry_add_category (DtxFeedEntry *entry,
                                       char         *name);
/* Finishes the entry (excerpt, title, id, absolute URLs in the content)
 * and appends it to articles, unless it has nothing to show. */
void      dtx_feed_entry_finish       (DtxFeedEntry *entry,
                                       GPtrArray    *articles);

void      dtx_feed_take_str   (char      **dest,
                               char       *value);
char     *dtx_feed_html_to_text  (const char *html);
char     *dtx_feed_plain_to_text (const char *text);
char     *dtx_feed_text_to_html  (const char *text);
/* "Jane Doe (jane@example.com)", "jane@example.com (Jane Doe)": the name. */
char     *dtx_feed_person_name   (const char *text);

/* Element tests: also true for an element whose prefix the feed forgot to
 * declare ("content:encoded" with no xmlns:content), for the usual
 * prefixes. ns NULL is no namespace. */
gboolean  dtx_feed_is_element (xmlNode    *node,
                               const char *ns,
                               const char *name);
gboolean  dtx_feed_in_ns      (xmlNode    *node,
                               const char *ns);
/* RSS core names: no namespace, RSS 1.0, 0.90 or the old Userland one. */
gboolean  dtx_feed_is_rss     (xmlNode    *node,
                               const char *name);
gboolean  dtx_feed_is_atom    (xmlNode    *node,
                               const char *name);
xmlNode  *dtx_feed_first_child (xmlNode    *parent,
                                gboolean  (*match) (xmlNode *, const char *),
                                const char *name);

char     *dtx_feed_node_text  (xmlNode    *node);
char     *dtx_feed_node_html  (xmlNode    *node);
char     *dtx_feed_node_attr  (xmlNode    *node,
                               const char *name);
char     *dtx_feed_node_ns_attr (xmlNode    *node,
                                 const char *ns,
                                 const char *name);
/* The xml:base in effect at node, resolved against doc_base. */
char     *dtx_feed_node_base  (xmlNode    *node,
                               const char *doc_base);

gboolean  dtx_feed_is_image_type (const char *type);
/* Media RSS: an image from media:content, media:thumbnail, media:group. */
char     *dtx_feed_media_image       (xmlNode *item);
/* media:description / media:title, also inside media:group; HTML. */
char     *dtx_feed_media_text        (xmlNode    *item,
                                      const char *name);

/* One item or entry, for reading them while the document streams in. */
char      *dtx_feed_rss_feed_base    (xmlNode      *root,
                                      const char   *base_uri);
char      *dtx_feed_rss_base_from    (const char   *base_uri,
                                      const char   *channel_link);
void       dtx_feed_rss_item         (xmlNode      *item,
                                      const char   *feed_base,
                                      DtxFeedEntry *entry);
char      *dtx_feed_atom_person_name (xmlNode      *parent);
char      *dtx_feed_atom_author_name (xmlNode      *author);
void       dtx_feed_atom_entry       (xmlNode      *node,
                                      const char   *base_uri,
                                      const char   *feed_author,
                                      DtxFeedEntry *entry);

/* The rest of the document: the feed's title, and any entry not read yet. */
GPtrArray *dtx_feed_parse_rss  (xmlNode     *root,
                                const char  *base_uri,
                                char       **title_out);
GPtrArray *dtx_feed_parse_atom (xmlNode     *root,
                                const char  *base_uri,
                                char       **title_out);
GPtrArray *dtx_feed_parse_json (const char  *data,
                                gsize        length,
                                const char  *base_uri,
                                char       **title_out,
                                GError     **error);

G_END_DECLS
