#!/usr/bin/env python3
"""Rebuild the commune catalogue from crawls of the national portal's detail records.

What it does
------------
`vinh-bao-hai-phong.json` (format ``motcua-national-catalog/1``, see README.md next to
this script) lists the procedures of one commune centre. Each record is a record of the
national public-service portal (dichvucong.gov.vn) plus motcua's ``x_`` fields. Where
only the portal's *list item* was available the record has ``x_detail: "list_item"`` and
no terms, fees, cases or documents.

This script takes such a file as the **listing** (the source of truth for which
procedures the commune offers and for every ``x_listing``, ``x_counter``, ``x_notes``,
``commune`` and ``excluded`` value, and for the record order) and, for every record whose
code has a full detail record in one of two crawls of the portal, replaces the portal
part of the record with that detail record:

* the portal part is the ``data`` member of the portal's answer (OpenGOV crawl) or the
  ``detail`` member of the crawler's wrapper (crwatdatadvc crawl), kept exactly as
  crawled: same fields, same order, same values (nothing renamed, edited or dropped);
* ``x_detail`` becomes ``"full"``;
* ``x_detailSource`` becomes ``<owner/repo>@<commit>:<path of the crawled file>``;
* ``x_unconfirmed`` is recomputed with the rules of README.md (``processing_time``,
  ``fee``, ``profile_components``, ``legal_basis``; see ``unconfirmed()`` below);
* the other ``x_`` fields are kept as they were, in their order, after the portal part.

When both crawls hold the code, the record with the later ``updatedAt`` wins; on a tie
the OpenGOV one (the crawl the file used first). Records found in neither crawl are
copied unchanged. Top-level ``version``, ``snapshot``, ``sources`` and ``conventions``
are rewritten to name the crawls and their commits; everything else is copied.

The output is deterministic (same inputs give the same bytes) and keeps the layout of
the file: top level indented by one space, one record per line (compact JSON, UTF-8, no
ASCII escaping), a final newline.

A coverage report (before -> after, per ``x_listing.localField`` and in total) is printed
on standard output; warnings (code mismatches, id changes, ...) on standard error.

Inputs
------
``--opengov DIR``  a checkout (or extracted tree) of github.com/VoidKeishi/OpenGOV. The
    records are ``DIR/backend/data/crawl/details/<code>.json``, each the portal's envelope
    ``{"code":"OK","data":{...},"message":"OK"}``.
``--crawl DIR``    a checkout (or extracted tree) of github.com/qtungnui07/crwatdatadvc.
    The records are ``DIR/procedures/<group>/<code>/raw_procedure.json``, each the
    crawler's wrapper ``{id, code, name, detail}``.
``--opengov-commit SHA``, ``--crawl-commit SHA``  the commits the trees come from; when
    omitted, ``git -C DIR rev-parse HEAD`` is tried.
Either crawl may be left out (``--opengov``/``--crawl`` not given); at least one is needed.

Usage (Python 3.11+, standard library only)
-------------------------------------------
    python3 assets/catalog/national/build_catalog.py \\
        --listing assets/catalog/national/vinh-bao-hai-phong.json \\
        --opengov /tmp/crawl --opengov-commit feccba6e4bfcd53a93fcd0dacf2b7abc6a1d814e \\
        --crawl /tmp/crawl --crawl-commit 3ec9a11f5f16009cbeacee9f52e7366603eb7632 \\
        --crawl-date 2026-07-18 \\
        -o assets/catalog/national/vinh-bao-hai-phong.json

With a newer crawl: point ``--crawl``/``--opengov`` at it, give its commit and its crawl
date (``--crawl-date``, which also names the version ``<listing version>+dvcqg-YYYYMMDD``
unless ``--version`` is given), and run the same command. The input may be the file this
script wrote before: running it twice on the same crawls gives the same bytes.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import subprocess
import sys
from collections import OrderedDict

OPENGOV_REPO = "VoidKeishi/OpenGOV"
CRAWL_REPO = "qtungnui07/crwatdatadvc"
OPENGOV_GLOB = "backend/data/crawl/details/*.json"
CRAWL_GLOB = "procedures/*/*/raw_procedure.json"

# Units whose number is a real term (README: "a number with a real unit").
REAL_UNITS = ("WORKING_DAY", "DAY", "HOUR", "MONTH")
# Order of the x_unconfirmed tokens, as in README.md.
TOKEN_ORDER = (
    "execution_methods",
    "processing_time",
    "fee",
    "cases",
    "profile_components",
    "legal_basis",
    "agency_level",
    "name_national",
    "category_national",
    "agency",
)
NO_FIELD = "(không ghi lĩnh vực: Hải Phòng 2670/QĐ-UBND)"


def warn(msg: str) -> None:
    print("warning: " + msg, file=sys.stderr)


def git_head(path: str) -> str | None:
    try:
        out = subprocess.run(
            ["git", "-C", path, "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    sha = out.stdout.strip()
    return sha or None


def load_json(path: str):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


# --------------------------------------------------------------------------- crawls


class Found:
    """One crawled detail record."""

    def __init__(self, repo: str, commit: str, relpath: str, record: dict, rank: int):
        self.repo = repo
        self.commit = commit
        self.relpath = relpath
        self.record = record
        self.rank = rank  # 0 = OpenGOV (preferred on a tie), 1 = crwatdatadvc

    @property
    def source(self) -> str:
        return f"{self.repo}@{self.commit}:{self.relpath}"

    @property
    def updated(self) -> float:
        u = self.record.get("updatedAt")
        if isinstance(u, (int, float)) and not isinstance(u, bool):
            return float(u)
        return float("-inf")


def better(a: Found | None, b: Found) -> Found:
    """The record to use of two for the same code: later updatedAt, then lower rank
    (OpenGOV first), then the smaller path (only to stay deterministic)."""
    if a is None:
        return b
    ka = (-a.updated, a.rank, a.relpath)
    kb = (-b.updated, b.rank, b.relpath)
    return a if ka <= kb else b


def index_crawl(root: str, pattern: str, repo: str, commit: str, rank: int, member: str):
    """code -> Found (exact code as the record writes it), plus codes written with
    surrounding blanks (stripped code -> Found) used only when no exact code exists."""
    exact: dict[str, Found] = {}
    padded: dict[str, Found] = {}
    files = sorted(glob.glob(os.path.join(root, pattern)))
    if not files:
        sys.exit(f"error: no file matches {os.path.join(root, pattern)}")
    for path in files:
        rel = os.path.relpath(path, root).replace(os.sep, "/")
        doc = load_json(path)
        if member == "data":
            if doc.get("code") != "OK" or not isinstance(doc.get("data"), dict):
                warn(f"{repo}:{rel}: not an OK answer with a data record, skipped")
                continue
        elif not isinstance(doc.get(member), dict):
            warn(f"{repo}:{rel}: no '{member}' record, skipped")
            continue
        rec = doc[member]
        code = rec.get("code")
        if not isinstance(code, str) or not code.strip():
            warn(f"{repo}:{rel}: record without a code, skipped")
            continue
        named = os.path.basename(os.path.dirname(path)) if member == "detail" else os.path.basename(path)[:-5]
        if named != code.strip():
            warn(f"{repo}:{rel}: file named {named!r} holds code {code!r}")
        if member == "detail" and (doc.get("code") != code or doc.get("id") != rec.get("id")):
            warn(f"{repo}:{rel}: wrapper code/id differ from the record's")
        found = Found(repo, commit, rel, rec, rank)
        if code == code.strip():
            if code in exact:
                warn(f"{repo}: code {code} in {exact[code].relpath} and {rel}")
            exact[code] = better(exact.get(code), found)
        else:
            warn(f"{repo}:{rel}: code {code!r} has surrounding blanks")
            padded[code.strip()] = better(padded.get(code.strip()), found)
    return exact, padded, len(files)


# --------------------------------------------------------------------------- rules


def is_real(qty, unit) -> bool:
    return (
        unit in REAL_UNITS
        and isinstance(qty, (int, float))
        and not isinstance(qty, bool)
        and qty > 0
    )


def term_status(rec: dict) -> str:
    """'real': some channel or case gives a number > 0 with a real unit;
    'other': terms are given but only as OTHER, 0, another unit or text;
    'none': no channel or case gives any processing time."""
    seen = False
    for m in rec.get("executionMethods") or []:
        if not isinstance(m, dict):
            continue
        qty, unit = m.get("processingTime"), m.get("processingTimeUnit")
        if is_real(qty, unit):
            return "real"
        if qty not in (None, "") or unit not in (None, ""):
            seen = True
    for c in rec.get("cases") or []:
        if not isinstance(c, dict):
            continue
        pd = c.get("processingDay")
        if isinstance(pd, dict):
            if is_real(pd.get("qty"), pd.get("type")):
                return "real"
            if pd.get("qty") not in (None, "") or pd.get("type") not in (None, ""):
                seen = True
    return "other" if seen else "none"


def unconfirmed(rec: dict) -> list[str]:
    """x_unconfirmed of a full detail record (README.md, 'Conventions added by motcua')."""
    out = set()
    if term_status(rec) != "real":
        out.add("processing_time")
    if not any(
        isinstance(m, dict) and m.get("fees") for m in rec.get("executionMethods") or []
    ):
        out.add("fee")
    if not any(
        isinstance(g, dict) and g.get("profileComponents")
        for g in rec.get("executionCases") or []
    ):
        out.add("profile_components")
    if not rec.get("legalBasisesDetails"):
        out.add("legal_basis")
    return [t for t in TOKEN_ORDER if t in out]


# --------------------------------------------------------------------------- output


def dump_compact(v) -> str:
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))


def render(doc: "OrderedDict[str, object]") -> str:
    parts = []
    for k, v in doc.items():
        if k in ("records", "excluded") and isinstance(v, list):
            if v:
                inner = ",\n".join("  " + dump_compact(r) for r in v)
                parts.append(" " + json.dumps(k) + ": [\n" + inner + "\n ]")
            else:
                parts.append(" " + json.dumps(k) + ": []")
        else:
            s = json.dumps(v, ensure_ascii=False, indent=1).replace("\n", "\n ")
            parts.append(" " + json.dumps(k) + ": " + s)
    return "{\n" + ",\n".join(parts) + "\n}\n"


# --------------------------------------------------------------------------- report


def coverage(records: list[dict]):
    """localField -> counts over the listing records (inCommuneListing true)."""
    rows: dict[str, dict[str, int]] = {}
    for r in records:
        lst = r.get("x_listing") or {}
        if not lst.get("inCommuneListing"):
            continue
        field = lst.get("localField") or NO_FIELD
        row = rows.setdefault(field, {"total": 0, "full": 0, "real": 0, "other": 0, "none": 0})
        row["total"] += 1
        if r.get("x_detail") == "full":
            row["full"] += 1
            row[term_status(r)] += 1
        else:
            row["none"] += 1
    return rows


def print_report(before: list[dict], after: list[dict], hidden_changed: list[str], hidden_total: int, counts: dict):
    b, a = coverage(before), coverage(after)
    fields = sorted(a, key=lambda f: (-a[f]["total"], f))
    cols = ("full", "real", "other", "none")
    print("Coverage of the commune listing (x_listing.inCommuneListing), before -> after")
    print("  full  = the full national detail record")
    print("  real  = a processing time with a real unit (WORKING_DAY, DAY, HOUR, MONTH, number > 0) on some channel or case")
    print("  other = only OTHER units, 0, another unit or a text processingTime")
    print("  none  = no processing time at all (incl. list items and codes not in the national catalogue)")
    print()
    print("| Lĩnh vực | total | full | real term | only OTHER/0/text | none |")
    print("|---|---|---|---|---|---|")
    tot_b = {c: 0 for c in ("total",) + cols}
    tot_a = dict(tot_b)
    for f in fields:
        rb = b.get(f, {c: 0 for c in ("total",) + cols})
        ra = a[f]
        for c in tot_b:
            tot_b[c] += rb[c]
            tot_a[c] += ra[c]
        cells = " | ".join(
            f"{rb[c]} → {ra[c]}" if rb[c] != ra[c] else f"{ra[c]}" for c in cols
        )
        print(f"| {f} | {ra['total']} | {cells} |")
    cells = " | ".join(f"{tot_b[c]} → {tot_a[c]}" for c in cols)
    print(f"| **total** | {tot_a['total']} | {cells} |")
    print()
    for k, v in counts.items():
        print(f"{k}: {v}")
    print(f"hidden records (not in the listing) changed: {len(hidden_changed)} of {hidden_total}"
          + (f" ({', '.join(hidden_changed)})" if hidden_changed else ""))


# --------------------------------------------------------------------------- main


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--listing", required=True, help="current motcua-national-catalog/1 file")
    p.add_argument("--opengov", help="tree of VoidKeishi/OpenGOV (backend/data/crawl/details/)")
    p.add_argument("--opengov-commit", help="commit of that tree (default: git rev-parse HEAD)")
    p.add_argument("--opengov-repo", default=OPENGOV_REPO)
    p.add_argument("--crawl", help="tree of qtungnui07/crwatdatadvc (procedures/<group>/<code>/)")
    p.add_argument("--crawl-commit", help="commit of that tree (default: git rev-parse HEAD)")
    p.add_argument("--crawl-repo", default=CRAWL_REPO)
    p.add_argument("--crawl-date", default="2026-07-18", help="date the crawls were made (YYYY-MM-DD)")
    p.add_argument("--version", help="version label (default <listing version>+dvcqg-<crawl date>)")
    p.add_argument("-o", "--output", required=True)
    args = p.parse_args(argv)

    if not args.opengov and not args.crawl:
        p.error("give --opengov and/or --crawl")

    listing = load_json(args.listing)
    if not isinstance(listing, dict) or listing.get("x_format") != "motcua-national-catalog/1":
        sys.exit("error: --listing is not a motcua-national-catalog/1 file")
    if not isinstance(listing.get("records"), list):
        sys.exit("error: --listing has no records[]")

    crawls = []  # (rank, exact, padded, repo, commit, glob, files)
    if args.opengov:
        commit = args.opengov_commit or git_head(args.opengov)
        if not commit:
            sys.exit("error: --opengov-commit not given and git rev-parse failed")
        ex, pad, n = index_crawl(args.opengov, OPENGOV_GLOB, args.opengov_repo, commit, 0, "data")
        crawls.append((ex, pad, args.opengov_repo, commit, n))
    if args.crawl:
        commit = args.crawl_commit or git_head(args.crawl)
        if not commit:
            sys.exit("error: --crawl-commit not given and git rev-parse failed")
        ex, pad, n = index_crawl(args.crawl, CRAWL_GLOB, args.crawl_repo, commit, 1, "detail")
        crawls.append((ex, pad, args.crawl_repo, commit, n))

    def lookup(code: str) -> Found | None:
        best = None
        for ex, _pad, *_ in crawls:
            if code in ex:
                best = better(best, ex[code])
        if best is None:
            for _ex, pad, *_ in crawls:
                if code in pad:
                    best = better(best, pad[code])
            if best is not None:
                warn(f"{code}: only found as {best.record.get('code')!r} ({best.source})")
        return best

    before = listing["records"]
    after: list[dict] = []
    hidden_changed: list[str] = []
    hidden_total = 0
    used = {}
    became_full = 0
    replaced_full = 0
    seen_codes = set()
    for old in before:
        code = old.get("code")
        if code in seen_codes:
            warn(f"code {code} listed twice in --listing")
        seen_codes.add(code)
        found = lookup(code) if isinstance(code, str) else None
        if found is None:
            new = old
        else:
            if old.get("id") and found.record.get("id") and old["id"] != found.record["id"]:
                warn(f"{code}: id {old['id']} in the listing, {found.record['id']} in {found.source}")
            new = dict(found.record)  # portal part, as crawled, in its order
            clash = [k for k in new if k.startswith("x_")]
            if clash:
                warn(f"{code}: crawled record has x_ fields {clash}")
            extra = OrderedDict((k, v) for k, v in old.items() if k.startswith("x_"))
            extra["x_detail"] = "full"
            extra["x_detailSource"] = found.source
            extra["x_unconfirmed"] = unconfirmed(found.record)
            # keep motcua's usual order of the x_ fields, then any others as they were
            order = ["x_detail", "x_detailSource", "x_unconfirmed", "x_listing", "x_counter", "x_notes"]
            for k in order:
                if k in extra:
                    new[k] = extra[k]
            for k, v in extra.items():
                if k not in new:
                    new[k] = v
            used[found.repo] = used.get(found.repo, 0) + 1
            if old.get("x_detail") == "full":
                replaced_full += 1
            else:
                became_full += 1
        if not (old.get("x_listing") or {}).get("inCommuneListing"):
            hidden_total += 1
            if new != old or list(new) != list(old):
                hidden_changed.append(str(code))
        after.append(new)

    # ---- wrapper text
    base_version = str(listing.get("version", "")).split("+", 1)[0]
    date_compact = args.crawl_date.replace("-", "")
    version = args.version or f"{base_version}+dvcqg-{date_compact}"

    crawl_names = " and ".join(f"{repo} (commit {commit})" for _e, _p, repo, commit, _n in crawls)
    snap_old = str(listing.get("snapshot", ""))
    snap_listing = snap_old.split("; national", 1)[0].rstrip(" ;.")
    snapshot = (
        f"{snap_listing}; national detail records crawled from dichvucong.gov.vn on "
        f"{args.crawl_date} by {crawl_names}."
    )

    old_sources = listing.get("sources") or {}
    sources: "OrderedDict[str, str]" = OrderedDict()
    for k in ("listing", "listingCanonical"):
        if k in old_sources:
            sources[k] = old_sources[k]
    for _e, _p, repo, commit, n in crawls:
        if repo == args.opengov_repo:
            sources["nationalDetailsOpenGOV"] = (
                f"{repo}@{commit}:{OPENGOV_GLOB.replace('*', '<code>')} "
                f"({n:,} records as the portal's answer {{code, data, message}}; crawl {args.crawl_date}, "
                "API configuring/formality/get-formality-by-citizen)"
            )
        else:
            sources["nationalDetailsCrawl"] = (
                f"{repo}@{commit}:procedures/<group>/<code>/raw_procedure.json "
                f"({n:,} records in the crawler's wrapper {{id, code, name, detail}}; crawl {args.crawl_date}, "
                "same API)"
            )
    srcs = [r.get("x_detailSource") or "" for r in after]
    for k, v in old_sources.items():
        if k in sources or k.startswith("nationalDetails"):
            continue
        if k == "nationalCatalogue":
            # kept: it is what says the x_detail "none" codes are not in the national
            # catalogue, and the source of any list item left
            sources[k] = v
            continue
        if k.startswith("detail"):
            # per-record source of an earlier version; keep only while a record uses it
            target = v.split(" ", 1)[0]
            repo_path = target.split("@", 1)[0]
            if any(s.startswith(repo_path) for s in srcs):
                sources[k] = v
            continue
        sources[k] = v

    conventions = (
        "See assets/catalog/national/README.md. Every record is a national-portal record (the "
        "`data` member of the portal envelope, or the `detail` member of the crwatdatadvc "
        "crawler's wrapper) in one of two shapes: x_detail=\"full\" (detail record, kept as "
        "crawled) or \"list_item\" (catalogue list item); \"none\" = code not found nationally, "
        "only the local name. x_detailSource gives repo@commit:path of the record used; where "
        "both crawls hold a code, the later updatedAt wins, OpenGOV on a tie. Fields starting "
        "with x_ were added by motcua: x_listing (where the commune lists it, status, "
        "decisions), x_unconfirmed (what the national record does not give), x_counter "
        "(offerByDefault, handledBy), x_notes. Built by "
        "assets/catalog/national/build_catalog.py."
    )

    out: "OrderedDict[str, object]" = OrderedDict()
    for k, v in listing.items():
        if k == "version":
            out[k] = version
        elif k == "snapshot":
            out[k] = snapshot
        elif k == "sources":
            out[k] = sources
        elif k == "conventions":
            out[k] = conventions
        elif k == "records":
            out[k] = after
        else:
            out[k] = v

    text = render(out)
    json.loads(text)  # sanity: valid JSON
    tmp = args.output + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    os.replace(tmp, args.output)

    counts = OrderedDict()
    for _e, _p, repo, commit, n in crawls:
        counts[f"files read from {repo}@{commit[:12]}"] = n
    counts["records in the output"] = len(after)
    counts["records now full that were not"] = became_full
    counts["full records re-taken from a crawl"] = replaced_full
    for repo, n in sorted(used.items()):
        counts[f"records taken from {repo}"] = n
    counts["records left as they were (in no crawl)"] = len(after) - sum(used.values())
    counts["version"] = version
    print_report(before, after, hidden_changed, hidden_total, counts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
