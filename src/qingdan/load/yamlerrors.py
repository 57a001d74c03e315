"""PyYAML's error messages in Chinese, with a hint about what the clerk most likely wrote.

PyYAML reports a problem as an English context ("while scanning a quoted scalar") and
problem ("found unexpected end of stream"). Every message its scanner, parser, composer and
reader can produce is matched here; none reaches the user in English. The hint looks at the
line itself: text that starts with "{{" or holds ": " needs quotes, and a half-width ":"
inside Chinese text is most likely meant as "：".
"""

from __future__ import annotations

import re
from typing import Any

import yaml

CJK = re.compile(  # as check/prose.CJK: full-width digits and letters are no Chinese text
    r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uffef“”‘’《》]")

# (pattern on "context | problem", Chinese message). Groups named c are the offending
# character, shown in quotes.
MESSAGES: list[tuple[re.Pattern[str], str]] = [(re.compile(p, re.S), m) for p, m in [
    (r"found character '(?P<c>\\t)' that cannot start", "缩进中不能使用 Tab 键，请改用空格"),
    (r"found character '(?P<c>.+?)' that cannot start any token",
     "字符“{c}”不能出现在值的开头（以它开头的文字要加引号）"),
    (r"while scanning a simple key.*could not find expected ':'",
     "缺少冒号“:”，或上一行的引号没有配对"),
    (r"mapping values are not allowed here", "此处不能出现“: ”（冒号后跟空格）"),
    (r"block sequence entries are not allowed here", "此处不能出现列表项“- ”（缩进不对）"),
    (r"mapping keys are not allowed here", "此处不能出现“? ”"),
    (r"while scanning a (?:double|single)?-?quoted scalar.*found unexpected end of stream",
     "引号没有配对（从这里开始的引号没有结束）"),
    (r"while scanning a (?:double|single)?-?quoted scalar.*found unexpected document separator",
     "引号没有配对（引号中间出现了“---”）"),
    (r"found unknown escape character '(?P<c>.+?)'",
     "双引号中的“\\{c}”不是合法的转义（反斜杠要写成“\\\\”，或改用单引号）"),
    (r"expected escape sequence of \d+ hexadecimal numbers",
     "双引号中的“\\x”“\\u”后要跟十六进制数字（反斜杠要写成“\\\\”，或改用单引号）"),
    (r"while scanning a quoted scalar", "引号中的文字有误（检查引号是否配对）"),
    (r"while scanning a block scalar.*indentation indicator",
     "“|”或“>”后的缩进数字只能是 1 到 9"),
    (r"while scanning a block scalar.*chomping or indentation",
     "“|”或“>”后只能跟“-”“+”或缩进数字"),
    (r"while scanning a block scalar.*comment or a line break",
     "“|”或“>”之后同一行只能写注释"),
    (r"while scanning an? (?:anchor|alias)", "“&”“*”后要跟字母或数字（以它们开头的文字要加引号）"),
    (r"while (?:scanning|parsing) a tag", "“!”开头的标记写法不对（以“!”开头的文字要加引号）"),
    (r"while scanning a directive|found incompatible YAML document|duplicate %TAG",
     "“%”开头的指令写法不对（以“%”开头的文字要加引号）"),
    (r"while scanning a plain scalar", "文字中有不能出现的符号（请给文字加引号）"),
    (r"while scanning an? URI|expected URI", "标记中的地址写法不对"),
    (r"expected ',' or '\]'", "方括号“[ ]”写的列表没有正确结束（检查逗号和右方括号）"),
    (r"expected ',' or '\}'", "花括号“{ }”写的映射没有正确结束（以“{{”开头的文字要加引号）"),
    (r"while parsing a flow", "方括号或花括号没有配对"),
    (r"expected <block end>, but found '<block mapping start>'", "缩进不一致"),
    (r"expected <block end>, but found '<block sequence start>'", "缩进不一致"),
    (r"expected <block end>, but found '-'", "列表项“-”的缩进不一致"),
    (r"expected <block end>, but found '<scalar>'",
     "这一行的缩进或写法不对（以“{{”开头、或含有“: ”的文字要加引号）"),
    (r"expected <block end>", "缩进不一致"),
    (r"while parsing a block node.*expected the node content", "这里缺少值"),
    (r"expected the node content", "这里缺少值"),
    (r"expected '<document start>'", "文件中有多余的内容（“...”之后不能再写）"),
    (r"expected a single document in the stream",
     "一个文件只能有一个 YAML 文档（不要用“---”分隔多份）"),
    (r"found undefined alias", "引用了未定义的别名（“*”开头的文字要加引号）"),
    (r"found duplicate anchor", "同一个锚点名（&名称）定义了两次"),
    (r"found unexpected end of stream", "文件意外结束（引号或括号没有配对）"),
]]
UNACCEPTABLE = re.compile(r"unacceptable character #x(?P<code>[0-9a-fA-F]+)")


def message(exc: yaml.YAMLError) -> str:
    """The error in Chinese: "YAML 语法错误：……"."""
    if isinstance(exc, yaml.reader.ReaderError):
        return f"YAML 语法错误：文件中有不可见的控制字符（U+{exc.character:04X}）"
    context = getattr(exc, "context", None) or ""
    problem = getattr(exc, "problem", None) or ""
    both = f"{context} | {problem}"
    for pattern, text in MESSAGES:
        found = pattern.search(both)
        if found:
            char = found.groupdict().get("c")
            shown = {"\\t": "Tab", "\\n": "换行", " ": "空格"}.get(char or "", char or "")
            return "YAML 语法错误：" + text.replace("{c}", shown)
    return "YAML 语法错误：无法识别的写法"


def hint(exc: yaml.YAMLError, text: str) -> str:
    """What to change, judged from the line the error points at."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = text.splitlines()[mark.line] if mark is not None and mark.line < len(
        text.splitlines()) else ""
    problem = getattr(exc, "problem", None) or ""
    if "'\\t'" in problem:
        return "YAML 只认空格缩进"
    value = line.split(":", 1)[1].strip() if ":" in line else line.strip()
    if value.startswith("{{") or value.startswith("- {{"):
        return "以“{{”开头的文字要整段加引号，例如 text: \"{{ unit.name }}……\""
    if "mapping values are not allowed" in problem and mark is not None:
        before = line[:mark.column].rstrip()
        after = line[mark.column + 1:].lstrip()
        if _key_position(line, mark.column):
            return ("这一行像是一个键：检查它的缩进是否与上一行的键对齐；如果是文字，"
                    "把半角冒号“:”改为全角“：”，或给整段文字加引号")
        if (before and CJK.match(before[-1])) or (after and CJK.match(after[0])):
            return ("中文文字中的半角冒号“:”应为全角“：”（运行 qingdan fmt 可自动改正），"
                    "或给整段文字加引号")
        return "值中含有“: ”时要给整段文字加引号"
    return "检查该行及上一行的缩进、冒号和引号是否配对"


def _key_position(line: str, column: int) -> bool:
    """Whether the ":" at column is where a mapping key of the line ends (the first
    ": " of the line, after nothing but indentation, a "- " and a word): a key indented
    wrongly, which writing "：" would silently join to the value above."""
    head = line[:column].strip()
    if head.startswith("- "):
        head = head[2:].strip()
    return bool(head) and ":" not in head and not any(c in head for c in " \t，。；、,")


def colon_to_fix(exc: yaml.YAMLError, text: str) -> int | None:
    """The offset of a half-width ":" inside Chinese text that broke the YAML (the case
    `qingdan fmt` can fix by writing "："), or None."""
    mark = getattr(exc, "problem_mark", None)
    if mark is None or "mapping values are not allowed" not in (getattr(exc, "problem", "") or ""):
        return None
    index = mark.index
    if index >= len(text) or text[index] != ":":
        return None
    start = text.rfind("\n", 0, index) + 1
    if _key_position(text[start:text.find("\n", index) % (len(text) + 1)], index - start):
        return None  # 主送: … indented one space too far is a key, not text: not for fmt
    before = text[:index].rstrip(" ")
    after = text[index + 1:].lstrip(" ")
    if (before and CJK.match(before[-1])) or (after and CJK.match(after[0])):
        return index
    return None


def left_open(exc: yaml.MarkedYAMLError, text: str) -> tuple[yaml.Mark, str] | None:
    """The start of the construct an error leaves open, when that is where the mistake
    is: the `[` or `{` of a flow collection that never closes (its error shows lines
    later, where the next key no longer fits into it), with the Chinese message for it."""
    opened: list[tuple[bool, Any]] = []
    try:
        for event in yaml.parse(text, Loader=yaml.Loader):
            if isinstance(event, yaml.CollectionStartEvent) and event.start_mark:
                opened.append((bool(event.flow_style), event.start_mark))
            elif isinstance(event, yaml.CollectionEndEvent) and opened:
                opened.pop()
    except (yaml.YAMLError, RecursionError):
        pass
    flows = [mark for flow, mark in opened if flow]
    if not flows or _closes(text, flows[-1].index):
        return None
    mark = flows[-1]
    if text[mark.index:mark.index + 1] == "{":
        return mark, "YAML 语法错误：这里的“{”没有配对的“}”（花括号写的映射没有结束）"
    return mark, "YAML 语法错误：这里的“[”没有配对的“]”（方括号写的列表没有结束）"


def open_hint(text: str, mark: yaml.Mark) -> str:
    if text[mark.index:mark.index + 2] == "{{":
        return "以“{{”开头的文字要整段加引号，例如 text: \"{{ unit.name }}……\""
    if text[mark.index:mark.index + 1] == "{":
        return "在这一行末尾补上“}”，或改用“键: 值”逐行书写"
    return "在这一行末尾补上“]”，或去掉“[”，改用“- ”逐行书写各项"


def _closes(text: str, start: int) -> bool:
    """Whether the bracket at start is closed later in text (quotes and comments skipped)."""
    depth = 0
    i = start
    quote = ""
    previous = ""  # the last character outside quotes that was not a space
    while i < len(text):
        char = text[i]
        if quote:
            if char == "\\" and quote == '"':
                i += 1
            elif char == quote:
                if quote == "'" and text[i + 1:i + 2] == "'":
                    i += 1
                else:
                    quote = ""
        elif char in "'\"" and previous in "[{,:":
            quote = char
        elif char == "#" and (i == 0 or text[i - 1] in " \t\n"):
            newline = text.find("\n", i)
            i = len(text) if newline < 0 else newline
            continue
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return True
        if not quote and char not in " \t\n":
            previous = char
        i += 1
    return False
