#!/usr/bin/env bash
# The CJK font of the DR PDF reports: Debian's fonts-wqy-microhei (WenQuanYi Micro Hei, Apache-2.0 or GPLv3 with the
# font exception; TrueType outlines in a .ttc collection, which PDFBox embeds as a subset). Its path is the default
# reportFont of etc/org.tianshu.dr.cfg; without it reports print Chinese as '?'.
# Usage: lab/fonts.sh [install|path]   (path: prints the font file)
set -euo pipefail
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
. "$(dirname "$0")/lib.sh"

FONT=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc

case "${1:-install}" in
  install)
    apt_ensure fonts-wqy-microhei
    [ -f "$FONT" ] || die "fonts-wqy-microhei is installed but $FONT is missing"
    log "report font ready: $FONT"
    ;;
  path) echo "$FONT" ;;
  *) die "usage: $0 [install|path]" ;;
esac
