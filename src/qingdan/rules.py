"""The rule registry: for every diagnostic code, the rule's basis and its strength.

A clerk trusts a check that names the clause it enforces. Each code in
diagnostics.CODES has an entry here (tests/test_rules.py holds that): the basis is a
clause of a standard or of the 条例, "公文实务" for a convention offices keep without a
written clause, or "qingdan" for a limit of the tool itself (a file it cannot read, a
template it cannot compile). The strength says how binding the rule is: 必须 (the
document is wrong or cannot be made), 一般应 (normally so; a reason may justify an
exception), 建议 (advice).

`qingdan rules` lists the registry; a diagnostic's hint line ends with its basis; the
code table in docs/检查代码表.md is generated from it (scripts/gen_code_table.py).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Strength(str, enum.Enum):
    MUST = "必须"
    NORMAL = "一般应"
    ADVISED = "建议"


@dataclass(frozen=True)
class Rule:
    basis: str
    strength: Strength


MUST, NORMAL, ADVISED = Strength.MUST, Strength.NORMAL, Strength.ADVISED

# Bases, spelled once.
QINGDAN = "qingdan"
PRACTICE = "公文实务"
REGULATION = "《党政机关公文处理工作条例》"
FORMAT = "GB/T 9704-2012"
PUNCTUATION = "GB/T 15834-2011"
NUMBERS = "GB/T 15835-2011"
OFD = "GB/T 33190-2016"

# The 条例's clauses used below: 第九条 lists the elements of a document and what each
# holds; 第十条 puts the layout under GB/T 9704; 第二十条 is what an office checks before
# signing off, its item (四): 文种是否正确，格式是否规范；人名、地名、时间、数字、段落顺序、
# 引文等是否准确；文字、数字、计量单位和标点符号等用法是否规范.
ELEMENTS = f"{REGULATION}第九条"
REVIEW = f"{REGULATION}第二十条（四）"


def _tool(*codes: str) -> dict[str, Rule]:
    return {code: Rule(QINGDAN, MUST if code.startswith("E") else NORMAL) for code in codes}


RULES: dict[str, Rule] = {
    # Reading the sources: the format qingdan reads.
    **_tool("E101", "E102", "E103", "E104", "E105", "E106", "E107", "E108",
            "E201", "E202", "E203", "E204", "E205",
            "E301", "E302", "E303", "E304", "E305", "E306"),
    # References inside a project: what a reader would see as a wrong citation.
    "E311": Rule(f"{REVIEW}（引文准确）", MUST),
    "E312": Rule(f"{REVIEW}（引文准确）", MUST),
    "W313": Rule(PRACTICE, ADVISED),
    "W314": Rule(QINGDAN, ADVISED),
    "W315": Rule(PRACTICE, NORMAL),
    # Output, LibreOffice, import, absorb, OFD packaging, templates: the tool's own needs.
    **_tool("E401", "E402", "E411", "E412", "E413", "E414", "E415", "E416",
            "E421", "E422", "E423", "E424",
            "E431", "E432", "E433", "E434", "E435", "E436", "E437", "E438",
            "E451", "E452", "E453", "E454", "E455", "E456", "E457", "E458",
            "W451", "W452", "W453", "E461",
            "E501", "E502", "E503", "E504", "E505", "E506", "E507", "E508", "E509"),
    "E462": Rule(OFD, MUST),
    # The notice: 版头, 主体, 版记 (GB/T 9704-2012 clause 7).
    "E601": Rule(f"{FORMAT} 7.2.5", MUST),
    "E602": Rule(PRACTICE, MUST),  # 7.2.5 sets the year's form, not that it is the date's
    "E603": Rule(f"{REVIEW}（时间准确）", MUST),
    "E604": Rule(f"{ELEMENTS}（五）", MUST),
    "E621": Rule(f"{REVIEW}（引文准确）", MUST),
    "E631": Rule(f"{FORMAT} 7.3.5.5", MUST),
    "W631": Rule(f"{FORMAT} 7.3.5.5", MUST),
    "E641": Rule(f"{ELEMENTS}（十二）", MUST),
    "W641": Rule(f"{ELEMENTS}（十二）", NORMAL),
    "E642": Rule(f"{ELEMENTS}（五）", MUST),
    "W642": Rule(f"{ELEMENTS}（五）", NORMAL),
    "E643": Rule(PRACTICE, MUST),
    "W643": Rule(PRACTICE, NORMAL),
    # The annual cycle and the work notice.
    **_tool("E644", "E645", "E646", "E647", "E648"),
    "W644": Rule(f"{REVIEW}（时间准确）", NORMAL),
    "E651": Rule(f"{REVIEW}（时间准确）", MUST),
    "E652": Rule(f"{REVIEW}（时间准确）", MUST),
    "E653": Rule(f"{REVIEW}（时间准确）", MUST),
    "E654": Rule(f"{REVIEW}（时间准确）", MUST),
    "E655": Rule(PRACTICE, MUST),
    "E656": Rule(f"{ELEMENTS}（十一）", MUST),
    "E671": Rule(QINGDAN, MUST),
    # Assessment measures: points, weights and grade bands must add up.
    "E701": Rule(f"{REVIEW}（数字准确）", MUST),
    "E702": Rule(f"{REVIEW}（数字准确）", MUST),
    "E703": Rule(f"{REVIEW}（数字准确）", MUST),
    "E704": Rule(PRACTICE, MUST),
    "E705": Rule(PRACTICE, MUST),
    "E706": Rule(PRACTICE, MUST),
    # Scoring workbooks: what qingdan can grade.
    **_tool("E721", "E722", "E723", "E724", "E725", "E726", "E727", "E728", "E729", "E730",
            "E731", "E732", "E733", "E734", "E735", "E736"),
    "W801": Rule(PRACTICE, ADVISED),
    "E811": Rule(QINGDAN, MUST),
    "E812": Rule(QINGDAN, MUST),
    "E813": Rule(QINGDAN, MUST),
    # Text.
    "W901": Rule(PUNCTUATION, NORMAL),
    "W902": Rule(f"{REVIEW}（文字用法规范）", NORMAL),
    "E903": Rule(QINGDAN, MUST),
    "E904": Rule(QINGDAN, MUST),
    "W905": Rule(QINGDAN, NORMAL),
    # Marks and numbers (check/marks.py): GB/T 15834-2011 clause 4 names each mark (4.5
    # 顿号, 4.8 引号, 4.9 括号, 4.11 省略号, 4.13 连接号, 4.15 书名号).
    "W911": Rule(NUMBERS, NORMAL),
    "W912": Rule(f"{PUNCTUATION} 4.11", NORMAL),
    "W913": Rule(f"{PUNCTUATION} 4.5.3.5", NORMAL),
    "W914": Rule(f"{PUNCTUATION} 4.8、4.9、4.15", MUST),
    "W915": Rule(NUMBERS, NORMAL),
    "W916": Rule(f"{FORMAT} 7.3.5.4", MUST),
    "W917": Rule(f"{PUNCTUATION} 4.13", NORMAL),
    "W918": Rule(PUNCTUATION, NORMAL),
    # Wording and consistency across a document's elements (issue 28). W931's entries each
    # name their own source in the hint (《第一批异形词整理表》, 《现代汉语词典》, practice).
    "W931": Rule(f"{REVIEW}（文字用法规范）", NORMAL),
    "W932": Rule(f"{ELEMENTS}（四）（十一）", NORMAL),
    "W933": Rule(f"{REVIEW}（引文准确）", NORMAL),
    "W934": Rule(f"{ELEMENTS}（十二）（十七）", MUST),
    "W935": Rule(PRACTICE, NORMAL),
    "W936": Rule(f"{ELEMENTS}（十）", NORMAL),
    # The printed page (proof): GB/T 9704-2012 clauses 5 and 7.
    "E951": Rule(QINGDAN, MUST),
    "E952": Rule(QINGDAN, MUST),
    # 5.2.3: 一般每面排 22 行，每行排 28 个字……特定情况可以作适当调整.
    "E953": Rule(f"{FORMAT} 5.2.3", NORMAL),
    "E954": Rule(f"{FORMAT} 5.2.3", NORMAL),
    "E955": Rule(f"{FORMAT} 5.2.1", MUST),
    "E956": Rule(f"{FORMAT} 7.3.5.5", MUST),
    "E957": Rule(f"{FORMAT} 7.4", MUST),
    "E958": Rule(f"{FORMAT} 7.5", MUST),
    "W959": Rule(f"{FORMAT} 7.4、7.5", NORMAL),
    "W960": Rule(f"{FORMAT} 5.2.2", NORMAL),
}

