#!/usr/bin/env bash
# report_html_render: the HTML report of a real trace renders in headless
# Chromium to a page that is not blank (many distinct colours: plots,
# legend, heat strip), and the page loads nothing from the network.
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
unmount_accessfs

"$ACCESSFS" report "$TRACE" --format html -o "$T/report.html" || fail "report --format html failed"
grep -qi '<script\|https\?:\|url(' "$T/report.html" && fail "the HTML refers to something outside itself"

mkdir -p "$T/profile"
timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--user-data-dir="$T/profile" --screenshot="$T/shot.png" --window-size=1200,2000 \
	"file://$T/report.html" > "$T/chromium.log" 2>&1 || {
	cat "$T/chromium.log" >&2
	fail "chromium could not render the report"
}
[ -s "$T/shot.png" ] || fail "chromium wrote no screenshot"
[ -n "${REPORT_SHOT:-}" ] && cp "$T/shot.png" "$REPORT_SHOT"

# Count distinct colours with zlib alone (no PIL): RGB or RGBA, 8 bits.
python3 - "$T/shot.png" <<'PY' || fail "the rendered report looks blank"
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
colours = set()
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
    if y % 4 == 0:
        for x in range(0, stride, bpp * 2):
            colours.add(bytes(line[x:x + 3]))
    prev = line
print("distinct colours:", len(colours), file=sys.stderr)
assert len(colours) > 50, len(colours)
PY
