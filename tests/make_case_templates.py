"""Write the Word templates of the page-check cases (tests/cases/E95x-*, W959-*) and of
the linked-picture case (E509).

    .venv/bin/python tests/make_case_templates.py

Each case gets a frozen copy of a bundled template, most of them broken on purpose in one
way (a hidden run, Word auto numbering, a wrong line pitch, a negative indent, no page
numbers, no qingdan_flow bookmark, the end block at the top), so `qingdan proof`
has something to find whatever the bundled templates become. Review changes as code.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
CASES = ROOT / "tests" / "cases"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# The list template's item paragraph: one run holding the label and the text.
ITEM = re.compile(r"<w:p><w:pPr/>(<w:r><w:rPr>(?:(?!</w:rPr>).)*</w:rPr>)"
                  r"<w:t>\{\{ item\.label \}\}\{\{ item\.text \}\}</w:t></w:r></w:p>")


Change = tuple[str, re.Pattern[str], object]  # (part, pattern, replacement)
DOCUMENT, STYLES = "word/document.xml", "word/styles.xml"


def item(ppr: str = "<w:pPr/>", label_props: str = "") -> Change:
    """The item paragraph with other paragraph properties, or a label run of its own."""
    def replace(match: re.Match[str]) -> str:
        run = match.group(1)
        label = run.replace("<w:sz ", f"{label_props}<w:sz ", 1)  # w:vanish goes before w:sz
        return (f"<w:p>{ppr}{label}<w:t>{{{{ item.label }}}}</w:t></w:r>"
                f"{run}<w:t>{{{{ item.text }}}}</w:t></w:r></w:p>")
    return DOCUMENT, ITEM, replace


def literal(old: str, new: str, part: str = DOCUMENT) -> Change:
    return part, re.compile(re.escape(old)), new


# Word's automatic numbering "1." for the E952 case: a numbering part and its references.
NUMBERING = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
    '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/><w:lvlJc w:val="left"/></w:lvl>'
    '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>')
AUTO_NUMBERING = [
    item(ppr='<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'),
    ("word/numbering.xml", re.compile(r"\A\Z"), NUMBERING),
    ("word/_rels/document.xml.rels", re.compile("</Relationships>"),
     '<Relationship Id="rIdNumbering" Type="http://schemas.openxmlformats.org/officeDocument/'
     '2006/relationships/numbering" Target="numbering.xml"/></Relationships>'),
    ("[Content_Types].xml", re.compile("</Types>"),
     '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-'
     'officedocument.wordprocessingml.numbering+xml"/></Types>')]
# A clerk's own notice template: without the qingdan_flow bookmark, qingdan neither
# adjusts the flow (the signature may stand alone) nor moves the end block (it may land
# on an odd page).
NO_FLOW = [literal('<w:bookmarkStart w:id="0" w:name="qingdan_flow"/>', ""),
           literal('<w:bookmarkEnd w:id="0"/>', "")]
VARIANTS: dict[str, list[tuple[str, str, list[Change]]]] = {
    # case -> [(template file in the case, bundled template it is made from, changes)]
    "E951-dropped-character": [("template.docx", "responsibility-list.docx",
                                [item(label_props="<w:vanish/>")])],
    "E952-extra-character": [("template.docx", "responsibility-list.docx", AUTO_NUMBERING)],
    "E953-line-over-28": [("template.docx", "responsibility-list.docx", [])],
    "E954-page-over-22-lines": [("template.docx", "responsibility-list.docx", [
        (STYLES, re.compile(r'(w:styleId="Normal"(?:(?!</w:style>).)*)w:line="579"'),
         r'\1w:line="480"')])],
    "E955-outside-text-block": [("template.docx", "responsibility-list.docx",
                                 [item(ppr='<w:pPr><w:ind w:left="-1134"/></w:pPr>')])],
    "E958-page-numbers": [("template.docx", "responsibility-list.docx", [
        (DOCUMENT, re.compile(r"<w:footerReference [^>]*/>"), "")])],
    "E957-end-block-not-at-foot": [
        ("list.docx", "responsibility-list.docx", []),
        ("notice.docx", "notice.docx", [literal("<wp:align>bottom</wp:align>",
                                                "<wp:align>top</wp:align>")])],
    # A picture linked to a file on the clerk's machine (E509: refused when read).
    "E509-template-linked-image": [("template.docx", "responsibility-list.docx", [
        ("word/_rels/document.xml.rels", re.compile("</Relationships>"),
         '<Relationship Id="rIdSeal" Type="http://schemas.openxmlformats.org/officeDocument/'
         '2006/relationships/image" Target="file:///home/clerk/%E5%8D%B0%E7%AB%A0.png" '
         'TargetMode="External"/></Relationships>')])],
    "W959-end-block-odd-page": [
        ("list.docx", "responsibility-list.docx", []),
        ("notice.docx", "notice.docx", NO_FLOW)],
    "E956-signature-alone": [("notice.docx", "notice.docx", NO_FLOW)],
}


def make(target: Path, base: Path, changes: list[Change]) -> None:
    with zipfile.ZipFile(base) as src:
        parts = {info.filename: src.read(info.filename) for info in src.infolist()}
    for part, pattern, replacement in changes:
        text = parts.get(part, b"").decode("utf-8")
        new, count = pattern.subn(replacement, text)  # type: ignore[call-overload]
        if count == 0:
            raise SystemExit(f"{target}: {pattern.pattern!r} not found in {base.name}")
        parts[part] = new.encode("utf-8")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            entry = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            out.writestr(entry, data)


def main() -> None:
    for case, files in VARIANTS.items():
        folder = CASES / case
        folder.mkdir(parents=True, exist_ok=True)
        for name, base, changes in files:
            make(folder / name, TEMPLATES / base, changes)
            print(folder / name)


if __name__ == "__main__":
    main()
