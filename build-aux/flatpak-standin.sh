#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds a stand-in for org.gnome.Platform/org.gnome.Sdk from Debian 12
# packages, so the Flatpak builds and runs without Flathub:
#
#   build-aux/flatpak-standin.sh CACHE_DIR
#
# CACHE_DIR/repo ends up an OSTree repo holding
#   runtime/id.digitripx.StandinPlatform/x86_64/bookworm
#   runtime/id.digitripx.StandinSdk/x86_64/bookworm
# and CACHE_DIR/recipe.sha256 the hash of this file (the recipe: the package
# lists and the steps). build-aux/dev flatpak calls it only when that hash
# changed. Needs root (debootstrap, chroot); build-aux/dev runs it with sudo.
set -euo pipefail

# The one list of Debian packages (build-aux/dev flatpak has no other).
# The Platform: what the app links and needs at run time, as org.gnome.Platform
# ships it. debootstrap installs Depends only, no Recommends, so what a
# Recommends would bring (Mesa's GL/EGL drivers, the SVG pixbuf loader for
# icons, CA certificates for TLS) is named here.
platform_packages=(
  libgtk-4-1 libadwaita-1-0 libwebkitgtk-6.0-4 libsoup-3.0-0 libjson-glib-1.0-0
  libxml2 libsqlite3-0 libsecret-1-0
  glib-networking ca-certificates tzdata shared-mime-info
  libgl1-mesa-dri libegl-mesa0 libglx-mesa0 librsvg2-common
  fonts-cantarell fonts-dejavu-core adwaita-icon-theme
  # flatpak-spawn: WebKit starts its web processes in their own sandbox
  # through the Flatpak portal only when it finds this tool; without it, it
  # silently runs them unsandboxed inside the app's sandbox.
  flatpak-xdg-utils
  # dconf-service depends on the virtual dbus-session-bus, which debootstrap
  # cannot resolve by itself.
  dbus-x11
)
# The Sdk adds what builds the app (the same -dev set as build-aux/dev) and
# what flatpak-builder runs inside it: appstream-compose (appstream-util),
# glib-compile-schemas, gtk4-update-icon-cache. (flatpak-builder 1.2 runs
# eu-strip on the host: build-aux/dev installs elfutils there.)
sdk_packages=(
  meson ninja-build pkg-config gcc libc6-dev gettext
  libglib2.0-dev libglib2.0-dev-bin libglib2.0-bin libgtk-4-dev libgtk-4-bin
  libadwaita-1-dev libwebkitgtk-6.0-dev libegl-dev libsoup-3.0-dev libjson-glib-dev libxml2-dev
  libsqlite3-dev libsecret-1-dev
  desktop-file-utils appstream-util
)

branch=bookworm
arch=x86_64
platform_id=id.digitripx.StandinPlatform
sdk_id=id.digitripx.StandinSdk
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

cache=$(realpath -m "${1:?usage: $0 CACHE_DIR}")
self=$(realpath "${BASH_SOURCE[0]}")
mkdir -p "$cache"
work="$cache/work"

recipe_hash() { sha256sum "$self" | cut -d' ' -f1; }


join() { local IFS=,; echo "$*"; }

# Debian's root file system → a runtime folder: files/ is the runtime's /usr,
# files/etc its /etc; metadata names it.
stage() { # stage ROOTFS ID
  local rootfs=$1 id=$2 dir="$work/stage-$2"
  rm -rf "$dir"; mkdir -p "$dir"
  # flatpak install refuses setuid/setgid objects ("invalid mode").
  find "$rootfs" -xdev -perm /6000 -type f -exec chmod ug-s {} +
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/usr/share/{doc,man,info}
  mv "$rootfs/usr" "$dir/files"
  rm -rf "$dir/files/etc"
  mv "$rootfs/etc" "$dir/files/etc"
  # Debian keeps flatpak-spawn out of PATH (beside xdg-utils' own xdg-open);
  # the Freedesktop runtime under GNOME's has it in /usr/bin, where WebKit
  # looks for it.
  if [ -x "$dir/files/libexec/flatpak-xdg-utils/flatpak-spawn" ]; then
    ln -sf ../libexec/flatpak-xdg-utils/flatpak-spawn "$dir/files/bin/flatpak-spawn"
  fi
  # The byte-exact copy of xa.metadata: no trailing newline.
  printf '[Runtime]\nname=%s\nruntime=%s/%s/%s\nsdk=%s/%s/%s' \
    "$id" "$platform_id" "$arch" "$branch" "$sdk_id" "$arch" "$branch" > "$dir/metadata"
  ostree commit --repo="$cache/repo" --branch="runtime/$id/$arch/$branch" \
    --tree=dir="$dir" --owner-uid=0 --owner-gid=0 \
    --subject="$id from Debian 12 packages" \
    --add-metadata-string=xa.metadata="$(cat "$dir/metadata")"
  rm -rf "$dir" "$rootfs"
}

t0=$(date +%s)
rm -rf "$work" "$cache/repo" "$cache/recipe.sha256"
mkdir -p "$work" "$cache/debs"
ostree init --repo="$cache/repo" --mode=archive-z2

echo "== Platform: debootstrap ${platform_packages[*]}"
debootstrap --variant=minbase --cache-dir="$cache/debs" \
  --include="$(join "${platform_packages[@]}")" "$branch" "$work/platform" "$mirror"

# The Sdk starts as a copy of the Platform, so both hold the same libraries.
echo "== Sdk: + ${sdk_packages[*]}"
cp -a "$work/platform" "$work/sdk"
cp /etc/resolv.conf "$work/sdk/etc/resolv.conf" 2>/dev/null || true
chroot "$work/sdk" env DEBIAN_FRONTEND=noninteractive LC_ALL=C \
  apt-get install -y -q --no-install-recommends "${sdk_packages[@]}"
chroot "$work/sdk" apt-get clean

stage "$work/platform" "$platform_id"
stage "$work/sdk" "$sdk_id"
flatpak build-update-repo "$cache/repo"
rm -rf "$work"

recipe_hash > "$cache/recipe.sha256"
echo "== stand-in runtime built in $(( $(date +%s) - t0 )) s"
