"""Make the example's filled scoring workbooks: what four units' scorers sent back.

Each workbook is the one `qingdan sheets` makes for the unit, filled in here as a scorer
would fill it in Excel (scores, remarks, the other components, the veto answers), so
`qingdan score checklists/example/考核评分` has realistic input. Run from the repository
root after changing the example's assessment:

    .venv/bin/python checklists/example/考核评分/make_samples.py
"""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

from openpyxl import load_workbook

from qingdan.scoring.layout import KEY, REMARKS, SCORE, SHEET
from qingdan.scoring.run import make_sheets
from qingdan.scoring.workbook import reproducible

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent

# unit -> input key -> (score or answer, remark)
FILLED: dict[str, dict[str, tuple[object, str]]] = {
    "清河县粮食局机关": {
        "indicator:nalu-kaohe": (9.5, "年度工作计划印发较晚"),
        "indicator:zhuanti-yanjiu": (10, ""),
        "indicator:zhuize-wenze": (9, ""),
        "indicator:shuji": (18.5, "专题汇报材料不够具体"),
        "indicator:fushuji": (19, ""),
        "indicator:banzi": (18, "一名班子成员督促检查记录不全"),
        "indicator:zhendi": (9, ""),
        "component:ceping": (92.5, ""),
        "component:shuzhi": (90, ""),
        "veto:zhongda-shijian": ("否", ""),
        "veto:chufen": ("否", ""),
    },
    "清河县粮食质量监测站": {
        "indicator:nalu-kaohe": (8.5, "未制定年度工作计划，已于10月补定"),
        "indicator:zhuanti-yanjiu": (9, ""),
        "indicator:zhuize-wenze": (10, ""),
        "indicator:shuji": (17, ""),
        "indicator:fushuji": (18, ""),
        "indicator:banzi": (16.5, ""),
        "indicator:zhendi": (8, "站网站一条信息审核不严"),
        "component:ceping": (88, ""),
        "component:shuzhi": (85, ""),
        "veto:zhongda-shijian": ("否", ""),
        "veto:chufen": ("否", ""),
    },
    "清河县粮食购销总公司": {
        "indicator:nalu-kaohe": (10, ""),
        "indicator:zhuanti-yanjiu": (9.5, ""),
        "indicator:zhuize-wenze": (10, ""),
        "indicator:shuji": (19, ""),
        "indicator:fushuji": (19.5, ""),
        "indicator:banzi": (18.5, "8月发生网络舆情事件，经认定为意识形态领域重大责任事件"),
        "indicator:zhendi": (9.5, ""),
        "component:ceping": (95, ""),
        "component:shuzhi": (92, ""),
        "veto:zhongda-shijian": ("是", ""),
        "veto:chufen": ("否", ""),
    },
    "清河县储备粮库": {
        "indicator:nalu-kaohe": (7, "未纳入年度考核"),
        "indicator:zhuanti-yanjiu": (5, "全年只专题研究一次"),
        "indicator:zhuize-wenze": (10, ""),
        "indicator:shuji": (15, "重大问题处置不及时一起"),
        "indicator:fushuji": (16, ""),
        "indicator:banzi": (14, ""),
        "indicator:zhendi": (7.5, ""),
        "component:ceping": (80, ""),
        "component:shuzhi": (78, ""),
        "veto:zhongda-shijian": ("否", ""),
        "veto:chufen": ("否", ""),
    },
}


def fill(data: bytes, values: dict[str, tuple[object, str]]) -> bytes:
    """A workbook with its input cells (found by their hidden keys) filled in."""
    book = load_workbook(io.BytesIO(data))
    sheet = book[SHEET]
    for row in range(1, sheet.max_row + 1):
        key = sheet.cell(row, KEY).value
        if key in values:
            value, remark = values[key]
            sheet.cell(row, SCORE).value = value
            if remark:
                sheet.cell(row, REMARKS).value = remark
    out = io.BytesIO()
    book.save(out)
    return reproducible(out.getvalue())


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        made = make_sheets(PROJECT, Path(scratch))
        for path, _ in made.files:
            target = HERE / path.name
            target.write_bytes(fill(path.read_bytes(), FILLED[path.stem]))
            print(f"wrote {target.relative_to(PROJECT.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
