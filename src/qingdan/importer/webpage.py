"""A saved web page -> paragraphs, each located at its line in the page source: a line
break at every block element, scripts, menus and the head left out.

The page is parsed by libxml2's HTML parser (through lxml), which reads any markup in one
pass. Python's html.parser, used before, rescans to the end of the page for every comment,
`<?` or `<![` left open (quadratic: 20,000 `<!--` took 4 s, a 50 MB page hours; fixed
only in Python releases newer than the ones qingdan supports; issue 23).
"""

from __future__ import annotations

from lxml import etree

from .paras import Para, bounded, controls, failed

HINT = "在浏览器中打开，复制正文另存为 .txt 后再导入"
BLOCKS = {"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
          "section", "article", "table", "ul", "ol", "dd", "dt", "blockquote", "pre", "title"}
SKIPPED = {"script", "style", "nav", "header", "footer", "noscript", "iframe", "head", "form",
           "select", "button", "svg"}
SATURATED = 65535  # libxml2 keeps an HTML element's line in 16 bits: later ones show this


class _Page:
    """The page's text as it is walked: chunks, a break between blocks, and the source
    line where each paragraph starts."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.lines: list[int] = []
        self.line = 1  # the line the walk has reached

    def element(self, element: etree._Element) -> None:
        """The walk reached element's start tag: its line, when libxml2 could count it."""
        if element.sourceline is not None and element.sourceline < SATURATED:
            self.line = element.sourceline

    def data(self, text: str | None) -> None:
        if not text:
            return
        if not self.parts or self.parts[-1] == "\n":
            self.lines.append(self.line)
        self.parts.append(text.replace("\n", " "))
        self.line += text.count("\n")

    def skip(self, element: etree._Element) -> None:
        """A left-out element: only its lines count."""
        self.line += sum(text.count("\n") for text in element.itertext())

    def block(self) -> None:
        if self.parts and self.parts[-1] != "\n":
            self.parts.append("\n")


def _walk(root: etree._Element, page: _Page) -> None:
    """Every element in document order, without recursion (a page may nest deeply)."""
    stack: list[tuple[etree._Element, bool]] = [(root, True)]
    while stack:
        element, opening = stack.pop()
        tag = element.tag if isinstance(element.tag, str) else ""
        if not opening:
            if tag in BLOCKS:
                page.block()
            page.data(element.tail)
            continue
        page.element(element)
        if not tag or tag in SKIPPED:
            page.skip(element)
            page.data(element.tail)
            continue
        if tag in BLOCKS:
            page.block()
        page.data(element.text)
        stack.append((element, False))
        stack.extend((child, True) for child in reversed(element))


def read_html(text: str, display: str) -> list[Para]:
    """Paragraphs of a saved web page, each located at its line in the page source."""
    parser = etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True,
                              encoding="utf-8", huge_tree=True)  # the page's size is bounded
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise failed("E431", f"网页无法解析：{exc}", display, HINT) from None
    fatal = [e for e in parser.error_log if e.level == etree.ErrorLevels.FATAL]
    if fatal:  # libxml2 stopped there (tags nested over 2,048 deep): the rest would be lost
        why = "标签嵌套过深" if "depth" in fatal[0].message else fatal[0].message
        raise failed("E431", f"网页无法完整读取：{why}", display, HINT, fatal[0].line or 1)
    page = _Page()
    if root is not None:  # None: nothing but white space and comments
        _walk(root, page)
    chunks = "".join(page.parts).split("\n")
    paras = [Para(chunk.replace("\xa0", " "), f"第{line}行")
             for chunk, line in zip(chunks, page.lines, strict=False) if chunk.strip()]
    return bounded([Para(controls(p.text, display), p.where) for p in paras], display)
