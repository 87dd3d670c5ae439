#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Flatpak manifest against the build, without building the Flatpak.

    check-flatpak.py SOURCE_ROOT BUILD_ROOT

A TAP test, quick and offline:
- flatpak-builder --show-manifest reads the manifest without a WARNING;
- its id, command, runtime and sandbox permissions are the ones the README
  explains (nothing more);
- a `meson setup --prefix=/app --libdir=lib` (flatpak-builder's prefix; lib is
  meson's libdir on the GNOME Sdk, whose /etc is not Debian's) puts
  every installed file under /app, where the runtime looks: the command in
  bin/, exported files (desktop file, metainfo, icons) named after the app id,
  the schema, the reader module and the translations;
- `meson install --destdir` of this build really installs those files, and
  the desktop file, metainfo, icon and schema inside agree on the app id and
  the command.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from configparser import ConfigParser

APP_ID = 'id.digitripx.Reader'
# The sandbox the README explains, and nothing more.
FINISH_ARGS = {'--share=network', '--share=ipc', '--socket=wayland',
               '--socket=fallback-x11', '--device=dri'}

src, build = sys.argv[1:3]
manifest_path = os.path.join(src, 'flatpak', APP_ID + '.json')
n = 0
failed = 0


def check(ok, what, detail=''):
    global n, failed
    n += 1
    print(('ok' if ok else 'not ok') + ' %d - %s' % (n, what))
    if not ok:
        failed += 1
        for line in str(detail).splitlines():
            print('#   ' + line)
    return ok


def env_without_home():
    # flatpak-builder may look at the user's installation; keep it out of
    # the way and off the network.
    env = dict(os.environ)
    env['HOME'] = tmp
    env.pop('XDG_DATA_HOME', None)
    return env


tmp = tempfile.mkdtemp(prefix='check-flatpak-')
skip = ''
try:
    # 1. The manifest as flatpak-builder reads it.
    fb = shutil.which('flatpak-builder')
    if fb is None:
        skip = ' # SKIP flatpak-builder is not installed (build-aux/dev deps installs it)'
        sys.exit(0)
    p = subprocess.run([fb, '--show-manifest', manifest_path], capture_output=True,
                       text=True, env=env_without_home(), timeout=60)
    check(p.returncode == 0, 'flatpak-builder --show-manifest succeeds', p.stderr)
    check('WARNING' not in p.stderr.upper(), 'flatpak-builder prints no warning', p.stderr)
    try:
        m = json.loads(p.stdout)
    except ValueError as e:
        check(False, 'the manifest is JSON', e)
        raise SystemExit(1)

    check(m.get('id') == APP_ID, 'id is ' + APP_ID, m.get('id'))
    command = m.get('command')
    check(command == 'digitripx-reader', 'command is digitripx-reader', command)
    check((m.get('runtime'), m.get('sdk'), m.get('runtime-version')) ==
          ('org.gnome.Platform', 'org.gnome.Sdk', '49'),
          'runtime org.gnome.Platform and sdk org.gnome.Sdk, version 49',
          (m.get('runtime'), m.get('sdk'), m.get('runtime-version')))
    args = m.get('finish-args', [])
    check(set(args) == FINISH_ARGS and len(args) == len(FINISH_ARGS),
          'finish-args are exactly ' + ' '.join(sorted(FINISH_ARGS)),
          'extra: %s\nmissing: %s' % (sorted(set(args) - FINISH_ARGS),
                                      sorted(FINISH_ARGS - set(args))))
    modules = m.get('modules', [])
    last = modules[-1] if modules else {}
    check(last.get('buildsystem') == 'meson' and last.get('name') == 'digitripx-reader',
          'the last module builds this project with meson', last)
    config_opts = last.get('config-opts', [])

    # 2. Where meson puts each file with flatpak-builder's prefix and libdir.
    scratch = os.path.join(tmp, 'build-app')
    p = subprocess.run(['meson', 'setup', '--prefix=/app', '--libdir=lib', *config_opts,
                        scratch, src], capture_output=True, text=True, timeout=120)
    if not check(p.returncode == 0, 'meson setup --prefix=/app --libdir=lib', p.stdout + p.stderr):
        raise SystemExit(1)
    with open(os.path.join(scratch, 'meson-info', 'intro-installed.json'), encoding='utf-8') as f:
        installed = sorted(set(json.load(f).values()))
    outside = [d for d in installed if not d.startswith('/app/')]
    check(not outside, 'every file installs under /app', '\n'.join(outside))
    rel = {d[len('/app/'):] for d in installed if d.startswith('/app/')}

    expected = {
        'bin/' + command: 'the command flatpak runs',
        'share/applications/%s.desktop' % APP_ID: 'the desktop file',
        'share/metainfo/%s.metainfo.xml' % APP_ID: 'the metainfo',
        'share/icons/hicolor/scalable/apps/%s.svg' % APP_ID: 'the icon',
        'share/icons/hicolor/symbolic/apps/%s-symbolic.svg' % APP_ID: 'the symbolic icon',
        'share/glib-2.0/schemas/%s.gschema.xml' % APP_ID: 'the GSettings schema',
        'lib/digitripx-reader/libdtx-reader-view.so': 'the reader module (PKGLIBDIR)',
        'share/locale/id/LC_MESSAGES/digitripx-reader.mo': 'the Indonesian translation',
    }
    for path, what in expected.items():
        check(path in rel, '%s at /app/%s' % (what, path), '\n'.join(sorted(rel)))

    # flatpak build-export exports only files named after the app id; anything
    # else in these folders would silently never reach the host.
    exported = [r for r in rel if re.match(r'share/(applications|metainfo|icons|dbus-1/services|mime/packages)/', r)]
    stray = [r for r in exported if not os.path.basename(r).startswith(APP_ID)]
    check(not stray, 'every exported file is named after ' + APP_ID, '\n'.join(stray))

    # 3. A real install of this build, and what the files say inside.
    dest = os.path.join(tmp, 'dest')
    env = dict(os.environ, DESTDIR=dest)
    p = subprocess.run(['meson', 'install', '-C', build, '--no-rebuild', '--quiet', '--destdir', dest],
                       capture_output=True, text=True, timeout=120, env=env)
    if not check(p.returncode == 0, 'meson install --destdir', p.stdout + p.stderr):
        raise SystemExit(1)
    with open(os.path.join(build, 'meson-info', 'intro-buildoptions.json'), encoding='utf-8') as f:
        opts = {o['name']: o['value'] for o in json.load(f)}
    root = dest + opts['prefix']
    libdir = opts['libdir']
    got = set()
    for d, _, files in os.walk(root):
        for name in files:
            r = os.path.relpath(os.path.join(d, name), root)
            if r.startswith(libdir + '/'):
                r = 'lib/' + r[len(libdir) + 1:]
            got.add(r)
    # Caches the post-install step may write (not with DESTDIR set) are not files of ours.
    got = {r for r in got if not r.endswith(('gschemas.compiled', 'icon-theme.cache', 'mimeinfo.cache'))}
    check(got == rel, 'the installed files are the ones meson lists for /app',
          'only installed: %s\nonly listed: %s' % (sorted(got - rel), sorted(rel - got)))

    def installed_file(r):
        return os.path.join(root, r)

    desktop = ConfigParser(interpolation=None, strict=False)
    desktop.optionxform = str
    desktop.read(installed_file('share/applications/%s.desktop' % APP_ID), encoding='utf-8')
    entry = desktop['Desktop Entry'] if desktop.has_section('Desktop Entry') else {}
    check(entry.get('Icon') == APP_ID, 'desktop file Icon=' + APP_ID, entry.get('Icon'))
    check((entry.get('Exec') or '').split()[:1] == [command], 'desktop file runs ' + command,
          entry.get('Exec'))

    mi = ET.parse(installed_file('share/metainfo/%s.metainfo.xml' % APP_ID)).getroot()
    check(mi.findtext('id') == APP_ID, 'metainfo <id> is ' + APP_ID, mi.findtext('id'))
    check(mi.findtext('launchable[@type="desktop-id"]') == APP_ID + '.desktop',
          'metainfo launchable is %s.desktop' % APP_ID, mi.findtext('launchable'))
    check(command in [b.text for b in mi.findall('provides/binary')],
          'metainfo provides the binary ' + command)
    check(mi.findtext('translation[@type="gettext"]') == 'digitripx-reader',
          'metainfo names the gettext domain the .mo files use')

    schema = ET.parse(installed_file('share/glib-2.0/schemas/%s.gschema.xml' % APP_ID)).getroot()
    ids = [s.get('id') for s in schema.findall('schema')]
    check(ids == [APP_ID], 'the schema id is ' + APP_ID, ids)
    check(schema.findall('schema')[0].get('path') == '/' + APP_ID.replace('.', '/') + '/',
          'the schema path follows the app id')

    icon = ET.parse(installed_file('share/icons/hicolor/scalable/apps/%s.svg' % APP_ID)).getroot()
    check(icon.tag.endswith('svg'), 'the icon is an SVG')
finally:
    shutil.rmtree(tmp, ignore_errors=True)
    print('1..%d%s' % (n, skip))
sys.exit(1 if failed else 0)
