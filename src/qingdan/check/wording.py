"""Wording: forms official writing does not use (W931, a built-in table with each entry's
source) and forms a project's glossary rules out (W935, qingdan.yaml's wording).

Both look at the source text, as W902 does, so each points at what the clerk wrote and
`qingdan fmt` can replace it in place. A form inside 《…》 is another document's title and
is left alone; so is a form inside the very word that replaces it (简称 in its 全称).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from ..diagnostics import Diagnostic
from ..load.yamlread import reads_as_text
from ..model import Project, Text, WordingRule
from .prose import prose as _prose
from .text import Fix, all_texts, overlay_texts

VARIANTS = "《第一批异形词整理表》（教育部、国家语委 2001 年发布）推荐词形"
DICTIONARY = "《现代汉语词典》（第7版）"


@dataclass(frozen=True)
class Usage:
    """One entry of the table: the form, the form to write, where that comes from, and
    whether `qingdan fmt` may replace it (False where a context could make it right).
    not_before / not_after: characters that, next to the form, make it part of another
    word (本身分工 is 本身 + 分工, not 身分; 按装备 is 按 + 装备)."""

    wrong: str
    right: str
    source: str
    fix: bool = True
    not_before: str = ""
    not_after: str = ""
    after: str = ""  # a regex the form must be followed by (截止 + a date)

    @property
    def pattern(self) -> re.Pattern[str]:
        before = f"(?<![{self.not_before}])" if self.not_before else ""
        after = f"(?![{self.not_after}])" if self.not_after else ""
        needed = f"(?={self.after})" if self.after else ""
        return re.compile(before + re.escape(self.wrong) + after + needed)


USAGES: tuple[Usage, ...] = (
    # Forms the 2001 table ranks below a recommended one (异形词).
    Usage("惟一", "唯一", VARIANTS),
    Usage("身分", "身份", VARIANTS, fix=False,  # 本身分工 is 本身 + 分工
          not_after="工配布析解化流离开别成为裂散出类期批项摊担享管级层头区组值数"),
    Usage("藉口", "借口", VARIANTS),
    Usage("参预", "参与", VARIANTS),
    Usage("成份", "成分", VARIANTS),
    Usage("辈份", "辈分", VARIANTS),
    Usage("答覆", "答复", VARIANTS),
    Usage("折衷", "折中", VARIANTS),
    Usage("直接了当", "直截了当", VARIANTS),
    Usage("姿式", "姿势", VARIANTS),
    Usage("源源本本", "原原本本", VARIANTS),
    Usage("左证", "佐证", VARIANTS),
    # Words easily confused, as the dictionary tells them apart.
    Usage("截止", "截至", f"{DICTIONARY}：截止指到期停止，其后不接时间；截至指截止到某时",
          after=r"目前|今年|去年|本年|本月|当前|现在|\d{4}年|\d{1,2}月"),
    Usage("做为", "作为", f"{DICTIONARY}：表示当作，或就某种身份、性质来说，写作“作为”",
          not_after="民群众人百老基企党国社"),
    Usage("度过难关", "渡过难关", f"{DICTIONARY}：通过江河、难关写“渡过”，时间写“度过”"),
    Usage("按装", "安装", "常见误写：固定机械、器材写“安装”", fix=False,
          not_after="备修卸订机置载配运饰"),
    Usage("布署", "部署", "常见误写：安排、布置人力和任务写“部署”"),
    # A convention of official writing, not an error.
    Usage("其它", "其他", "公文实务：公文中统一写“其他”（“其它”在《现代汉语词典》中用于事物，"
          "并非错字，一般出版物可用）"),
)
_PATTERNS = {usage.wrong: usage.pattern for usage in USAGES}
QUOTED_TITLE = re.compile(r"《[^《》]*》")


def _spans(prose: str, word: str) -> list[tuple[int, int]]:
    spans, at = [], prose.find(word)
    while at >= 0:
        spans.append((at, at + len(word)))
        at = prose.find(word, at + 1)
    return spans


def occurrences(text: Text, wrong: str, right: str | None,
                pattern: re.Pattern[str] | None = None) -> Iterator[int]:
    """Offsets in text.raw where wrong is written: not in a 《title》, not inside right."""
    if not text.raw or wrong not in text.raw:
        return
    prose = _prose(text.raw)
    if wrong not in prose:
        return
    titles = [m.span() for m in QUOTED_TITLE.finditer(prose)]
    inside = _spans(prose, right) if right and wrong in right else []
    for match in (pattern or re.compile(re.escape(wrong))).finditer(prose):
        start, end = match.span()
        if any(s <= start and end <= e for s, e in titles + inside):
            continue
        yield start


# Where a glossary form stands: after a character of these it is another level's organ
# (市粮食局, 省粮食局 are not 清河县粮食局), after one of JOINERS a word of its own.
DIVISIONS = "省市县区乡镇村州盟旗"
JOINERS = "向和与及同由经对在为给报请将把被是的从至到按据以于跟共或并暨"
FIX, REPORT, SKIP = "fix", "report", "skip"


def standing(text: Text, start: int, wrong: str, right: str | None) -> str:
    """How a glossary form found at start stands: FIX where it is a word of its own (at
    the start, after a mark or a joining word: 我局向县委宣传部报告), REPORT where it may
    be the end of a longer name (清河县委宣传部 is a part of 中共清河县委宣传部; 召开县委
    宣传部会议) and replacing it could garble the text, SKIP after a division (市粮食局)."""
    written = _prose(text.raw)
    at = start - 1
    while at >= 0 and (written[at] in " \t\r\n\u3000"
                       or written[at] == "\\" and written[at + 1:at + 2] in ("\n", "\r")):
        at -= 1
    # A line break in Chinese text folds away (中共清河⏎  县委宣传部 prints 中共清河县委宣传部;
    # so does an escaped one in double quotes, "中共清河\⏎  县委宣传部"): the character that
    # stands before the form is the one before the break.
    folded = "\n" in written[at + 1:start] or "\u3000" in written[at + 1:start]
    before = written[at] if at >= 0 and (folded or at == start - 1) else ""
    if before == "\x00":  # a placeholder: what it prints may end a name ({{ unit.name }}局)
        return REPORT
    if not before.isalpha():  # any letter may end a name (清㵲, an Extension A character)
        return FIX
    lead = right[:right.find(wrong)] if right and wrong in right else ""
    if lead.endswith(before):
        return REPORT
    if before in DIVISIONS:
        return SKIP
    return FIX if before in JOINERS else REPORT


def _texts(project: Project) -> Iterator[Text]:
    """The texts a project writes: not the titles of documents it cites (another office's
    words, quoted as they are)."""
    cited = {id(t) for d in project.documents for t in (d.title, d.organ) if t is not None}
    cited |= {id(t) for lst in project.lists for d in lst.basis
              for t in (d.title, d.organ) if t is not None}
    return (t for t in all_texts(project) if id(t) not in cited)


def check_usage(texts: Iterable[Text]) -> list[Diagnostic]:
    """W931: each form of the built-in table."""
    found = []
    for text in texts:
        for usage in USAGES:
            for start in occurrences(text, usage.wrong, usage.right, _PATTERNS[usage.wrong]):
                hint = f"出处：{usage.source}" + ("；运行 qingdan fmt 可自动替换" if usage.fix
                                                   else "；请按上下文确认后修改")
                found.append(Diagnostic("W931", f"“{usage.wrong}”应写作“{usage.right}”",
                                        text.at(start), hint=hint))
    return found


def check_glossary(project: Project, texts: Iterable[Text]) -> list[Diagnostic]:
    """W935: each form the project's glossary rules out."""
    rules = project.wording.rules
    if not rules:
        return []
    found = []
    forbidden = forbidden_forms(project)
    for text in texts:
        for rule in rules:
            auto = automatic(rule.wrong, rule.right, forbidden)
            for start in occurrences(text, rule.wrong, rule.right):
                stands = standing(text, start, rule.wrong, rule.right)
                if stands == SKIP:
                    continue
                how = ("" if not rule.right else
                       "；替换写法含有 YAML 的特殊字符或本身是禁用的写法，qingdan fmt 不替换，"
                       "请手工修改" if not auto else
                       "；运行 qingdan fmt 可自动替换" if stands == FIX
                       else "；这里可能是更长名称的一部分，qingdan fmt 不替换，请按上下文修改")
                found.append(Diagnostic(
                    "W935", _glossary_message(rule), text.at(start),
                    hint=f"见 qingdan.yaml 的 wording（{rule.location.line} 行）{how}"))
    return found


def _glossary_message(rule: WordingRule) -> str:
    if rule.right:
        return f"本项目不用“{rule.wrong}”，应写作“{rule.right}”"
    return f"本项目不用“{rule.wrong}”"


# A replacement fmt writes into a source as it is: one of these characters could end a plain
# scalar, start a comment or an escape, or a placeholder, so it is only reported.
UNSAFE = frozenset("#:,'\"\\{}[]&*!|>%@`\n\r\t\u2028\u2029\x85")


def automatic(wrong: str, right: str | None,
              forbidden: Sequence[tuple[str, str | None]]) -> bool:
    """Whether fmt may put right for wrong: safe to write in any YAML scalar, and not
    holding a form another rule would flag in it (惟一 -> 唯一 against a project's
    唯一 -> 惟一 would flip on every run; 粮食局 inside 清河县粮食局 is no such form when
    its own rule writes 清河县粮食局)."""
    if not right or UNSAFE & set(right) or right != right.strip() or right[0] in "-?":
        return False
    return not any(other != wrong and other in right
                   and not (instead and other in instead and instead in right)
                   for other, instead in forbidden)


def forbidden_forms(project: Project) -> list[tuple[str, str | None]]:
    """Every form the project's glossary or W931's table rules out, with its replacement."""
    return ([(r.wrong, r.right) for r in project.wording.rules]
            + [(u.wrong, u.right) for u in USAGES])


def own_pairs(project: Project) -> list[tuple[str, str | None]]:
    """The glossary's (form, replacement) pairs fmt may apply."""
    forbidden = forbidden_forms(project)
    return [(r.wrong, r.right) for r in project.wording.rules
            if automatic(r.wrong, r.right, forbidden)]


def check_wording(project: Project) -> list[Diagnostic]:
    """W931 and W935 over every text the project writes."""
    texts = list(_texts(project))
    return check_usage(texts) + check_glossary(project, texts)


def wording_fixes(project: Project) -> list[Fix]:
    """What `qingdan fmt` replaces: W935's forms that have a replacement and W931's
    unambiguous entries; where two overlap, the first (the project's own) wins."""
    return replacements([*_texts(project), *overlay_texts(project)], own_pairs(project),
                        [r.wrong for r in project.wording.rules])


def replacements(texts: Iterable[Text], own: Sequence[tuple[str, str | None]] = (),
                 ruled_out: Sequence[str] = ()) -> list[Fix]:
    """The fixes for the given texts: the pairs own (wrong, right) first, then W931's
    (but one whose replacement the project rules out: ruled_out)."""
    pairs: list[tuple[str, str | None, re.Pattern[str] | None]] = [(w, r, None) for w, r in own]
    pairs += [(u.wrong, u.right, _PATTERNS[u.wrong]) for u in USAGES
              if u.fix and not any(form in u.right for form in ruled_out)]
    fixes: list[Fix] = []
    taken: dict[str, set[int]] = {}  # the file offsets already replaced
    for text in texts:
        if not text.raw or text.offset < 0:
            continue
        if text.raw.strip() in {wrong for wrong, _, _ in pairs} and not text.raw.startswith(
                ("'", '"', "|", ">")):
            right = next(r for w, r, _ in pairs if w == text.raw.strip())
            if not reads_as_text(right or ""):
                continue  # a plain value 零点五 made 0.5 would read as a number
        for wrong, right, pattern in pairs:
            assert right is not None
            for start in occurrences(text, wrong, right, pattern):
                if pattern is None and standing(text, start, wrong, right) != FIX:
                    continue  # a glossary form that may be part of a longer name
                at = text.offset + start
                used = taken.setdefault(text.location.path, set())
                if any(k in used for k in range(at, at + len(wrong))):
                    continue
                used.update(range(at, at + len(wrong)))
                fixes.append(Fix(text.location.path, at, wrong, right))
    return fixes
