#!/usr/bin/env python3
"""Builds the Windows installer (MSI) of the counter app from main.wxs with wixl (msitools).

    packaging/windows/build-msi.py --bin-dir DIR --version 0.1.0 --out motcua.msi

run from the repository root; DIR (relative to it) holds motcua.exe and motcuaw.exe.

Four things wixl cannot do are done here:

1. Vietnamese text. The MSI keeps its strings in code page 1258, where Vietnamese letters
   with a tone mark are two bytes (the letter, then the combining tone mark); libmsi
   assumes one byte per character and crashes writing them. So wixl gets main.wxs with
   each Vietnamese string replaced by an ASCII stand-in exactly as many bytes long as the
   string in code page 1258, and the stand-ins are then overwritten in the finished file's
   streams with the real bytes: the string pool's lengths stay right.
2. The PATH. wixl has no <Environment>: the Environment table (motcua.exe's folder
   appended to the system PATH, taken off at uninstall) and its two standard actions are
   added with msibuild.
3. The database code page. wixl leaves the string pool's code page at 0 (ASCII only);
   it is set to 1258 here, so Windows Installer reads the strings as Vietnamese.
4. The shortcut's AppUserModelID (MsiShortcutProperty, Windows 7 and later), so the
   running window is grouped with the Start-menu entry on the taskbar.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

import olefile

CODEPAGE = "cp1258"
CODEPAGE_ID = 1258
# How OLE stream names are stored in an MSI (each table's stream name is compressed).
NAME_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._"
APP_ID = "motcua.motcua"


def stand_ins(text):
    """Replaces every non-ASCII attribute value with an ASCII stand-in of the same length
    in code page 1258; returns the new text and {stand-in bytes: real bytes}."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    table = {}
    by_value = {}

    def swap(m):
        value = m.group(2)
        if value.isascii():
            return m.group(0)
        if "&" in value:
            sys.exit(f"build-msi: an entity in a Vietnamese string is not handled: {value!r}")
        try:
            real = value.encode(CODEPAGE)
        except UnicodeEncodeError as e:
            sys.exit(
                f"build-msi: {value!r} does not fit code page 1258 ({e}); "
                "run packaging/windows/check-wxs.py --fix packaging/windows/main.wxs"
            )
        if value not in by_value:
            n = len(by_value)
            stand_in = f"Zq{n:03d}".ljust(len(real), "q")
            if len(stand_in) != len(real):
                sys.exit(f"build-msi: {value!r} is too short for a stand-in")
            by_value[value] = stand_in
            table[stand_in.encode("ascii")] = real
        return f"{m.group(1)}{by_value[value]}{m.group(1)[-1]}"

    return re.sub(r"(=\s*['\"])([^'\"]*)['\"]", swap, text), table


def run(*cmd):
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"build-msi: {' '.join(cmd)} failed ({done.returncode}):\n{done.stderr}")


def add_tables(msi):
    queries = [
        "CREATE TABLE `Environment` (`Environment` CHAR(72) NOT NULL, "
        "`Name` CHAR(255) NOT NULL LOCALIZABLE, `Value` CHAR(255) LOCALIZABLE, "
        "`Component_` CHAR(72) NOT NULL PRIMARY KEY `Environment`)",
        # '=' set at install, '-' removed at uninstall, '*' the system environment;
        # "[~];" appends to the existing value.
        "INSERT INTO `Environment` (`Environment`, `Name`, `Value`, `Component_`) "
        "VALUES ('Path', '=-*PATH', '[~];[Bin]', 'App')",
        "INSERT INTO `InstallExecuteSequence` (`Action`, `Sequence`) "
        "VALUES ('RemoveEnvironmentStrings', 3300)",
        "INSERT INTO `InstallExecuteSequence` (`Action`, `Sequence`) "
        "VALUES ('WriteEnvironmentStrings', 5200)",
        "CREATE TABLE `MsiShortcutProperty` (`MsiShortcutProperty` CHAR(72) NOT NULL, "
        "`Shortcut_` CHAR(72) NOT NULL, `PropertyKey` CHAR(0) NOT NULL, "
        "`PropVariantValue` CHAR(0) NOT NULL PRIMARY KEY `MsiShortcutProperty`)",
        "INSERT INTO `MsiShortcutProperty` (`MsiShortcutProperty`, `Shortcut_`, "
        f"`PropertyKey`, `PropVariantValue`) VALUES ('AppUserModelID', 'AppShortcut', "
        f"'System.AppUserModel.ID', '{APP_ID}')",
    ]
    for q in queries:
        run("msibuild", msi, "-q", q)


def stream_name(stored):
    """The readable name of an MSI stream (`!_StringPool` for a table's)."""
    out = ""
    for ch in stored:
        c = ord(ch)
        if c == 0x4840:
            out += "!"
        elif 0x3800 <= c < 0x4800:
            c -= 0x3800
            out += NAME_CHARS[c & 0x3F] + NAME_CHARS[(c >> 6) & 0x3F]
        elif 0x4800 <= c < 0x4840:
            out += NAME_CHARS[c - 0x4800]
        else:
            out += ch
    return out


def put_real_text(msi, table):
    """Overwrites the stand-ins in every stream of the compound file, in place."""
    left = set(table)
    with olefile.OleFileIO(msi, write_mode=True) as ole:
        for entry in ole.listdir(streams=True, storages=False):
            data = ole.openstream(entry).read()
            new = data
            for stand_in, real in table.items():
                if stand_in in new:
                    new = new.replace(stand_in, real)
                    left.discard(stand_in)
            if stream_name(entry[-1]) == "!_StringPool":
                # The pool starts with the code page (16 bits) and flags (16 bits).
                new = CODEPAGE_ID.to_bytes(2, "little") + new[2:]
            if new != data:
                ole.write_stream(entry, new)
    if left:
        sys.exit(f"build-msi: stand-ins not found in the package: {sorted(left)}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin-dir", required=True, help="folder of motcua.exe and motcuaw.exe, relative")
    ap.add_argument("--version", required=True, help="three numbers, e.g. 0.1.0")
    ap.add_argument("--out", required=True)
    ap.add_argument("--wxs", default="packaging/windows/main.wxs")
    a = ap.parse_args()
    if os.path.isabs(a.bin_dir):
        sys.exit("build-msi: --bin-dir must be relative to the repository root (wixl wants that)")
    with open(a.wxs, encoding="utf-8") as f:
        text, table = stand_ins(f.read())
    with tempfile.TemporaryDirectory() as tmp:
        wxs = os.path.join(tmp, "main.wxs")
        with open(wxs, "w", encoding="utf-8") as f:
            f.write(text)
        msi = os.path.join(tmp, "motcua.msi")
        run("wixl", "-a", "x64", "-D", f"Version={a.version}",
            "-D", f"CargoTargetBinDir={a.bin_dir}", "-o", msi, wxs)
        add_tables(msi)
        put_real_text(msi, table)
        shutil.move(msi, a.out)
    print(f"{a.out}: {os.path.getsize(a.out)} bytes, {len(table)} Vietnamese strings")


if __name__ == "__main__":
    main()
