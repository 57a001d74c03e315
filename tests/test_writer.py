"""Output names cannot escape the output folder, and writes are atomic."""

from __future__ import annotations

import pytest

from qingdan.diagnostics import Failed
from qingdan.write.files import inside, safe_filename
from qingdan.write.staging import write_all


@pytest.mark.parametrize("hostile", [
    "../../etc/passwd", "/etc/passwd", "..", ".", "", "   ", "a/../../b", "C:\\Windows\\x",
    "CON", "con.txt", "LPT1", "NUL", "名称\x00截断", "a:b*c?d\"e<f>g|h", "\\\\server\\share",
])
def test_hostile_names_stay_inside(hostile, tmp_path):
    name = safe_filename(hostile)
    assert "/" not in name and "\\" not in name and name not in ("", ".", "..")
    assert name.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "LPT1"}
    target = inside(tmp_path, name + ".docx")
    assert target.parent == tmp_path.resolve()


def test_ordinary_names_are_kept():
    name = "清河县粮食局党委意识形态工作责任清单"
    assert safe_filename(name) == name


def test_inside_refuses_escapes(tmp_path):
    with pytest.raises(ValueError):
        inside(tmp_path, "../x.docx")


def test_atomic_write_replaces_and_reports_change(tmp_path):
    target = tmp_path / "a.docx"
    assert write_all(tmp_path, [(target, b"one")]) == {target}
    assert write_all(tmp_path, [(target, b"one")]) == set()
    assert write_all(tmp_path, [(target, b"two")]) == {target}
    assert target.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["a.docx"]


def test_failed_write_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "a.docx"
    target.write_bytes(b"old")

    def broken(src, dst):
        raise OSError(28, "No space left on device", str(dst))

    monkeypatch.setattr("qingdan.write.staging.os.replace", broken)
    with pytest.raises(Failed) as failed:
        write_all(tmp_path, [(target, b"new")])
    assert [d.code for d in failed.value.diagnostics] == ["E415"]
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.docx"]
