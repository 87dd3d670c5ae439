/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Timestamps for build-aux/bench.py, on stderr, only with DTX_BENCH_PROBE=1:
 * "DTX-PROBE <what> <CLOCK_MONOTONIC µs>" and, for every main-loop stall of
 * more than 16 ms, "DTX-PROBE stall <end µs> <length µs>" then "DTX-PROBE
 * stall-cpu <end µs> <CPU µs the main thread used in it>"; frames whose
 * layout or paint took over 4 ms, "DTX-PROBE frame-layout|frame-paint <end
 * µs> <length µs>". A mark named "…-painted", made from a tick callback, is
 * printed when that frame's paint has ended. */
gboolean dtx_probe_enabled (void);
void     dtx_probe_mark    (const char *what);
void     dtx_probe_start   (void);
/* DTX_BENCH_NO_WARMUP=1: the benchmark's figure of memory before a warm-up. */
gboolean dtx_probe_warm_up_held (void);

G_END_DECLS
