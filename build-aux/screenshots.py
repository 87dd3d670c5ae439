#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Takes the metainfo's and README's screenshots of the real app.

    python3 build-aux/screenshots.py [BUILDDIR]      (default: _build)

Serves tests/fixtures/showcase/ (Indonesian articles with pictures, a feed
titled "DigiTripX", so the list's source label is the site's name) on
127.0.0.1, starts BUILDDIR's app under its own Xvfb at 1100×720 (the
window's default size) with a scratch HOME, opens and bookmarks the first
article and writes data/screenshots/main.png (light) and main-dark.png (dark,
ADW_DEBUG_COLOR_SCHEME=prefer-dark). Build first: build-aux/dev build.
"""

import email.utils
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHOWCASE = os.path.join(TOP, 'tests', 'fixtures', 'showcase')
OUT = os.path.join(TOP, 'data', 'screenshots')
WIDTH, HEIGHT = 1100, 720
# How long before now each article was published, in minutes.
AGES = [25, 140, 310, 26 * 60, 2 * 24 * 60, 4 * 24 * 60]


class Showcase(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(('127.0.0.1', 0), Handler)
        self.url = 'http://127.0.0.1:%d' % self.server_address[1]
        now = time.time()
        self.feed = open(os.path.join(SHOWCASE, 'feed.xml'), encoding='utf-8').read()
        self.feed = self.feed.replace('@SITE@', self.url)
        for i, minutes in enumerate(AGES):
            self.feed = self.feed.replace('@DATE%d@' % i,
                                          email.utils.formatdate(now - minutes * 60, usegmt=True))
        threading.Thread(target=self.serve_forever, daemon=True).start()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, *args):
        pass

    def send(self, status, ctype, data):
        self.send_response(status)
        self.send_header('Content-Type', ctype)
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        if path in ('/feed', '/feed/'):
            self.send(200, 'application/rss+xml; charset=UTF-8', self.server.feed.encode())
            return
        if path.startswith('/wp-content/uploads/') and '..' not in path:
            # WordPress's "name-768x432.jpg" sizes: one file serves them all.
            name = os.path.basename(path)
            stem, ext = os.path.splitext(name)
            stem = stem.rsplit('-', 1)[0] if stem.rsplit('-', 1)[-1].count('x') == 1 else stem
            file = os.path.join(SHOWCASE, 'uploads', stem + ext)
            if os.path.isfile(file):
                with open(file, 'rb') as f:
                    self.send(200, 'image/jpeg', f.read())
                return
        self.send(404, 'text/plain', b'not found')


def wait_for(what, predicate, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise SystemExit('timed out waiting for ' + what)


def visible_window(env):
    # The display is ours alone: any visible window is the app's.
    p = subprocess.run(['xdotool', 'search', '--onlyvisible', '--name', '.'],
                       capture_output=True, text=True, env=env)
    return p.stdout.split()[0] if p.stdout.split() else None


def shoot(build, site, scheme, out):
    scratch = tempfile.mkdtemp(prefix='dtx-shot-')
    display = ':%d' % (200 + os.getpid() % 300)
    xvfb = subprocess.Popen(['Xvfb', display, '-screen', '0', '%dx%dx24' % (WIDTH, HEIGHT),
                             '-nolisten', 'tcp'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    app = None
    try:
        wait_for('Xvfb', lambda: os.path.exists('/tmp/.X11-unix/X' + display[1:]))
        env = {k: v for k, v in os.environ.items() if not k.startswith(('XDG_', 'DBUS_', 'WAYLAND'))}
        env.update(DISPLAY=display, HOME=scratch, LANG='en_US.UTF-8', LC_ALL='C.UTF-8',
                   XDG_CONFIG_HOME=scratch + '/config', XDG_DATA_HOME=scratch + '/data',
                   XDG_CACHE_HOME=scratch + '/cache', GSETTINGS_BACKEND='memory',
                   GSETTINGS_SCHEMA_DIR=os.path.join(build, 'data'),
                   GTK_A11Y='none', NO_AT_BRIDGE='1', ADW_DEBUG_COLOR_SCHEME=scheme)
        app = subprocess.Popen(['dbus-run-session', '--', os.path.join(build, 'src', 'digitripx-reader'),
                                '--source', site.url + '/feed/'], env=env, start_new_session=True)
        win = wait_for('the window', lambda: visible_window(env))
        # The list, then its thumbnails.
        time.sleep(4)
        # Open the first article as a user would: a click on its row (right
        # of the sources sidebar, 220 px and its separator).
        subprocess.run(['xdotool', 'mousemove', '--sync', str(221 + 170), '110', 'click', '1'], env=env, check=True)
        time.sleep(4)
        # Bookmark it (Ctrl+D): the star in the header and on its row.
        subprocess.run(['xdotool', 'windowfocus', '--sync', win, 'key', 'ctrl+d'], env=env, check=True)
        time.sleep(1)
        subprocess.run(['xdotool', 'mousemove', '--sync', str(WIDTH - 1), str(HEIGHT - 1)], env=env)
        time.sleep(0.5)
        subprocess.run(['import', '-window', 'root', out], env=env, check=True)
        print('wrote', os.path.relpath(out, TOP), '(window %s)' % win)
    finally:
        if app is not None:
            os.killpg(app.pid, 15)
            app.wait()
        xvfb.terminate()
        xvfb.wait()
        shutil.rmtree(scratch, ignore_errors=True)


def main():
    build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(TOP, '_build'))
    if not os.path.exists(os.path.join(build, 'src', 'digitripx-reader')):
        raise SystemExit('no app in %s: run build-aux/dev build first' % build)
    site = Showcase()
    os.makedirs(OUT, exist_ok=True)
    shoot(build, site, 'prefer-light', os.path.join(OUT, 'main.png'))
    shoot(build, site, 'prefer-dark', os.path.join(OUT, 'main-dark.png'))
    site.shutdown()


if __name__ == '__main__':
    main()
