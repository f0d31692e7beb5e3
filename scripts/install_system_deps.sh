#!/usr/bin/env bash
# System packages the app and its tests need, from Debian (idempotent; installs only what is missing):
#   fonts-wqy-zenhei  CJK TrueType font embedded in every generated PDF
#   poppler-utils     pdftoppm, used by tests to render PDFs to PNG
#   postgresql        storage tests run against a real PostgreSQL too
#   chromium          end-to-end tests drive the app in headless Chromium
set -euo pipefail
wanted=(fonts-wqy-zenhei poppler-utils "$@")
missing=()
for package in "${wanted[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "缺少系统软件包：${missing[*]}。请以 root 运行：apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
