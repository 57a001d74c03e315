"""Measure the document rules: detection on synthetic cases, false positives on clean
documents. Run by hand; the figures go into docs/检查代码表.md and the session note.

    .venv/bin/python bench/rules_eval.py [--proof] [--samples ../shared/samples]
                                         [--json bench/rules_results.json] [--docs]

--docs writes the figures (totals and a row per rule) into docs/检查代码表.md, between
its two marker comments.

The rules measured are those a registry office checks by hand: every code whose basis is a
standard, the 条例 or 公文实务 (rules.RULES), not the tool's own limits ("qingdan").

- Detection. Every folder tests/cases/CODE-name/ is a synthetic positive case for CODE: a
  small project with the fault planted (the corpus test_cases.py runs). The case is run as
  the corpus runs it; it is detected when CODE is reported. A rule shown only by a running
  system (tests/test_cases.RUNTIME) has its own test and is listed as such.
- False positives. The clean documents: the bundled examples (checklists/example,
  example-2025) and the projects under tests/fixtures, each checked as a whole (`check`;
  with --proof also `proof`, which lays out every page with LibreOffice, slow). A hit of a
  rule in scope is a false positive unless bench/rules_truth.yaml names it: example-2025
  is next year's draft, whose blanks (待定) are meant to be reported, and
  tests/fixtures/sample001 is a transcription of sample 001 that keeps its real errors.
- Real documents. With --samples, each text in the folder is imported (`qingdan import`)
  and checked, and its hits judged the same way: bench/rules_truth.yaml names the true
  errors of the original (read and confirmed by hand: the quoted text is in the sample).
  A hit not named there counts as a false positive; a named error not hit as missed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from qingdan.cli import main  # noqa: E402
from qingdan.rules import QINGDAN, RULES  # noqa: E402
from test_cases import CASES, RUNTIME, materialise  # noqa: E402

CLEAN = [REPO / "checklists" / "example", REPO / "checklists" / "example-2025",
         *sorted(p.parent for p in (REPO / "tests" / "fixtures").glob("*/qingdan.yaml"))]
REPORTED = re.compile(r"(?:error|warning)\[([EW]\d{3})\]")
TRUTH = Path(__file__).with_name("rules_truth.yaml")
DOC = REPO / "docs" / "检查代码表.md"
BEGIN = "<!-- 检出率：由 bench/rules_eval.py --docs 生成，请勿手改 -->\n"
END = "<!-- 检出率结束 -->\n"


def in_scope() -> list[str]:
    return sorted(code for code, rule in RULES.items() if rule.basis != QINGDAN)


def run(args: list[str], cwd: Path) -> tuple[set[str], str]:
    """The codes a qingdan command reports (terminal and JSON alike) and its output."""
    import os

    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, args, catch_exceptions=False)
    finally:
        os.chdir(old)
    text = result.stderr + result.stdout
    return set(REPORTED.findall(text)), text


def detection(scope: list[str]) -> dict[str, dict[str, Any]]:
    """Per rule: its synthetic cases and which of them reported it."""
    found: dict[str, dict[str, Any]] = {code: {"cases": [], "detected": []} for code in scope}
    for case in sorted(p for p in CASES.iterdir() if p.is_dir()):
        code = case.name.split("-", 1)[0]
        if code not in found:
            continue
        args_file = case / "args.txt"
        args = args_file.read_text("utf-8").split() if args_file.exists() else ["check", "."]
        with tempfile.TemporaryDirectory() as scratch:
            project = materialise(case, Path(scratch))
            codes, _ = run(args, project)
        found[code]["cases"].append(case.name)
        if code in codes:
            found[code]["detected"].append(case.name)
    return found


def reported(project: Path, command: str = "check") -> list[dict[str, str]]:
    """Every diagnostic `check` (or `proof`, which checks first) gives for a project, with
    --format json: code and message."""
    _, text = run([command, str(project), "--format", "json"], REPO)
    start = text.find("[")
    found = json.loads(text[start:text.rfind("]") + 1]) if start >= 0 else []
    return [{"code": d["code"], "message": d["message"]} for d in found]


def judge(name: str, hits: list[dict[str, str]], truth: dict[str, Any]) -> dict[str, Any]:
    """Hits against the errors confirmed by hand for one document: true, false, missed."""
    confirmed = truth.get(name) or []

    def known(hit: dict[str, str]) -> bool:
        return any(hit["code"] == t["code"] and t["text"] in hit["message"] for t in confirmed)

    true = [h for h in hits if known(h)]
    false = [h for h in hits if not known(h)]
    missed = [t for t in confirmed
              if not any(h["code"] == t["code"] and t["text"] in h["message"] for h in hits)]
    return {"true": true, "false": false, "missed": missed}


def load_truth() -> dict[str, Any]:
    return (yaml.safe_load(TRUTH.read_text("utf-8")) or {}) if TRUTH.exists() else {}


def clean_documents(scope: list[str], proof: bool) -> dict[str, Any]:
    """Per clean document: its hits of rules in scope, judged against rules_truth.yaml (the
    draft's intended blanks, the transcription's real errors); a hit not named is a false
    positive."""
    truth = load_truth()
    report: dict[str, Any] = {}
    for project in CLEAN:
        name = str(project.relative_to(REPO))
        hits = [h for h in reported(project, "proof" if proof else "check")
                if h["code"] in scope]
        report[name] = judge(name, hits, truth)
    return report


def samples(folder: Path, scope: list[str]) -> dict[str, Any]:
    """Each sample imported and checked: the hits, matched against the confirmed errors."""
    truth = load_truth()
    report: dict[str, Any] = {}
    for sample in sorted(folder.glob("*.txt")):
        with tempfile.TemporaryDirectory() as scratch:
            out = Path(scratch) / "导入"
            run(["import", str(sample), "-o", str(out)], REPO)
            hits = [h for h in reported(out) if h["code"] in scope]
        report[sample.name] = judge(sample.name, hits, truth)
    return report


def figures(scope: list[str], detected: dict[str, Any], clean: dict[str, Any],
            real: dict[str, Any], proof: bool) -> str:
    """The docs' section: totals, then a row per rule (cases, detected, false positives)."""
    total = sum(len(r["cases"]) for r in detected.values())
    hit = sum(len(r["detected"]) for r in detected.values())
    fps = sum(len(v["false"]) for v in clean.values())
    known = sum(len(v["true"]) for v in clean.values())
    lines = [
        f"测量日期 {datetime.date.today().isoformat()}，命令 `.venv/bin/python "
        f"bench/rules_eval.py{' --proof' if proof else ''} --docs`。",
        "",
        f"- 规则：依据为标准、条例或公文实务的 {len(scope)} 条（依据为 qingdan 的是工具自身的"
        "要求，不计）。",
        f"- 检出率：合成用例（tests/cases 中每个代码的用例）{total} 个，检出 {hit} 个"
        f"（{100 * hit / max(total, 1):.0f}%）。用例是为每条规则写的回归用例，这个数字说明每条"
        "规则在自己的用例上都生效，不说明能发现所有同类错误。",
        f"- 误报：干净文档 {len(clean)} 份（两个示例项目和 tests/fixtures 中的项目），"
        f"误报 {fps} 处；"
        f"另有 {known} 处是确实存在的问题（次年草稿中有意留空的日期和序号、样例 001 的转写"
        "保留的原文错误，以及本机没有国标字体时不接受替代字体的测试项目的 W960），逐条记在"
        " bench/rules_truth.yaml 中，各注明原因。",
    ]
    if real:
        true = sum(len(r["true"]) for r in real.values())
        false = sum(len(r["false"]) for r in real.values())
        missed = sum(len(r["missed"]) for r in real.values())
        lines.append(
            f"- 真实公文：{len(real)} 份网上公文导入后检查，报告的问题中经人工逐条核对属实的 "
            f"{true} 处，误报 {false} 处；另外人工发现而 qingdan 没有报告的 {missed} 处"
            "（见 bench/rules_truth.yaml 的 missed 说明）。这几份公文没有经过逐字校对，"
            "漏报数只是已知的下限。")
    lines += ["", "| 代码 | 合成用例 | 检出 | 误报 |", "| --- | --- | --- | --- |"]
    per_fp: dict[str, int] = defaultdict(int)
    for judged in clean.values():
        for found in judged["false"]:
            per_fp[found["code"]] += 1
    for r in real.values():
        for found in r["false"]:
            per_fp[found["code"]] += 1
    for code in scope:
        row = detected[code]
        if not row["cases"]:
            lines.append(f"| {code} | 专门测试 | — | {per_fp[code]} |")
        else:
            lines.append(f"| {code} | {len(row['cases'])} | {len(row['detected'])} | "
                         f"{per_fp[code]} |")
    return "\n".join(lines) + "\n"


def show_judged(documents: dict[str, Any]) -> None:
    """Each false positive and each missed error of the judged documents, a line each."""
    for name, judged in documents.items():
        for hit in judged["false"]:
            print(f"  FP {name}: {hit['code']} {hit['message']}")
        for gone in judged["missed"]:
            print(f"  missed {name}: {gone['code']} {gone['text']}")


def main_() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--proof", action="store_true",
                        help="also run proof on the clean documents")
    parser.add_argument("--samples", type=Path,
                        default=REPO.parent / "shared" / "samples")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--docs", action="store_true",
                        help="write the figures into docs/检查代码表.md")
    options = parser.parse_args()
    scope = in_scope()
    detected = detection(scope)
    clean = clean_documents(scope, options.proof)
    if not options.samples.is_dir():
        print(f"no samples at {options.samples}: the real documents are left out",
              file=sys.stderr)
        if options.docs:
            print("--docs needs the samples (--samples FOLDER)", file=sys.stderr)
            return 2
    real = samples(options.samples, scope) if options.samples.is_dir() else {}

    per_fp: dict[str, list[str]] = defaultdict(list)
    for document, judged in clean.items():
        for hit in judged["false"]:
            per_fp[hit["code"]].append(document)
    print(f"{'code':6} {'cases':>5} {'found':>5} {'FP':>3}  basis")
    for code in scope:
        row = detected[code]
        if code in RUNTIME and not row["cases"]:
            cases = "test"
            found = "-"
        else:
            cases, found = str(len(row["cases"])), str(len(row["detected"]))
        print(f"{code:6} {cases:>5} {found:>5} {len(per_fp[code]):>3}  {RULES[code].basis}")
    total = sum(len(r["cases"]) for r in detected.values())
    hit = sum(len(r["detected"]) for r in detected.values())
    untested = [c for c in scope if not detected[c]["cases"]]
    fps = sum(len(v["false"]) for v in clean.values())
    known = sum(len(v["true"]) for v in clean.values())
    print(f"\nrules in scope: {len(scope)}; synthetic cases: {total}, detected {hit} "
          f"({100 * hit / max(total, 1):.1f} %)")
    print(f"rules without a case folder (each has its own test): {', '.join(untested) or '-'}")
    print(f"clean documents: {len(clean)}; false positives: {fps}; "
          f"known true hits (a draft's blanks, a transcription's errors): {known}")
    show_judged(clean)
    if real:
        true = sum(len(r["true"]) for r in real.values())
        false = sum(len(r["false"]) for r in real.values())
        missed = sum(len(r["missed"]) for r in real.values())
        print(f"real samples: {len(real)}; confirmed errors found {true}, missed {missed}; "
              f"false positives {false}")
        show_judged(real)
    if options.json:
        options.json.write_text(json.dumps(
            {"scope": scope, "detection": detected, "clean": clean, "samples": real},
            ensure_ascii=False, indent=2), "utf-8")
    if options.docs:
        head, rest = DOC.read_text("utf-8").split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        section = figures(scope, detected, clean, real, options.proof)
        DOC.write_text(head + BEGIN + section + END + tail, "utf-8")
    return 0 if hit == total and fps == 0 else 1


if __name__ == "__main__":
    sys.exit(main_())
