#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Startup time and memory of DigiTripX Reader against a floor.

    python3 build-aux/bench.py BUILDDIR [--runs N] [--settle SECONDS]
                                        [--renderers default,cairo]

Needs an X display and is normally started by `build-aux/dev bench`, which
provides Xvfb. Each run gets its own D-Bus session and scratch XDG folders,
so no run sees another's instance, settings or thumbnail cache.

The floor is build-aux/bench-floor.c: an AdwApplication presenting an empty
AdwApplicationWindow of the app's size; built with -DFLOOR_WEBKIT it also shows
one bare WebKit view (floor+webkit), which tells what WebKit alone costs here. The app reads a local WordPress-shaped
site served here from tests/fixtures/site/, never the internet. Figures are
medians over the runs; targets are judged against the floor of the same run
set and renderer, because absolute figures drift between runs and machines.
A benchmark reports: this exits 0 even when a target is missed.
"""

import argparse
import ctypes
import ctypes.util
import http.server
import json
import os
import re
import select
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SITE_DIR = os.path.join(TOP, 'tests', 'fixtures', 'site')
FLOOR_SRC = os.path.join(TOP, 'build-aux', 'bench-floor.c')
APP_ID = 'id.digitripx.Reader'
TIMEOUT = 30.0          # seconds before a run counts as failed
MB = 1024 * 1024

# Targets, relative to the floor of the same renderer.
WINDOW_FACTOR = 1.2
PSS_IDLE_EXTRA_MB = 30
PSS_ARTICLE_EXTRA_MB = 110


# ---------------------------------------------------------------------------
# The local site: what tests/dtx-test-site.c serves in its NORMAL mode.

class Site:
    N_PAGES = 3

    def __init__(self):
        self.events = []            # (monotonic time, path, query, user agent)
        self.lock = threading.Lock()
        self.httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), self._handler())
        self.httpd.daemon_threads = True
        self.url = 'http://127.0.0.1:%d' % self.httpd.server_address[1]
        self.pages = [self.fixture('posts-%d.json' % (i + 1)) for i in range(self.N_PAGES)]
        self.posts = [p for page in self.pages for p in json.loads(page)]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def fixture(self, name):
        with open(os.path.join(SITE_DIR, name), encoding='utf-8') as f:
            return f.read().replace('@SITE@', self.url)

    def first_slug(self):
        return self.posts[0]['slug']

    def first_event(self, since, predicate):
        with self.lock:
            for t, path, query, agent in self.events:
                if t >= since and predicate(path, query, agent):
                    return t
        return None

    def _handler(self):
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            server_version = 'Apache'
            sys_version = ''
            protocol_version = 'HTTP/1.1'

            def log_message(self, *args):
                pass

            def send(self, status, ctype, body, headers=()):
                data = body.encode('utf-8') if isinstance(body, str) else body
                self.send_response(status)
                self.send_header('Content-Type', ctype)
                self.send_header('Content-Length', str(len(data)))
                for k, v in headers:
                    self.send_header(k, v)
                self.end_headers()
                if self.command != 'HEAD':
                    self.wfile.write(data)

            def do_HEAD(self):
                self.do_GET()

            def do_GET(self):
                u = urllib.parse.urlsplit(self.path)
                path = urllib.parse.unquote(u.path)
                query = dict(urllib.parse.parse_qsl(u.query))
                with site.lock:
                    site.events.append((time.monotonic(), path, query,
                                        self.headers.get('User-Agent', '')))
                json_type = 'application/json; charset=UTF-8'
                html_type = 'text/html; charset=UTF-8'

                if path.startswith('/wp-json'):
                    route = path[len('/wp-json'):]
                    if route in ('', '/'):
                        self.send(200, json_type, site.fixture('wp-json.json'))
                    elif route in ('/wp/v2/posts', '/wp/v2/posts/'):
                        self.posts(query, json_type)
                    else:
                        self.send(404, json_type, site.fixture('error-not-found.json'))
                elif path == '/':
                    root = site.url + '/wp-json/'
                    page = site.fixture('index.html').replace(
                        '@API_LINK@', '<link rel="https://api.w.org/" href="%s" />' % root)
                    self.send(200, html_type, page,
                              [('Link', '<http://127.0.0.1/?p=1>; rel=shortlink'),
                               ('Link', '<%s>; rel="https://api.w.org/"' % root)])
                elif path in ('/feed/', '/feed'):
                    self.send(200, 'application/rss+xml; charset=UTF-8', site.fixture('feed.xml'))
                elif path.startswith('/wp-content/uploads/'):
                    self.upload(path)
                else:
                    self.article(path, html_type)

            def posts(self, query, json_type):
                if 'slug' in query:
                    found = [p for p in site.posts if p['slug'] == query['slug']]
                    self.send(200, json_type, json.dumps(found),
                              [('X-WP-Total', str(len(found))), ('X-WP-TotalPages', str(len(found)))])
                    return
                try:
                    page = int(query.get('page', '1'))
                except ValueError:
                    page = 0
                if not 1 <= page <= site.N_PAGES:
                    self.send(400, json_type, site.fixture('error-invalid-page.json'))
                    return
                headers = [('X-WP-Total', str(len(site.posts))),
                           ('X-WP-TotalPages', str(site.N_PAGES)), ('Allow', 'GET')]
                if page < site.N_PAGES:
                    headers.append(('Link', '<%s/wp-json/wp/v2/posts?_embed=1&page=%d>; rel="next"'
                                    % (site.url, page + 1)))
                self.send(200, json_type, site.pages[page - 1], headers)

            def upload(self, path):
                base = os.path.basename(path)
                # WordPress makes "name-300x169.jpg" from "name.jpg"; one file serves all.
                name = re.sub(r'-[0-9]+x[0-9]+(\.[a-z]+)$', r'\1', base)
                file = os.path.join(SITE_DIR, 'uploads', name)
                if '..' in path or '.' not in base or not os.path.isfile(file):
                    self.send(404, 'text/html; charset=UTF-8', site.fixture('not-found.html'))
                    return
                with open(file, 'rb') as f:
                    data = f.read()
                self.send(200, 'image/png' if name.endswith('.png') else 'image/jpeg', data)

            def article(self, path, html_type):
                slug = ([p for p in path.split('/') if p] or [None])[-1]
                post = next((p for p in site.posts if p['slug'] == slug), None)
                if post is None:
                    self.send(404, html_type, site.fixture('not-found.html'))
                    return
                page = (site.fixture('article.html')
                        .replace('@TITLE@', post['title']['rendered'])
                        .replace('@LINK@', post['link'])
                        .replace('@CONTENT@', post['content']['rendered']))
                self.send(200, html_type, page)

        return Handler


# ---------------------------------------------------------------------------
# Seeing a window appear: listen for MapNotify on the root window through
# libX11 (ctypes), so detection costs no polling and no extra processes; the
# same method times the floor and the app. A window counts when its
# _NET_WM_PID is the started process, which GDK sets before mapping.

class XMapEvent(ctypes.Structure):
    _fields_ = [('type', ctypes.c_int), ('serial', ctypes.c_ulong),
                ('send_event', ctypes.c_int), ('display', ctypes.c_void_p),
                ('event', ctypes.c_ulong), ('window', ctypes.c_ulong),
                ('override_redirect', ctypes.c_int)]


class XEvent(ctypes.Union):
    _fields_ = [('type', ctypes.c_int), ('xmap', XMapEvent), ('pad', ctypes.c_long * 24)]


class MapWatcher:
    MAP_NOTIFY = 19
    SUBSTRUCTURE_NOTIFY_MASK = 1 << 19
    XA_CARDINAL = 6

    def __init__(self):
        x = ctypes.CDLL(ctypes.util.find_library('X11') or 'libX11.so.6')
        x.XOpenDisplay.restype = ctypes.c_void_p
        x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x.XDefaultRootWindow.restype = ctypes.c_ulong
        x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        x.XSelectInput.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_long]
        x.XFlush.argtypes = [ctypes.c_void_p]
        x.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
        x.XPending.argtypes = [ctypes.c_void_p]
        x.XConnectionNumber.argtypes = [ctypes.c_void_p]
        x.XNextEvent.argtypes = [ctypes.c_void_p, ctypes.POINTER(XEvent)]
        x.XInternAtom.restype = ctypes.c_ulong
        x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        x.XGetWindowProperty.argtypes = [
            ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_long, ctypes.c_long,
            ctypes.c_int, ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong),
            ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_ulong),
            ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_void_p)]
        x.XFree.argtypes = [ctypes.c_void_p]
        # A window may vanish between its MapNotify and our property query;
        # the default handler would exit the benchmark on that BadWindow.
        handler_type = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
        self._on_error = handler_type(lambda d, e: 0)
        x.XSetErrorHandler.argtypes = [handler_type]
        x.XSetErrorHandler(self._on_error)

        self.x = x
        self.dpy = x.XOpenDisplay(None)
        if not self.dpy:
            raise RuntimeError('cannot open display %r' % os.environ.get('DISPLAY'))
        self.root = x.XDefaultRootWindow(self.dpy)
        self.pid_atom = x.XInternAtom(self.dpy, b'_NET_WM_PID', 0)
        x.XSelectInput(self.dpy, self.root, self.SUBSTRUCTURE_NOTIFY_MASK)
        x.XSync(self.dpy, 0)
        self.fd = x.XConnectionNumber(self.dpy)

    def drain(self):
        """Forgets maps seen so far; call just before starting a process."""
        ev = XEvent()
        while self.x.XPending(self.dpy):
            self.x.XNextEvent(self.dpy, ctypes.byref(ev))

    def window_pid(self, window):
        rtype, rformat = ctypes.c_ulong(), ctypes.c_int()
        nitems, after = ctypes.c_ulong(), ctypes.c_ulong()
        prop = ctypes.c_void_p()
        status = self.x.XGetWindowProperty(self.dpy, window, self.pid_atom, 0, 1, 0,
                                           self.XA_CARDINAL, ctypes.byref(rtype),
                                           ctypes.byref(rformat), ctypes.byref(nitems),
                                           ctypes.byref(after), ctypes.byref(prop))
        pid = None
        if status == 0 and prop.value:
            if nitems.value >= 1 and rformat.value == 32:
                pid = ctypes.cast(prop, ctypes.POINTER(ctypes.c_long))[0]
            self.x.XFree(prop)
        return pid

    def wait_mapped(self, pid, deadline, proc=None):
        """Monotonic time of the first map of a window of pid, or None."""
        ev = XEvent()
        while True:
            while self.x.XPending(self.dpy):
                self.x.XNextEvent(self.dpy, ctypes.byref(ev))
                if ev.type == self.MAP_NOTIFY and not ev.xmap.override_redirect:
                    t = time.monotonic()
                    if self.window_pid(ev.xmap.window) == pid:
                        return t
            left = deadline - time.monotonic()
            if left <= 0 or (proc is not None and proc.poll() is not None):
                return None
            select.select([self.fd], [], [], min(left, 0.2))


# ---------------------------------------------------------------------------
# Process trees and memory.

def process_table():
    """pid → (ppid, comm, starttime) for every process now."""
    table = {}
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % entry) as f:
                stat = f.read()
        except OSError:
            continue
        comm = stat[stat.index('(') + 1:stat.rindex(')')]
        fields = stat[stat.rindex(')') + 2:].split()
        table[int(entry)] = (int(fields[1]), comm, fields[19])
    return table


def tree(root):
    """[(pid, comm, starttime)] of root and all its descendants."""
    table = process_table()
    if root not in table:
        return []
    children = {}
    for pid, (ppid, _, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append((pid, table[pid][1], table[pid][2]))
        todo.extend(children.get(pid, []))
    return out


def pss_kb(pid):
    try:
        with open('/proc/%d/smaps_rollup' % pid) as f:
            for line in f:
                if line.startswith('Pss:'):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure_tree(root):
    procs = tree(root)
    by_name = {}
    for pid, comm, _ in procs:
        by_name[comm] = by_name.get(comm, 0) + pss_kb(pid) * 1024
    return {
        'pss': sum(by_name.values()),
        'count': len(procs),
        'names': sorted(comm for _, comm, _ in procs),
        'by_name': by_name,
    }


def stop_tree(root):
    """Ends root and whatever it started: WebKit runs its helpers under
    bubblewrap in their own sessions, so a process group would miss them."""
    procs = tree(root)
    for sig in (signal.SIGTERM, signal.SIGKILL):
        alive = []
        for pid, _, start in procs:
            try:
                with open('/proc/%d/stat' % pid) as f:
                    stat = f.read()
                if stat[stat.rindex(')') + 2:].split()[19] != start:
                    continue        # gone, and the pid reused
                if stat[stat.rindex(')') + 2:].split()[0] == 'Z':
                    continue
                os.kill(pid, sig)
                alive.append((pid, _, start))
            except (OSError, ValueError, IndexError):
                pass
        if not alive:
            return
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            if all(not os.path.exists('/proc/%d' % p) or _zombie(p) for p, _, _ in alive):
                return
            time.sleep(0.05)
        procs = alive


def _zombie(pid):
    try:
        with open('/proc/%d/stat' % pid) as f:
            stat = f.read()
        return stat[stat.rindex(')') + 2:].split()[0] in ('Z', 'X')
    except OSError:
        return True


# ---------------------------------------------------------------------------
# One run.

class Session:
    """A private D-Bus session and scratch XDG folders for one run."""

    def __init__(self, build, renderer):
        self.dir = tempfile.mkdtemp(prefix='dtx-bench-')
        self.bus = subprocess.Popen(['dbus-daemon', '--session', '--nofork', '--print-address=1'],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        address = self.bus.stdout.readline().strip()
        if not address:
            raise RuntimeError('dbus-daemon did not start')
        env = dict(os.environ)
        for k in ('GSK_RENDERER', 'G_MESSAGES_DEBUG', 'G_DEBUG', 'GTK_DEBUG', 'GDK_DEBUG'):
            env.pop(k, None)
        env.update({
            'DBUS_SESSION_BUS_ADDRESS': address,
            'GSETTINGS_SCHEMA_DIR': os.path.join(build, 'data'),
            'GSETTINGS_BACKEND': 'memory',
            'NO_AT_BRIDGE': '1',
            'GTK_A11Y': 'none',
            'GDK_BACKEND': 'x11',
        })
        for name in ('cache', 'data', 'config'):
            path = os.path.join(self.dir, name)
            os.makedirs(path)
            env['XDG_%s_HOME' % name.upper()] = path
        if renderer != 'default':
            env['GSK_RENDERER'] = renderer
        self.env = env
        self.log = open(os.path.join(self.dir, 'stderr.log'), 'w+')

    def spawn(self, argv):
        return subprocess.Popen(argv, env=self.env, stdin=subprocess.DEVNULL,
                                stdout=self.log, stderr=self.log)

    def log_tail(self, lines=8):
        self.log.flush()
        self.log.seek(0)
        text = self.log.read().strip().splitlines()
        return text[-lines:]

    def close(self):
        self.bus.terminate()
        try:
            self.bus.wait(5)
        except subprocess.TimeoutExpired:
            self.bus.kill()
            self.bus.wait()
        self.bus.stdout.close()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def run_floor(args, watcher, renderer, binary):
    s = Session(args.build, renderer)
    result = {}
    try:
        watcher.drain()
        t0 = time.monotonic()
        proc = s.spawn([binary])
        t_win = watcher.wait_mapped(proc.pid, t0 + TIMEOUT, proc)
        if t_win is None:
            result['error'] = 'no window; ' + ' | '.join(s.log_tail())
            return result
        result['window'] = t_win - t0
        sleep_until(t_win + args.settle)
        m = measure_tree(proc.pid)
        result.update(pss=m['pss'], count=m['count'])
    finally:
        if 'proc' in locals():
            stop_tree(proc.pid)
            proc.wait()
        s.close()
    return result


def run_app(args, watcher, site, renderer):
    s = Session(args.build, renderer)
    result = {}
    is_thumb = lambda path, query, agent: path.startswith('/wp-content/uploads/')
    is_posts = lambda path, query, agent: path.startswith('/wp-json/wp/v2/posts')
    try:
        watcher.drain()
        t0 = time.monotonic()
        proc = s.spawn([args.app, '--source', site.url])
        t_win = watcher.wait_mapped(proc.pid, t0 + TIMEOUT, proc)
        if t_win is None:
            result['error'] = ('exited %s' % proc.returncode if proc.poll() is not None
                               else 'no window') + '; ' + ' | '.join(s.log_tail())
            return result
        result['window'] = t_win - t0

        # Rows load their thumbnails when bound: the first image request is
        # the moment rows exist on screen. Wait for it, but at least settle.
        deadline = t0 + TIMEOUT
        t_list = None
        while time.monotonic() < max(deadline, t_win + args.settle):
            t_list = t_list or site.first_event(t0, is_thumb)
            if t_list is not None and time.monotonic() >= t_win + args.settle:
                break
            if proc.poll() is not None:
                break
            time.sleep(0.01)
        t_posts = site.first_event(t0, is_posts)
        result['posts_request'] = t_posts - t0 if t_posts else None
        result['list'] = t_list - t0 if t_list else None
        if proc.poll() is not None:
            result['error'] = 'exited %s before the article; %s' % (
                proc.returncode, ' | '.join(s.log_tail()))
            return result
        if t_list is None:
            with site.lock:
                seen = [path + ('?' + urllib.parse.urlencode(q) if q else '')
                        for t, path, q, _ in site.events if t >= t0]
            result['note'] = 'no list: no thumbnail request within %gs; requests: %s; stderr: %s' % (
                TIMEOUT, ', '.join(seen) or 'none', ' | '.join(s.log_tail()) or 'empty')
        sleep_until(max(t_win + args.settle, time.monotonic()))
        m = measure_tree(proc.pid)
        result.update(pss_idle=m['pss'], count_idle=m['count'], names_idle=m['names'])

        # Open one article the way a desktop would: a second instance hands
        # the URL to the running one over D-Bus (HANDLES_OPEN).
        url = '%s/%s/' % (site.url, site.first_slug())
        t1 = time.monotonic()
        opener = s.spawn([args.app, url])
        try:
            rc = opener.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            opener.kill()
            rc = opener.wait()
        if rc != 0:
            result['note'] = 'the opener exited %d' % rc
        sleep_until(t1 + args.settle)
        # WebKit's own requests carry its user agent: the reader is loading
        # the article's images, so the article is laid out by then.
        t_web = site.first_event(t1, lambda p, q, agent: 'AppleWebKit' in agent)
        result['article_web'] = t_web - t1 if t_web else None
        if proc.poll() is not None:
            result['error'] = 'exited %s after opening the article; %s' % (
                proc.returncode, ' | '.join(s.log_tail()))
            return result
        m = measure_tree(proc.pid)
        result.update(pss_article=m['pss'], count_article=m['count'], names_article=m['names'],
                      by_name_article=m['by_name'])
    finally:
        if 'proc' in locals():
            stop_tree(proc.pid)
            proc.wait()
        s.close()
    return result


def sleep_until(t):
    left = t - time.monotonic()
    if left > 0:
        time.sleep(left)


# ---------------------------------------------------------------------------
# Reporting.

def median(runs, key):
    values = [r[key] for r in runs if r.get(key) is not None]
    return (statistics.median(values) if values else None), len(values)


def fmt_s(v):
    return '—' if v is None else '%.3f s' % v


def fmt_mb(v):
    return '—' if v is None else '%.0f MB' % (v / MB)


def fmt_n(v):
    return '—' if v is None else '%g' % v


def table(rows, header):
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    line = lambda r: '  '.join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()
    print(line(header))
    print(line(['-' * w for w in widths]))
    for r in rows:
        print(line(r))


def verdict(ok):
    return 'n/a' if ok is None else ('PASS' if ok else 'MISS')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('build', help='meson build folder, e.g. _build')
    parser.add_argument('--runs', type=int, default=5)
    parser.add_argument('--settle', type=float, default=5.0,
                        help='seconds after the window (or the article) before PSS is read')
    parser.add_argument('--warmup', type=int, default=1,
                        help='uncounted runs first, so every counted run starts with warm disk caches')
    parser.add_argument('--renderers', default='default,cairo',
                        help='comma-separated GSK_RENDERER values; "default" leaves it unset')
    args = parser.parse_args()

    args.build = os.path.abspath(args.build)
    args.app = os.path.join(args.build, 'src', 'digitripx-reader')
    args.floor = os.path.join(args.build, 'bench-floor')
    renderers = [r for r in args.renderers.split(',') if r]

    if not os.environ.get('DISPLAY'):
        sys.exit('bench.py needs an X display; run it through build-aux/dev bench')
    if not os.access(args.app, os.X_OK):
        sys.exit('%s is missing: build first (build-aux/dev bench does)' % args.app)

    args.webkit_floor = os.path.join(args.build, 'bench-floor-webkit')
    for binary, modules, defines in ((args.floor, ['libadwaita-1'], []),
                                     (args.webkit_floor, ['libadwaita-1', 'webkitgtk-6.0'],
                                      ['-DFLOOR_WEBKIT'])):
        if (not os.path.exists(binary) or
                os.path.getmtime(binary) < os.path.getmtime(FLOOR_SRC)):
            flags = shlex.split(subprocess.check_output(
                ['pkg-config', '--cflags', '--libs'] + modules, text=True))
            subprocess.check_call(['cc', FLOOR_SRC, '-o', binary, '-O2'] + defines + flags)

    watcher = MapWatcher()
    site = Site()
    print('DigiTripX Reader benchmark: %d runs per row, PSS read %gs after the window '
          '(and %gs after opening the article), display %s, %d CPUs'
          % (args.runs, args.settle, args.settle, os.environ['DISPLAY'], os.cpu_count()))
    print('local site %s, article %s/%s/' % (site.url, site.url, site.first_slug()))
    sys.stdout.flush()

    results = {r: {'floor': [], 'webkit': [], 'app': []} for r in renderers}
    problems = []
    try:
        # Interleave, so drift on the machine touches floor and app alike.
        for i in range(-args.warmup, args.runs):
            for r in renderers:
                for kind in ('floor', 'webkit', 'app'):
                    if kind == 'app':
                        res = run_app(args, watcher, site, r)
                    else:
                        res = run_floor(args, watcher, r,
                                        args.floor if kind == 'floor' else args.webkit_floor)
                    if i < 0:
                        print('  warm-up %-7s %-6s %s' % (r, kind, 'failed: ' + res['error']
                                                           if res.get('error') else 'done'))
                        continue
                    results[r][kind].append(res)
                    for k in ('error', 'note'):
                        if res.get(k):
                            problems.append('run %d, %s, %s: %s' % (i + 1, r, kind, res[k]))
                    print('  run %d %-7s %-6s window %s  list %s  PSS %s / %s  procs %s / %s%s'
                          % (i + 1, r, kind, fmt_s(res.get('window')), fmt_s(res.get('list')),
                             fmt_mb(res.get('pss', res.get('pss_idle'))),
                             fmt_mb(res.get('pss_article')),
                             fmt_n(res.get('count', res.get('count_idle'))),
                             fmt_n(res.get('count_article')),
                             ('  [' + res['error'] + ']') if res.get('error') else ''))
                    sys.stdout.flush()
    finally:
        site.close()

    print()
    print('Medians (n = runs that produced the figure). MB = 2^20 bytes of PSS summed '
          'over the process tree.')
    rows = []
    for r in renderers:
        fl, ap = results[r]['floor'], results[r]['app']
        fw, nfw = median(fl, 'window')
        fp, nfp = median(fl, 'pss')
        rows.append(['floor', r, '%s (%d)' % (fmt_s(fw), nfw),
                     '—', fmt_mb(fp), '—', fmt_n(median(fl, 'count')[0]), '—'])
        wk = results[r]['webkit']
        ww, nww = median(wk, 'window')
        wp, nwp = median(wk, 'pss')
        rows.append(['floor+webkit', r, '%s (%d)' % (fmt_s(ww), nww), '—', '—',
                     '%s (%d)' % (fmt_mb(wp), nwp), '—', fmt_n(median(wk, 'count')[0])])
        aw, naw = median(ap, 'window')
        al, nal = median(ap, 'list')
        ai, nai = median(ap, 'pss_idle')
        aa, naa = median(ap, 'pss_article')
        rows.append(['app', r, '%s (%d)' % (fmt_s(aw), naw),
                     '%s (%d)' % (fmt_s(al), nal), '%s (%d)' % (fmt_mb(ai), nai),
                     '%s (%d)' % (fmt_mb(aa), naa),
                     fmt_n(median(ap, 'count_idle')[0]), fmt_n(median(ap, 'count_article')[0])])
    table(rows, ['what', 'renderer', 'exec→window', 'exec→first list',
                 'PSS idle', 'PSS 1 article', 'procs idle', 'procs 1 article'])

    print()
    print('Other app figures (medians):')
    for r in renderers:
        ap = results[r]['app']
        print('  %-7s exec→first posts request %s; opener exec→WebKit requests an article image %s'
              % (r, fmt_s(median(ap, 'posts_request')[0]), fmt_s(median(ap, 'article_web')[0])))
        idle = sorted({' '.join(x['names_idle']) for x in ap if x.get('names_idle')})
        print('          tree before the article: %s' % ('; '.join(idle) or '—'))
        names = sorted({n for x in ap for n in x.get('by_name_article', {})})
        parts = []
        for n in names:
            v = statistics.median([x['by_name_article'].get(n, 0)
                                   for x in ap if x.get('by_name_article')])
            parts.append('%s %s' % (n, fmt_mb(v)))
        print('          PSS with one article, by process name: %s' % (', '.join(parts) or '—'))

    print()
    print('Targets (against the floor of the same renderer, this run):')
    rows = []
    for r in renderers:
        fl, ap = results[r]['floor'], results[r]['app']
        fw, fp = median(fl, 'window')[0], median(fl, 'pss')[0]
        aw, ai, aa = median(ap, 'window')[0], median(ap, 'pss_idle')[0], median(ap, 'pss_article')[0]
        counts = [x['count_idle'] for x in ap if x.get('count_idle') is not None]
        web_idle = [x for x in ap if x.get('names_idle') and
                    any(n.startswith('WebKit') for n in x['names_idle'])]

        def row(name, target, value, ok):
            rows.append([r, name, target, value, verdict(ok)])

        lim = fw * WINDOW_FACTOR if fw is not None else None
        row('exec→window', '≤ %.1f × floor = %s' % (WINDOW_FACTOR, fmt_s(lim)), fmt_s(aw),
            None if aw is None or lim is None else aw <= lim)
        lim = fp + PSS_IDLE_EXTRA_MB * MB if fp is not None else None
        row('PSS before an article', '≤ floor + %d MB = %s' % (PSS_IDLE_EXTRA_MB, fmt_mb(lim)),
            fmt_mb(ai), None if ai is None or lim is None else ai <= lim)
        lim = fp + PSS_ARTICLE_EXTRA_MB * MB if fp is not None else None
        row('PSS with one article', '≤ floor + %d MB = %s' % (PSS_ARTICLE_EXTRA_MB, fmt_mb(lim)),
            fmt_mb(aa), None if aa is None or lim is None else aa <= lim)
        row('no web process before an article', 'no WebKit* in the tree',
            '%d of %d runs had one' % (len(web_idle), len(counts)),
            None if not counts else not web_idle)
        wp = median(results[r]['webkit'], 'pss')[0]
        if wp is not None and fp is not None:
            rows.append([r, 'for scale: one bare web view', 'floor+webkit − floor',
                         '+%s' % fmt_mb(wp - fp), 'info'])
    table(rows, ['renderer', 'figure', 'target', 'app', 'verdict'])

    if problems:
        print()
        print('Problems:')
        for p in problems:
            print('  ' + p)
    return 0


if __name__ == '__main__':
    sys.exit(main())
