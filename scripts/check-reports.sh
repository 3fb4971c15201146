#!/usr/bin/env bash
# Renders report.html files with headless Chromium and checks that each page is not blank and logs no JS errors.
# Usage: scripts/check-reports.sh [report.html | run-dir | runs-root]...   (default: every report under runs/)
# Needs /usr/bin/chromium (Debian's chromium) and /usr/bin/python3; exits 0 with a note when Chromium is missing.
set -euo pipefail

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [[ ! -x "$CHROMIUM" ]]; then
  echo "check-reports: $CHROMIUM not found; skipping the rendering check" >&2
  exit 0
fi

targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(runs)
reports=()
for t in "${targets[@]}"; do
  if [[ -f "$t" ]]; then reports+=("$t")
  elif [[ -d "$t" ]]; then while IFS= read -r f; do reports+=("$f"); done < <(find "$t" -name report.html | sort)
  else echo "check-reports: $t does not exist" >&2; exit 2; fi
done
if [[ ${#reports[@]} -eq 0 ]]; then echo "check-reports: no report.html found" >&2; exit 2; fi

shots=${SHOTS_DIR:-$(mktemp -d)}
failed=0
for r in "${reports[@]}"; do
  abs=$(readlink -f "$r")
  name=$(basename "$(dirname "$abs")")
  png="$shots/$name.png"
  profile=$(mktemp -d)
  log=$(mktemp)
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
    --user-data-dir="$profile" --enable-logging=stderr --v=0 \
    --screenshot="$png" --window-size=1200,2000 "file://$abs" >"$log" 2>&1 || true
  rm -rf "$profile"
  problems=""
  if grep -q "Uncaught" "$log"; then problems+=" JS error:$(grep -m1 Uncaught "$log")"; fi
  if [[ ! -s "$png" ]]; then problems+=" no screenshot"
  else
    # A rendered report has text, charts and colours: many distinct pixel values. A blank page has one or two.
    distinct=$(/usr/bin/python3 - "$png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], 'rb').read()
pos, w, h, ctype, idat = 8, 0, 0, 0, b''
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8]); body = data[pos + 8:pos + 8 + n]; pos += 12 + n
    if kind == b'IHDR': w, h, _, ctype = struct.unpack('>IIBB', body[:10])
    elif kind == b'IDAT': idat += body
bpp = {2: 3, 6: 4, 0: 1, 4: 2}[ctype]
raw, stride, prev, rows = zlib.decompress(idat), w * bpp, bytearray(w * bpp), []
for y in range(h):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0; b = prev[i]; c = prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(bytes(line)); prev = line
print(len({r[i:i + bpp] for r in rows[::4] for i in range(0, stride, bpp * 4)}))
PY
)
    if (( distinct < 20 )); then problems+=" looks blank ($distinct distinct colours)"; fi
  fi
  rm -f "$log"
  if [[ -n "$problems" ]]; then echo "FAIL $r:$problems"; failed=1
  else echo "ok   $r ($distinct colours, screenshot $png)"; fi
done
exit $failed
