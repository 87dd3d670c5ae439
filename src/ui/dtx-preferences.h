/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include "dtx-article.h"
#include "dtx-context.h"

G_BEGIN_DECLS

#define DTX_TYPE_PREFERENCES (dtx_preferences_get_type ())
G_DECLARE_FINAL_TYPE (DtxPreferences, dtx_preferences, DTX, PREFERENCES, AdwPreferencesWindow)

/* The app's preferences: General (keep articles, share with) and Telegram
 * (bot token in the keyring, channel, test, message template with a live
 * preview of article, or of a sample when article is NULL). */
DtxPreferences *dtx_preferences_new (GtkWindow  *parent,
                                     DtxContext *context,
                                     DtxArticle *article);

G_END_DECLS
