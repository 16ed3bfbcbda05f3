#!/usr/bin/env bash
# report_html_render: the HTML report of a real trace renders in headless
# Chromium to a page that is not blank (many distinct colours: plots,
# legend, heat strip), and the page loads nothing from the network.  The
# overview is drawn: inside the region of its strips' track colour there
# are pixels of the read, mmap and write colours.  Its table sorts: the
# page opened with #sort=KEY, dumped after its script ran, has its rows in
# that order (names A to Z, numbers most first).
# REPORT_SHOT=FILE keeps the screenshot.
. "$SRCDIR/tests/integration/lib.sh"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || skip "chromium is not installed (scripts/setup installs it)"
command -v python3 >/dev/null || skip "python3 is not installed (it reads the PNG)"

head -c $((4 << 20)) /dev/urandom > "$SRC/data.bin"
mount_accessfs
cat "$MNT/data.bin" > /dev/null
python3 -c '
import mmap, sys
f = open(sys.argv[1], "r+b")
m = mmap.mmap(f.fileno(), 0)
s = sum(m[i] for i in range(0, len(m), 4096))
m[0:4096] = bytes(4096)
m.flush()
' "$MNT/data.bin"
dd if=/dev/zero of="$MNT/out.bin" bs=64k count=32 status=none
echo x > "$MNT/aaa.txt"	# last by bytes, first by name: sorting must move it
unmount_accessfs

"$ACCESSFS" report "$TRACE" --format html -o "$T/report.html" || fail "report --format html failed"
grep -qi '<script[^>]*src\|<link\|https\?:\|url(' "$T/report.html" &&
	fail "the HTML refers to something outside itself"

chromium_run() {
	timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$T/profile" "$@" 2> "$T/chromium.log"
}

mkdir -p "$T/profile"
chromium_run --screenshot="$T/shot.png" --window-size=1200,2000 "file://$T/report.html" \
	> /dev/null || {
	cat "$T/chromium.log" >&2
	fail "chromium could not render the report"
}
[ -s "$T/shot.png" ] || fail "chromium wrote no screenshot"
[ -n "${REPORT_SHOT:-}" ] && cp "$T/shot.png" "$REPORT_SHOT"

# Decode the PNG with zlib alone (no PIL): RGB or RGBA, 8 bits.
python3 - "$T/shot.png" <<'PY' || fail "the rendered report looks blank, or has no overview"
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, w = 8, b"", 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        assert depth == 8 and ctype in (2, 6), ("unsupported PNG", depth, ctype)
        bpp = 3 if ctype == 2 else 4
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
rows = []
for y in range(h):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append([bytes(line[x:x + 3]) for x in range(0, stride, bpp)])
    prev = line

colours = {px for y in range(0, h, 4) for px in rows[y][::2]}
print("distinct colours:", len(colours), file=sys.stderr)
assert len(colours) > 50, len(colours)

# The overview: the bounding box of its strips' track (#e9eef2, used
# nowhere else), and in it the method colours of trace_format.h, drawn
# solid there (the per-file plots draw them translucent).
track = bytes.fromhex("e9eef2")
where = [(x, y) for y in range(h) for x, px in enumerate(rows[y]) if px == track]
assert where, "no overview strips on the page"
x0, x1 = min(x for x, _ in where), max(x for x, _ in where)
y0, y1 = min(y for _, y in where), max(y for _, y in where)
print("overview strips at x %d-%d, y %d-%d" % (x0, x1, y0, y1), file=sys.stderr)
assert y0 < 1000, "the overview is not near the top of the page"
for name, hexcolour in (("read", "0072b2"), ("mmap", "e69f00"), ("write", "009e73")):
    want = bytes.fromhex(hexcolour)
    n = sum(1 for y in range(y0, y1 + 1) for px in rows[y][x0:x1 + 1] if px == want)
    print("overview pixels of %s: %d" % (name, n), file=sys.stderr)
    assert n >= 12, ("no %s requests drawn in the overview" % name, n)
PY

# Sorting: the DOM after the script ran on report.html#sort=KEY.
for key in path requests; do
	chromium_run --dump-dom "file://$T/report.html#sort=$key" > "$T/sorted-$key.html" || {
		cat "$T/chromium.log" >&2
		fail "chromium could not load the report with #sort=$key"
	}
done
python3 - "$T/report.html" "$T/sorted-path.html" "$T/sorted-requests.html" <<'PY' ||
import sys
from html.parser import HTMLParser

class Overview(HTMLParser):
    """The overview's header keys, its data-sorted, and each row's data-v values."""
    def __init__(self):
        super().__init__()
        self.inside = self.body = False
        self.keys, self.rows, self.sorted = [], [], None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and a.get("id") == "overview":
            self.inside, self.sorted = True, a.get("data-sorted")
        elif self.inside and tag == "th":
            self.keys.append(a.get("data-key"))
        elif self.inside and tag == "tbody":
            self.body = True
        elif self.body and tag == "tr":
            self.rows.append([])
        elif self.body and tag == "td":
            self.rows[-1].append(a.get("data-v"))
    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = self.body = False

def overview(path):
    p = Overview()
    p.feed(open(path).read())
    return p

plain = overview(sys.argv[1])
paths = [r[0] for r in plain.rows]
assert len(paths) >= 3 and "aaa.txt" in paths, paths
assert plain.sorted is None, plain.sorted

by_path = overview(sys.argv[2])
assert by_path.sorted == "path up", by_path.sorted
got = [r[0] for r in by_path.rows]
assert got == sorted(paths), ("not sorted by name", got)
assert got != paths, "sorting by name changed nothing (aaa.txt should move up)"

by_req = overview(sys.argv[3])
col = by_req.keys.index("requests")
assert by_req.sorted == "requests down", by_req.sorted
got = [int(r[col]) for r in by_req.rows]
assert got == sorted(got, reverse=True), ("not sorted by requests", got)
assert sorted(r[0] for r in by_req.rows) == sorted(paths), "rows lost in sorting"
PY
	fail "the overview table does not sort"
