#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The HTML coverage report a reviewer opens: out/report/index.html.

Per device type, a grid of registers x (read, write, reset-checked):

  green   hand-written tests did it (the count says how often)
  amber   only the generated baseline tests did it
  red     nothing did, and the register's access needs it
  grey    not applicable (a write to a read-only register, ...)

with the gate's verdict at the top, and each device linked to the gcovr
line-coverage page of its source file.

    ci/report.py --merged out/regcov/merged.json \\
        --coverage out/coverage/index.html --out out/report/index.html

--merged is ci/coverage-gate.py --json-out; --coverage is gcovr's
--html-details index (optional: without it there are no line links).
Standard library only.
"""

import argparse
import html
import json
import os
import re
import sys
from pathlib import Path
from typing import Dict, Optional

REPO = Path(__file__).resolve().parents[1]

CSS = """
body { font: 14px/1.4 sans-serif; margin: 24px; color: #222; }
h1 { font-size: 22px; margin: 0 0 8px; }
h2 { font-size: 17px; margin: 28px 0 6px; }
.verdict { padding: 8px 12px; border-radius: 4px; display: inline-block;
           font-weight: bold; }
.pass { background: #c8e6c9; } .fail { background: #ffcdd2; }
table { border-collapse: collapse; margin: 6px 0; }
th, td { border: 1px solid #bbb; padding: 3px 10px; text-align: center; }
th { background: #eee; } td.name { text-align: left; font-family: monospace; }
td.hand { background: #66bb6a; } td.base { background: #ffca28; }
td.none { background: #ef5350; color: #fff; } td.na { background: #e0e0e0;
color: #888; }
.legend span { display: inline-block; padding: 2px 8px; margin-right: 6px; }
.small { color: #555; font-size: 12px; }
"""


def type_sources(repo: Path) -> Dict[str, str]:
    """device type -> hw/ source file: the file named like the type, else
    the .c beside the header that #defines TYPE_X "type"."""
    out = {}
    for c in (repo / "hw").glob("**/*.c"):
        out[c.stem] = c.relative_to(repo).as_posix()
    for h in (repo / "hw").glob("**/*.h"):
        try:
            text = h.read_text(errors="replace")
        except OSError:
            continue
        for t in re.findall(r'#define\s+TYPE_\w+\s+"([^"]+)"', text):
            c = h.with_suffix(".c")
            if t not in out and c.exists():
                out[t] = c.relative_to(repo).as_posix()
    return out


def gcovr_pages(index: Optional[Path]) -> Dict[str, str]:
    """link text (path below gcovr's common root) -> detail page name."""
    if index is None or not index.exists():
        return {}
    text = index.read_text(errors="replace")
    return {m.group(2): m.group(1) for m in
            re.finditer(r'<a href="(index\.[^"]+\.html)">([^<]+)</a>', text)}


def page_for(pages: Dict[str, str], src: str) -> Optional[str]:
    for label, page in pages.items():
        if src == label or src.endswith("/" + label):
            return page
    return None


def cell(kind: str, hand: int, base: int, needed: bool) -> str:
    if hand:
        cls, text = "hand", f"{hand}" + (f" <span class=small>+{base}</span>"
                                         if base else "")
    elif base:
        cls, text = "base", f"0 <span class=small>+{base}</span>"
    elif needed:
        cls, text = "none", "0"
    else:
        cls, text = "na", "n/a"
    return f'<td class="{cls}" title="{kind}">{text}</td>'


def render(merged: dict, coverage_index: Optional[Path], out: Path,
           repo: Path = REPO) -> str:
    sources = type_sources(repo)
    pages = gcovr_pages(coverage_index)
    cov_rel = None
    if coverage_index is not None:
        cov_rel = os.path.relpath(coverage_index.parent, out.parent)
    origins = merged.get("origins", ["qtest"])
    ok = merged.get("pass", False)
    parts = [
        "<!DOCTYPE html>", "<html><head><meta charset='utf-8'>",
        "<title>Benchtop register coverage</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>Benchtop register coverage</h1>",
        f'<div class="verdict {"pass" if ok else "fail"}">coverage gate: '
        f'{"PASS" if ok else "FAIL"}</div>',
        f"<p class=small>{merged.get('processes', 0)} emulator processes "
        f"({merged.get('baseline-processes', 0)} generated baseline); "
        f"hand-written counts are {'+'.join(origins)} accesses; "
        f"small numbers are baseline accesses.</p>",
        "<p class=legend><span class=hand style='background:#66bb6a'>"
        "hand-written</span><span style='background:#ffca28'>baseline only"
        "</span><span style='background:#ef5350;color:#fff'>never</span>"
        "<span style='background:#e0e0e0'>not applicable</span></p>",
    ]
    problems = merged.get("problems", [])
    if problems:
        parts.append("<h2>Why the gate fails</h2><table><tr><th>kind</th>"
                     "<th>what</th><th>detail</th></tr>")
        for p in problems:
            parts.append(f"<tr><td>{html.escape(p['kind'])}</td>"
                         f"<td class=name>{html.escape(p['key'])}</td>"
                         f"<td class=name>{html.escape(p['detail'])}</td>"
                         "</tr>")
        parts.append("</table>")
    files = merged.get("files", {})
    for dev_type, dev in sorted(merged.get("devices", {}).items()):
        src = sources.get(dev_type)
        title = html.escape(dev_type)
        link = ""
        if src:
            page = page_for(pages, src)
            lines = files.get(src, {}).get("lines")
            pct = f" {lines[2]:.1f}% lines" if lines else ""
            if page and cov_rel is not None:
                link = (f' &mdash; <a href="{html.escape(cov_rel)}/'
                        f'{html.escape(page)}">{html.escape(src)}</a>{pct}')
            else:
                link = f" &mdash; {html.escape(src)}{pct}"
        paths = ", ".join(dev.get("paths", []))
        regs = dev.get("registers", [])
        done = sum(1 for r in regs if not r.get("missing"))
        parts.append(f'<h2 id="{title}">{title}{link}</h2>'
                     f"<p class=small>{html.escape(paths)} &mdash; {done}/"
                     f"{len(regs)} registers covered by hand-written "
                     "tests</p>")
        parts.append("<table><tr><th>register</th><th>access</th>"
                     "<th>read</th><th>write</th><th>reset-checked</th>"
                     "</tr>")
        for r in regs:
            hand_r = sum(r["hand"].get(f"{o}-reads", 0) for o in origins)
            hand_w = sum(r["hand"].get(f"{o}-writes", 0) for o in origins)
            base_r = r["baseline"].get("qtest-reads", 0)
            base_w = r["baseline"].get("qtest-writes", 0)
            acc = r.get("access", "rw")
            reset = r.get("reset-checked", 0)
            name = html.escape(f"{r['region']}.{r['name']}")
            tests = html.escape(", ".join(r.get("tests", [])[:8]))
            parts.append(
                f'<tr><td class=name title="{tests}">{name}</td>'
                f"<td>{html.escape(acc)}</td>"
                + cell("read", hand_r, base_r, acc in ("r", "rw"))
                + cell("write", hand_w, base_w, acc in ("w", "rw"))
                + (f'<td class="base" title="reset">{reset}</td>' if reset
                   else '<td class="na" title="reset">no</td>')
                + "</tr>")
        parts.append("</table>")
    if files:
        parts.append("<h2>hw/ files</h2><table><tr><th>file</th>"
                     "<th>line coverage</th><th>test files</th></tr>")
        for f, info in sorted(files.items()):
            lines = info.get("lines")
            page = page_for(pages, f)
            name = html.escape(f)
            if page and cov_rel is not None:
                name = f'<a href="{html.escape(cov_rel)}/{page}">{name}</a>'
            cls = "na"
            if lines:
                cls = "hand" if lines[2] >= 90 else "none"
            tests = info.get("tests")
            parts.append(
                f"<tr><td class=name>{name}</td><td class={cls}>"
                + (f"{lines[2]:.1f}% ({lines[0]}/{lines[1]})" if lines
                   else "-")
                + "</td><td class=name>"
                + (html.escape(", ".join(tests)) if tests
                   else ("NONE" if tests is not None else "(not a device)"))
                + "</td></tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--merged", type=Path, required=True)
    ap.add_argument("--coverage", type=Path, default=None,
                    help="gcovr --html-details index.html")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--repo", type=Path, default=REPO)
    args = ap.parse_args(argv)
    try:
        merged = json.loads(args.merged.read_text())
    except (OSError, json.JSONDecodeError) as e:
        print(f"report: cannot read {args.merged}: {e}", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(merged, args.coverage, args.out, args.repo))
    print(f"report: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
