#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The installed Flatpak, started for real in its sandbox (slow).

    build-aux/dev flatpak-check [--keep]    (after build-aux/dev flatpak)

Serves the project's test site (tests/fixtures/site, as tests/dtx-test-site.c
and build-aux/bench.py serve it) on 127.0.0.1, starts its own Xvfb and D-Bus
session (where the host's flatpak-portal is activatable, as in a desktop
session), and runs `flatpak run id.digitripx.Reader --source URL` with a
scratch HOME, using the Flatpak installation `build-aux/dev flatpak` made
(FLATPAK_USER_DIR), which it does not change. It checks that

- the window appears, and the article list loads (REST pages, thumbnails);
- a click on the first article shows it in the WebKit reader: the web
  process, started through the Flatpak portal in WebKit's own sandbox,
  fetches the article's picture, and the reader's side of the window is
  drawn (not blank);
- what the app stores (settings, cache, and the store once it exists) lands
  in $HOME/.var/app/id.digitripx.Reader/ and nowhere else in $HOME.

It prints start-up times inside the sandbox and, when _build holds a built
app, outside it. --keep leaves the scratch folder (screenshots, logs).
"""

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, 'build-aux'))
from bench import Site, process_table  # noqa: E402  the test site, shared with the benchmark

APP_ID = 'id.digitripx.Reader'
WIDTH, HEIGHT = 1100, 720
SIDEBAR = 221  # the sources sidebar and its separator, left of the list
TIMEOUT = 60

results = []


def check(ok, what, detail=''):
    results.append(ok)
    print(('ok' if ok else 'not ok') + ' %d - %s' % (len(results), what), flush=True)
    if not ok and detail:
        for line in str(detail).splitlines():
            print('#   ' + line)
    return ok


def note(text):
    print('# ' + text, flush=True)


def wait_for(predicate, timeout=TIMEOUT, step=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return None


# As root, WebKit's IPC threads get themselves killed: WebKit makes them
# real-time, asking RealtimeKit (here through the portal) for the CPU-time cap
# RLIMIT_RTTIME must carry. With no RealtimeKit on this machine the answer is
# 0, WebKit sets RLIMIT_RTTIME to 0 and, root having CAP_SYS_NICE, its own
# sched_setscheduler(SCHED_RR) succeeds; the kernel then SIGKILLs the whole
# app the first time that thread is on a CPU at a tick (seen with ftrace:
# signal_generate sig=9 code=SI_KERNEL from the ReceiveQueue thread, prio 94).
# A user's session has no CAP_SYS_NICE, so the promotion goes through
# RealtimeKit or fails harmlessly. Run the session the way a user's runs.
AS_USER = ['setpriv', '--inh-caps=-sys_nice', '--bounding-set=-sys_nice'] if os.geteuid() == 0 else []


def install_browser(scratch, record):
    """A default browser for the host that records the URIs it is given."""
    script = os.path.join(scratch, 'browser.sh')
    with open(script, 'w') as f:
        f.write('#!/bin/sh\nprintf "%%s\\n" "$1" >> %s\n' % record)
    os.chmod(script, 0o755)
    apps = os.path.join(scratch, 'host-data', 'applications')
    os.makedirs(apps)
    with open(os.path.join(apps, 'dtx-check-browser.desktop'), 'w') as f:
        f.write('[Desktop Entry]\nType=Application\nName=Check Browser\nExec=%s %%u\n'
                'MimeType=x-scheme-handler/http;x-scheme-handler/https;text/html;\n' % script)
    os.makedirs(os.path.join(scratch, 'host-config'))
    with open(os.path.join(scratch, 'host-config', 'mimeapps.list'), 'w') as f:
        f.write('[Default Applications]\nx-scheme-handler/http=dtx-check-browser.desktop\n'
                'x-scheme-handler/https=dtx-check-browser.desktop\n')


class Session:
    """Xvfb and a session bus of our own, in a scratch HOME."""

    def __init__(self, scratch, user_dir):
        self.scratch = scratch
        self.user_dir = user_dir
        self.runtime_dir = os.path.join(scratch, 'run')
        os.makedirs(self.runtime_dir, mode=0o700)
        self.display = ':%d' % (300 + os.getpid() % 300)
        self.xvfb = subprocess.Popen(['Xvfb', self.display, '-screen', '0', '%dx%dx24' % (WIDTH, HEIGHT),
                                      '-nolisten', 'tcp'],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not wait_for(lambda: os.path.exists('/tmp/.X11-unix/X' + self.display[1:]), 10):
            raise SystemExit('Xvfb did not start')
        # Services the bus activates (flatpak-portal, which starts WebKit's
        # sandboxed processes) inherit its environment: they must see the
        # same runtime folder (Flatpak's instances) and installation.
        # The host side of the session: the portals read the default browser
        # from these folders, where a recorder stands in for it.
        self.bus_address = None
        bus_env = self.env(os.path.join(scratch, 'home'))
        bus_env.update(XDG_DATA_HOME=os.path.join(scratch, 'host-data'),
                       XDG_CONFIG_HOME=os.path.join(scratch, 'host-config'),
                       XDG_CURRENT_DESKTOP='GNOME')
        self.opened = os.path.join(scratch, 'opened-uris')
        install_browser(scratch, self.opened)
        self.bus = subprocess.Popen(AS_USER + ['dbus-daemon', '--session', '--nofork', '--print-address=1'],
                                    stdout=subprocess.PIPE, text=True, env=bus_env)
        self.bus_address = self.bus.stdout.readline().strip()

    def env(self, home):
        os.makedirs(home, exist_ok=True)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(('XDG_', 'DBUS_', 'WAYLAND', 'GSK_', 'GTK_', 'GSETTINGS'))}
        env.update(HOME=home, DISPLAY=self.display, XDG_RUNTIME_DIR=self.runtime_dir, LC_ALL='C.UTF-8', NO_AT_BRIDGE='1',
                   # The installation build-aux/dev flatpak made, though HOME is scratch.
                   FLATPAK_USER_DIR=self.user_dir)
        if self.bus_address:
            env['DBUS_SESSION_BUS_ADDRESS'] = self.bus_address
        return env

    def visible_window(self, env):
        p = subprocess.run(['xdotool', 'search', '--onlyvisible', '--name', '.'],
                           capture_output=True, text=True, env=env)
        return p.stdout.split()[0] if p.stdout.split() else None

    def activated(self):
        """Services our bus started (portals, keyring…): dbus-daemon gives
        them DBUS_STARTER_ADDRESS; they may outlive the bus."""
        mark = ('DBUS_STARTER_ADDRESS=' + self.bus_address).encode()
        pids = []
        for entry in os.listdir('/proc'):
            if entry.isdigit():
                try:
                    with open('/proc/%s/environ' % entry, 'rb') as f:
                        if mark in f.read().split(b'\0'):
                            pids.append(int(entry))
                except OSError:
                    pass
        return pids

    def close(self):
        services = self.activated() if self.bus_address else []
        for p in (self.bus, self.xvfb):
            p.terminate()
            p.wait()
        for sig in (15, 9):
            for pid in services:
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
            if sig == 15:
                time.sleep(1)
        # The document portal's FUSE mount, should it outlive its daemon.
        subprocess.run(['fusermount3', '-u', '-q', os.path.join(self.runtime_dir, 'doc')],
                       stderr=subprocess.DEVNULL)


def stop(proc):
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, 15)
        except ProcessLookupError:
            pass
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()


def start(session, argv, home, log):
    """Starts argv; returns (process, seconds to a visible window or None)."""
    env = session.env(home)
    t0 = time.monotonic()
    proc = subprocess.Popen(AS_USER + argv, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    win = wait_for(lambda: proc.poll() is None and session.visible_window(env))
    return proc, env, (time.monotonic() - t0) if win else None


def region_stddev(png, geometry):
    p = subprocess.run(['convert', png, '-crop', geometry, '+repage', '-colorspace', 'gray',
                        '-format', '%[fx:standard_deviation]', 'info:'], capture_output=True, text=True)
    try:
        return float(p.stdout.strip())
    except ValueError:
        return 0.0


def ns(pid, kind):
    try:
        return os.readlink('/proc/%d/ns/%s' % (pid, kind))
    except OSError:
        return None


def web_processes(site_url):
    """The app's process (in the sandbox) and the web processes of its
    instance, with their parent and namespaces."""
    table = process_table()

    def cmdline(pid):
        try:
            with open('/proc/%d/cmdline' % pid, 'rb') as f:
                return f.read().replace(b'\0', b' ').decode(errors='replace')
        except OSError:
            return ''

    def ancestors(pid):
        out = []
        while pid in table and pid > 1:
            pid = table[pid][0]
            out.append(pid)
        return out

    app = next((pid for pid, (_, comm, _) in table.items()
                if comm == 'digitripx-reade' and site_url in cmdline(pid)), None)
    result = {'app': app, 'web': [], 'notes': []}
    if app is None:
        result['notes'].append('the app process is gone')
        return result
    result['app_mnt'], result['app_net'] = ns(app, 'mnt'), ns(app, 'net')
    # flatpak run's bwrap, the app's parent, is the instance's pid-namespace
    # init: a sub-sandbox with --expose-pids appears under it too.
    instance = table[app][0]
    for pid, (ppid, comm, _) in table.items():
        if comm.startswith('WebKitWebProces') and instance in ancestors(pid):
            w = {'pid': pid, 'parent': ppid, 'mnt': ns(pid, 'mnt'), 'net': ns(pid, 'net')}
            result['web'].append(w)
            result['notes'].append('web process %d: parent %d (%s), %s mount and %s network namespace than the app' % (
                pid, ppid, table[ppid][1] if ppid in table else '?',
                'another' if w['mnt'] != result['app_mnt'] else 'the same',
                'another' if w['net'] != result['app_net'] else 'the same'))
    spawners = [cmdline(pid) for pid, (ppid, comm, _) in table.items()
                if ppid == app and comm == 'flatpak-spawn']
    for c in spawners:
        result['notes'].append('the app runs: ' + c[:200])
    if not result['web']:
        result['notes'].append('no web process in the app\'s instance')
    return result


def files_under(root):
    out = []
    for d, _, files in os.walk(root):
        for f in files:
            out.append(os.path.relpath(os.path.join(d, f), root))
    return sorted(out)


def main():
    keep = '--keep' in sys.argv
    real_home = os.path.expanduser('~')
    user_dir = os.environ.get('FLATPAK_USER_DIR', os.path.join(real_home, '.local/share/flatpak'))
    p = subprocess.run(['flatpak', 'info', '--user', APP_ID], capture_output=True, text=True,
                       env=dict(os.environ, FLATPAK_USER_DIR=user_dir))
    if p.returncode != 0:
        raise SystemExit('%s is not installed for this user: run build-aux/dev flatpak first' % APP_ID)
    note('installed: ' + ' '.join(l.strip() for l in p.stdout.splitlines()
                                  if l.strip().startswith(('Ref:', 'Commit:', 'Runtime:'))))

    scratch = tempfile.mkdtemp(prefix='dtx-flatpak-check-')
    note('scratch folder: ' + scratch)
    site = Site()
    session = Session(scratch, user_dir)
    app = None
    try:
        home = os.path.join(scratch, 'home')
        log = open(os.path.join(scratch, 'sandbox.log'), 'w')
        argv = ['flatpak', 'run', APP_ID, '--source', site.url]
        note('running: ' + ' '.join(AS_USER + argv))
        t_start = time.monotonic()
        app, env, startup = start(session, argv, home, log)
        if not check(startup is not None, 'the window appears (flatpak run)',
                     open(os.path.join(scratch, 'sandbox.log')).read()[-3000:]):
            return 1
        note('start-up inside the sandbox: %.2f s to a visible window' % startup)

        ps = subprocess.run(['flatpak', 'ps', '--columns=instance,application,pid'],
                            capture_output=True, text=True, env=env).stdout
        check(APP_ID in ps, 'flatpak ps lists the running instance', ps)

        posts = wait_for(lambda: site.first_event(t_start, lambda path, q, a: path.startswith('/wp-json/wp/v2/posts')), 20)
        check(posts is not None, 'the articles are fetched (REST API, first page)')
        thumbs = wait_for(lambda: site.first_event(t_start, lambda path, q, a: path.startswith('/wp-content/uploads/')), 20)
        check(thumbs is not None, 'the list fetches its thumbnails')
        if posts:
            note('articles requested %.2f s after start' % (posts - t_start))
        time.sleep(2)
        list_png = os.path.join(scratch, 'sandbox-list.png')
        subprocess.run(['import', '-window', 'root', list_png], env=env, check=True)
        # The list's column, right of the sources sidebar (220 px and its
        # separator): rows with text and pictures, not an empty page.
        check(region_stddev(list_png, '330x560+231+60') > 0.05, 'the list shows articles (screenshot)')

        # Open the first article as a user would.
        t_click = time.monotonic()
        subprocess.run(['xdotool', 'mousemove', '--sync', str(SIDEBAR + 170), '110', 'click', '1'],
                       env=env, check=True)
        webkit = wait_for(lambda: site.first_event(t_click, lambda path, q, a: 'AppleWebKit' in a), 30)
        check(webkit is not None, 'the WebKit reader fetches the article\'s picture')
        if webkit:
            note('reader fetched its first resource %.2f s after the click' % (webkit - t_click))
        time.sleep(3)
        reader_png = os.path.join(scratch, 'sandbox-reader.png')
        subprocess.run(['import', '-window', 'root', reader_png], env=env, check=True)
        check(region_stddev(reader_png, '430x560+660+70') > 0.05, 'the reader shows the article (screenshot)')

        # WebKit's sandbox inside Flatpak's: the web process comes from
        # flatpak-spawn --sandbox --no-network through flatpak-portal, so it
        # is not the app's child and has its own mount and network namespaces.
        sandboxed = web_processes(site.url)
        if app.poll() is not None:
            sandboxed['notes'].append('flatpak run exited with status %d' % app.returncode)
        for line in sandboxed['notes']:
            note(line)
        check(sandboxed['app'] is not None and sandboxed['web'] and all(
              w['parent'] != sandboxed['app'] and w['mnt'] != sandboxed['app_mnt']
              and w['net'] != sandboxed['app_net'] for w in sandboxed['web']),
              'the web process runs in its own sandbox (flatpak-spawn --sandbox through the portal)',
              '\n'.join(sandboxed['notes']))

        # Open in Browser (Ctrl+O): from inside the sandbox, through the
        # OpenURI portal, to the host's default browser.
        win = session.visible_window(env)
        subprocess.run(['xdotool', 'windowfocus', '--sync', win, 'key', 'ctrl+o'], env=env)
        opened = wait_for(lambda: os.path.exists(session.opened) and open(session.opened).read().split(), 20)
        check(bool(opened) and opened[0].startswith(site.url + '/'),
              'Open in Browser reaches the host browser through the OpenURI portal',
              'opened: %r' % (opened,))
        if opened:
            note('the host browser was given ' + opened[0])

        # Ctrl+D bookmarks the article in the reader; the store commits it
        # before the button changes, so it is on disk when the app quits.
        subprocess.run(['xdotool', 'windowfocus', '--sync', win, 'key', 'ctrl+d'], env=env)
        time.sleep(1)

        # Quit through the app's own action, so it saves its settings.
        subprocess.run(['xdotool', 'windowfocus', '--sync', win, 'key', 'ctrl+q'], env=env)
        if wait_for(lambda: app.poll() is not None, 15) is None:
            note('ctrl+q did not quit within 15 s; stopping it')
        stop(app)

        var = os.path.join(home, '.var', 'app', APP_ID)
        stored = files_under(var)
        groups = {}
        for f in stored:
            key = '/'.join(f.split('/')[:2]) + ('/' if f.count('/') > 1 else '')
            groups[key] = groups.get(key, 0) + 1
        note('in ~/.var/app/%s: %s' % (APP_ID, ', '.join(
            '%s%s' % (k, ' (%d files)' % n if n > 1 else '') for k, n in sorted(groups.items())) or 'nothing'))
        check(any(f.startswith('config/glib-2.0/settings/keyfile') for f in stored),
              'settings land in ~/.var/app/%s/config (GSettings keyfile)' % APP_ID, '\n'.join(stored))
        check(any(f.startswith('cache/') for f in stored),
              'the cache lands in ~/.var/app/%s/cache' % APP_ID, '\n'.join(stored))
        check(any(f.startswith('data/') for f in stored),
              'app data (WebKit\'s website data) lands in ~/.var/app/%s/data' % APP_ID, '\n'.join(stored))
        # The SQLite store: the offline cache and the bookmark made above.
        db = os.path.join(var, 'data', 'digitripx-reader', 'store.db')
        rows = bookmarks = 0
        if os.path.exists(db):
            with sqlite3.connect('file:%s?mode=ro' % db, uri=True) as conn:
                rows = conn.execute('SELECT count(*) FROM articles').fetchone()[0]
                bookmarks = conn.execute('SELECT count(*) FROM articles WHERE bookmarked').fetchone()[0]
        check(rows > 0 and bookmarks == 1,
              'the store (%d articles, %d bookmark) lands in ~/.var/app/%s/data/digitripx-reader/store.db'
              % (rows, bookmarks, APP_ID))
        elsewhere = [f for f in files_under(home) if not f.startswith('.var/')]
        check(not elsewhere, 'nothing else in $HOME', '\n'.join(elsewhere))

        # The same build outside the sandbox, for the start-up figure.
        host_app = os.path.join(TOP, '_build', 'src', 'digitripx-reader')
        if os.path.exists(host_app):
            home2 = os.path.join(scratch, 'home-host')
            times = []
            for _ in range(3):
                e = dict(GSETTINGS_SCHEMA_DIR=os.path.join(TOP, '_build', 'data'))
                proc = subprocess.Popen(AS_USER + ['env', *('%s=%s' % kv for kv in e.items()), host_app,
                                         '--source', site.url],
                                        env=session.env(home2), stdout=log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
                t0 = time.monotonic()
                ok = wait_for(lambda: session.visible_window(session.env(home2)))
                times.append(time.monotonic() - t0 if ok else float('nan'))
                stop(proc)
                time.sleep(0.5)
            # And the sandbox twice more, now that caches are warm.
            for _ in range(2):
                proc, _, t = start(session, argv, os.path.join(scratch, 'home'), log)
                stop(proc)
                if t:
                    times.append(-t)
                time.sleep(0.5)
            outside = sorted(t for t in times if t > 0)
            inside = sorted([startup] + [-t for t in times if t < 0])
            note('start-up outside the sandbox (_build): ' + ', '.join('%.2f s' % t for t in outside))
            note('start-up inside the sandbox (flatpak run): ' + ', '.join('%.2f s' % t for t in inside)
                 + ' (the first is a cold start)')
        else:
            note('no _build/src/digitripx-reader: no figure outside the sandbox')
    finally:
        if app is not None:
            stop(app)
        session.close()
        site.close()
        if keep:
            note('kept ' + scratch)
        else:
            shutil.rmtree(scratch, ignore_errors=True)

    print('1..%d' % len(results))
    failed = results.count(False)
    print('%d passed, %d failed' % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
