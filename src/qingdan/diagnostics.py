"""Diagnostics as data: the code table, the Diagnostic record, printers and exit codes."""

from __future__ import annotations

import difflib
import enum
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any

from .rules import RULES


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


# Every code qingdan can report, with its one-line Chinese meaning (shown in the README
# table). Codes are stable: a code is never reused for another meaning.
CODES: dict[str, str] = {
    "E101": "YAML 语法错误",
    "E102": "同一映射中键重复（后者会覆盖前者，造成内容丢失）",
    "E103": "文件无法读取或不是 UTF-8 编码",
    "E104": "文字中有 Word 文件不允许的字符（控制字符、U+FFFE、单独的代理项）",
    "E105": "源文件过大",
    "E106": "YAML 嵌套过深，或别名引用了自身",
    "E107": "不支持的 YAML 写法（合并键“<<”、空键）",
    "E108": "git 版本中有不安全的路径（..、绝对路径、符号链接）",
    "E201": "未知的键",
    "E202": "值的类型不对",
    "E203": "缺少必填字段",
    "E204": "值不符合要求（格式、取值范围或数量）",
    "E205": "qingdan.yaml 的 format 比本程序支持的格式新（项目是为更新版本的 qingdan 写的）",
    "E301": "编号（id）重复",
    "E302": "占位符中有未定义的变量",
    "E303": "占位符语法错误或无法求值",
    "E304": "占位符使用了不允许的操作",
    "E305": "占位符的计算量或结果超出限制",
    "E306": "占位符生成了 Word 文件不允许的字符",
    "E311": "引用了不存在的条目或条文",
    "E312": "引用了未登记的文件简称",
    "W313": "登记的文件从未被引用",
    "W314": "条号写成了固定文字（插入条文后不会自动更新）",
    "W315": "计分规则中的权重或等次没有在文中写出",
    "E401": "找不到项目或源文件",
    "E402": "找不到 Word 模板",
    "E411": "输出文件夹中有符号链接（不会经由链接写入）",
    "E412": "输出路径过长",
    "E413": "输出位置已有同名的文件或文件夹",
    "E414": "输出文件夹无法写入",
    "E415": "磁盘空间不足",
    "E416": "输出文件夹正被另一个 qingdan 进程写入",
    "E421": "找不到 LibreOffice 或调用它的 Python 接口（uno），无法生成 PDF",
    "E422": "LibreOffice 无法把文档转换为 PDF（重启后重试仍失败）",
    "E423": "找不到 pdftotext（poppler-utils），无法校对 PDF",
    "E424": "LibreOffice 无法启动",
    "E451": "回收：无法确定文件是哪个单位的哪份清单",
    "E452": "回收：文件所属的单位不在名册中（或项目没有本单位）",
    "E453": "回收：文件所属的源文件不是项目中的责任清单",
    "E454": "回收：文件的正文与所属的清单对不上",
    "E455": "回收的文件无法读取或已损坏（或不是 .docx）",
    "E456": "回收的文件过大（或解压后过大）",
    "E457": "回收：修改后的源文件不能生成与文件相同的清单（qingdan 的缺陷），未写入",
    "E458": "回收：按文件修改后项目会出错（如删去了别处引用的条目），未写入",
    "W451": "回收的文件生成之后，源文件或 qingdan 有改动",
    "W452": "回收的文件中有无法写成调整的修改（已列出，未写入源文件）",
    "W453": "回收的文件中有批注（已列出）",
    "E461": "文档的页面中有 OFD 输出不支持的内容",
    "E462": "生成的 OFD 不符合 GB/T 33190 的包结构",
    "E431": "导入的文件无法读取或已损坏",
    "E432": "导入的文件类型不支持，或不是文本文件",
    "E433": "导入的文件过大（或解压后过大）",
    "E434": "读取 .doc、.wps 文件需要 LibreOffice，但没有安装",
    "E435": "导入的文本文件编码无法识别，或含有控制字符",
    "E436": "导入的输出文件夹已存在且不为空",
    "E437": "导入的文件中没有找到公文内容",
    "E438": "导入的文件内容与扩展名不符（不是 Word、WPS、RTF 或 ODF 文件）",
    "E501": "Word 模板语法错误",
    "E502": "Word 模板中有未定义的变量",
    "E503": "Word 模板无法打开",
    "E504": "Word 模板的计算量或生成内容超出限制",
    "E505": "Word 模板过大（文件、部件或解压后的总大小）",
    "E506": "Word 模板中有不安全的部件名（..、绝对路径）",
    "E507": "Word 模板的格式不受支持（XML 不是 UTF-8、缺少 w: 前缀）",
    "E508": "生成的文档未通过 XML 校验",
    "E509": "Word 模板引用了模板之外的文件或网址（链接的图片、附加模板、读取文件的域）",
    "E601": "发文字号格式不对",
    "E602": "发文字号的年份与成文日期不符",
    "E603": "日期不存在",
    "E604": "发文字号重复（两份公文用了同一个字号）",
    "E621": "通知中的文件名称与所附文件的标题不符",
    "E631": "通知的署名和成文日期将排在没有正文的一页上，调整行距、字距或分页都不能解决",
    "W631": "通知的署名和成文日期将排在没有正文的一页上（printing 的 signature_alone: warning）",
    "E641": "--final：日期待定（不能正式发文）",
    "W641": "日期待定：按草稿生成，日期处留空",
    "E642": "--final：发文字号的序号待定（不能正式发文）",
    "W642": "发文字号的序号待定：按草稿生成，序号处留空",
    "E643": "--final：通知标为草稿或征求意见稿",
    "W643": "通知标为草稿或征求意见稿",
    "E644": "new-year：新年份不在当前版本之后，或无法确定当前版本的年份",
    "W644": "new-year：新版本的文字中仍写着上一年度的年份",
    "E645": "new-year：新版本的文件夹已存在",
    "E646": "new-year：git 操作失败，或项目有未提交的改动",
    "E647": "没有记录上一版本，或找不到上一版本（diff 不带参数时）",
    "E648": "new-year：源文件是指向项目文件夹之外的链接，不会复制到新版本",
    "E651": "时间安排的日期写法不对，或日期不存在",
    "E652": "时间安排的日期先后颠倒",
    "E653": "时间安排的日期不在本年度内",
    "E654": "时间安排的日期早于通知的成文日期",
    "E655": "年度工作通知所列的被考核单位不在单位名册中",
    "E656": "年度工作通知没有发文单位（qingdan.yaml 中没有 unit）",
    "E671": "diff：修订稿未通过自检（全部接受不是新版本，或全部拒绝不是旧版本），未写出",
    "E701": "分值之和与总分（或上级分值）不符",
    "E702": "权重之和不是 100%",
    "E703": "计算公式与权重不符",
    "E704": "等次之间有空档（有的分数不属于任何等次）",
    "E705": "等次之间有重叠（有的分数属于两个等次）",
    "E706": "等次未覆盖从 0 分到满分的全部分数，或上下限颠倒",
    "E721": "评分工作簿无法读取（不是有效的 .xlsx 文件、已加密或损坏，或超过大小限制）",
    "E722": "工作簿不是 qingdan sheets 生成的评分表",
    "E723": "评分工作簿的被考核单位不在单位名册中",
    "E724": "评分工作簿的指标与当前考核办法不一致（来自另一版本的考核办法）",
    "E725": "评分工作簿中缺少得分",
    "E726": "得分超出范围（超过该项分值或为负数）",
    "E727": "应填数字的单元格中是文字",
    "E728": "得分不是 0.5 的倍数",
    "E729": "填分的单元格中是公式",
    "E730": "一票否决事项填写的不是“是”或“否”",
    "E731": "同一单位有多份评分工作簿",
    "E732": "名册中的单位没有评分工作簿",
    "E733": "项目中没有可评分的考核办法（没有写分值的指标）",
    "E734": "一票否决事项所写的等次不存在，或不起限制作用",
    "E735": "考核结果通报所指的考核办法不存在，或结果位置写法不对",
    "E736": "找不到评分工作簿所属的项目（没有 --project，上级文件夹和当前文件夹中也没有）",
    "W801": "责任清单条目未被任何考核指标考核",
    "E811": "单位调整的目标条目不存在",
    "E812": "单位调整没有带来任何变化",
    "E813": "单位调整引用了不存在的清单或角色",
    "W901": "中文文字中有半角标点",
    "W902": "常见错别字",
    "E903": "内容为空",
    "E904": "生成的文字中残留模板标记",
    "W905": "项目按旧格式书写，本版本中这里的排法已改变（可保持原排法，或采用新排法）",
    "W911": "文字中有全角数字",
    "W912": "省略号写法不对（应为“……”）",
    "W913": "并列的书名号或引号之间用了顿号",
    "W914": "成对的标点不配对（引号、书名号、括号）",
    "W915": "年份写成了两位数字",
    "W916": "成文日期用了汉字数字",
    "W917": "数值或起止范围中的连接号用了“-”或“~”",
    "W918": "标题末尾有标点",
    # Wording and consistency across a document's elements (issue 28).
    "W931": "不规范的表述（异形词、易混词语、公文惯用写法）",
    "W932": "发文机关署名与发文机关标志不一致",
    "W933": "引用了成文日期前已废止的文件",
    "W934": "印发日期早于成文日期",
    "W935": "使用了本项目用语规范（qingdan.yaml 的 wording）不用的写法",
    "W936": "正文或标题所列的印发文件与附件不符（数量、名称或顺序）",
    "E951": "PDF 页面上少了文档中的文字",
    "E952": "PDF 页面上多出文档中没有的文字",
    "E953": "一行超过 28 个字",
    "E954": "一页超过 22 行",
    "E955": "文字超出版心",
    "E956": "发文机关署名所在页没有正文",
    "E957": "版记不在最后一页的版心底部",
    "E958": "页码缺失、错误或位置不对（单页居右、双页居左）",
    "W959": "版记所在的最后一页是单页（双面印刷时应在双页）",
    "W960": "PDF 中用了替代字体：公文所用的字体没有安装",
}

# Exit codes, decided here and nowhere else.
EXIT_OK = 0
EXIT_INPUT = 1  # the sources (or the template) have errors; nothing was written
EXIT_USAGE = 2  # the command line was wrong (click's own code)
EXIT_INTERRUPTED = 130  # stopped with Ctrl-C (128 + SIGINT, as shells report it)


@dataclass(frozen=True)
class Location:
    """Where a value sits in a source file; line and column count from 1.

    In a workbook, sheet names the worksheet and line, column are the cell's row and
    column, printed as Excel does: 文件.xlsx!评分表!F7 (文件.xlsx!评分表 when line is 0;
    文件.xlsx alone when sheet is empty, for the workbook as a whole).
    """

    path: str
    line: int = 1
    column: int = 1
    sheet: str | None = None

    def __str__(self) -> str:
        if self.sheet is None:
            return f"{self.path}:{self.line}:{self.column}"
        if not self.sheet:
            return self.path
        if self.line <= 0:
            return f"{self.path}!{self.sheet}"
        return f"{self.path}!{self.sheet}!{column_letters(self.column)}{self.line}"


def column_letters(column: int) -> str:
    """1 -> A, 27 -> AA: a spreadsheet column's name."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# A terminal lists this many of the places a diagnostic also affects, then counts the rest.
ALSO_SHOWN = 8
# A message names this many of the units that share a problem, then counts them.
UNITS_SHOWN = 3


def units_note(units: tuple[str, ...]) -> str:
    """（单位：甲）, （单位：甲、乙、丙 等 12 个）: the units a message is about; "" for none."""
    if not units:
        return ""
    more = f" 等 {len(units)} 个" if len(units) > UNITS_SHOWN else ""
    return f"（单位：{'、'.join(units[:UNITS_SHOWN])}{more}）"


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in the input, with a stable code and an optional hint.

    also: the other places the same cause affects (a notice whose title is made from a
    title that failed to render). They are not reported again on their own: fixing this
    one fixes them.

    units: the roster units whose documents have the problem, when a project has several
    (a shared text that fails for some units). Printed after the message; units sharing
    one problem share one diagnostic (builder.pipeline.merge_units).
    """

    code: str
    message: str
    location: Location
    hint: str | None = None
    # The default level follows the code's letter (E error, W warning); a project's
    # settings may change it later, keeping the code.
    severity: Severity = None  # type: ignore[assignment]
    also: tuple[Location, ...] = ()
    units: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.code not in CODES or self.code not in RULES:
            raise ValueError(f"unknown diagnostic code {self.code}")
        if self.severity is None:
            default = Severity.WARNING if self.code.startswith("W") else Severity.ERROR
            object.__setattr__(self, "severity", default)

    def format(self) -> str:
        """`path:line:col: error[CODE]: message`, then the hint and the other places it
        affects, each on its own line."""
        lines = [f"{self.location}: {self.severity.value}[{self.code}]: {self.full_message}"]
        if self.hint:
            lines.append(f"    提示：{self.hint}（依据：{self.basis}）")
        else:
            lines.append(f"    依据：{self.basis}")
        if self.also:
            shown = "、".join(str(loc) for loc in self.also[:ALSO_SHOWN])
            more = len(self.also) - ALSO_SHOWN
            lines.append(f"    也影响：{shown}" + (f" 等 {len(self.also)} 处" if more > 0 else ""))
        return "\n".join(lines)

    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.code)

    @property
    def basis(self) -> str:
        """The clause (or practice) the rule behind this code enforces: rules.RULES."""
        return RULES[self.code].basis

    @property
    def full_message(self) -> str:
        """The message as printed: with the units it is about."""
        return self.message + units_note(self.units)

    def to_json(self) -> dict[str, object]:
        """As `--format json` prints it: the units named in the message."""
        data = self.to_record()
        data["message"] = self.full_message
        data.pop("units", None)
        data["basis"] = self.basis
        data["strength"] = RULES[self.code].strength.value
        return data

    def to_record(self) -> dict[str, object]:
        """Every field as JSON data, for the build manifest (from_record reads it back)."""
        data = asdict(self)
        data["severity"] = self.severity.value
        data["also"] = list(data["also"])
        for loc in [data["location"], *data["also"]]:
            if loc["sheet"] is None:
                del loc["sheet"]  # a source file's location, as before
        if self.units:
            data["units"] = list(self.units)
        else:
            del data["units"]
        return data

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> Diagnostic:
        """A diagnostic as to_record wrote it."""
        loc = data["location"]
        return cls(code=str(data["code"]), message=str(data["message"]),
                   location=Location(str(loc["path"]), int(loc["line"]), int(loc["column"])),
                   hint=data.get("hint") and str(data["hint"]),
                   severity=Severity(str(data["severity"])),
                   also=tuple(Location(str(a["path"]), int(a["line"]), int(a["column"]))
                              for a in data.get("also") or []),
                   units=tuple(str(u) for u in data.get("units") or []))

    def affecting(self, places: Iterable[Location]) -> Diagnostic:
        """This diagnostic with more places its cause affects (each listed once, in order)."""
        also = tuple(sorted(dict.fromkeys([*self.also, *places]),
                            key=lambda loc: (loc.path, loc.line, loc.column)))
        return self if also == self.also else replace(self, also=also)


class Failed(Exception):
    """Raised by a stage that cannot go on; carries every diagnostic found so far."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = sorted(diagnostics, key=Diagnostic.sort_key)
        super().__init__(f"{len(self.diagnostics)} diagnostics")


def errors(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.severity is Severity.ERROR]


# Codes a terminal shows at most GROUPED times per file, then counts: `qingdan fmt`
# fixes them all at once, or (W914, W917) one fault tends to come in hundreds (a pasted
# text whose quotes are all half one kind). JSON output keeps every one.
GROUPED = {"W901": (3, "还有 {n} 处中文中的半角标点，运行 qingdan fmt 可一次全部改正"),
           "W911": (3, "还有 {n} 处全角数字，运行 qingdan fmt 可一次全部改正"),
           "W912": (3, "还有 {n} 处省略号写法不对，运行 qingdan fmt 可一次全部改正"),
           "W913": (3, "还有 {n} 处并列书名号、引号之间的顿号，运行 qingdan fmt 可一次全部删去"),
           "W914": (10, "还有 {n} 处不配对的标点，用 --format json 可列出全部"),
           "W917": (10, "还有 {n} 处范围的连接号用了“-”或“~”，用 --format json 可列出全部")}


def render_text(diagnostics: Iterable[Diagnostic]) -> str:
    """Diagnostics for a terminal, sorted by place; long runs of a mechanical warning are
    cut short per file with a count."""
    lines = []
    shown: dict[tuple[str, str], int] = {}
    ordered = sorted(diagnostics, key=Diagnostic.sort_key)
    for diag in ordered:
        key = (diag.code, diag.location.path)
        shown[key] = shown.get(key, 0) + 1
        limit = GROUPED.get(diag.code, (None, ""))[0]
        if limit is None or shown[key] <= limit:
            lines.append(diag.format())
    for (code, path), count in shown.items():
        limit, note = GROUPED.get(code, (None, ""))
        if limit is not None and count > limit:
            lines.append(f"{path}: warning[{code}]: {note.format(n=count - limit)}")
    return "\n".join(lines)


def render_json(diagnostics: Iterable[Diagnostic]) -> str:
    ordered = sorted(diagnostics, key=Diagnostic.sort_key)
    return json.dumps([d.to_json() for d in ordered], ensure_ascii=False, indent=2)


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A Chinese "did you mean" hint naming the closest choice, or None."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"是否要写“{match[0]}”？" if match else None
