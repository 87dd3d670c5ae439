#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Start-up from a large store: exec to the first list painted from it.

    python3 build-aux/bench-stored-start.py BUILDDIR [--articles N] [--runs N]
                                                     [--renderers default,cairo]

Started by `build-aux/dev bench stored`, which provides Xvfb. A store of N
generated articles (50,000 by default, bodies of 6-20 KB) is filled once by
bench-store --fill for a local site whose REST API never answers, so the
list can only come from the store. Each run copies the store into the run's
own XDG_DATA_HOME, starts the app with DTX_BENCH_PROBE=1 and times exec →
window mapped and exec → first list (the app's "rows-painted" mark: the frame
that first shows rows), beside the empty-window floor of the same run. PSS of the
whole process tree is read after the list. A benchmark reports: it exits 0
even when a target is missed.
"""

import argparse
import http.server
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import FLOOR_SRC, MapWatcher, Session, measure_tree, run_floor, stop_tree  # noqa: E402

TIMEOUT = 30.0
LIST_EXTRA_S = 0.100   # target: first list ≤ floor window + 100 ms
PSS_EXTRA_MB = 15      # target: PSS with 50,000 stored ≤ with an empty store + 15 MB
MB = 1024 * 1024


class SilentSite:
    """A site whose API never answers; images are 404."""

    def __init__(self):
        self.stop = threading.Event()
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                if self.path.startswith('/wp-content/'):
                    self.send_response(404)
                    self.send_header('Content-Length', '0')
                    self.end_headers()
                    return
                site.stop.wait(TIMEOUT)

        self.httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.httpd.daemon_threads = True
        self.url = 'http://127.0.0.1:%d' % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def run_stored(args, watcher, site, renderer, store):
    s = Session(args.build, renderer)
    result = {}
    proc = None
    try:
        if store is not None:
            target = os.path.join(s.env['XDG_DATA_HOME'], 'digitripx-reader')
            os.makedirs(target)
            shutil.copy(store, os.path.join(target, 'store.db'))
        watcher.drain()
        t0 = time.monotonic()
        proc = s.spawn([args.app, '--source', site.url], {'DTX_BENCH_PROBE': '1'})
        t_win = watcher.wait_mapped(proc.pid, t0 + TIMEOUT, proc)
        if t_win is None:
            result['error'] = 'no window; ' + ' | '.join(s.log_tail())
            return result
        result['window'] = t_win - t0
        deadline = t0 + (TIMEOUT if store is not None else 3)
        t_list = s.wait_probe('rows-painted', t0, deadline, proc)
        result['list'] = t_list - t0 if t_list else None
        time.sleep(2)
        result['pss'] = measure_tree(proc.pid)['pss']
    finally:
        if proc is not None:
            stop_tree(proc.pid)
            proc.wait()
        s.close()
    return result


def med(runs, key):
    values = [r[key] for r in runs if r.get(key) is not None]
    if not values:
        return '—', None
    m = statistics.median(values)
    return '%.3f s (%.3f–%.3f)' % (m, min(values), max(values)), m


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('build')
    parser.add_argument('--articles', type=int, default=50000)
    parser.add_argument('--runs', type=int, default=5)
    parser.add_argument('--renderers', default='default,cairo')
    args = parser.parse_args()
    args.build = os.path.abspath(args.build)
    args.app = os.path.join(args.build, 'src', 'digitripx-reader')
    floor = os.path.join(args.build, 'bench-floor')
    filler = os.path.join(args.build, 'build-aux', 'bench-store')
    args.settle = 2.0
    if not os.path.exists(floor) or os.path.getmtime(floor) < os.path.getmtime(FLOOR_SRC):
        flags = shlex.split(subprocess.check_output(['pkg-config', '--cflags', '--libs', 'libadwaita-1'], text=True))
        subprocess.check_call(['cc', FLOOR_SRC, '-o', floor, '-O2'] + flags)

    site = SilentSite()
    scratch = tempfile.mkdtemp(prefix='dtx-bench-stored-')
    store = os.path.join(scratch, 'store.db')
    try:
        t = time.monotonic()
        subprocess.check_call([filler, '--fill', store, site.url, str(args.articles)])
        print('Start-up from a store of %d articles (%.0f MB, filled in %.0f s); %d runs, medians (min–max)'
              % (args.articles, os.path.getsize(store) / MB, time.monotonic() - t, args.runs))
        watcher = MapWatcher()
        rows = []
        for renderer in [r for r in args.renderers.split(',') if r]:
            floors, full, empty = [], [], []
            for i in range(-1, args.runs):
                f = run_floor(args, watcher, renderer, floor)
                a = run_stored(args, watcher, site, renderer, store)
                e = run_stored(args, watcher, site, renderer, None)
                if i >= 0:
                    floors.append(f)
                    full.append(a)
                    empty.append(e)
                for res in (f, a, e):
                    if res.get('error'):
                        print('  %s: %s' % (renderer, res['error']))
            floor_win, floor_m = med(floors, 'window')
            win, _ = med(full, 'window')
            win_empty, _ = med(empty, 'window')
            lst, list_m = med(full, 'list')
            pss_full = statistics.median([r['pss'] for r in full if r.get('pss')] or [0])
            pss_empty = statistics.median([r['pss'] for r in empty if r.get('pss')] or [0])
            rows.append((renderer, floor_win, win_empty, win, lst, floor_m, list_m, pss_empty, pss_full))
        for renderer, floor_win, win_empty, win, lst, floor_m, list_m, pss_empty, pss_full in rows:
            ok = list_m is not None and floor_m is not None and list_m <= floor_m + LIST_EXTRA_S
            print('%s renderer:' % renderer)
            print('  floor (empty window) exec→window  %s' % floor_win)
            print('  app, empty store     exec→window  %s' % win_empty)
            print('  app, stored list     exec→window  %s' % win)
            print('  app, stored list     exec→first list  %s  → target floor + 0.100 s: %s'
                  % (lst, 'PASS' if ok else 'MISS'))
            print('  PSS of the process tree: empty store %.0f MB, %d articles %.0f MB (+%.1f MB) → target +%d MB: %s'
                  % (pss_empty / MB, args.articles, pss_full / MB, (pss_full - pss_empty) / MB,
                     PSS_EXTRA_MB, 'PASS' if pss_full - pss_empty <= PSS_EXTRA_MB * MB else 'MISS'))
    finally:
        site.close()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == '__main__':
    main()
