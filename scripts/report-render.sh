#!/usr/bin/env bash
# Render every report page in a headless Chromium and fail on a blank one.
#
# Builds the demo repository (the smart-pump sample with a year of history),
# writes `roadlens report` for every lens, with and without `--since` its
# first commit, renders each page to PNG at a phone's width (390 px) and a
# laptop's (1280 px) and prints each to PDF (A4 and Letter follow the
# printer's paper; here Chromium's default), then checks every PNG has
# content (not one colour) and every PDF has pages. The pages and pictures
# stay in $OUT (default: a new temp directory) to look at.
#
# Skipped (exit 0, with a message) when no Chromium is installed:
# `apt-get install chromium`. Not part of `cargo test`.
set -euo pipefail

chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}
if [ -z "$chromium" ]; then
    echo "report-render: no chromium on this machine: skipped (apt-get install chromium)"
    exit 0
fi

cd "$(dirname "$0")/.."
cargo build --quiet
bin=$PWD/target/debug/roadlens
out=${OUT:-$(mktemp -d)}
mkdir -p "$out/pages"
export ROADLENS_TODAY=${ROADLENS_TODAY:-2027-05-10}

rm -rf "$out/demo"
"$bin" demo "$out/demo" >/dev/null
cd "$out/demo"

first=""
if command -v git >/dev/null; then
    first=$(git rev-list --max-parents=0 HEAD | tail -1)
fi

lenses="exec sales engineering layer:hardware layer:firmware layer:comms layer:cloud layer:apps"
for lens in $lenses; do
    name=${lens/:/-}
    "$bin" report --lens "$lens" -o "$out/pages/$name.html" >/dev/null
    if [ -n "$first" ]; then
        "$bin" report --lens "$lens" --since "$first" -o "$out/pages/$name-since.html" >/dev/null
    fi
done

render() { # html png width height
    timeout 120 "$chromium" --headless --no-sandbox --disable-gpu \
        --disable-background-networking --no-first-run --hide-scrollbars \
        --window-size="$3,$4" --screenshot="$2" "file://$1" >/dev/null 2>&1
}

failed=0
for html in "$out"/pages/*.html; do
    base=${html%.html}
    render "$html" "$base-phone.png" 390 1600
    render "$html" "$base-laptop.png" 1280 1600
    timeout 120 "$chromium" --headless --no-sandbox --disable-gpu \
        --disable-background-networking --no-first-run --no-pdf-header-footer \
        --print-to-pdf="$base.pdf" "file://$html" >/dev/null 2>&1
    if ! python3 - "$base-phone.png" "$base-laptop.png" "$base.pdf" <<'EOF'
import struct, sys, zlib

def pixels(path):
    """Decode an 8-bit, non-interlaced PNG (what Chromium writes)."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6), "unexpected PNG format"
            bpp = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride = zlib.decompress(idat), w * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(h):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line[: w * 3]) if bpp == 3 else bytes(v for k, v in enumerate(line) if k % 4 != 3))
        prev = line
    return w, h, rows

ok = True
for png in sys.argv[1:3]:
    w, h, rows = pixels(png)
    bg = rows[0][:3]
    inked = sum(1 for r in rows for x in range(0, w * 3, 3) if r[x:x + 3] != bg)
    share = inked / (w * h)
    print(f"  {png.rsplit('/', 1)[-1]}: {w}x{h}, {share:.1%} inked")
    if share < 0.01:
        print(f"  BLANK: {png}")
        ok = False
pdf = open(sys.argv[3], "rb").read()
pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
print(f"  {sys.argv[3].rsplit('/', 1)[-1]}: {pages} page(s)")
if pages < 1:
    ok = False
sys.exit(0 if ok else 1)
EOF
    then
        failed=1
    fi
done

# With pdftotext (poppler-utils): no section heading is the last thing on
# a printed page (a heading belongs with what follows it).
if command -v pdftotext >/dev/null; then
    for html in "$out"/pages/*.html; do
        pdftotext -layout "${html%.html}.pdf" "${html%.html}.txt"
        if ! python3 - "$html" "${html%.html}.txt" <<'EOF'
import re, sys
from html.parser import HTMLParser

def norm(t):
    return re.sub(r"\s+", " ", t).strip()

class Headings(HTMLParser):
    """Each h2's text, and the intro paragraph right after it, if any."""
    def __init__(self):
        super().__init__()
        self.at, self.found, self.last = None, {}, None
    def handle_starttag(self, tag, attrs):
        if tag == "h2":
            self.at, self.last = "h2", ""
        elif tag == "p" and self.last is not None and ("class", "intro") in attrs:
            self.at = "intro"
        else:
            self.at = None if tag != "br" else self.at
    def handle_endtag(self, tag):
        if tag == "h2":
            self.found[norm(self.last)] = ""
        elif tag == "p" and self.at == "intro":
            self.found[norm(self.last)] = norm(self.found[norm(self.last)])
            self.last = None
        if tag in ("h2", "p"):
            self.at = None
    def handle_data(self, data):
        if self.at == "h2":
            self.last += data
        elif self.at == "intro":
            self.found[norm(self.last)] += data

h = Headings()
h.feed(open(sys.argv[1], encoding="utf-8").read())
intro = h.found
pages = open(sys.argv[2], encoding="utf-8").read().split("\f")
text = [[l.strip() for l in p.splitlines() if l.strip()] for p in pages]
count = len([t for t in text if t])
ok = True
for n, lines in enumerate(text[: count - 1], 1):
    # The last heading on the page, and what follows it there.
    at = max((i for i, l in enumerate(lines) if l in intro), default=None)
    if at is None:
        continue
    rest = lines[at + 1:]
    said = norm(" ".join(rest))
    # Its section goes on over the page (the next starts with no heading),
    # and the page holds none of it but its intro, or one line.
    goes_on = bool(text[n]) and text[n][0] not in intro
    if goes_on and (not rest or len(rest) == 1 or (said and intro[lines[at]].startswith(said))):
        print(f"  ORPHANED HEADING on page {n}: {lines[at]!r} ({sys.argv[2]})")
        ok = False
sys.exit(0 if ok else 1)
EOF
        then
            failed=1
        fi
    done
else
    echo "report-render: no pdftotext: the printed pages' headings are not checked"
fi

if [ "$failed" = 1 ]; then
    echo "report-render: a page rendered blank or a heading ends a printed page (see $out)"
    exit 1
fi
echo "report-render: every page has content, no heading ends a printed page: $out"
