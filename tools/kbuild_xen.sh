#!/usr/bin/env bash
# A small configured, partly built Linux tree with compile_commands.json, for precise mode
# (hvlint --build-dir) and `hvlint crosscheck` on real code:
#   tools/kbuild_xen.sh PRISTINE_TREE [DEST]      (DEST default /var/tmp/hvlint-kbuild)
# prints DEST; DEST/src is a real copy of the tree (kbuild never writes into the pristine
# one), DEST/out the build folder (x86_64_defconfig + Xen/PVH; arch/x86/xen/,
# arch/x86/platform/pvh/, drivers/xen/ and init/ built with GCC), DEST/out/compile_commands.json
# the database.  A finished DEST is reused.  Needs gcc, make, flex, bison, bc, libelf and
# libssl headers (installed with apt-get when missing and running as root).
set -euo pipefail
src=${1:?usage: kbuild_xen.sh PRISTINE_TREE [DEST]}
dest=${2:-/var/tmp/hvlint-kbuild}
if [[ -s "$dest/out/compile_commands.json" && -f "$dest/done" ]]; then
  echo "$dest"
  exit 0
fi
missing=()
for tool in gcc make flex bison bc; do command -v "$tool" >/dev/null || missing+=("$tool"); done
[[ -e /usr/include/libelf.h ]] || missing+=(libelf-dev)
[[ -e /usr/include/openssl/ssl.h ]] || missing+=(libssl-dev)
if ((${#missing[@]})); then
  if [[ $(id -u) != 0 ]]; then
    echo "kbuild_xen.sh: missing ${missing[*]} (install them, or run as root)" >&2
    exit 1
  fi
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc make flex bison bc libelf-dev libssl-dev >&2
fi
rm -rf "$dest"
mkdir -p "$dest"
cp -a "$src" "$dest/src"
out="$dest/out"
cd "$dest/src"
{
  make O="$out" x86_64_defconfig
  scripts/config --file "$out/.config" -e HYPERVISOR_GUEST -e PARAVIRT -e XEN -e XEN_PV -e XEN_PVH -e PVH \
    -e XEN_DOM0 -e XEN_PVHVM -e XEN_BACKEND -e XEN_BALLOON
  make O="$out" olddefconfig
  make O="$out" -j"$(nproc)" arch/x86/xen/ arch/x86/platform/pvh/ drivers/xen/ init/
  python3 scripts/clang-tools/gen_compile_commands.py -d "$out" -o "$out/compile_commands.json"
} >"$dest/build.log" 2>&1 || {
  echo "kbuild_xen.sh: the build failed; the end of $dest/build.log:" >&2
  tail -20 "$dest/build.log" >&2
  exit 1
}
touch "$dest/done"
echo "$dest"
