#!/usr/bin/env python3
"""Checks that a WiX source is well-formed XML and holds only what code page 1258
(Vietnamese) can encode, and with --fix rewrites it so: a precomposed letter 1258 lacks
(ệ, ử, ...) becomes its base letter (ê, ư, ... which 1258 has) followed by the combining
tone mark."""
import sys
import unicodedata
import xml.dom.minidom

TONES = "\u0300\u0301\u0303\u0309\u0323"


def to_cp1258(text: str) -> str:
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            ch.encode("cp1258")
            out.append(ch)
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base, marks = parts[0], parts[1:]
        shape = "".join(m for m in marks if m not in TONES)
        tones = "".join(m for m in marks if m in TONES)
        out.append(unicodedata.normalize("NFC", base + shape) + tones)
    return "".join(out)


def main() -> int:
    fix = "--fix" in sys.argv
    files = [a for a in sys.argv[1:] if a != "--fix"]
    bad = 0
    for path in files:
        text = open(path, encoding="utf-8").read()
        if fix:
            text = to_cp1258(text)
            open(path, "w", encoding="utf-8").write(text)
        try:
            xml.dom.minidom.parseString(text.encode("utf-8"))
        except Exception as e:  # noqa: BLE001 - any parse error is the answer
            bad += 1
            print(f"{path}: not well-formed XML: {e}")
        for n, line in enumerate(text.splitlines(), 1):
            try:
                line.encode("cp1258")
            except UnicodeEncodeError as e:
                bad += 1
                print(f"{path}:{n}: {line[e.start:e.end]!r} is not in code page 1258")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
