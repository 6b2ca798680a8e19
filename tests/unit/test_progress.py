"""Progress of long work: a bar at a terminal, a plain line now and then in a log, nothing for short work."""

from __future__ import annotations

from brandcolumn.core import progress as progress_module
from brandcolumn.core.progress import progress


def test_a_person_at_a_terminal_sees_a_bar_fill(capsys):
    report = progress("progress.images", bar=True)
    report(1, 2)
    report(2, 2)
    shown = capsys.readouterr().err
    assert shown.startswith("\r图片：已生成 0/2 |") and "\r图片：已生成 2/2 |██████████| 100%" in shown
    assert shown.endswith("\n")  # the finished bar stays, the next line starts below it


def test_a_log_gets_a_plain_line_now_and_then(capsys, monkeypatch):
    monkeypatch.setattr(progress_module, "LOG_EVERY", 0.0)
    report = progress("progress.deploy", bar=False)
    report(1, 2)
    report(2, 2)
    assert capsys.readouterr().err == "发布：已上传 1/2 个文件\n发布：已上传 2/2 个文件\n"


def test_short_work_in_a_log_says_nothing(capsys):
    report = progress("progress.images", bar=False)
    for done in range(1, 11):
        report(done, 10)
    assert capsys.readouterr().err == ""


def test_a_bar_cut_short_by_an_error_is_closed_so_the_error_starts_a_line(capsys):
    try:
        with progress("progress.images", bar=True) as report:
            report(1, 3)
            raise OSError("disk")
    except OSError:
        pass
    assert capsys.readouterr().err.endswith("\n")
