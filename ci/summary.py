#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Adds up the JUnit XML reports in a folder and prints one closing line."""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def main() -> int:
    folder = Path(sys.argv[1])
    passed = failed = skipped = 0
    for path in sorted(folder.glob("*.xml")):
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as exc:
            print(f"{path.name}: unreadable report ({exc})")
            failed += 1
            continue
        for case in root.iter("testcase"):
            if case.find("failure") is not None or case.find("error") is not None:
                failed += 1
            elif case.find("skipped") is not None:
                skipped += 1
            else:
                passed += 1
    print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
