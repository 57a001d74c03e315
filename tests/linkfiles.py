"""Files for the tests of what LibreOffice may read (test_office.py): documents and
templates with pictures linked to an address or a local file, the way Word and
LibreOffice write them, and a one-document project."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
from PIL import Image

from conftest import REPO

IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


def png(path: Path, colour: tuple[int, int, int]) -> Path:
    Image.new("RGB", (40, 40), colour).save(path)
    return path



def linked_docx(path: Path, target: str) -> Path:
    """A .docx whose one picture is linked (a:blip r:link, TargetMode External) to target,
    as Word writes "链接到文件"."""
    document = docx.Document()
    document.add_paragraph("链接的图片")
    document.add_picture(str(png(path.with_suffix(".png"), (0, 255, 0))))
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    body = parts["word/document.xml"].decode()
    [rid] = set(re.findall(r'r:embed="(rId\d+)"', body))
    parts["word/document.xml"] = body.replace(f'r:embed="{rid}"', f'r:link="{rid}"').encode()
    rels = parts["word/_rels/document.xml.rels"].decode()
    parts["word/_rels/document.xml.rels"] = re.sub(
        rf'<Relationship Id="{rid}"[^>]*/>',
        f'<Relationship Id="{rid}" Type="{IMAGE}" Target="{target}" TargetMode="External"/>',
        rels).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            if not name.startswith("word/media/"):
                out.writestr(name, data)
    return path



def linked_odt(path: Path, *targets: str) -> Path:
    """An .odt with a picture linked to each target and a section linked to the last."""
    frames = "".join(
        f'<text:p>图片<draw:frame draw:name="p{i}" text:anchor-type="as-char" svg:width="1cm" '
        f'svg:height="1cm"><draw:image xlink:href="{t}" xlink:type="simple" xlink:show="embed" '
        'xlink:actuate="onLoad"/></draw:frame></text:p>' for i, t in enumerate(targets))
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" '
        'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
        'office:version="1.2"><office:body><office:text>'
        "<text:p>关于做好意识形态工作的通知</text:p><text:p>各单位：</text:p>"
        f"<text:p>现将有关事项通知如下。</text:p>{frames}"
        f'<text:section text:name="s"><text:section-source xlink:href="{targets[-1]}" '
        'xlink:type="simple"/></text:section></office:text></office:body>'
        "</office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as out:
        out.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        out.writestr("META-INF/manifest.xml", manifest)
        out.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path



def linked_template(path: Path, target: str) -> Path:
    """The bundled list template with a picture linked to target in its body."""
    base = REPO / "templates" / "responsibility-list.docx"
    with zipfile.ZipFile(base) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    with zipfile.ZipFile(linked_docx(path.with_name("picture.docx"), target)) as archive:
        body = archive.read("word/document.xml").decode()
        rels = archive.read("word/_rels/document.xml.rels").decode()
    drawing = re.search(r"<w:drawing>.*</w:drawing>", body, re.S)
    relation = re.search(r'<Relationship Id="(rId\d+)"[^>]*TargetMode="External"/>', rels)
    assert drawing and relation
    document = parts["word/document.xml"].decode()
    parts["word/document.xml"] = document.replace(
        "<w:body>", f"<w:body><w:p><w:r>{drawing.group(0)}</w:r></w:p>", 1).replace(
        relation.group(1), "rIdLinked").encode()
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>",
        relation.group(0).replace(relation.group(1), "rIdLinked").encode() + b"</Relationships>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return path



def tiny_project(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "qingdan.yaml").write_text("unit:\n  name: 清河县粮食局\n  short: 局\n"
                                         "  body: 党委\n", "utf-8")
    (folder / "清单.yaml").write_text(
        "kind: list\ntitle: 局党委意识形态工作责任清单\nroles:\n  committee:\n    items:\n"
        "      - id: lingdao\n        text: 牢牢掌握意识形态工作领导权。\n", "utf-8")
    return folder
