# SPDX-License-Identifier: MIT
"""The coverage report renders in a real browser: Debian's chromium takes
a headless screenshot of a report built from a small fixture coverage
file, and the PNG (parsed with zlib and struct only) must have the window's
size, not be blank, and show the grid's colours (hand-written green,
never red, baseline-only amber)."""

import importlib.util
import json
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WIDTH, HEIGHT = 1280, 900
GREEN, RED, AMBER = (0x66, 0xBB, 0x6A), (0xEF, 0x53, 0x50), (0xFF, 0xCA, 0x28)


def load(name, file):
    spec = importlib.util.spec_from_file_location(name, ROOT / "ci" / file)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("chromium not installed (Debian package 'chromium'; "
                "ci/install-deps.sh --report installs it)")


# -- fixture coverage ------------------------------------------------------

def fixture_run(folder: Path) -> None:
    regs = [("COUNT", "r", (3, 0)), ("COMPARE", "rw", (2, 2)),
            ("CTRL", "rw", (0, 0)), ("CMD", "w", (0, 4))]
    dev = {"path": "/machine/timer0", "type": "tick-timer"}
    doc = {"devices": [dict(dev, regions=[{
        "name": "regs", "base": 4096, "size": 16, "min-access": 4,
        "max-access": 4, "registers": [{"name": n, "offset": 4 * i,
                                        "width": 4, "access": a}
                                       for i, (n, a, _) in enumerate(regs)]}])]}

    def rec(tag, counts):
        out = []
        for n, _, _ in regs:
            r, w = counts.get(n, (0, 0))
            out.append({"region": "regs", "name": n, "qtest-reads": r,
                        "qtest-writes": w, "hart-reads": 0,
                        "hart-writes": 0, "other-reads": 0,
                        "other-writes": 0})
        return {"tag": tag, "pid": 1, "machine": "none",
                "devices": [dict(dev, registers=out)]}

    folder.mkdir(parents=True)
    (folder / "regmaps-1.jsonl").write_text(json.dumps(doc) + "\n")
    lines = [rec("tests/qtest/test_tick.py::test_a",
                 {n: c for n, _, c in regs}),
             rec("baseline:reset", {"COUNT": (1, 0), "CTRL": (1, 0)})]
    (folder / "pytest-1.jsonl").write_text(
        "".join(json.dumps(x) + "\n" for x in lines))


# -- PNG -------------------------------------------------------------------

def png_pixels(data: bytes):
    """(width, height, rows of RGB tuples) of an 8-bit RGB/RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, hdr = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, ctype, _, _, interlace = hdr
    assert depth == 8 and ctype in (2, 6) and interlace == 0, hdr
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        ftype, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if ftype == 1:
                line[x] = (line[x] + a) & 0xFF
            elif ftype == 2:
                line[x] = (line[x] + b) & 0xFF
            elif ftype == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pred) & 0xFF
        rows.append([tuple(line[x:x + 3]) for x in range(0, stride, bpp)])
        prev = line
    return width, height, rows


def test_report_renders_in_chromium(tmp_path):
    browser = chromium()
    gate = load("coverage_gate", "coverage-gate.py")
    report = load("report", "report.py")
    fixture_run(tmp_path / "regcov")
    merged = tmp_path / "merged.json"
    (tmp_path / "none.txt").write_text("")
    rc = gate.main(["--regcov", str(tmp_path / "regcov"), "--exceptions",
                    str(tmp_path / "none.txt"), "--json-out", str(merged)])
    assert rc == 1  # CTRL was never touched by hand: the report shows why
    page = tmp_path / "report" / "index.html"
    assert report.main(["--merged", str(merged), "--out", str(page)]) == 0
    text = page.read_text()
    assert "tick-timer" in text and "regs.CTRL" in text

    png = tmp_path / "shot.png"
    proc = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={png}",
         f"--window-size={WIDTH},{HEIGHT}", page.as_uri()],
        capture_output=True, text=True, timeout=120)
    assert png.exists(), f"no screenshot (status {proc.returncode}):\n" \
                         f"{proc.stderr[-2000:]}"
    width, height, rows = png_pixels(png.read_bytes())
    assert (width, height) == (WIDTH, HEIGHT)
    colours = {}
    for row in rows[::2]:
        for px in row[::2]:
            colours[px] = colours.get(px, 0) + 1
    background = max(colours.values())
    assert len(colours) > 20, "screenshot has almost no distinct colours"
    assert background < 0.98 * sum(colours.values()), "screenshot is blank"
    for name, rgb in (("green", GREEN), ("red", RED), ("amber", AMBER)):
        assert colours.get(rgb, 0) > 50, f"no {name} {rgb} cells rendered"
