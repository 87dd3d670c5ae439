/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-date"
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dtx-date.h"

/* Zone names seen in real feeds, minutes east of UTC. Ambiguous names take
 * the reading most feeds mean: CST is US Central, IST is India. */
static const struct { const char *name; int minutes; } zones[] = {
  { "UT", 0 }, { "UTC", 0 }, { "GMT", 0 }, { "Z", 0 }, { "WET", 0 },
  { "WEST", 60 }, { "BST", 60 }, { "CET", 60 }, { "MET", 60 }, { "MEZ", 60 },
  { "CEST", 120 }, { "MEST", 120 }, { "MESZ", 120 }, { "EET", 120 }, { "SAST", 120 },
  { "EEST", 180 }, { "MSK", 180 }, { "IST", 330 }, { "PKT", 300 },
  { "ICT", 420 }, { "WIB", 420 }, { "WITA", 480 }, { "WIT", 540 },
  { "SGT", 480 }, { "HKT", 480 }, { "PHT", 480 }, { "MYT", 480 }, { "AWST", 480 },
  { "JST", 540 }, { "KST", 540 }, { "ACST", 570 }, { "ACDT", 630 },
  { "AEST", 600 }, { "AEDT", 660 }, { "NZST", 720 }, { "NZDT", 780 },
  { "EST", -300 }, { "EDT", -240 }, { "CST", -360 }, { "CDT", -300 },
  { "MST", -420 }, { "MDT", -360 }, { "PST", -480 }, { "PDT", -420 },
  { "AKST", -540 }, { "AKDT", -480 }, { "HST", -600 },
  { "AST", -240 }, { "ADT", -180 }, { "NST", -210 }, { "NDT", -150 },
  { "BRT", -180 }, { "ART", -180 },
  /* The short US names some American publishers write. */
  { "AT", -240 }, { "ET", -300 }, { "CT", -360 }, { "MT", -420 }, { "PT", -480 },
};

static const char * const months[] = {
  "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
};
static const char * const day_names[] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };

gboolean
dtx_date_zone_offset (const char *name,
                      gint32     *offset)
{
  for (guint i = 0; i < G_N_ELEMENTS (zones); i++)
    if (g_ascii_strcasecmp (name, zones[i].name) == 0)
      {
        *offset = zones[i].minutes * 60;
        return TRUE;
      }
  return FALSE;
}

static GDateTime *
make_date (int     year,
           int     month,
           int     day,
           int     hour,
           int     minute,
           double  seconds,
           gint32  offset)
{
  g_autoptr(GDateTime) date = NULL;

  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31 ||
      hour < 0 || hour > 23 || minute < 0 || minute > 59 || seconds < 0 || seconds >= 61)
    return NULL;
  /* A leap second is the last second of the minute. */
  if (seconds >= 60)
    seconds = 59.999;

  /* Built in UTC and moved by the offset: no GTimeZone per date. */
  date = g_date_time_new_utc (year, month, day, hour, minute, seconds);
  if (date == NULL || offset == 0)
    return g_steal_pointer (&date);
  return g_date_time_add_seconds (date, -offset);
}

/* Up to max digits; FALSE when there is none. */
static gboolean
read_number (const char **p,
             guint        max,
             int         *out,
             guint       *n_read)
{
  int value = 0;
  guint n = 0;

  while (n < max && g_ascii_isdigit ((*p)[n]))
    value = value * 10 + ((*p)[n++] - '0');
  if (n == 0)
    return FALSE;
  *p += n;
  *out = value;
  if (n_read != NULL)
    *n_read = n;
  return TRUE;
}

/* "+7", "+07", "+0700", "+07:00", "+7:00", "-330": hours up to 14. */
static gboolean
read_offset (const char **p,
             gint32      *offset)
{
  const char *s = *p;
  int sign, hours = 0, minutes = 0;
  guint n;
  int value;

  if (*s != '+' && *s != '-')
    return FALSE;
  sign = *s == '-' ? -1 : 1;
  s++;
  if (!read_number (&s, 4, &value, &n))
    return FALSE;
  if (n <= 2)
    {
      hours = value;
      if (*s == ':' && g_ascii_isdigit (s[1]))
        {
          s++;
          if (!read_number (&s, 2, &minutes, NULL))
            return FALSE;
        }
    }
  else
    {
      hours = value / 100;
      minutes = value % 100;
    }
  if (hours > 14 || minutes > 59)
    return FALSE;
  *offset = sign * (hours * 3600 + minutes * 60);
  *p = s;
  return TRUE;
}

static const char *
skip_space (const char *p)
{
  while (g_ascii_isspace (*p))
    p++;
  return p;
}

/* "HH:MM[:SS[.frac]]" */
static gboolean
read_time (const char **p,
           int         *hour,
           int         *minute,
           double      *seconds)
{
  const char *s = *p;
  int sec = 0;

  if (!read_number (&s, 2, hour, NULL) || *s != ':')
    return FALSE;
  s++;
  if (!read_number (&s, 2, minute, NULL))
    return FALSE;
  *seconds = 0;
  if (*s == ':' && g_ascii_isdigit (s[1]))
    {
      s++;
      read_number (&s, 2, &sec, NULL);
      *seconds = sec;
      if ((*s == '.' || *s == ',') && g_ascii_isdigit (s[1]))
        {
          double scale = 0.1;

          for (s++; g_ascii_isdigit (*s); s++, scale /= 10)
            if (scale > 1e-6)
              *seconds += (*s - '0') * scale;
        }
    }
  *p = s;
  return TRUE;
}

/* A zone after a time: "Z", an offset, or a name; unknown names are UTC. */
static void
read_zone (const char *s,
           gint32     *offset)
{
  g_autofree char *name = NULL;
  const char *end;

  s = skip_space (s);
  if (*s == '+' || *s == '-')
    {
      read_offset (&s, offset);
      return;
    }
  for (end = s; g_ascii_isalpha (*end); end++)
    ;
  if (end == s)
    return;
  name = g_strndup (s, end - s);
  if (dtx_date_zone_offset (name, offset) && (*end == '+' || *end == '-'))
    {
      /* "GMT+0700" */
      gint32 extra = 0;

      if (read_offset (&end, &extra))
        *offset += extra;
    }
}

GDateTime *
dtx_date_parse_iso8601 (const char *text)
{
  const char *p;
  int year, month = 1, day = 1, hour = 0, minute = 0;
  double seconds = 0;
  gint32 offset = 0;
  guint n;
  gboolean have_time = FALSE;

  if (text == NULL)
    return NULL;
  p = skip_space (text);

  if (!read_number (&p, 4, &year, &n) || n != 4)
    return NULL;

  if (*p == '-')
    {
      p++;
      /* Three digits tolerate a stray leading zero ("2003-012-31"). */
      if (!read_number (&p, 3, &month, NULL))
        return NULL;
      if (*p == '-')
        {
          p++;
          if (!read_number (&p, 2, &day, NULL))
            return NULL;
        }
    }
  else if (g_ascii_isdigit (*p))
    {
      /* Basic format: 20240503 */
      if (!read_number (&p, 2, &month, &n) || n != 2 || !read_number (&p, 2, &day, &n) || n != 2)
        return NULL;
    }

  if (*p == 'T' || *p == 't' || (*p == ' ' && g_ascii_isdigit (skip_space (p)[0])))
    {
      const char *t = skip_space (p + 1);

      have_time = TRUE;

      if (g_ascii_isdigit (t[0]) && g_ascii_isdigit (t[1]) && g_ascii_isdigit (t[2]))
        {
          /* Basic format: 093000 */
          int hms;

          if (!read_number (&t, 6, &hms, &n) || (n != 4 && n != 6))
            return NULL;
          if (n == 4)
            hms *= 100;
          hour = hms / 10000;
          minute = hms / 100 % 100;
          seconds = hms % 100;
        }
      else if (!read_time (&t, &hour, &minute, &seconds))
        return NULL;
      p = t;
    }

  p = skip_space (p);
  if (*p == 'Z' || *p == 'z')
    p++;
  else if (*p == '+' || *p == '-')
    {
      /* "2013-01-27-01" is no date plus a zone: too many parts. */
      if (!have_time || !read_offset (&p, &offset))
        return NULL;
    }
  else if (g_ascii_isalpha (*p))
    {
      read_zone (p, &offset);
      while (g_ascii_isalnum (*p) || *p == '+' || *p == '-' || *p == ':')
        p++;
    }

  p = skip_space (p);
  if (*p != '\0' && *p != '(')
    return NULL;

  return make_date (year, month, day, hour, minute, seconds, offset);
}

static int
month_from_name (const char *word)
{
  gsize len = strlen (word);

  if (len < 3 || len > 9)
    return 0;
  for (guint i = 0; i < G_N_ELEMENTS (months); i++)
    if (g_ascii_strncasecmp (word, months[i], 3) == 0)
      return i + 1;
  return 0;
}

static gboolean
is_day_name (const char *word)
{
  if (strlen (word) < 3)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (day_names); i++)
    if (g_ascii_strncasecmp (word, day_names[i], 3) == 0)
      return TRUE;
  return FALSE;
}

typedef struct {
  int day, month, year, hour, minute;
  double seconds;
  gint32 offset;
  gboolean have_time, pm, am, in_comment, failed;
} Parts;

static void
take_token (Parts      *d,
            const char *token)
{
  const char *p = token;

  if (d->in_comment || *p == '(')
    {
      /* "(CEST)", "(Central European Summer Time)": a comment. */
      d->in_comment = token[strlen (token) - 1] != ')';
      return;
    }

  if (g_ascii_isdigit (*p) && strchr (p, ':') != NULL)
    {
      if (d->have_time || !read_time (&p, &d->hour, &d->minute, &d->seconds))
        {
          d->failed = TRUE;
          return;
        }
      d->have_time = TRUE;
      if (*p == ':' || g_ascii_isdigit (*p))
        {
          /* "1:2:3:4" is no time. */
          d->failed = TRUE;
          return;
        }
      if (g_ascii_strcasecmp (p, "pm") == 0)
        d->pm = TRUE;
      else if (g_ascii_strcasecmp (p, "am") == 0)
        d->am = TRUE;
      else if (*p != '\0')
        read_zone (p, &d->offset);
      return;
    }

  if (*p == '+' || (*p == '-' && p[1] != '\0'))
    {
      /* An offset that does not read ("+zz:00", "-9999") makes the date
       * doubtful: better none than a wrong one. */
      if (!read_offset (&p, &d->offset) || *p != '\0')
        d->failed = TRUE;
      return;
    }

  if (g_ascii_isdigit (*p))
    {
      int value = 0;
      guint n = 0;

      read_number (&p, 4, &value, &n);
      if (n == 4 && *p == '/' && d->year < 0 && d->month == 0)
        {
          /* "2006/09/15" (Perforce and others). */
          int month, day;

          p++;
          if (read_number (&p, 2, &month, NULL) && *p == '/' && (p++, read_number (&p, 2, &day, NULL)) &&
              *p == '\0')
            {
              d->year = value;
              d->month = month;
              d->day = day;
            }
          else
            d->failed = TRUE;
          return;
        }
      if (*p == '-' && g_ascii_isalpha (p[1]))
        {
          /* "03-May-2024" */
          g_auto(GStrv) parts = g_strsplit (token, "-", 3);

          for (guint i = 0; parts[i] != NULL; i++)
            if (*parts[i] != '\0')
              take_token (d, parts[i]);
          return;
        }
      if (*p != '\0' && g_ascii_strcasecmp (p, "st") != 0 && g_ascii_strcasecmp (p, "nd") != 0 &&
          g_ascii_strcasecmp (p, "rd") != 0 && g_ascii_strcasecmp (p, "th") != 0)
        {
          d->failed = TRUE;
          return;
        }
      if (n == 4 && d->year < 0)
        d->year = value;
      else if (n <= 2 && d->day < 0)
        d->day = value;
      else if (n <= 2 && d->year < 0)
        d->year = value + (value < 50 ? 2000 : 1900);
      else
        d->failed = TRUE;
      return;
    }

  if (g_ascii_isalpha (*p))
    {
      int month;
      gint32 offset;

      if ((month = month_from_name (p)) != 0 && d->month == 0)
        d->month = month;
      else if (is_day_name (p))
        ;
      else if (g_ascii_strcasecmp (p, "pm") == 0 || g_ascii_strcasecmp (p, "p.m.") == 0)
        d->pm = TRUE;
      else if (g_ascii_strcasecmp (p, "am") == 0 || g_ascii_strcasecmp (p, "a.m.") == 0)
        d->am = TRUE;
      else if (dtx_date_zone_offset (p, &offset))
        d->offset = offset;
      else
        /* "GMT+0700", or a word we do not know: an unknown zone is UTC. */
        read_zone (p, &d->offset);
    }
}

GDateTime *
dtx_date_parse_rfc822 (const char *text)
{
  g_auto(GStrv) tokens = NULL;
  Parts d = { .day = -1, .year = -1 };

  if (text == NULL)
    return NULL;

  tokens = g_strsplit_set (text, " \t\r\n,", -1);
  for (guint i = 0; tokens[i] != NULL && !d.failed; i++)
    if (*tokens[i] != '\0')
      take_token (&d, tokens[i]);

  /* A time without a day of the month ("Dec x 2012 11:47") is a slip
   * that would show a made-up day. */
  if (d.failed || d.month == 0 || d.year < 0 || (d.day < 0 && d.have_time))
    return NULL;
  if (d.day < 0)
    d.day = 1;
  if (d.pm && d.hour < 12)
    d.hour += 12;
  else if (d.am && d.hour == 12)
    d.hour = 0;

  return make_date (d.year, d.month, d.day, d.hour, d.minute, d.seconds, d.offset);
}

GDateTime *
dtx_date_parse (const char *text)
{
  const char *p;

  if (text == NULL)
    return NULL;
  p = skip_space (text);
  if (*p == '\0')
    return NULL;

  /* Four digits first is ISO 8601 (or a bare year). */
  if (g_ascii_isdigit (p[0]) && g_ascii_isdigit (p[1]) && g_ascii_isdigit (p[2]) &&
      g_ascii_isdigit (p[3]))
    {
      GDateTime *date = dtx_date_parse_iso8601 (p);

      if (date != NULL)
        return date;
    }
  return dtx_date_parse_rfc822 (p);
}
