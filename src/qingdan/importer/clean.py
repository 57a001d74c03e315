"""Paragraphs as read -> paragraphs of document text: web-page furniture removed (and
reported), punctuation normalised the way `qingdan fmt` does it, lines that a copy broke
inside a sentence joined again, and a file holding several documents cut into them."""

from __future__ import annotations

import dataclasses
import re

from ..check.text import HALF_TO_FULL, TYPO, TYPOS, full_width_marks
from .labels import parse_label
from .notice import NUMBER_LINE
from .paras import Para
from .report import Note, Report

SPACE = re.compile(r"[\s\u3000\xa0]+")
# A paywall's words, on a line of their own or at the end of a long one (issue 27).
PAYWALL = re.compile(r"会员免费|免费查看|查看全文|展开全文|阅读全文|全文阅读|免费下载|立即下载|"
                     r"下载(?:本文|全文|文档|Word|word)|开通(?:会员|VIP)|登录后(?:查看|下载|阅读|复制)|"
                     r"付费(?:阅读|下载|查看)|剩余\d{1,6}字|还剩\d{1,6}[字页]")
# Whole lines a web page adds around a document: each pattern with the reason reported.
FURNITURE = [
    (re.compile(r"^(来源|信息来源|文章来源|稿源)[:：]"), "网页的来源说明"),
    (re.compile(r"发布时间|发表于|发布日期[:：]|更新时间[:：]|浏览次数|阅读次数|点击[数率量]?[:：]"),
     "网页的发布信息"),
    (re.compile(r"此处内容需要权限查看|需要登录|会员可见|VIP"), "网页的权限提示"),
    (PAYWALL, "网页的付费提示"),
    (re.compile(r"分享到|【?打印(本页|此页)?】?\s*【?关闭(窗口|本页)?】?|^打印$|^关闭$|扫一扫"),
     "网页的分享、打印链接"),
    (re.compile(r"字号[:：]?\s*(?:[【\[]\s*)?大\s*中\s*小|【字体[:：]"), "网页的字号选择"),
    (re.compile(r"当前位置|您的位置|^首页\s*[>›»]|^[^>›»]*[>›»].*[>›»]\s*正文"), "网页的导航路径"),
    (re.compile(r"上一篇[:：]|下一篇[:：]|推荐访问[:：]|相关(文章|推荐|阅读)[:：]?$"),
     "网页的相关链接"),
    (re.compile(r"版权声明|我要投稿|本站|小编|供大家参考|免责声明"), "网站的版权和编辑说明"),
    (re.compile(r"^关键词[:：]|^文献标识码|文章编号[:：]|^中图分类号"), "期刊的检索信息"),
    (re.compile(r"[(（]\s*精选\s*\d+\s*篇\s*[)）]\s*$"), "网页的合集标题"),
    (re.compile(r"分享至|一键分享|收藏本[文页]|加入收藏|复制链接|^点赞|^收藏$|^举报$"),
     "网页的分享、收藏链接"),
    (re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?: \d{1,2}:\d{2}(?::\d{2})?)?$"),
     "网页的发布日期"),
    (re.compile(r"^(?:作者|编辑|责任编辑|责编|审核|审校)[:：]"), "网页的作者、编辑信息"),
    # A page's own title: an empty count left in it (……清单（）) or the site's name after it.
    (re.compile(r"[（(][）)]$|[_｜|][^_｜|]{1,16}(?:网|文库|在线|之家|范文|秘书|资料|大全|频道)$"),
     "网页的页面标题"),
]
# 某某考核办法 篇3: a page that collects several documents under one name.
PIECE = re.compile(r"^(?P<title>.{2,60}?)\s*篇\s*(?P<n>[0-9一二三四五六七八九十]+)$")
PLAIN_STYLES = ("", "Normal", "正文", "Body Text", "Plain Text")
SENTENCE_END = "。；！？：…”’）》」』"
LABEL_ONLY = re.compile(r"^[一二三四五六七八九十]+$")
STANDALONE_ENDS = ("办公室", "委员会", "党委", "党组", "党工委", "政府", "管委会", "文件")
TITLE_ENDS = ("清单", "办法", "细则", "意见", "方案", "通知", "规定", "决定", "通报")
HEAD = 12  # paragraphs at a file's head where a page repeats its title
REPEAT = 8  # the longest run of paragraphs looked for repeated at once
DATE_END = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日$")


def normalise(text: str, report: Report) -> str:
    """One paragraph's text: spaces collapsed, variant marks unified, half-width marks in
    Chinese text made full-width (repeated until nothing changes, as `qingdan fmt` would
    leave it after enough runs)."""
    text = SPACE.sub(" ", text).strip()
    text = text.replace("﹪", "%").replace("％", "%")
    fixed, count = full_width(text)
    report.punctuation += count
    return fixed


def full_width(text: str) -> tuple[str, int]:
    """text with its half-width marks made full-width as `qingdan fmt` makes them
    (check.text.full_width_marks: in one pass, a bracket pair together), and how many."""
    changed = full_width_marks(text)
    if not changed:
        return text, 0
    chars = list(text)
    for i in changed:
        chars[i] = HALF_TO_FULL[chars[i]]
    return "".join(chars), len(changed)


def furniture(text: str) -> str | None:
    """Why this line is web-page furniture, or None when it is document text."""
    if len(text) > 80:
        return None
    for pattern, reason in FURNITURE:
        if pattern.search(text):
            return reason
    return None


def clean(paras: list[Para], display: str, report: Report, join: bool) -> list[Para]:
    """Document text only: furniture out (each reported), punctuation normalised, typos
    reported (never changed), broken lines joined when join (text copied from a page)."""
    out: list[Para] = []
    for para in paras:
        text = normalise(para.text, report)
        if not text:
            continue
        reason = "表格的表头" if para.style == "表头" else furniture(text)
        if reason:
            report.add(f"{display} {para.where}", text, f"已去除：{reason}")
            continue
        text = _paywall_tail(text, f"{display} {para.where}", report)
        out.append(dataclasses.replace(para, text=text))
    out = _repeated(_repeated_titles(out, display, report), display, report)
    if join:
        out = _join_broken(out, display, report)
    for para in out:
        for match in TYPO.finditer(para.text):
            report.typos.append(_typo(display, para, match.group(0)))
    return out


def _paywall_tail(text: str, where: str, report: Report) -> str:
    """A long line that ends in a paywall's words (……会员免费查看全文) without them."""
    if len(text) <= 80:
        return text
    tail = PAYWALL.search(text, len(text) - 30)
    if tail is None:
        return text
    cut = tail.start()
    while cut and text[cut - 1] in "…. 【[（(":
        cut -= 1
    report.add(where, text[cut:], "已去除：行末的网页付费提示")
    return text[:cut]


def _repeated_titles(paras: list[Para], display: str, report: Report) -> list[Para]:
    """A title a page prints twice at its head (the page's title, then the article's):
    the earlier copy goes. Only before the first numbered paragraph, and only a line that
    reads as a title, so a notice's organ (mark, then signature) is never touched."""
    head = []
    for n, para in enumerate(paras[:HEAD]):
        if parse_label(para.text) is not None:
            break
        head.append(n)
    later = {paras[n].text: n for n in head}
    drop = {n for n in head if later[paras[n].text] != n and len(paras[n].text) <= 80
            and (paras[n].text.endswith(TITLE_ENDS) or piece(paras[n].text))}
    for n in sorted(drop):
        report.add(f"{display} {paras[n].where}", paras[n].text,
                   f"已去除：网页重复的标题（{paras[later[paras[n].text]].where}再次出现）")
    return [p for n, p in enumerate(paras) if n not in drop]


def _repeated(paras: list[Para], display: str, report: Report) -> list[Para]:
    """A run of up to REPEAT paragraphs printed twice in a row (a page's block repeated):
    the second copy goes. A document never says the same paragraphs twice running."""
    out: list[Para] = []
    i = 0
    while i < len(paras):
        for size in range(1, REPEAT + 1):
            if i + 2 * size > len(paras) or paras[i + size].text != paras[i].text:
                continue
            block = paras[i:i + size]
            again = paras[i + size:i + 2 * size]
            if (all(a.text == b.text for a, b in zip(block, again, strict=True))
                    and sum(len(p.text) for p in block) >= 10):
                out.extend(block)
                first = again[0].where
                where = first if size == 1 else f"{first}—{again[-1].where}"
                report.add(f"{display} {where}", again[0].text,
                           f"已去除：与上文{block[0].where}起的{size}段完全相同（网页重复的内容）")
                i += 2 * size
                break
        else:
            out.append(paras[i])
            i += 1
    return out


def heading_line(text: str) -> bool:
    """一、总体要求 or （一）把意识形态工作摆在极端重要的位置: a chapter or first- or
    second-level label and a short heading that ends no sentence, a line of its own."""
    label = parse_label(text)
    return (label is not None and label.kind in ("chapter", "h1", "h2")
            and 0 < len(label.rest) <= 40 and not any(m in label.rest for m in "。；：！？"))


def _typo(display: str, para: Para, word: str) -> Note:
    return Note(f"{display} {para.where}", word,
                f"疑为错别字，应为“{TYPOS[word]}”；原文照录，qingdan check 会以 W902 提示")


def _join_broken(paras: list[Para], display: str, report: Report) -> list[Para]:
    """A paragraph that stops mid-sentence (no closing mark, a long line) and a next one
    that starts without a label were one paragraph before the copy broke it."""
    out: list[Para] = []
    pieces: list[str] = []  # the texts joined into out[-1], joined once at the end
    length = 0
    for para in paras:
        prev = _ends(pieces, length)
        if (out and out[-1].style in PLAIN_STYLES and para.style in PLAIN_STYLES
                and length >= 15 and prev[-1] not in SENTENCE_END
                and not _stands_alone(prev) and not _stands_alone(para.text)
                and not out[-1].face and not para.face
                and not (len(pieces) == 1 and heading_line(prev))
                and "\u4e00" <= para.text[0] <= "\u9fff" and "\u4e00" <= prev[-1] <= "\u9fff"
                and parse_label(para.text) is None):
            report.add(f"{display} {out[-1].where}—{para.where}", prev[-6:] + para.text[:6],
                       "两行合为一段：原文在句子中间断行")
            pieces.append(para.text)
            length += len(para.text)
            continue
        if len(pieces) > 1:
            out[-1] = dataclasses.replace(out[-1], text="".join(pieces))
        out.append(para)
        pieces, length = [para.text], len(para.text)
    if len(pieces) > 1:
        out[-1] = dataclasses.replace(out[-1], text="".join(pieces))
    return out


def _ends(pieces: list[str], length: int) -> str:
    """The joined text, or, when it is long, its first and last 100 characters: all that
    _stands_alone and the join look at, so a thousand joined lines cost no more than one."""
    if length <= 200:
        return "".join(pieces)
    return pieces[0][:100] + "".join(pieces[-100:])[-100:]


def _stands_alone(text: str) -> bool:
    """Lines that are never half a sentence: a title with its document type, a date, a
    document number, an organ's name, the start of a notice's title."""
    return bool(piece(text) or DATE_END.search(text[-12:])
                or NUMBER_LINE.match(text) or text.startswith("关于")
                or text.endswith(STANDALONE_ENDS)
                or text.endswith(TITLE_ENDS) and len(text) <= 40
                and not text.startswith("关于印发"))


def piece(text: str) -> re.Match[str] | None:
    """某某考核办法 篇3, when text is one (a line longer than any such heading is not)."""
    return PIECE.match(text) if len(text) <= 80 else None


def split_pieces(paras: list[Para], display: str, report: Report) -> list[tuple[str, list[Para]]]:
    """A page of several documents (标题 篇1, 标题 篇2 …) -> (title, paragraphs) for each;
    what comes before the first is the page's own heading, reported and left out. A file
    without such markers is one piece with no given title."""
    marks = [i for i, p in enumerate(paras) if piece(p.text)]
    if len(marks) < 2:
        return [("", paras)]
    for para in paras[: marks[0]]:
        report.add(f"{display} {para.where}", para.text, "已去除：合集网页的总标题")
    pieces = []
    for n, start in enumerate(marks):
        end = marks[n + 1] if n + 1 < len(marks) else len(paras)
        match = piece(paras[start].text)
        assert match is not None
        report.add(f"{display} {paras[start].where}", paras[start].text,
                   f"合集中的第 {match.group('n')} 篇，作为一份文件导入，"
                   f"标题取“{match.group('title')}”")
        pieces.append((match.group("title"), paras[start + 1: end]))
    return pieces

