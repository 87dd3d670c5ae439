/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "dtx-source.h"
#include "dtx-store.h"

G_BEGIN_DECLS

#define DTX_TYPE_ARTICLE_LIST (dtx_article_list_get_type ())
G_DECLARE_FINAL_TYPE (DtxArticleList, dtx_article_list, DTX, ARTICLE_LIST, GObject)

/* A GListModel of DtxArticle read from the store a page at a time, so a
 * store of 50,000 articles never becomes 50,000 objects. With a source it is
 * that source's "Latest" list: what the source manager's refresh stores is
 * merged in at the top, keeping the objects (and so the selection and scroll
 * position) of articles already shown; scrolling past the stored rows fetches
 * the site's next pages. Without a source and with
 * DTX_STORE_LIST_BOOKMARKS it lists the bookmarks. The list follows the
 * store: bookmark and read changes reach the shown objects. */
DtxArticleList *dtx_article_list_new          (DtxStore          *store,
                                               DtxSource         *source,
                                               DtxStoreListFlags  flags);
/* TRUE while the store or the site is being read. */
gboolean        dtx_article_list_get_loading  (DtxArticleList    *self);
/* TRUE once neither the store nor the site has more. */
gboolean        dtx_article_list_get_exhausted (DtxArticleList   *self);
/* Filters to stored articles matching text (FTS prefix search); NULL or ""
 * lists everything again. */
void            dtx_article_list_set_search   (DtxArticleList    *self,
                                               const char        *text);
const char     *dtx_article_list_get_search   (DtxArticleList    *self);

/* Filters to articles carrying exactly this category name (with the source
 * filter, a WordPress category of that source); NULL lists every category.
 * The list is read again from the store. */
void            dtx_article_list_set_category (DtxArticleList    *self,
                                               const char        *category);
const char     *dtx_article_list_get_category (DtxArticleList    *self);

/* Shows at once the new articles of a page of source_url that the store is
 * saving (the source manager's ::page-arrived): those newer than the last
 * listed row and not listed yet, PAGE_SIZE at most, in the store's order,
 * as the very objects being saved, so the reload that follows the save
 * keeps them. Lists of bookmarks, of unread articles, of a search or of a
 * category, and other sources' lists, wait for the store. */
void            dtx_article_list_show_arrived (DtxArticleList    *self,
                                               const char        *source_url,
                                               GPtrArray         *articles);
/* Reads the store again and merges the result into the list. */
void            dtx_article_list_reload       (DtxArticleList    *self);

/* The next rows: from the store, else the site's next page. Failures of the
 * site are reported through ::error. */
void            dtx_article_list_load_more    (DtxArticleList    *self);

/* Fetches the site's search results for text (WordPress only) into the
 * store; a list searching for text then shows them. */
void            dtx_article_list_search_site_async  (DtxArticleList      *self,
                                                     const char          *text,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean        dtx_article_list_search_site_finish (DtxArticleList      *self,
                                                     GAsyncResult        *result,
                                                     guint               *n_found,
                                                     GError             **error);

/* Signals: ::error (GError *) when loading more from the site failed;
 * ::loaded after each read of the store was merged. */

G_END_DECLS
