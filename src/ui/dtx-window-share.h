/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dtx-window.h"

G_BEGIN_DECLS

/* The window's share actions, each taking the article's link ("" for the
 * article in the reader):
 *   win.share-telegram     Ctrl+Shift+T  the Telegram app, or Telegram Web
 *   win.post-telegram                    post to the channel through the bot
 *                                        (enabled once a bot is set up)
 *   win.copy-link          Ctrl+Shift+C
 *   win.open-link-in-browser             Open in Browser for any article
 * and win.open-telegram-post, the "Open in Telegram" of a posted toast. */
void        dtx_window_share_class_init (GtkWidgetClass *widget_class);
/* Per window: follows the settings that enable Post to Telegram Channel. */
void        dtx_window_share_init       (DtxWindow      *self);
/* Call when the article in the reader changes (or goes). */
void        dtx_window_share_update     (DtxWindow      *self);
/* A menu section with Share to Telegram, Post to Telegram Channel (hidden
 * until a bot is set up), Copy Link and Open in Browser for link ("" or
 * NULL: the article in the reader), for the header bar and row menus. */
GMenuModel *dtx_share_menu_new          (const char     *link);

G_END_DECLS
