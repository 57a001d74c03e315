"""A notice's elements agree with each other: the signature names the organ of the mark
(W932), the print date is not before the date (W934), and what the title and body list as
issued is what is attached (W936)."""

from __future__ import annotations

import datetime
import re

from ..diagnostics import Diagnostic
from ..model import Notice, Project, Text
from .notice import QUOTED

SPACES = re.compile(r"[\s\u3000]+")
# A date typed into the signature line (W916's business, not a second organ).
_NUMERAL = "0-9０-９〇○零一二三四五六七八九十"
DATE_IN_LINE = re.compile(rf"[{_NUMERAL}]{{2,4}}年[{_NUMERAL}]{{1,2}}月(?:[{_NUMERAL}]{{1,3}}日)?")


# Standard short names of bodies (after 委员会 is written 委): 中共清河县纪委 for 中共清河县
# 纪律检查委员会, 清河县发改委, 清河县人社局, 清河县人大常委会.
ABBREVIATIONS = (("纪律检查委", "纪委"), ("监察委", "监委"), ("发展和改革委", "发改委"),
                 ("人力资源和社会保障", "人社"),
                 ("人民代表大会常务委", "人大常委"), ("常委会", "常委"))
PARTY_BODY = re.compile(r"党(委|组|工委|总支|支部)$")


def _organ(name: str) -> str:
    """A name as compared, in one spelling: 中国共产党 as 中共, 委员会 as 委, 人民政府 as
    政府, 办公室 as 办, ……党委 as 中共……委, 支部委员会 as 支部; no spaces."""
    name = SPACES.sub("", name).replace("中国共产党", "中共").replace("委员会", "委")
    name = name.replace("人民政府", "政府").replace("办公室", "办")
    for full, short in ABBREVIATIONS:
        name = name.replace(full, short)
    body = PARTY_BODY.search(name)
    if body:
        name = ("" if name.startswith("中共") else "中共") + name[:body.start()] + body.group(1)
    return name.replace("总支部委", "总支").replace("支部委", "支部")


def same_organ(a: str, b: str) -> bool:
    """Whether two names name one organ: the same in one spelling (中共清河县委 for
    中国共产党清河县委员会, 清河县政府 for 清河县人民政府, 清河县粮食局党委 for 中共清河县
    粮食局委员会). A shorter name whose characters merely occur in the longer one is
    another organ: 中共清河县委 is not 中共清河县粮食局委员会."""
    a, b = _organ(a), _organ(b)
    return not a or not b or a == b


def mark_organs(mark: str) -> list[str]:
    """The organs a 发文机关标志 names: 文件 taken off, joint organs split at spaces."""
    name = mark.strip()
    if name.endswith("文件"):
        name = name[:-2]
    return [part for part in SPACES.split(name) if part]


def _joint(signature: str, organs: list[str]) -> bool:
    """Whether a signature printed on one line (the organs run together) begins with the
    mark's first organ and names each of its organs: a joint notice, whose mark may name
    the leading organ alone. What follows the leading organ must be an organ's name, not
    a word (中共清河县粮食局委员会办公室 is the committee's office, another organ)."""
    joined, lead = _organ(signature), _organ(organs[0])
    return (joined.startswith(lead) and len(joined) - len(lead) >= 4
            and all(_organ(organ) in joined for organ in organs))


def check_signature(notice: Notice) -> list[Diagnostic]:
    """W932: the signature names the organ (or, joint, the organs) of the mark. A joint
    notice's mark may name the leading organ alone (条例第九条（四）), so each organ of
    the mark must be among the signature's, not the reverse."""
    mark, signature = notice.mark, notice.signature
    if mark.broken or signature.broken or not mark.value.strip():
        return []
    signed = DATE_IN_LINE.sub(" ", signature.value).strip()
    signers = [part for part in SPACES.split(signed) if part]
    organs = mark_organs(mark.value)
    if not signers or not organs or same_organ("".join(organs), "".join(signers)):
        return []
    missing = [m for m in organs if not any(same_organ(m, s) for s in signers)]
    if not missing or _joint(signed, organs):
        return []
    return [Diagnostic(
        "W932", f"发文机关署名“{SPACES.sub(' ', signature.value.strip())}”与发文机关标志"
        f"“{SPACES.sub(' ', mark.value.strip())}”不是同一机关", signature.location,
        hint=f"署名应为“{missing[0]}”的全称或规范化简称；联合行文时各机关依次署名")]


def _day(text: Text | None) -> datetime.date | None:
    """A date written 2024-03-15; None for one still 待定 or not a date."""
    if text is None or text.broken:
        return None
    try:
        year, month, day = (int(part) for part in text.value.strip().split("-"))
        return datetime.date(year, month, day)
    except ValueError:
        return None


def check_print_date(notice: Notice) -> list[Diagnostic]:
    """W934: a notice is sent to print once it is dated, not before."""
    made, printed = _day(notice.date), _day(notice.print_date)
    if made is None or printed is None or printed >= made:
        return []
    assert notice.print_date is not None
    return [Diagnostic(
        "W934", f"印发日期 {notice.print_date.value} 早于成文日期 {notice.date.value}",
        notice.print_date.location,
        hint="印发日期是公文送印的日期，不早于成文日期（GB/T 9704-2012 7.4.3）；"
             "与成文日期相同时可删去 print_date")]


ATTACHMENT_NOTE = re.compile(r"^附\s*件\s*[：:]")
NUMBERED = re.compile(r"^\s*(?:附\s*件\s*[：:])?\s*\d+\s*[.．、]\s*")
MORE = re.compile(r"^[^，。；！？]{0,2}等")  # 《甲》等文件: names some of several on purpose


def _written_note(body: Text) -> list[str] | None:
    """The titles of a 附件说明 written by hand in the body (附件：1.《甲》 2.《乙》)."""
    lines = body.paragraphs()
    for i, line in enumerate(lines):
        if not ATTACHMENT_NOTE.match(line):
            continue
        items = [line] + [rest for rest in lines[i + 1:] if NUMBERED.match(rest)]
        titles = [NUMBERED.sub("", ATTACHMENT_NOTE.sub("", item)).strip() for item in items]
        return [t.strip("《》").rstrip("。；;") for t in titles if t]
    return None


def check_issued(notice: Notice, attached: list[str]) -> list[Diagnostic]:
    """W936: the documents a notice's title and body name as issued, against what it
    attaches: a hand-written 附件说明 that differs, a title or 印发 sentence naming fewer
    than are attached (without 等), or naming them in another order."""
    if not attached:
        return []
    found = []
    body = notice.body
    written = None if body.broken else _written_note(body)
    if written is not None and written != attached:
        what = ("数量" if len(written) != len(attached) else
                "顺序" if sorted(written) == sorted(attached) else "名称")
        found.append(Diagnostic(
            "W936", f"正文中的附件说明与所附文件的{what}不符：写了 {len(written)} 份，"
            f"附了 {len(attached)} 份", body.at(body.raw.find("附件")) if "附件" in body.raw
            else body.location,
            hint="附件说明由 qingdan 按 attachments 生成，删去正文中手写的附件说明；所附文件："
            + "、".join(f"{n}.《{t}》" for n, t in enumerate(attached, 1))))
    unique = list(dict.fromkeys(attached))
    texts: list[tuple[str, list[Text], bool]] = []
    if notice.title and not any(t.broken for t in notice.title):
        # a title written in lines is one title
        texts.append(("".join(t.value for t in notice.title), list(notice.title), True))
    if not body.broken:
        texts.append((body.value, [body], False))
    for value, parts, title in texts:
        for part in _issuing_parts(value):
            named = [m for m in QUOTED.finditer(part) if m.group(1) in unique]
            titles = list(dict.fromkeys(m.group(1) for m in named))
            if not titles:
                continue
            place = next((t.locate(f"《{titles[0]}》") for t in parts
                          if f"《{titles[0]}》" in t.raw), parts[0].location)
            if len(titles) < len(unique) and not MORE.match(part[named[-1].end():]):
                left = [t for t in unique if t not in titles]
                found.append(Diagnostic(
                    "W936", f"{'标题' if title else '正文'}列出 {len(titles)} "
                    f"份印发的文件，附件有 {len(unique)} 份", place,
                    hint="没有列出：" + "、".join(f"《{t}》" for t in left) + "；"
                    + ("省略 title 时由 qingdan 按附件生成标题" if title
                       else "正文可写 {{ attachments }}，列出全部附件")))
            elif titles != [t for t in unique if t in titles]:
                found.append(Diagnostic(
                    "W936", "所列文件的顺序与附件顺序不同", place,
                    hint="附件顺序：" + "、".join(f"{n}.《{t}》"
                                                for n, t in enumerate(attached, 1))))
    return found


def _issuing_parts(text: str) -> list[str]:
    """The sentences of a text that issue documents (现将《甲》印发给你们, 关于印发《甲》的
    通知): where the documents named should be all of those attached. A later sentence
    that names one of them (《甲》印发后……) is not one."""
    sentences, start, depth = [], 0, 0
    for i, char in enumerate(text):  # a 。 inside 《…》 is the title's own, no sentence end
        if char == "《":
            depth += 1
        elif char == "》":
            depth = max(0, depth - 1)
        elif char in "。；！？\n" and (depth == 0 or char == "\n"):
            sentences.append(text[start:i + 1])
            start, depth = i + 1, 0
    sentences.append(text[start:])
    return [s for s in sentences
            if re.search(r"现将|现印发|关于(?:印发|转发)|(?:印发|转发)给|随文(?:印发|下发)", s)]


def check_consistency(resolved: Project) -> list[Diagnostic]:
    """W932, W934 and W936 for every notice of a resolved project."""
    titles = {d.name: "".join(t.value for t in d.title) for d in resolved.issuable()}
    broken = {d.name for d in resolved.issuable() if any(t.broken for t in d.title)}
    found = []
    for notice in resolved.notices:
        found.extend(check_signature(notice))
        found.extend(check_print_date(notice))
        names = [a.value for a in notice.attachments]
        if notice.kind != "work" and all(n in titles and n not in broken for n in names):
            found.extend(check_issued(notice, [titles[n] for n in names]))
    return found
