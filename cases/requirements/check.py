#!/usr/bin/env python3
"""Dev aid for the requirement map (issue 10): validates the TOML files and prints totals.

    python3 cases/requirements/check.py            # validate, print totals
    python3 cases/requirements/check.py --markdown # the totals as README tables

Checks:
  * every file parses (tomllib, Python 3.11+) and every entry has the fields of README.md,
    with a known `level` and `binds`, an id `rfcNNNN/<section>/<kebab-name>` unique across
    files, and `text` carrying its `level` keyword;
  * every id in `cases` names a case of the catalogue (its `id`, `h2spec` id or one of its
    `aliases` in cases/src), and no id in `proposed_cases` does (once a proposed case exists
    it moves to `cases`);
  * an entry has `unobservable` exactly when it has no case, check or proposed case;
    `binds = "client"` entries carry `client_mode = true`; `needs_active` comes with a check;
  * every check id is listed in CHECKS.md with exactly the requirements that cite it (a
    CHECKS.md proposal no requirement cites is only noted), and the proposed case ids are
    exactly those of README.md's "Proposed new cases" table;
  * for RFC 9113 and RFC 7541, whose text is on disk ($RFC_DIR, default /work/shared/rfc):
    each `text` occurs once, verbatim (whitespace collapsed), in its section, and every
    keyword occurrence in the RFC (outside the BCP 14 boilerplate) is covered by exactly one
    entry;
  * for RFC 9218 and RFC 8441 (not on disk), entries with `source = "quoted in case"` must
    quote a case's `requirement` string; the others must name their source.
"""

import os
import re
import sys
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASES_SRC = HERE.parent / "src"
RFC_DIR = Path(os.environ.get("RFC_DIR", "/work/shared/rfc"))
FILES = ["rfc9113", "rfc7541", "rfc9218", "rfc8441"]
ON_DISK = {"rfc9113", "rfc7541"}

LEVELS = ["MUST", "MUST NOT", "SHALL", "SHALL NOT", "REQUIRED", "SHOULD", "SHOULD NOT", "RECOMMENDED", "NOT RECOMMENDED"]
BINDS = ["client", "server", "endpoint", "sender", "receiver", "intermediary", "encoder", "decoder", "tls", "extension"]
FIELDS = {"id": str, "section": str, "level": str, "binds": str, "text": str, "cases": list, "checks": list, "unobservable": str}
OPTIONAL = {"client_mode": bool, "proposed_cases": list, "needs_active": str, "note": str, "source": str}
KW = re.compile(r"\b(?:MUST NOT|MUST|SHALL NOT|SHALL|SHOULD NOT|SHOULD|NOT RECOMMENDED|RECOMMENDED|REQUIRED)\b")
ID = re.compile(r"^(rfc\d+)/([0-9]+(?:\.[0-9]+)*|[A-Z])/[a-z0-9][a-z0-9.-]*$")
CHECK_ID = re.compile(r"^rfc\d+/[0-9.]+/server-[a-z0-9-]+$")
BOILERPLATE = re.compile(r'The key words "MUST", "MUST NOT".*?(?:as shown here\.|\[RFC2119\]\.)')

errors = []


def err(msg):
    errors.append(msg)


def collapse(s):
    return " ".join(s.split())


# ---------------------------------------------------------------- RFC text (9113, 7541)

HEAD = re.compile(r"^(\d+(?:\.\d+)*)\.?\s{1,3}(\S.*)$|^Appendix ([A-Z])\.\s+(\S.*)$")


def rfc_lines(path):
    """The RFC's lines without page breaks (form feed, page footer and header)."""
    out = []
    lines = path.read_text(encoding="utf-8").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("\x0c"):
            while out and not out[-1].strip():
                out.pop()
            if out and re.search(r"\[Page \d+\]$", out[-1]):
                out.pop()
            while out and not out[-1].strip():
                out.pop()
            i += 1
            if i < len(lines) and not lines[i].startswith(" ") and lines[i].strip():
                i += 1  # running header
            while i < len(lines) and not lines[i].strip():
                i += 1
            continue
        out.append(line)
        i += 1
    return out


def join_lines(para):
    """A paragraph on one line; a line ending in a hyphen after a letter was broken at the
    hyphen (flow-/control), so it joins without a space."""
    out = ""
    for line in para:
        line = collapse(line)
        if not out:
            out = line
        elif re.search(r"[A-Za-z]-$", out):
            out += line
        else:
            out += " " + line
    return out


def rfc_sections(path):
    """{section: text}, the body only (from '1. Introduction'), each section's paragraphs
    joined by single spaces."""
    secs, cur, para, started = {}, None, [], False

    def flush():
        nonlocal para
        if para and cur is not None:
            secs[cur].append(join_lines(para))
        para = []

    for line in rfc_lines(path):
        m = HEAD.match(line) if line and not line.startswith(" ") else None
        if m:
            num = m.group(1) or m.group(3)
            title = m.group(2) or m.group(4)
            if num == "1" and title.startswith("Introduction"):
                started = True
            if started:
                flush()
                cur = num
                secs[cur] = []
                continue
        if not started:
            continue
        if not line.strip():
            flush()
        else:
            para.append(line.strip())
    flush()
    return {k: " ".join(v) for k, v in secs.items()}


def check_text(rfc, entries):
    path = RFC_DIR / f"{rfc}.txt"
    if not path.exists():
        print(f"note: {path} not found; verbatim and coverage checks of {rfc} skipped", file=sys.stderr)
        return
    secs = rfc_sections(path)
    spans = defaultdict(list)  # section -> [(start, end, id)]
    for e in entries:
        sec = secs.get(e["section"])
        if sec is None:
            err(f"{e['id']}: no section {e['section']} in {rfc}")
            continue
        text = collapse(e["text"])
        at = sec.find(text)
        if at < 0:
            err(f"{e['id']}: text not found verbatim in {rfc} §{e['section']}")
            continue
        if sec.find(text, at + 1) >= 0:
            err(f"{e['id']}: text occurs more than once in {rfc} §{e['section']}; quote more of the sentence")
        spans[e["section"]].append((at, at + len(text), e["id"]))
    for num, sec in secs.items():
        masked = BOILERPLATE.sub(lambda m: " " * len(m.group(0)), sec)
        for m in KW.finditer(masked):
            covering = [i for (a, b, i) in spans[num] if a <= m.start() and m.end() <= b]
            if not covering:
                ctx = sec[max(0, m.start() - 60) : m.end() + 60]
                err(f"{rfc} §{num}: keyword {m.group(0)} not covered by any entry: …{ctx}…")
            elif len(covering) > 1:
                err(f"{rfc} §{num}: keyword {m.group(0)} covered by several entries: {', '.join(covering)}")


# ---------------------------------------------------------------- catalogue, docs

def catalogue(names=False):
    """The case ids of the catalogue and the text of its sources; with `names`, every name
    that selects a case (Case::named_by): its id, its h2spec id and its aliases."""
    ids, requirements = set(), []
    for f in CASES_SRC.rglob("*.rs"):
        src = f.read_text(encoding="utf-8")
        ids.update(i for i in re.findall(r'\bid:\s*"([^"]+)"', src) if i)
        if names:
            ids.update(re.findall(r'\bh2spec:\s*Some\("([^"]+)"\)', src))
            for group in re.findall(r'\baliases:\s*&\[([^\]]*)\]', src):
                ids.update(re.findall(r'"([^"]+)"', group))
        requirements.append(src)
    return ids, "\n".join(requirements)


def checks_md():
    """{check id: [requirement ids]} from the '- `check` — rule … Covers: `a`, `b`.' lines."""
    path = HERE / "CHECKS.md"
    out = {}
    if not path.exists():
        err("CHECKS.md missing")
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^- `([^`]+)`", line)
        if not m or not CHECK_ID.match(m.group(1)):
            continue
        cov = line.split("Covers:", 1)
        if len(cov) != 2:
            err(f"CHECKS.md: {m.group(1)} has no 'Covers:' list")
            continue
        if m.group(1) in out:
            err(f"CHECKS.md: {m.group(1)} listed twice")
        out[m.group(1)] = re.findall(r"`([^`]+)`", cov[1])
    return out


def readme_proposed():
    path = HERE / "README.md"
    if not path.exists():
        err("README.md missing")
        return set()
    text = path.read_text(encoding="utf-8")
    part = text.split("## Proposed new cases", 1)
    if len(part) != 2:
        err("README.md: no '## Proposed new cases' section")
        return set()
    section = re.split(r"^## ", part[1], maxsplit=1, flags=re.M)[0]
    return set(re.findall(r"^\| `([^`]+)`", section, re.M))


# ---------------------------------------------------------------- main

def load():
    data = {}
    for rfc in FILES:
        path = HERE / f"{rfc}.toml"
        try:
            with open(path, "rb") as f:
                doc = tomllib.load(f)
        except (OSError, tomllib.TOMLDecodeError) as e:
            err(f"{path.name}: {e}")
            continue
        data[rfc] = doc.get("requirement", [])
        if not data[rfc]:
            err(f"{path.name}: no [[requirement]] entries")
    return data


def validate(data, known_cases, case_text):
    seen = {}
    for rfc, entries in data.items():
        for e in entries:
            rid = e.get("id", "?")
            for k, t in FIELDS.items():
                if not isinstance(e.get(k), t):
                    err(f"{rid}: field {k} missing or not a {t.__name__}")
            for k, v in e.items():
                if k not in FIELDS and k not in OPTIONAL:
                    err(f"{rid}: unknown field {k}")
                elif k in OPTIONAL and not isinstance(v, OPTIONAL[k]):
                    err(f"{rid}: field {k} is not a {OPTIONAL[k].__name__}")
            if errors and errors[-1].startswith(rid + ": field"):
                continue
            m = ID.match(rid)
            if not m or m.group(1) != rfc or m.group(2) != e["section"]:
                err(f"{rid}: id must be {rfc}/<section>/<kebab-name> with section {e['section']}")
            if rid in seen:
                err(f"{rid}: duplicate id (also in {seen[rid]})")
            seen[rid] = rfc
            if e["level"] not in LEVELS:
                err(f"{rid}: unknown level {e['level']}")
            if e["level"] not in KW.findall(e["text"]):
                err(f"{rid}: level {e['level']} does not occur in text")
            if e["binds"] not in BINDS:
                err(f"{rid}: unknown binds {e['binds']}")
            if e["text"] != collapse(e["text"]):
                err(f"{rid}: text whitespace not collapsed")
            for c in e["cases"]:
                if c not in known_cases:
                    err(f"{rid}: case {c} is not in the catalogue")
            for c in e.get("proposed_cases", []):
                if c in known_cases:
                    err(f"{rid}: proposed case {c} exists already; move it to cases")
                elif not ID.match(c):
                    err(f"{rid}: proposed case id {c} is not rfcNNNN/<section>/<name>")
            for c in e["checks"]:
                if not CHECK_ID.match(c):
                    err(f"{rid}: check id {c} is not rfcNNNN/<section>/server-<name>")
            mapped = bool(e["cases"] or e["checks"] or e.get("proposed_cases"))
            if mapped == bool(e["unobservable"]):
                err(f"{rid}: needs either cases/checks/proposed_cases or unobservable, not both or neither")
            if e["binds"] == "client" and not e.get("client_mode"):
                err(f"{rid}: binds the client but has no client_mode = true")
            if e.get("needs_active") and not e["checks"]:
                err(f"{rid}: needs_active without a check")
            if rfc not in ON_DISK:
                src = e.get("source", "")
                if not src:
                    err(f"{rid}: {rfc} is not on disk; say where the text comes from in source")
                elif src == "quoted in case" and collapse(e["text"]) not in collapse(case_text):
                    err(f"{rid}: source says quoted in case, but no case quotes the text")
    for rfc in ON_DISK & data.keys():
        check_text(rfc, data[rfc])


def cross_docs(data):
    cited = defaultdict(set)
    proposed = set()
    for entries in data.values():
        for e in entries:
            for c in e.get("checks", []):
                cited[c].add(e["id"])
            proposed.update(e.get("proposed_cases", []))
    listed = checks_md()
    for c in sorted(cited.keys() - listed.keys()):
        err(f"check {c} is cited but not listed in CHECKS.md")
    # A proposal the map no longer cites (the requirement was explained away instead) is
    # only worth a note: CHECKS.md keeps the idea.
    for c in sorted(listed.keys() - cited.keys()):
        print(f"note: CHECKS.md lists {c}, which no requirement cites", file=sys.stderr)
    for c in sorted(cited.keys() & listed.keys()):
        if set(listed[c]) != cited[c]:
            missing = sorted(cited[c] - set(listed[c]))
            extra = sorted(set(listed[c]) - cited[c])
            err(f"CHECKS.md {c}: covers list differs from the TOML (missing {missing}, extra {extra})")
    documented = readme_proposed()
    for c in sorted(proposed - documented):
        err(f"proposed case {c} is not in README.md's proposed-case table")
    for c in sorted(documented - proposed):
        err(f"README.md lists proposed case {c}, which no requirement cites")
    return cited, proposed


def totals(data):
    rows = []
    for rfc in FILES:
        es = data.get(rfc, [])
        t = Counter()
        t["requirements"] = len(es)
        for e in es:
            t["level " + e["level"]] += 1
            t["binds " + e["binds"]] += 1
            observable = bool(e["cases"] or e["checks"] or e.get("proposed_cases"))
            t["server-observable"] += observable
            t["with cases"] += bool(e["cases"])
            t["with checks"] += bool(e["checks"])
            t["only proposed cases"] += bool(e.get("proposed_cases")) and not e["cases"] and not e["checks"]
            t["unobservable"] += not observable
            t["client_mode"] += bool(e.get("client_mode"))
            t["client_mode, judged by a case"] += bool(e.get("client_mode")) and bool(e["cases"])
            t["needs_active"] += bool(e.get("needs_active"))
        rows.append((rfc, t))
    return rows


def print_totals(data, cited, proposed, markdown):
    rows = totals(data)
    allt = Counter()
    for _, t in rows:
        allt.update(t)
    keys = ["requirements", "server-observable", "with cases", "with checks", "only proposed cases", "unobservable", "client_mode", "client_mode, judged by a case", "needs_active"]
    keys += [f"level {lv}" for lv in LEVELS if allt[f"level {lv}"]]
    keys += [f"binds {b}" for b in BINDS if allt[f"binds {b}"]]
    if markdown:
        print("| | " + " | ".join(r for r, _ in rows) + " | all |")
        print("|---" * (len(rows) + 2) + "|")
        for k in keys:
            print(f"| {k} | " + " | ".join(str(t[k]) for _, t in rows) + f" | {allt[k]} |")
        print(f"\n{len(cited)} proposed checks, {len(proposed)} proposed new cases.")
        return
    w = max(len(k) for k in keys)
    print(f"{'':{w}}  " + "  ".join(f"{r:>8}" for r, _ in rows) + f"  {'all':>8}")
    for k in keys:
        print(f"{k:{w}}  " + "  ".join(f"{t[k]:>8}" for _, t in rows) + f"  {allt[k]:>8}")
    print(f"\n{len(cited)} proposed checks, {len(proposed)} proposed new cases")
    lonely = [e["id"] for es in data.values() for e in es if e.get("proposed_cases") and not e["cases"] and not e["checks"]]
    used = {c for es in data.values() for e in es for c in e["cases"]}
    known, _ = catalogue()
    print(f"{len(used)} of {len(known)} catalogue cases cited; not cited: {', '.join(sorted(known - used))}")
    print(f"{len(lonely)} server-observable requirements with neither a case nor a check: {', '.join(lonely)}")


def main():
    markdown = "--markdown" in sys.argv[1:]
    known_cases, case_text = catalogue(names=True)
    data = load()
    validate(data, known_cases, case_text)
    cited, proposed = cross_docs(data)
    if errors:
        for e in errors:
            print("error:", e, file=sys.stderr)
        print(f"{len(errors)} errors", file=sys.stderr)
    print_totals(data, cited, proposed, markdown)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
