"""Validate loaded sources against the JSON Schemas and translate errors into diagnostics.

The schemas in qingdan/schemas/ are the single definition of each source format: editors use them
for completion, and this module uses them for checking, so the two cannot drift.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import fastjsonschema

from ..diagnostics import Diagnostic, did_you_mean
from .source import Source

if TYPE_CHECKING:  # imported when a source is invalid: most runs never need it
    import jsonschema
    from jsonschema.exceptions import ValidationError

TYPE_NAMES = {
    "string": "文字", "integer": "整数", "number": "数字", "boolean": "是/否（true/false）",
    "array": "列表（以“- ”开头的各行）", "object": "映射（“键: 值”的各行）", "null": "空值",
}


@cache
def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema for one source kind (list, project)."""
    text = resources.files("qingdan.schemas").joinpath(f"{kind}.schema.json").read_text("utf-8")
    return json.loads(text)


@cache
def _validator(kind: str) -> jsonschema.protocols.Validator:
    import jsonschema

    return jsonschema.Draft202012Validator(schema(kind))


@cache
def _gate(kind: str) -> Callable[[Any], Any]:
    """The schema compiled to Python by fastjsonschema: about thirty times faster than
    jsonschema at saying "valid", which almost every source is. Only an invalid source
    goes through jsonschema, for every error with its path."""
    return fastjsonschema.compile(schema(kind))


def is_valid(kind: str, data: Any) -> bool:
    try:
        _gate(kind)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


# Keys whose values are entries named by the user (a role, a registered document, a
# unit's overlays for one list): an error inside one entry drops that entry only.
MAP_KEYS = {"roles", "documents", "templates", "diagnostics", "overlays", "vars", "leaders"}


@dataclass(frozen=True)
class Checked:
    """A source's schema problems, and the parts of it that are unusable because of them:
    later passes build the model from the rest (a broken item is left out, its siblings
    and every other file are still checked)."""

    diagnostics: list[Diagnostic]
    cuts: frozenset[tuple[Any, ...]]
    ignored: frozenset[tuple[Any, ...]] = frozenset()  # values of unknown keys (E201)

    def dropped(self, path: tuple[Any, ...]) -> bool:
        """Whether the value at path is, or lies inside, an unusable part."""
        return any(path[:len(cut)] == cut for cut in self.cuts)


def _cuts(error: ValidationError) -> list[tuple[Any, ...]]:
    """The parts of the data an error makes unusable: the nearest list element or named
    entry around it, else its top-level key; none for an unknown key (it is ignored)."""
    if error.validator == "additionalProperties":
        return []
    path = tuple(error.absolute_path)
    paths = [path]
    if error.validator == "required" and isinstance(error.instance, dict):
        paths = [path + (k,) for k in error.validator_value if k not in error.instance]
    return [_part(p) for p in paths]


def _part(path: tuple[Any, ...]) -> tuple[Any, ...]:
    for n in range(len(path), 0, -1):
        prefix = path[:n]
        if isinstance(prefix[-1], int) or (n >= 2 and prefix[-2] in MAP_KEYS):
            return prefix
    return path[:1]


def validate(source: Source, kind: str) -> Checked:
    """Every schema violation in a source, as diagnostics pointing at the offending value,
    with the parts they make unusable."""
    if is_valid(kind, source.data):
        return Checked([], frozenset())
    found: list[Diagnostic] = []
    cuts: set[tuple[Any, ...]] = set()
    ignored: set[tuple[Any, ...]] = set()
    for error in _validator(kind).iter_errors(source.data):
        found.extend(_translate(error, source))
        cuts.update(_cuts(error))
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = error.schema.get("properties", {})
            path = tuple(error.absolute_path)
            ignored.update(path + (key,) for key in error.instance if key not in known)
    unique = {(d.code, d.location, d.message): d for d in found}
    return Checked(sorted(unique.values(), key=Diagnostic.sort_key), frozenset(cuts),
                   frozenset(ignored))


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def _field(path: tuple[Any, ...], data: Any = None) -> str:
    """A readable name for a path, counting from 1 and naming an entry by its id where it
    has one: roles.committee.items 第3条（xuexi）.text."""
    out = ""
    for part in path:
        if isinstance(part, int):
            data = data[part] if isinstance(data, list) and part < len(data) else None
            ident = data.get("id") if isinstance(data, dict) else None
            out += f" 第{part + 1}项" + (f"（{ident}）" if isinstance(ident, str) else "")
        else:
            data = data.get(part) if isinstance(data, dict) else None
            out += f".{part}" if out else str(part)
    return out or "文件顶层"


def _translate(error: ValidationError, source: Source) -> list[Diagnostic]:
    path = tuple(error.absolute_path)
    where = source.at(path)
    name = _field(path, source.data)
    custom = error.schema.get("x-message") if isinstance(error.schema, dict) else None
    kind = error.validator
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        out = []
        for key in error.instance:
            if key in allowed:
                continue
            hint = did_you_mean(key, allowed) or f"可用的键：{'、'.join(sorted(allowed))}"
            out.append(Diagnostic("E201", f"未知的键“{key}”（在 {name} 中）",
                                  source.at(path + (key,), key=True), hint=hint))
        return out
    if kind == "required":
        known = error.schema.get("properties", {})
        unknown = [k for k in error.instance if k not in known]
        # A misspelt key is reported once, as unknown with a suggestion, not also as missing.
        missing = [k for k in error.validator_value if k not in error.instance
                   and not difflib.get_close_matches(k, unknown, n=1, cutoff=0.6)]
        role = _misspelt_role(path, missing)
        if role is not None:  # a standard role's name misspelt: a key error, at the key
            return [Diagnostic("E201", f"未知的角色名“{path[1]}”（在 roles 中）",
                               source.at(path, key=True), hint=role)]
        return [Diagnostic("E203", f"{name} 缺少必填字段“{key}”", where,
                           hint=_required_hint(key, path)) for key in missing]
    if kind == "type":
        value: Any = error.validator_value
        wanted: list[str] = value if isinstance(value, list) else [value]
        names = "或".join(TYPE_NAMES[w] for w in wanted)
        actual = TYPE_NAMES[_type_of(error.instance)]
        quoting = "文字中含有冒号、井号等符号时请加引号" if "string" in wanted else None
        return [Diagnostic("E202", f"{name} 应为{names}，实际是{actual}", where, hint=quoting)]
    if kind == "propertyNames":
        return [Diagnostic("E204", f"名称“{error.instance}”不合要求（在 {name} 中）",
                           source.at(path + (error.instance,), key=True),
                           hint=schema_message(error))]
    message = custom or _generic(error)
    return [Diagnostic("E204", f"{name}：{message}", where, hint=_value_hint(error))]


def schema_message(error: ValidationError) -> str | None:
    """The x-message of the innermost schema that failed, if it has one."""
    for sub in [error, *error.context]:
        if isinstance(sub.schema, dict) and sub.schema.get("x-message"):
            return str(sub.schema["x-message"])
    return None


def _generic(error: ValidationError) -> str:
    kind, value = error.validator, error.validator_value
    if kind == "minLength":
        return "不能为空"
    if kind == "minItems":
        return f"至少要有 {value} 项"
    if kind == "minProperties":
        return f"至少要有 {value} 项"
    if kind == "enum":
        return f"只能是 {'、'.join(map(str, value))} 之一"
    if kind == "const":
        return f"只能是 {value}"
    if kind == "pattern":
        return "格式不对"
    return "值不符合要求"


def _value_hint(error: ValidationError) -> str | None:
    if error.validator in ("enum", "const") and isinstance(error.instance, str):
        choices = error.validator_value if error.validator == "enum" else [error.validator_value]
        return did_you_mean(error.instance, [str(c) for c in choices])
    return None


STANDARD_ROLES = ("committee", "secretary", "deputy", "members")


def _misspelt_role(path: tuple[Any, ...], missing: list[str]) -> str | None:
    """The hint for a role named like a standard one but not quite (it then lacks the
    heading only custom roles write), or None."""
    if missing == ["heading"] and len(path) == 2 and path[0] == "roles":
        guess = did_you_mean(str(path[1]), STANDARD_ROLES)
        if guess:
            return f"{guess}标准角色名为 {'、'.join(STANDARD_ROLES)}；自定义角色须写 heading"
    return None


def _required_hint(key: str, path: tuple[Any, ...]) -> str | None:
    hints = {
        "items": "每个角色至少写一条：items: 下面用“- id: …”和“text: …”",
        "id": "每条都要有稳定的编号，例如 id: lingdaoquan",
        "heading": "自定义角色须写本节标题；"
                   "若是四类标准角色，请用 committee、secretary、deputy、members",
        "kind": "责任清单写 kind: list",
    }
    return hints.get(key)
