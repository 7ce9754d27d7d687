"""Check (and append to) the training set of the labelled campaign corpus.

    .venv/bin/python bench/corpus_check_train.py                  # check and print distributions
    .venv/bin/python bench/corpus_check_train.py --append FILE    # append a batch, then check

The set lives in ``netra/detection/data/corpus/train/`` (``elections.yaml`` and
``examples.jsonl``; format in ``netra/detection/data/corpus/README.md``).

``--append`` only transcribes: every text in FILE is written by hand, one example a line,
in a short notation that saves typing the JSON keys::

    <election key> <platform> <kind> <label> <tags> | <text>

- election key: a short key from ``KEYS`` below (or the full slug);
- platform: x, fb, ig, tt, yt (or the full name);
- kind: p(ost), c(omment), r(eply), s(hare), cap(tion);
- label: ``S<n>`` campaign support of ballot number n, ``O<n>`` campaign oppose of n,
  ``O`` campaign oppose without target (abstain call), ``N`` political_neutral,
  ``U`` unrelated;
- tags: comma-separated tag names or the short codes in ``TAGS``, ``-`` or nothing for none.
  ``short``/``long`` are added from the word count, ``abstain_call`` for ``O``.

Blank lines and lines starting with ``#`` are skipped. Nothing is appended unless the
whole batch parses and the set, batch included, passes every check.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SET = ROOT / "netra" / "detection" / "data" / "corpus" / "train"
ELECTIONS = SET / "elections.yaml"
EXAMPLES = SET / "examples.jsonl"
REGIONS = ROOT.parent / "shared" / "data" / "regions" / "kemendagri-2025.csv"  # ../shared
PREFIX = "train"

KEYS = {
    "pres": "pemilu-2029-presiden",
    "jtg": "pilkada-2024-prov-jawa-tengah",
    "slm": "pilkada-2024-kab-sleman",
    "mks": "pilkada-2024-kota-makassar",
    "sumut": "pilkada-2029-prov-sumatera-utara",
    "grt": "pilkada-2024-kab-garut",
    "sby": "pilkada-2024-kota-surabaya",
    "bali": "pemilu-2029-dpd-bali",
    "jatim": "pemilu-2029-dpr-jatim-5",
    "kaltim": "pemilu-2029-dprd-prov-kaltim",
    "bms": "pemilu-2029-dprd-kab-banyumas",
    "lotim": "pilkada-2029-kab-lombok-timur",
    "ptk": "pilkada-2024-kota-pontianak",
    "ntt": "pilkada-2029-prov-ntt",
    "mrs": "pilkada-2024-kab-maros",
    "amb": "pilkada-2029-kota-ambon",
    "pdg": "pilkada-2024-kota-padang",
    "bna": "pilkada-2029-kota-banda-aceh",
    "jpr": "pilkada-2024-kota-jayapura",
    "kalsel": "pemilu-2029-dprd-prov-kalsel",
}
PLATFORMS = {"x": "x", "fb": "facebook", "ig": "instagram", "tt": "tiktok", "yt": "youtube"}
KINDS = {"p": "post", "c": "comment", "r": "reply", "s": "share", "cap": "caption"}
TAGS = {
    "sl": "slang",
    "ty": "typo",
    "jv": "javanese",
    "su": "sundanese",
    "en": "english_mix",
    "sar": "sarcasm",
    "num": "number_only",
    "nick": "nickname",
    "ht": "hashtag",
    "emo": "emoji",
    "two": "two_fingers",
    "att": "attack",
    "abs": "abstain_call",
    "news": "news",
    "fc": "fact_check",
    "off": "official_notice",
    "neu": "neutrality_reminder",
    "poll": "poll",
    "ev": "everyday",
    "rel": "religious",
    "hom": "homonym",
    "asn": "civil_servant",
    "vil": "village_official",
    "long": "long",
    "short": "short",
    "q": "question",
    "qs": "quote_share",
    # added to the list of the format
    "rep": "reported_speech",
    "ve": "voter_education",
    "mat": "campaign_material",
    "inv": "event_invitation",
    "reg": "regional_language",
    "line": "close_to_line",
    "tpt": "tni_polri",
    "old": "elderly_style",
    "cmp": "comparison",
    "leet": "leetspeak",
    "deb": "debate",
    "slo": "slogan",
    "prom": "promise",
    "proc": "process_complaint",
    "gp": "general_politics",
    "hist": "past_election",
    "mad": "madurese",
    "numev": "number_everyday",
}
TAG_NAMES = set(TAGS.values())
HARD = {
    "sarcasm",
    "number_only",
    "nickname",
    "homonym",
    "two_fingers",
    "fact_check",
    "official_notice",
    "question",
    "reported_speech",
    "civil_servant",
    "village_official",
    "neutrality_reminder",
    "close_to_line",
    "tni_polri",
    "quote_share",
    "poll",
}
CLASSES = {"campaign", "political_neutral", "unrelated"}
STANCES = {"support", "oppose", "neutral"}
FIELDS = ["id", "election", "platform", "kind", "text", "class", "stance", "target", "tags"]
WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    return WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def load_elections() -> tuple[dict[str, set[int]], list[str], list[str]]:
    problems = []
    terms: set[str] = set()
    doc = yaml.safe_load(ELECTIONS.read_text(encoding="utf-8"))
    numbers: dict[str, set[int]] = {}
    regions = {}
    if REGIONS.exists():
        for line in REGIONS.read_text(encoding="utf-8").splitlines()[1:]:
            code = line.split(",", 1)[0]
            regions[code] = line.rsplit(",", 1)[1]
    for e in doc["elections"]:
        slug = e["slug"]
        if slug in numbers:
            problems.append(f"elections.yaml: slug {slug} twice")
        nums = [c["number"] for c in e.get("candidates", [])]
        if len(set(nums)) != len(nums):
            problems.append(f"elections.yaml: {slug}: ballot numbers repeated")
        if not 2 <= len(nums) <= 5 or not all(1 <= n <= 5 for n in nums):
            problems.append(f"elections.yaml: {slug}: want 2-5 candidates numbered 1-5")
        region = e.get("region")
        if region is not None and not isinstance(region, str):
            problems.append(f"elections.yaml: {slug}: region must be a quoted string")
        if regions and region is not None and region not in regions:
            problems.append(f"elections.yaml: {slug}: region {region} not a Kemendagri code")
        numbers[slug] = set(nums)
        for c in e.get("candidates", []):
            names = [c["name"], c.get("running_mate") or ""]
            names += c.get("aliases", []) + c.get("hashtags", []) + c.get("slogans", [])
            names += [w for w in c["name"].split() if len(w) > 3]
            terms.update(t.lstrip("#").strip().casefold() for t in names if t.strip())
    return numbers, problems, sorted(terms, key=len, reverse=True)


def load_examples() -> list[dict[str, Any]]:
    if not EXAMPLES.exists():
        return []
    rows: list[dict[str, Any]] = []
    for n, line in enumerate(EXAMPLES.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise SystemExit(f"examples.jsonl:{n}: not JSON: {exc}") from None
    return rows


def parse_batch(path: Path, start: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    errors = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        head, sep, text = line.partition("|")
        parts = head.split()
        if len(parts) == 4:
            parts.append("-")
        if not sep or len(parts) != 5 or not text.strip():
            errors.append(f"{path.name}:{n}: want '<key> <platform> <kind> <label> <tags> | text'")
            continue
        key, plat, kind, label, tags = parts
        election = KEYS.get(key, key)
        platform = PLATFORMS.get(plat, plat)
        kind = KINDS.get(kind, kind)
        text = text.strip()
        if label == "N":
            cls, stance, target = "political_neutral", "neutral", None
        elif label == "U":
            cls, stance, target = "unrelated", "neutral", None
        elif label == "O":
            cls, stance, target = "campaign", "oppose", None
        elif re.fullmatch(r"[SO][1-5]", label):
            cls = "campaign"
            stance = "support" if label[0] == "S" else "oppose"
            target = int(label[1])
        else:
            errors.append(f"{path.name}:{n}: bad label {label}")
            continue
        taglist = [] if tags == "-" else [TAGS.get(t, t) for t in tags.split(",") if t]
        count = len(words(text))
        if count <= 5:
            taglist.append("short")
        if count >= 45:
            taglist.append("long")
        if label == "O":
            taglist.append("abstain_call")
        taglist = list(dict.fromkeys(taglist))
        bad = [t for t in taglist if t not in TAG_NAMES]
        if bad:
            errors.append(f"{path.name}:{n}: unknown tags {bad}")
        rows.append(
            {
                "id": f"{PREFIX}-{start + len(rows):05d}",
                "election": election,
                "platform": platform,
                "kind": kind,
                "text": text,
                "class": cls,
                "stance": stance,
                "target": target,
                "tags": taglist,
            }
        )
    if errors:
        raise SystemExit("\n".join(errors))
    return rows


def check(rows: list[dict[str, Any]], numbers: dict[str, set[int]], terms: list[str]) -> list[str]:
    problems = []
    ids = Counter(r.get("id") for r in rows)
    problems += [f"id {i} used {c} times" for i, c in ids.items() if c > 1]
    for r in rows:
        rid = r.get("id")
        if list(r) != FIELDS:
            problems.append(f"{rid}: keys {list(r)} (want {FIELDS})")
            continue
        if r["election"] not in numbers:
            problems.append(f"{rid}: unknown election {r['election']}")
        if r["platform"] not in PLATFORMS.values():
            problems.append(f"{rid}: platform {r['platform']}")
        if r["kind"] not in KINDS.values():
            problems.append(f"{rid}: kind {r['kind']}")
        if r["class"] not in CLASSES or r["stance"] not in STANCES:
            problems.append(f"{rid}: class/stance {r['class']}/{r['stance']}")
        if not isinstance(r["text"], str) or not r["text"].strip():
            problems.append(f"{rid}: empty text")
        if not isinstance(r["tags"], list) or not all(t in TAG_NAMES for t in r["tags"]):
            problems.append(f"{rid}: tags {r['tags']}")
        abstain = "abstain_call" in (r["tags"] or [])
        target, stance, cls = r["target"], r["stance"], r["class"]
        if cls != "campaign" and stance != "neutral":
            problems.append(f"{rid}: {cls} must be neutral")
        if cls == "campaign" and stance == "neutral":
            problems.append(f"{rid}: campaign needs support/oppose")
        if stance == "neutral" and target is not None:
            problems.append(f"{rid}: neutral with a target")
        if stance != "neutral" and target is None and not (stance == "oppose" and abstain):
            problems.append(f"{rid}: {stance} without target (only abstain calls may)")
        if abstain and (target is not None or stance != "oppose"):
            problems.append(f"{rid}: abstain_call must be oppose with null target")
        if target is not None and target not in numbers.get(r["election"], set()):
            problems.append(f"{rid}: target {target} not a ballot number of {r['election']}")
    problems += near_duplicates(rows)
    # Differing only by a name or a number is a duplicate too: compare with every
    # candidate term (of any election) and every number replaced by a placeholder.
    problems += near_duplicates(
        rows, placeholder(terms), " once names and numbers are placeholders"
    )
    return problems


def placeholder(terms: list[str]) -> Callable[[str], list[str]]:
    """Text as the classifier sees it: every candidate term and every number replaced."""
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(t) for t in terms) + r")(?!\w)")

    def key(text: str) -> list[str]:
        text = pattern.sub(" CAND ", unicodedata.normalize("NFKC", text).casefold())
        return words(re.sub(r"\d+", " NUM ", text))

    return key


def near_duplicates(
    rows: list[dict[str, Any]], key: Callable[[str], list[str]] = words, what: str = ""
) -> list[str]:
    problems = []
    seen: dict[str, str] = {}
    sets = []
    for r in rows:
        toks = key(r["text"])
        norm = " ".join(toks)
        if norm in seen:
            problems.append(f"{r['id']}: same text{what} as {seen[norm]}")
        seen.setdefault(norm, r["id"])
        sets.append((r["id"], frozenset(toks)))
    index: dict[str, list[int]] = defaultdict(list)
    for i, (rid, s) in enumerate(sets):
        shared: Counter[int] = Counter()
        for t in s:
            for j in index[t]:
                shared[j] += 1
        for j, inter in shared.items():
            other = sets[j][1]
            union = len(s) + len(other) - inter
            if union and inter / union >= 0.8 and s != frozenset():
                problems.append(
                    f"{rid}: near duplicate{what} of {sets[j][0]} (Jaccard {inter / union:.2f})"
                )
        for t in s:
            index[t].append(i)
    return problems


def report(rows: list[dict[str, Any]], numbers: dict[str, set[int]]) -> None:
    n = len(rows)
    print(f"examples: {n}")

    def show(title: str, counter: Counter[Any]) -> None:
        print(f"\n{title}:")
        for k, c in sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0]))):
            print(f"  {k!s:42} {c:5d}  {100 * c / n:5.1f}%")

    show("class", Counter(r["class"] for r in rows))
    show("class/stance", Counter(f"{r['class']}/{r['stance']}" for r in rows))
    show("platform", Counter(r["platform"] for r in rows))
    show("kind", Counter(r["kind"] for r in rows))
    show("election", Counter(r["election"] for r in rows))
    print("\ntargets per election (support/oppose by ballot number):")
    for slug, nums in numbers.items():
        sub = [r for r in rows if r["election"] == slug and r["target"] is not None]
        cells = []
        for num in sorted(nums):
            s = sum(1 for r in sub if r["target"] == num and r["stance"] == "support")
            o = sum(1 for r in sub if r["target"] == num and r["stance"] == "oppose")
            cells.append(f"{num}:{s}/{o}")
        print(f"  {slug:42} {' '.join(cells)}")
    show("tag", Counter(t for r in rows for t in r["tags"]))
    hard = sum(1 for r in rows if HARD & set(r["tags"]))
    print(f"\nhard cases (any of {len(HARD)} hard tags): {hard} = {100 * hard / max(n, 1):.1f}%")
    lengths = [len(words(r["text"])) for r in rows]
    if lengths:
        print(
            f"words per text: min {min(lengths)}, max {max(lengths)}, mean {sum(lengths) / n:.1f}"
        )
    unused = [s for s in numbers if not any(r["election"] == s for r in rows)]
    if unused:
        print(f"elections not used yet: {unused}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--append", type=Path, help="hand-written batch in the short notation")
    parser.add_argument("--quiet", action="store_true", help="problems only, no distributions")
    args = parser.parse_args()
    numbers, problems, terms = load_elections()
    rows = load_examples()
    new: list[dict[str, Any]] = []
    if args.append:
        new = parse_batch(args.append, len(rows) + 1)
        rows = rows + new
    problems += check(rows, numbers, terms)
    if problems:
        print("\n".join(problems))
        print(
            f"\n{len(problems)} problem(s); nothing written."
            if new
            else f"\n{len(problems)} problem(s)."
        )
        return 1
    if new:
        with EXAMPLES.open("a", encoding="utf-8") as out:
            for r in new:
                out.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(f"appended {len(new)} examples from {args.append}")
    if not args.quiet:
        report(rows, numbers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
