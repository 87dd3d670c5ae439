#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Startup time and memory of DigiTripX Reader against a floor.

    python3 build-aux/bench.py BUILDDIR [--runs N] [--settle SECONDS]
                                        [--renderers gl,cairo]

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

The app runs with DTX_BENCH_PROBE=1 and prints "DTX-PROBE what µs" lines on
stderr (src/ui/dtx-probe.c): the frame that first shows rows, the frame after
an article finished loading, the reader warm-up, and every main-loop stall
over 16 ms seen by a 4 ms timeout, with the CPU time the main thread used
in it (on a shared machine a stall may be time spent waiting for a CPU).
Big RSS feeds (100, 2,000 and 10,000 items, the last about 9 MB) are
generated and served by the local site; the site notes when their last byte
was written. --trace prints every mark of chosen runs.
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
# The floor, and the app's renderer choice it makes with FLOOR_AS_APP=1.
FLOOR_SOURCES = [os.path.join(TOP, 'build-aux', 'bench-floor.c'),
                 os.path.join(TOP, 'src', 'ui', 'dtx-renderer.c')]
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
    FEED_DELAY = 1.5    # seconds before a big feed is answered
    # Run k waits FEED_DELAY + k * PHASE_STEP (k = 0…4, then again): the
    # answer lands at a different point of the spinners' 100 ms step each
    # run. A step's frame holds the next one back for a refresh interval,
    # so with one fixed delay every run met the same phase.
    PHASE_STEP = 0.02

    def __init__(self):
        self.feed_delay = self.FEED_DELAY
        self.events = []            # (monotonic time, path, query, user agent)
        self.big_feeds = {}
        self.sent_at = {}           # path → monotonic time its last byte was written
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

    def second_slug(self):
        return self.posts[1]['slug']

    def big_feed(self, n):
        """An RSS feed of n items (about 0.8 KB each), made once per size."""
        if n not in self.big_feeds:
            head, rest = self.fixture('feed.xml').split('<item>', 1)
            parts = [head]
            for i in range(n):
                parts.append(
                    '<item><title>Artikel nomor %d tentang perangkat lunak &amp; keamanan</title>'
                    '<link>%s/big-%d/</link><dc:creator><![CDATA[Redaksi Contoh]]></dc:creator>'
                    '<pubDate>Tue, 28 May 2024 %02d:%02d:00 +0000</pubDate>'
                    '<category><![CDATA[Aplikasi]]></category>'
                    '<guid isPermaLink="false">%s/?p=%d</guid>'
                    '<description><![CDATA[Ringkasan artikel %d: sebuah aplikasi catatan open source '
                    'kini bisa menyinkronkan data antarperangkat lewat jaringan lokal, tanpa internet '
                    'dan tanpa akun, dengan enkripsi ujung ke ujung &hellip; Baca selengkapnya]]></description>'
                    '<content:encoded><![CDATA[<p>Isi artikel <strong>%d</strong> dengan '
                    '<a href="%s/big-%d/">tautan</a> dan <em>penekanan</em>.</p><p>Paragraf kedua '
                    'yang cukup panjang untuk sebuah kutipan.</p>]]></content:encoded></item>\n'
                    % (i, self.url, i, (i // 60) % 24, i % 60, self.url, 100000 + i, i, i, self.url, i))
            parts.append('</channel></rss>\n')
            self.big_feeds[n] = ''.join(parts).encode('utf-8')
        return self.big_feeds[n]

    HOSTILE_SLUG = 'artikel-raksasa'

    def hostile_post(self):
        """A post whose body is markup made to be slow to parse and to lay
        out (one tag of 200,000 attributes, 100,000 nested elements, then
        elements with handlers), as large as fits the app's 10 MiB cap."""
        if getattr(self, '_hostile', None) is None:
            parts = ['<p class="lead" onclick="alert(1)"']
            parts += [' a%d="%d"' % (i, i) for i in range(200000)]
            parts.append('>awal artikel</p>' + '<div>' * 100000 + 'tengah' + '</div>' * 100000)
            body = ''.join(parts)
            unit = '<span onmouseover="alert(2)" title="x">kata</span> '
            post = dict(self.posts[0])
            post.update(id=999999, slug=self.HOSTILE_SLUG,
                        link='%s/%s/' % (self.url, self.HOSTILE_SLUG),
                        title={'rendered': 'Artikel Raksasa'})
            # Fill to just under the cap once JSON-escaped.
            n = (9 * MB - len(json.dumps(body))) // len(json.dumps(unit)[1:-1])
            post['content'] = {'rendered': body + unit * n + '<p>akhir artikel</p>', 'protected': False}
            self._hostile = post
        return self._hostile

    def sent(self, path):
        """Monotonic time the last byte of path was written, or None."""
        with self.lock:
            return self.sent_at.get(path)

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
            # As web servers do (nginx's tcp_nodelay): the headers and the
            # body are two writes, and with Nagle's algorithm the body waited
            # for the client's delayed ACK of the headers, up to 40 ms.
            disable_nagle_algorithm = True

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
                elif re.fullmatch(r'/big-feed-[0-9]+\.xml', path):
                    body = site.big_feed(int(path[len('/big-feed-'):-len('.xml')]))
                    # Answer once the window has settled, so the figures
                    # are the feed's, not the first frame's.
                    time.sleep(site.feed_delay)
                    self.send(200, 'application/rss+xml; charset=UTF-8', body)
                    self.wfile.flush()
                    with site.lock:
                        site.sent_at[path] = time.monotonic()
                else:
                    self.article(path, html_type)

            def posts(self, query, json_type):
                if query.get('slug') == Site.HOSTILE_SLUG:
                    self.send(200, json_type, json.dumps([site.hostile_post()]),
                              [('X-WP-Total', '1'), ('X-WP-TotalPages', '1')])
                    return
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
            'DTX_BENCH_PROBE': '1',
        })
        for name in ('cache', 'data', 'config'):
            path = os.path.join(self.dir, name)
            os.makedirs(path)
            env['XDG_%s_HOME' % name.upper()] = path
        if renderer != 'default':
            env['GSK_RENDERER'] = renderer
        self.env = env
        self.log = open(os.path.join(self.dir, 'stderr.log'), 'w+')

    def spawn(self, argv, extra_env=None):
        env = dict(self.env, **(extra_env or {}))
        return subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL,
                                stdout=self.log, stderr=self.log)

    def probes(self):
        """[(what, monotonic seconds, extra)] the app printed with DTX_BENCH_PROBE=1."""
        self.log.flush()
        out = []
        with open(self.log.name, encoding='utf-8', errors='replace') as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 3 and parts[0] == 'DTX-PROBE':
                    try:
                        extra = int(parts[3]) / 1e6 if len(parts) > 3 else None
                        out.append((parts[1], int(parts[2]) / 1e6, extra))
                    except ValueError:
                        pass
        return out

    def wait_probe(self, what, since, deadline, proc=None):
        """Monotonic time of the first probe mark `what` at or after since."""
        while True:
            for w, t, _ in self.probes():
                if w == what and t >= since:
                    return t
            if time.monotonic() > deadline or (proc is not None and proc.poll() is not None):
                return None
            time.sleep(0.01)

    def log_tail(self, lines=8):
        self.log.flush()
        self.log.seek(0)
        text = [l for l in self.log.read().strip().splitlines() if not l.startswith('DTX-PROBE')]
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
    if renderer == 'default':
        # The floor makes the app's own choice, so it is drawn the same way.
        s.env['FLOOR_AS_APP'] = '1'
    result = {}
    try:
        watcher.drain()
        t0 = time.monotonic()
        # After the PSS is read, the empty window repaints itself whole a
        # few times: what one frame costs this renderer here.
        proc = s.spawn([binary], {'FLOOR_FRAMES_AFTER': '%g' % (args.settle + 0.5)})
        t_win = watcher.wait_mapped(proc.pid, t0 + TIMEOUT, proc)
        if t_win is None:
            result['error'] = 'no window; ' + ' | '.join(s.log_tail())
            return result
        result['window'] = t_win - t0
        sleep_until(t_win + args.settle)
        m = measure_tree(proc.pid)
        result.update(pss=m['pss'], count=m['count'])
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and proc.poll() is None:
            frames = [gap for w, t, gap in s.probes() if w == 'floor-frame']
            if len(frames) >= 15:
                result['frame'] = statistics.median(frames)
                break
            time.sleep(0.1)
    finally:
        if 'proc' in locals():
            stop_tree(proc.pid)
            proc.wait()
        s.close()
    return result


def run_app(args, watcher, site, renderer):
    """The WordPress site: window, first request, first rows, warm-up, two
    articles opened the way a desktop would (a second instance hands the URL
    over D-Bus; the probe times from the window receiving it to the frame
    after the reader finished loading)."""
    s = Session(args.build, renderer)
    result = {}
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
        t_rows = s.wait_probe('rows-painted', t0, t0 + TIMEOUT, proc)
        t_req = site.first_event(t0, lambda path, query, agent: True)
        result['request'] = t_req - t_win if t_req else None
        result['list'] = t_rows - t_win if t_rows else None
        if proc.poll() is not None:
            result['error'] = 'exited %s before the article; %s' % (
                proc.returncode, ' | '.join(s.log_tail()))
            return result
        # Idle: settled, and the reader warmed up if the app does that.
        t_warm = s.wait_probe('warmup-done', t0, t_win + args.settle, proc)
        result['warmup'] = t_warm - t_win if t_warm else None
        # From the first step: the module's preload in a thread, if any.
        t_warm_start = (s.wait_probe('warmup-preload', t0, t0, proc) or
                        s.wait_probe('warmup-start', t0, t0, proc))
        if t_warm and t_warm_start:
            result['warmup_stall'] = max((gap for w, t, gap in s.probes()
                                          if w == 'stall' and t_warm_start <= t <= t_warm + 0.05),
                                         default=0.0)
            result['warmup_stall_cpu'] = max((gap for w, t, gap in s.probes()
                                              if w == 'stall-cpu' and t_warm_start <= t <= t_warm + 0.05),
                                             default=0.0)
        sleep_until(max(t_win + args.settle, (t_warm or 0) + 1.0))
        m = measure_tree(proc.pid)
        result.update(pss_idle=m['pss'], count_idle=m['count'], names_idle=m['names'])

        for n, slug in ((1, site.first_slug()), (2, site.second_slug())):
            url = '%s/%s/' % (site.url, slug)
            t1 = time.monotonic()
            opener = s.spawn([args.app, url])
            try:
                rc = opener.wait(TIMEOUT)
            except subprocess.TimeoutExpired:
                opener.kill()
                rc = opener.wait()
            if rc != 0:
                result['note'] = 'the opener exited %d' % rc
            t_open = s.wait_probe('article-open', t1, t1 + TIMEOUT, proc)
            t_paint = t_open and s.wait_probe('article-painted', t_open, t1 + TIMEOUT, proc)
            result['article%d' % n] = t_paint - t_open if t_paint else None
            if proc.poll() is not None:
                result['error'] = 'exited %s after opening article %d; %s' % (
                    proc.returncode, n, ' | '.join(s.log_tail()))
                return result
            if n == 1:
                sleep_until(t1 + args.settle)
                m = measure_tree(proc.pid)
                result.update(pss_article=m['pss'], count_article=m['count'],
                              names_article=m['names'], by_name_article=m['by_name'])

        # A hostile article: open → its page or the reader's "too large"
        # page painted, and the longest stall meanwhile (the window must
        # keep painting).
        time.sleep(1.0)
        t1 = time.monotonic()
        opener = s.spawn([args.app, '%s/%s/' % (site.url, Site.HOSTILE_SLUG)])
        try:
            opener.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            opener.kill()
            opener.wait()
        t_open = s.wait_probe('article-open', t1, t1 + TIMEOUT, proc)
        t_done = None
        while t_open and time.monotonic() < t1 + TIMEOUT and proc.poll() is None:
            done = [t for w, t, _ in s.probes()
                    if w in ('article-painted', 'article-too-large') and t >= t_open]
            if done:
                t_done = min(done)
                break
            time.sleep(0.01)
        if t_done:
            result['hostile'] = t_done - t_open
            result['hostile_stall'] = max((gap for w, t, gap in s.probes()
                                           if w == 'stall' and t_open <= t <= t_done + 0.05),
                                          default=0.0)
            result['hostile_stall_cpu'] = max((gap for w, t, gap in s.probes()
                                               if w == 'stall-cpu' and t_open <= t <= t_done + 0.05),
                                              default=0.0)
            result['hostile_message'] = any(w == 'article-too-large' and t >= t_open
                                            for w, t, _ in s.probes())
    finally:
        if 'proc' in locals():
            stop_tree(proc.pid)
            proc.wait()
        result['probes'] = s.probes()
        result['t0'] = t0 if 't0' in locals() else None
        s.close()
    return result


def run_feed(args, watcher, site, renderer, n_items, run, measure_idle=False):
    """A feed of n_items, answered FEED_DELAY (plus the run's phase step)
    after the request: last byte sent → the frame that shows its rows, and
    the longest main-loop stall from the answer to half a second after the
    rows. The reader's warm-up is held back here (it would follow the
    rows); run_app times it."""
    s = Session(args.build, renderer)
    result = {}
    path = '/big-feed-%d.xml' % n_items
    site.big_feed(n_items)
    site.feed_delay = Site.FEED_DELAY + (run % 5) * Site.PHASE_STEP
    extra = {'DTX_BENCH_NO_WARMUP': '1'}
    try:
        watcher.drain()
        t0 = time.monotonic()
        proc = s.spawn([args.app, '--source', site.url + path], extra)
        t_win = watcher.wait_mapped(proc.pid, t0 + TIMEOUT, proc)
        if t_win is None:
            result['error'] = 'no window; ' + ' | '.join(s.log_tail())
            return result
        t_rows = s.wait_probe('rows-painted', t0, t0 + 2 * TIMEOUT, proc)
        t_sent = site.sent(path)
        t_req = site.first_event(t0, lambda p, q, a: p == path)
        if t_rows is None or t_sent is None:
            result['error'] = 'no rows; ' + ' | '.join(s.log_tail())
            return result
        result['listed'] = t_rows - t_sent
        sleep_until(t_rows + 0.5)
        stalls = [gap for w, t, gap in s.probes()
                  if w == 'stall' and t_req is not None and t_req + site.feed_delay <= t <= t_rows + 0.5]
        result['stall'] = max(stalls, default=0.0)
        result['stall_cpu'] = max((gap for w, t, gap in s.probes()
                                   if w == 'stall-cpu' and t_req is not None and
                                   t_req + site.feed_delay <= t <= t_rows + 0.5), default=0.0)
        if measure_idle:
            sleep_until(t_win + args.settle)
            m = measure_tree(proc.pid)
            result.update(pss_idle=m['pss'], names_idle=m['names'])
    finally:
        if 'proc' in locals():
            stop_tree(proc.pid)
            proc.wait()
        result['probes'] = s.probes()
        result['t0'] = site.sent(path)
        s.close()
    return result


def print_trace(renderer, kind, res):
    t0 = res.get('t0')
    probes = res.get('probes') or []
    if t0 is None or not probes:
        return
    print('  trace %s %s (ms after %s):' % (renderer, kind, 'the start' if kind == 'app' else 'the last byte'))
    last = None
    for what, t, extra in probes:
        gap = '' if last is None else '+%.1f' % ((t - last) * 1000)
        print('    %9.1f %8s  %s%s' % ((t - t0) * 1000, gap, what,
                                     '' if extra is None else ' %.1f ms' % (extra * 1000)))
        last = t


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


def app_renderer(floor):
    """What the app picks here: "cairo" where there is no GPU, else "gtk"."""
    return subprocess.check_output([floor, '--app-renderer'], text=True).strip()


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
    parser.add_argument('--renderers', default='default,gl,cairo',
                        help='comma-separated GSK_RENDERER values; "default" leaves it unset '
                             '(the app then picks cairo and GDK without OpenGL where there is '
                             'no GPU, GTK picks GL; the floor makes the same choice)')
    parser.add_argument('--trace', metavar='KINDS',
                        help='comma-separated kinds (floor, webkit, app, feed100, feed2000, '
                             'feed10000): run only those and print every probe mark of each run, '
                             'in ms after the start (app) or the last byte (feeds), with the '
                             'gap since the mark before')
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
                os.path.getmtime(binary) < max(os.path.getmtime(f) for f in FLOOR_SOURCES)):
            flags = shlex.split(subprocess.check_output(
                ['pkg-config', '--cflags', '--libs'] + modules, text=True))
            subprocess.check_call(['cc'] + FLOOR_SOURCES + ['-o', binary, '-O2',
                                   '-I' + os.path.join(TOP, 'src', 'ui'), '-I' + args.build]
                                  + defines + flags)

    watcher = MapWatcher()
    site = Site()
    print('DigiTripX Reader benchmark: %d runs per row, PSS read %gs after the window '
          '(and %gs after opening the article), display %s, %d CPUs'
          % (args.runs, args.settle, args.settle, os.environ['DISPLAY'], os.cpu_count()))
    print('local site %s, article %s/%s/' % (site.url, site.url, site.first_slug()))
    sys.stdout.flush()

    kinds = ('floor', 'webkit', 'app', 'feed100', 'feed2000', 'feed10000')
    if args.trace:
        kinds = tuple(k for k in args.trace.split(',') if k)
    results = {r: {k: [] for k in ('floor', 'webkit', 'app', 'feed100', 'feed2000', 'feed10000')}
               for r in renderers}
    problems = []
    try:
        # Interleave, so drift on the machine touches floor and app alike.
        for i in range(-args.warmup, args.runs):
            for r in renderers:
                for kind in kinds:
                    if kind == 'app':
                        res = run_app(args, watcher, site, r)
                    elif kind.startswith('feed'):
                        n = int(kind[4:])
                        res = run_feed(args, watcher, site, r, n, i, measure_idle=(n == 100))
                    else:
                        res = run_floor(args, watcher, r,
                                        args.floor if kind == 'floor' else args.webkit_floor)
                    if i < 0:
                        print('  warm-up %-7s %-9s %s' % (r, kind, 'failed: ' + res['error']
                                                           if res.get('error') else 'done'))
                        continue
                    results[r][kind].append(res)
                    if args.trace:
                        print_trace(r, kind, res)
                    for k in ('error', 'note'):
                        if res.get(k):
                            problems.append('run %d, %s, %s: %s' % (i + 1, r, kind, res[k]))
                    shown = ', '.join('%s %s' % (k, fmt_mb(v) if k.startswith('pss') else fmt_s(v))
                                      for k, v in res.items()
                                      if isinstance(v, (int, float)) and not k.startswith('count'))
                    print('  run %d %-7s %-9s %s%s' % (i + 1, r, kind, shown,
                                                      ('  [' + res['error'] + ']') if res.get('error') else ''))
                    sys.stdout.flush()
    finally:
        site.close()

    def spread(runs, key, fmt):
        values = sorted(x[key] for x in runs if x.get(key) is not None)
        if not values:
            return '—', None
        med = statistics.median(values)
        return '%s (%s–%s, n=%d)' % (fmt(med), fmt(values[0]).split()[0], fmt(values[-1]).split()[0],
                                    len(values)), med

    ms = lambda v: '%.0f ms' % (v * 1000)
    print()
    print('Medians of the runs (min–max, n). Times in ms; MB = 2^20 bytes of PSS summed over '
          'the process tree. The floor is an empty AdwApplicationWindow of the same run and '
          'renderer; floor+webkit adds one bare web view. The machine is shared: compare '
          'within a run.')
    for r in renderers:
        res = results[r]
        fl, wk, ap = res['floor'], res['webkit'], res['app']
        fwin, fwin_v = spread(fl, 'window', ms)
        fpss, fpss_v = spread(fl, 'pss', fmt_mb)
        wpss, wpss_v = spread(wk, 'pss', fmt_mb)
        rows = []

        def row(name, runs, key, fmt, floor, target=None, check=None):
            text, v = spread(runs, key, fmt)
            rows.append([name, text, floor, target or '',
                         '' if check is None or v is None else verdict(check(v))])

        row('one whole-window frame of the empty floor', fl, 'frame', ms, '',
            '(what any click waits for at least)')
        row('exec → window mapped', ap, 'window', ms, fwin, '≤ %.1f × floor' % WINDOW_FACTOR,
            lambda v: fwin_v is not None and v <= fwin_v * WINDOW_FACTOR)
        row('window mapped → first request', ap, 'request', ms, '', '≤ 50 ms', lambda v: v <= 0.050)
        row('window mapped → first rows painted (site)', ap, 'list', ms, '')
        row('100 items: last byte → rows painted', res['feed100'], 'listed', ms, '', '≤ 20 ms',
            lambda v: v <= 0.020)
        row('2,000 items: last byte → rows painted', res['feed2000'], 'listed', ms, '', '≤ 100 ms',
            lambda v: v <= 0.100)
        row('10,000 items: last byte → rows painted', res['feed10000'], 'listed', ms, '')
        row('10,000 items: longest main-loop stall', res['feed10000'], 'stall', ms, '', '≤ 16 ms',
            lambda v: v <= 0.016)
        row('  most main-thread CPU used in one stall', res['feed10000'], 'stall_cpu', ms, '',
            '(the rest: waiting for a CPU)')
        row('window mapped → reader warm', ap, 'warmup', ms, '')
        row('longest main-loop stall during warm-up', ap, 'warmup_stall', ms, '')
        row('  most main-thread CPU used in one stall', ap, 'warmup_stall_cpu', ms, '')
        row('open → first article painted', ap, 'article1', ms, '', '≤ 150 ms', lambda v: v <= 0.150)
        row('open → second article painted', ap, 'article2', ms, '', '≤ 50 ms', lambda v: v <= 0.050)
        row('open → hostile 9 MiB article: page or message', ap, 'hostile', ms, '', '≤ 1000 ms',
            lambda v: v <= 1.0)
        row('longest main-loop stall while it opens', ap, 'hostile_stall', ms, '')
        row('  most main-thread CPU used in one stall', ap, 'hostile_stall_cpu', ms, '')
        row('PSS idle, warm-up held back (100-item feed)', res['feed100'], 'pss_idle', fmt_mb, fpss,
            '≤ floor + %d MB' % PSS_IDLE_EXTRA_MB,
            lambda v: fpss_v is not None and v <= fpss_v + PSS_IDLE_EXTRA_MB * MB)
        row('PSS idle, after warm-up (site)', ap, 'pss_idle', fmt_mb, fpss, '≤ 294 MB',
            lambda v: v <= 294 * MB)
        row('PSS after one article', ap, 'pss_article', fmt_mb, fpss, 'floor+webkit %s' % wpss)
        print()
        print('Renderer: %s' % r)
        table(rows, ['figure', 'app', 'floor', 'target', 'verdict'])
        idle = sorted({' '.join(x['names_idle']) for x in res['feed100'] if x.get('names_idle')})
        print('  tree before warm-up: %s' % ('; '.join(idle) or '—'))
        idle = sorted({' '.join(x['names_idle']) for x in ap if x.get('names_idle')})
        print('  tree idle (site, after warm-up): %s' % ('; '.join(idle) or '—'))
        outcomes = [x['hostile_message'] for x in ap if 'hostile_message' in x]
        print('  hostile article: the "too large" page in %d of %d runs, the article itself in the others'
              % (sum(outcomes), len(outcomes)))
        names = sorted({n for x in ap for n in x.get('by_name_article', {})})
        parts = []
        for n in names:
            v = statistics.median([x['by_name_article'].get(n, 0)
                                   for x in ap if x.get('by_name_article')])
            parts.append('%s %s' % (n, fmt_mb(v)))
        print('  PSS with one article, by process name: %s' % (', '.join(parts) or '—'))
        if r == 'gl' and app_renderer(args.floor) == 'cairo':
            print('  No GPU here: GL runs on Mesa\'s llvmpipe, and the app itself picks cairo '
                  '(the "default" rows).')

    hostile = os.path.join(args.build, 'build-aux', 'bench-hostile')
    if os.access(hostile, os.X_OK) and not args.trace:
        print()
        print('Sanitiser and text extraction on hostile markup, in one thread (medians of 5):')
        sys.stdout.flush()
        subprocess.call([hostile])

    if problems:
        print()
        print('Problems:')
        for p in problems:
            print('  ' + p)
    return 0


if __name__ == '__main__':
    sys.exit(main())
