/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The text of an article row: a label that lays its text out once per
 * width. A GtkLabel shapes its text again for every measure (its minimum
 * and natural widths, its height for a width) and once more when
 * allocated; in a list of rows that was most of a frame. This one asks for
 * no width of its own (a row takes the list's) and keeps one PangoLayout,
 * so its text is shaped once for the width it is given. Styled as a
 * "label" node: CSS classes, font and colour apply as to a GtkLabel. */
#define DTX_TYPE_ROW_LABEL (dtx_row_label_get_type ())
G_DECLARE_FINAL_TYPE (DtxRowLabel, dtx_row_label, DTX, ROW_LABEL, GtkWidget)

GtkWidget  *dtx_row_label_new       (void);
void        dtx_row_label_set_text  (DtxRowLabel *self,
                                     const char  *text);
const char *dtx_row_label_get_text  (DtxRowLabel *self);
/* 1 (the default): one line, ellipsised. More: wrapped at words, the last
 * of that many lines ellipsised. */
void        dtx_row_label_set_lines (DtxRowLabel *self,
                                     int          lines);

G_END_DECLS
