"""Every part of every generated document is checked to be well-formed XML before it is
packed (render/package.check_xml): what Word would refuse is a located E508 instead."""

from __future__ import annotations

import pytest

from qingdan.diagnostics import Failed, Location
from qingdan.render.package import check_xml

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def problem(payload: bytes) -> str:
    with pytest.raises(Failed) as caught:
        check_xml("word/document.xml", payload, Location("t.docx"))
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.code == "E508"
    return diagnostic.message


def test_well_formed_parts_pass():
    check_xml("word/document.xml", f"<w:document {W}><w:body/></w:document>".encode(),
              Location("t.docx"))


@pytest.mark.parametrize(("payload", "said"), [
    (f"<w:document {W}><w:p></w:document>", "第 1 行第 102 列：标记不配对"),
    ("<w:document><w:body/></w:document>", "未声明的命名空间前缀"),  # Word refuses it
    (f"<w:document {W}>\x01</w:document>", "有无效的字符或标记"),
    (f"<w:document {W}>&nbsp;</w:document>", "有未定义的实体"),
    (f"<w:document {W}/><extra/>", "根元素之后还有内容"),
    (f"<w:document {W}><w:body/><x:p/></w:document>", "第 1 行第 97 列：有未声明的命名空间前缀"),
    (f"<w:document {W}><w:b:p/></w:document>", "有格式错误的名称"),
    (f'<w:document {W} xmlns:v="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
     '<w:p w:a="1" v:a="2"/></w:document>', "有重复的属性"),  # one attribute, two prefixes
])
def test_malformed_parts_are_named_in_chinese(payload, said):
    assert said in problem(payload.encode())


def test_a_doctype_is_refused_so_entities_cannot_expand():
    laughs = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
              '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><d>&b;</d>')
    assert "DOCTYPE" in problem(laughs.encode())
