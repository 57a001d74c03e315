"""click in Chinese: the help layout, and click's own usage errors.

Everything goes through click's supported hooks: a HelpFormatter subclass (headings,
the usage line, and wrapping that knows Chinese text: lines of a paragraph joined without
a space between Chinese characters, widths counted in terminal columns, no line begun with
a closing mark), the Command and Group classes (the options table, the help option, the
usage metavars), and their parse_args/invoke, which turn click's UsageError into
`ChineseUsage`, whose message is rebuilt from the exception's own fields or, for the few
texts click's parameter types make, from a table of click's English messages.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

import click

OPENING = set("（《「『“‘〔【～")  # never end a line
CLOSING = set("，。、；：？！）》」』”’〕】…—%～:;,.!?)]}")  # never begin one
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’…—]")
MARK = re.compile(r"[\u3000-\u303f\uff00-\uffef“”‘’…—]")  # Chinese punctuation
SECTIONS = {"Options": "选项", "Commands": "命令", "Arguments": "参数",
            "Positional arguments": "参数"}
METAVARS = {"TEXT": "文字", "INTEGER": "整数", "INTEGER RANGE": "整数", "FLOAT": "数",
            "FLOAT RANGE": "数", "DIRECTORY": "文件夹", "FILE": "文件", "FILENAME": "文件",
            "PATH": "路径", "BOOLEAN": "是或否"}
KINDS = {"file": "文件", "directory": "文件夹", "path": "路径"}
NUMBERS = {"integer": "整数", "integer range": "整数", "float": "数", "float range": "数",
           "boolean": "“是”或“否”", "UUID": "UUID"}
Q = r"""(['"])(.*)\1"""  # a value as repr() shows it


def width(text: str) -> int:
    """Terminal columns text takes: two for a wide (Chinese) character."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _units(text: str) -> Iterator[str]:
    """Text cut where a line may break: each Chinese character, each run of other
    characters, each space; closing marks kept with what precedes them, opening marks
    with what follows."""
    units: list[str] = []
    for run in re.findall(r"\s+|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
                          r"“”‘’…—]+|.", text):
        if units and units[-1][-1:] in OPENING and not run.isspace():
            units[-1] += run
        elif units and run[0] in CLOSING and not units[-1].isspace():
            units[-1] += run
        else:
            units.append(run)
    yield from units


def wrap(text: str, limit: int, first: str = "", rest: str = "") -> list[str]:
    """One paragraph's text in lines of at most limit columns (indents included)."""
    lines: list[str] = []
    line, space = first, False
    for unit in _units(text):
        if unit.isspace():
            space = True
            continue
        gap = " " if space and line.strip() else ""
        if width(line + gap + unit) > limit and line.strip():
            lines.append(line.rstrip())
            line, gap = rest, ""
        line += gap + unit
        space = False
    lines.append(line.rstrip())
    return lines


def join_lines(lines: Sequence[str]) -> str:
    """A paragraph's source lines as one text: the line break read as a space, except
    between two Chinese characters and next to Chinese punctuation."""
    text = ""
    for line in (x.strip() for x in lines):
        if text and line and not (CJK.match(text[-1]) and CJK.match(line[0])
                                  or MARK.match(text[-1]) or MARK.match(line[0])):
            text += " "
        text += line
    return text


def paragraphs(text: str) -> Iterator[tuple[bool, list[str]]]:
    """(kept as written, lines) for each paragraph; click's \\b marks one kept."""
    for block in re.split(r"\n\s*\n", text.strip("\n")):
        lines = block.splitlines()
        if lines and lines[0].strip() == "\b":
            yield True, lines[1:]
        else:
            yield False, lines


class Formatter(click.HelpFormatter):
    """click's help layout with Chinese headings and Chinese-aware wrapping."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        lead = f"{' ' * self.current_indent}用法：{prog}"
        lines = wrap(args, self.width, lead + " ", " " * width(lead + " ")) if args else [lead]
        self.write("\n".join(lines) + "\n")

    def write_heading(self, heading: str) -> None:
        self.write(f"{' ' * self.current_indent}{SECTIONS.get(heading, heading)}：\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        out = []
        for kept, lines in paragraphs(text):
            if kept:
                out.append("\n".join(indent + line for line in lines))
            else:
                out.append("\n".join(wrap(join_lines(lines), self.width, indent, indent)))
        self.write("\n\n".join(out) + "\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30,
                 col_spacing: int = 2) -> None:
        rows = list(rows)
        first = min(max((width(term) for term, _ in rows), default=0), col_max) + col_spacing
        indent = " " * self.current_indent
        for term, text in rows:
            if not text:
                self.write(f"{indent}{term}\n")
                continue
            if width(term) <= first - col_spacing:
                lead = f"{indent}{term}{' ' * (first - width(term))}"
            else:
                self.write(f"{indent}{term}\n")
                lead = " " * (self.current_indent + first)
            body = " " * (self.current_indent + first)
            lines = wrap(join_lines(text.splitlines()), max(self.width, width(body) + 10),
                         lead, body)
            self.write("\n".join(lines) + "\n")


class Context(click.Context):
    formatter_class = Formatter


def _range(text: str) -> str:
    """click's 1949<=x<=2999 as 1949～2999."""
    match = re.fullmatch(r"(\S+?)<=?x<=?(\S+)", text)
    if match:
        return f"{match[1]}～{match[2]}"
    match = re.fullmatch(r"x(>=?|<=?)(\S+)", text)
    if match:
        return f"{'不小于' if match[1].startswith('>') else '不大于'} {match[2]}"
    return text


def _choices(text: str) -> str:
    return "、".join(m[2] for m in re.finditer(r"(['\"])(.*?)\1", text)) or text


# click's English texts that reach the user without a field to rebuild them from: those
# of its parameter types (BadParameter.message) and of the parser (UsageError.message).
PHRASES: list[tuple[re.Pattern[str], Any]] = [(re.compile(p), f) for p, f in [
    (rf"^{Q} is not a valid (.+?)\.$",
     lambda m: f"“{m[2]}”不是{NUMBERS.get(m[3], '可用的值')}"),
    (r"^(.+) is not in the range (\S+)\.$", lambda m: f"{m[1]} 不在 {_range(m[2])} 的范围内"),
    (rf"^{Q} is not one of (.+)\.$", lambda m: f"“{m[2]}”不是可选的值（可选：{_choices(m[3])}）"),
    (rf"^{Q} is not {Q}\.$", lambda m: f"“{m[2]}”不是可选的值（只能是 {m[4]}）"),
    (rf"^(\w+) {Q} does not exist\.$",
     lambda m: f"{KINDS.get(m[1].lower(), '路径')}“{m[3]}”不存在"),
    (rf"^\w+ {Q} is a directory\.$", lambda m: f"“{m[2]}”是文件夹，这里要写文件"),
    (rf"^\w+ {Q} is a file\.$", lambda m: f"“{m[2]}”是文件，这里要写文件夹"),
    (rf"^\w+ {Q} is not (readable|writable|executable)\.$",
     lambda m: f"“{m[2]}”{ {'readable': '不可读', 'writable': '不可写'}.get(m[3], '不能执行')}"),
    (r"^Got unexpected extra arguments? \((.*)\)$", lambda m: f"多余的参数：{m[1]}"),
    (rf"^Option {Q} requires an argument\.$", lambda m: f"选项 {m[2]} 后面要写一个值"),
    (rf"^Option {Q} requires (\d+) arguments\.$",
     lambda m: f"选项 {m[2]} 后面要写 {m[3]} 个值"),
    (rf"^Option {Q} does not take a value\.$", lambda m: f"选项 {m[2]} 不带值"),
    (rf"^No such option {Q}\.$", lambda m: f"没有选项 {m[2]}"),
    (rf"^No such command {Q}\.$", lambda m: f"没有命令 {m[2]}"),
    (r"^Missing command\.$", lambda m: "缺少命令"),
    (r"^Takes (\d+) values but (\d+) (?:was|were) given\.$",
     lambda m: f"要写 {m[1]} 个值，却写了 {m[2]} 个"),
]]


def phrase(message: str) -> str:
    """click's English message in Chinese (ours, already Chinese, as it is)."""
    for pattern, chinese in PHRASES:
        match = pattern.match(message.strip())
        if match:
            return str(chinese(match))
    return message.rstrip("。") if CJK.search(message) else message


def _param(error: click.BadParameter) -> str:
    if error.param_hint is not None:
        hint = error.param_hint
        return hint if isinstance(hint, str) else " / ".join(hint)
    if error.param is not None:
        if isinstance(error.param, click.Option):
            return " / ".join(error.param.opts)
        return error.param.human_readable_name
    return ""


def _guesses(possibilities: Sequence[str] | None) -> str:
    return f"。是不是要写 {'、'.join(possibilities)}？" if possibilities else ""


def message(error: click.UsageError) -> str:
    """error's message in Chinese, ending with its punctuation."""
    such_command = getattr(click.exceptions, "NoSuchCommand", ())
    if isinstance(error, click.NoSuchOption):
        return f"没有选项 {error.option_name}{_guesses(error.possibilities) or '。'}"
    if isinstance(error, such_command):
        name = getattr(error, "command_name", "")
        return f"没有命令 {name}{_guesses(getattr(error, 'possibilities', None)) or '。'}"
    if isinstance(error, click.MissingParameter):
        kind = {"option": "选项", "argument": "参数"}.get(
            error.param_type or (error.param.param_type_name if error.param else ""), "参数")
        text = f"缺少{kind} {_param(error)}".rstrip()
        if error.param is not None and isinstance(error.param.type, click.Choice):
            text += f"（可选：{'、'.join(map(str, error.param.type.choices))}）"
        return text + "。"
    if isinstance(error, click.BadParameter):
        where = _param(error)
        return f"{where} 的值不对：{phrase(error.message)}。" if where else \
            f"值不对：{phrase(error.message)}。"
    return phrase(error.message) + "。"


class ChineseUsage(click.UsageError):
    """A usage error said in Chinese: the usage line, where to find help, the problem."""

    def show(self, file: IO[Any] | None = None) -> None:
        lines = []
        if self.ctx is not None:
            lines.append(self.ctx.get_usage())
            if self.ctx.command.get_help_option(self.ctx) is not None:
                lines.append(f"查看帮助：{self.ctx.command_path} --help")
            lines.append("")
        lines.append(f"错误：{self.message}")
        click.echo("\n".join(lines), file=file, err=file is None)


def chinese(error: click.UsageError, ctx: click.Context | None) -> click.UsageError:
    """error said in Chinese; one that already is (or the help click shows for a group
    called without a command) as it is."""
    shown_as_help = getattr(click.exceptions, "NoArgsIsHelpError", ())
    if isinstance(error, (ChineseUsage, shown_as_help)):
        return error
    return ChineseUsage(message(error), error.ctx or ctx)


class Chinese:
    """Chinese help and usage errors for a click Command or Group (mixed in first)."""

    context_class: type[click.Context] = Context

    def __init__(self, *args: Any, **options: Any) -> None:
        options.setdefault("options_metavar", "[选项]")
        if isinstance(self, click.Group):
            options.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **options)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = "显示本帮助并退出"
        return option

    def get_short_help_str(self, limit: int = 45) -> str:
        """The docstring's first paragraph, whole (click would cut it at an English full
        stop or at a length in characters)."""
        command: Any = self
        if command.short_help:
            return str(command.short_help)
        first = (command.help or "").strip().split("\n\n")[0]
        return join_lines(first.splitlines())

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        command: Any = self
        rows = [row for param in command.get_params(ctx)
                if not isinstance(param, click.Argument) and (row := option_row(param, ctx))]
        if rows:
            with formatter.section("选项"):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc, no-any-return]
        except click.UsageError as error:
            raise chinese(error, ctx) from None


def option_row(param: click.Parameter, ctx: click.Context) -> tuple[str, str] | None:
    """An option's line in the help: its names and a Chinese metavar, its help, and what
    click adds ([default: …; required]) in Chinese."""
    record = param.get_help_record(ctx)
    if record is None:
        return None
    spec, text = record
    for english, chinese_name in sorted(METAVARS.items(), key=lambda kv: -len(kv[0])):
        if spec.endswith(f" {english}"):
            spec = spec[: -len(english)] + chinese_name
            break
    help_text = getattr(param, "help", None) or ""
    extra = text[len(help_text):].strip() if text.startswith(help_text) else ""
    if not (extra.startswith("[") and extra.endswith("]")):
        return spec, text
    notes = []
    for item in extra[1:-1].split("; "):
        if item.startswith("default: "):
            notes.append(f"默认：{item[len('default: '):]}")
        elif item.startswith("env var: "):
            notes.append(f"环境变量：{item[len('env var: '):]}")
        elif item == "required":
            notes.append("必须写")
        elif "x" in item and "=" in item:
            notes.append(f"范围：{_range(item)}")
        else:
            notes.append(item)
    return spec, f"{help_text}（{'；'.join(notes)}）"
