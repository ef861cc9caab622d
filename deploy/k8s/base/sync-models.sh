#!/bin/sh
# Copies every version directory of /source/<model>/<version>/ that /models lacks into the server's repository
# atomically: first into a hidden directory beside it (the server ignores names starting with '.'), then renamed
# into place, so the server never sees a half-copied version. Runs once (init container) or every $SYNC_INTERVAL
# seconds (sidecar). /source is any volume your bundles land in: a PersistentVolumeClaim, an NFS share, or a bucket
# mounted by a CSI driver or synced by your own job.
set -eu
sync_once() {
  for src in /source/*/*/; do
    [ -d "$src" ] || continue
    version=$(basename "$src"); model=$(basename "$(dirname "$src")")
    case "$version" in *[!0-9]*|'') continue ;; esac
    case "$model" in .*) continue ;; esac
    dest="/models/$model/$version"
    [ -e "$dest" ] && continue
    mkdir -p "/models/$model"
    tmp="/models/$model/.incoming-$version"
    rm -rf "$tmp"
    cp -r "$src" "$tmp"
    mv "$tmp" "$dest"
    echo "synced $model version $version"
  done
}
sync_once
if [ "${1:-}" = "--loop" ]; then
  while sleep "${SYNC_INTERVAL:-30}"; do sync_once; done
fi
