"""--pdf: the plan as PDF/A-2b beside the .docx, made by LibreOffice, many plans per LibreOffice process.

The first tests stand in a small program for LibreOffice (it records how it was called and writes
what LibreOffice would), so they run anywhere and fast; the last ones run the real LibreOffice and
are skipped where it is not installed.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import docx
import pytest

from povertyplan import api
from povertyplan import cli
from povertyplan.write import files as output
from povertyplan.write import pdf
from tests.paths import EXAMPLE
from tests.survey_builders import household, survey_workbook

posix = pytest.mark.skipif(sys.platform == "win32", reason="the stand-in LibreOffice is a POSIX script")
PLAN = "ke-hoach-giam-ngheo-2023-phuong-thu.docx"

FAKE = '''#!{python}
"""Stands in for LibreOffice: records its arguments, then converts (or not) as FAKE_SOFFICE_MODE says."""
import json, os, pathlib, subprocess, sys, time
args = sys.argv[1:]
with open(os.environ["FAKE_SOFFICE_LOG"], "a") as log:
    log.write(json.dumps(args) + "\\n")
mode = os.environ.get("FAKE_SOFFICE_MODE", "ok")
out = pathlib.Path(args[args.index("--outdir") + 1])
out.mkdir(parents=True, exist_ok=True)
if mode == "hang":  # like soffice: a launcher whose child does the work, and hangs
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    pathlib.Path(os.environ["FAKE_SOFFICE_LOG"] + ".pids").write_text(f"{{os.getpid()}} {{child.pid}}")
    child.wait()
for number, document in enumerate(a for a in args[:247] if a.endswith(".docx")):  # as LibreOffice does
    if mode == "crash" and number == 1:
        sys.exit(3)
    mark = b"" if mode == "old" else b"<pdfaid:part>2</pdfaid:part>"
    data = pathlib.Path(document).read_bytes()
    pdf = b"%PDF-1.6\\n" + mark + b"\\n" + data[:60] + b"\\n%%EOF\\n"
    (out / (pathlib.Path(document).stem + ".pdf")).write_bytes(pdf)
'''


@pytest.fixture
def fake_soffice(tmp_path, monkeypatch):
    """A stand-in `soffice` alone on PATH; returns the calls it received (a function reading its log)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    program = folder / "soffice"
    program.write_text(FAKE.format(python=sys.executable), encoding="utf-8")
    program.chmod(0o755)
    log = tmp_path / "soffice-calls.jsonl"
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.setenv("FAKE_SOFFICE_LOG", str(log))
    monkeypatch.setattr(pdf, "install_folders", lambda: [])
    return lambda: [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


@pytest.fixture
def no_libreoffice(tmp_path, monkeypatch):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setattr(pdf, "install_folders", lambda: [])


def workbooks(folder: Path, count: int) -> list[Path]:
    """`count` workbooks of different communes (so different plans), each with a review list."""
    levels = ["Phường", "Xã", "Thị trấn", "Đặc khu"]
    return [
        survey_workbook(
            folder, [household("H1")], level=levels[index % 4], year=2023 + index // 4, name=f"s{index}.xlsx"
        )
        for index in range(count)
    ]


@posix
def test_a_batch_converts_all_its_plans_in_one_libreoffice_process_with_a_private_profile(
    tmp_path, capsys, fake_soffice
):
    out = tmp_path / "out"
    assert cli.main([*map(str, workbooks(tmp_path, 5)), "-o", str(out), "--pdf"]) == 0
    (call,) = fake_soffice()
    documents = [arg for arg in call if arg.endswith(".docx")]
    assert len(documents) == 5
    assert call[call.index("--convert-to") + 1] == pdf.FILTER and "--headless" in call
    profile = next(arg for arg in call if arg.startswith("-env:UserInstallation=file:///"))
    work = Path(documents[0]).parent.parent.parent
    assert work.name.startswith("povertyplan-pdf-") and work.as_uri() in profile  # this run's own temporary folder
    assert not work.exists()  # removed afterwards
    plans = sorted(out.glob("*.docx"))
    assert len(plans) == 5 and len(list(out.glob("*-ra-soat.xlsx"))) == 5
    for plan in plans:
        assert plan.with_suffix(".pdf").read_bytes().startswith(b"%PDF-1.6\n<pdfaid:part>2</pdfaid:part>\nPK")
    captured = capsys.readouterr()
    assert "Đang chuyển 5 kế hoạch sang PDF bằng LibreOffice…" in captured.err
    assert captured.out.count("Đã ghi bản PDF (PDF/A, để ký số): ") == 5


@posix
def test_hundreds_of_plans_go_in_calls_of_at_most_200_which_libreoffice_takes_whole(fake_soffice):
    """LibreOffice skips, without a word, the files named after about its 247th argument."""
    documents = [(f"p{index}.docx", f"doc-{index:03d}".encode()) for index in range(600)]
    results = pdf.convert(documents, processes=2)
    assert sorted(len([arg for arg in call if arg.endswith(".docx")]) for call in fake_soffice()) == [
        150,
        150,
        150,
        150,
    ]
    assert [re.search(rb"doc-\d+", result).group() for result in results] == [data for _, data in documents]


@posix
def test_many_plans_are_shared_among_a_few_libreoffice_processes_and_come_back_in_order(fake_soffice):
    documents = [(f"p{index}.docx", f"doc-{index:03d}".encode()) for index in range(60)]
    results = pdf.convert(documents, processes=8)
    calls = fake_soffice()
    assert len(calls) == 2  # 60 plans: not worth more than two starts of LibreOffice (25 plans each at least)
    assert sorted(len([arg for arg in call if arg.endswith(".docx")]) for call in calls) == [30, 30]
    assert len({next(arg for arg in call if arg.startswith("-env:")) for call in calls}) == 2  # a profile each
    assert [re.search(rb"doc-\d+", result).group() for result in results] == [data for _, data in documents]


def test_without_libreoffice_the_plans_are_written_and_how_to_install_it_is_said_once(tmp_path, capsys, no_libreoffice):
    out = tmp_path / "out"
    assert cli.main([*map(str, workbooks(tmp_path, 2)), "-o", str(out), "--pdf"]) == 1
    captured = capsys.readouterr()
    assert len(list(out.glob("*.docx"))) == 2 and not list(out.glob("*.pdf"))
    assert "Xong: 2 sổ, không sổ nào có lỗi." in captured.out
    assert captured.err.count("Chưa tạo được bản PDF: máy chưa cài LibreOffice") == 1
    assert "https://vi.libreoffice.org/download/" in captured.err and "Đang chuyển" not in captured.err


def test_without_libreoffice_the_library_says_why_in_the_result(tmp_path, no_libreoffice):
    result = api.generate(survey_workbook(tmp_path, [household("H1")]), tmp_path / "out", pdf=True)
    assert result.output.exists() and result.pdf is None
    assert result.pdf_problem.startswith("Chưa tạo được bản PDF: máy chưa cài LibreOffice")


@posix
def test_a_libreoffice_that_hangs_is_stopped_with_its_children_and_the_plan_still_written(
    tmp_path, capsys, fake_soffice, monkeypatch
):
    monkeypatch.setenv("FAKE_SOFFICE_MODE", "hang")
    monkeypatch.setattr(pdf, "STALL_SECONDS", 1.0)
    out = tmp_path / "out"
    started = time.monotonic()
    assert cli.main([str(survey_workbook(tmp_path, [household("H1")])), "-o", str(out), "--pdf"]) == 1
    assert time.monotonic() - started < 30
    error = capsys.readouterr().err
    assert f'Lỗi: Chưa tạo được bản PDF của "{PLAN}": LibreOffice không chuyển xong sau 1 giây nên đã bị dừng.' in error
    assert (out / PLAN).exists() and not (out / PLAN).with_suffix(".pdf").exists()
    pids = (tmp_path / "soffice-calls.jsonl.pids").read_text().split()
    assert not any(_alive(int(pid)) for pid in pids)


def _alive(pid: int) -> bool:
    """Whether process `pid` still runs (a zombie waiting for its parent to collect it does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@posix
def test_a_libreoffice_that_stops_midway_keeps_the_pdfs_it_finished(tmp_path, capsys, fake_soffice, monkeypatch):
    monkeypatch.setenv("FAKE_SOFFICE_MODE", "crash")
    first, second = workbooks(tmp_path, 2)
    out = tmp_path / "out"
    assert cli.main([str(first), str(second), "-o", str(out), "--pdf"]) == 1
    error = capsys.readouterr().err
    assert len(list(out.glob("*.docx"))) == 2 and len(list(out.glob("*.pdf"))) == 1
    assert "LibreOffice dừng giữa chừng (mã lỗi 3)" in error and "1/2 sổ có lỗi: s1.xlsx" in error


@posix
def test_a_libreoffice_too_old_for_pdf_a_writes_no_pdf(tmp_path, capsys, fake_soffice, monkeypatch):
    monkeypatch.setenv("FAKE_SOFFICE_MODE", "old")
    out = tmp_path / "out"
    assert cli.main([str(survey_workbook(tmp_path, [household("H1")])), "-o", str(out), "--pdf"]) == 1
    assert "không xuất được PDF/A" in capsys.readouterr().err
    assert (out / PLAN).exists() and not list(out.glob("*.pdf"))


@posix
def test_a_new_pdf_keeps_the_previous_one_and_a_run_without_pdf_moves_the_stale_one_aside(
    tmp_path, capsys, fake_soffice
):
    workbook, out = survey_workbook(tmp_path, [household("H1")]), tmp_path / "out"
    pdf_path = (out / PLAN).with_suffix(".pdf")
    assert cli.main([str(workbook), "-o", str(out), "--pdf"]) == 0
    first = pdf_path.read_bytes()
    assert cli.main([str(workbook), "-o", str(out), "--pdf"]) == 0
    (kept,) = out.glob("*.ban-cu-*.pdf")
    assert kept.read_bytes() == first and "Bản PDF trước được giữ lại: " + kept.name in capsys.readouterr().out
    kept.unlink()
    assert cli.main([str(workbook), "-o", str(out)]) == 0
    (stale,) = out.glob("*.ban-cu-*.pdf")
    assert not pdf_path.exists()
    assert (
        f"Bản PDF của kế hoạch trước được đổi tên thành {stale.name} để không nhầm với kế hoạch mới"
        in capsys.readouterr().out
    )


@posix
def test_a_pdf_open_in_a_reader_keeps_the_whole_previous_set(tmp_path, capsys, fake_soffice, monkeypatch):
    workbook, out = survey_workbook(tmp_path, [household("H1")]), tmp_path / "out"
    assert cli.main([str(workbook), "-o", str(out), "--pdf"]) == 0
    before = {path.name: path.read_bytes() for path in out.iterdir()}
    real_replace = os.replace

    def replace(source, target):  # Windows will not rename a PDF open in Acrobat Reader
        if Path(source).suffix == ".pdf" and ".~tao-" not in str(source):
            raise PermissionError(13, "The process cannot access the file")
        return real_replace(source, target)

    monkeypatch.setattr(output.os, "replace", replace)
    assert cli.main([str(workbook), "-o", str(out), "--pdf"]) == 1
    error = capsys.readouterr().err
    assert (
        f'Không thay được tệp "{Path(PLAN).with_suffix(".pdf")}" trong thư mục "{out}": tệp đang mở trong '
        "chương trình đọc PDF"
    ) in error
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before


@posix
def test_a_libreoffice_that_cannot_start_is_said_once_and_the_plan_still_written(tmp_path, capsys, fake_soffice):
    program = Path(os.environ["PATH"]) / "soffice"
    program.write_text("#!/no/such/interpreter\n", encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main([str(survey_workbook(tmp_path, [household("H1")])), "-o", str(out), "--pdf"]) == 1
    error = capsys.readouterr().err
    assert f'Chưa tạo được bản PDF: không chạy được LibreOffice ("{program}": No such file or directory).' in error
    assert (out / PLAN).exists()


@posix
def test_a_temporary_folder_that_cannot_be_written_is_said_and_the_plan_still_written(
    tmp_path, capsys, fake_soffice, monkeypatch
):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "TemporaryDirectory", full)
    out = tmp_path / "out"
    assert cli.main([str(survey_workbook(tmp_path, [household("H1")])), "-o", str(out), "--pdf"]) == 1
    error = capsys.readouterr().err
    assert (
        f'Chưa tạo được bản PDF: không ghi được tệp tạm vào thư mục "{tempfile.gettempdir()}" (No space left on '
        "device)."
    ) in error
    assert (out / PLAN).exists() and fake_soffice() == []


def test_pdf_is_refused_with_check(capsys):
    assert cli.main(["--check", "--pdf", str(EXAMPLE)]) == 2
    assert "--pdf chỉ dùng khi tạo kế hoạch, không dùng cùng --check." in capsys.readouterr().err


def test_libreoffice_is_found_in_its_windows_install_folder(tmp_path, monkeypatch):
    program = tmp_path / "Program Files" / "LibreOffice" / "program" / "soffice.exe"
    program.parent.mkdir(parents=True)
    program.write_bytes(b"")
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("ProgramFiles", str(tmp_path / "Program Files"))
    assert pdf.find_soffice() == str(program)


def test_libreoffice_is_found_in_the_macos_applications_folder(tmp_path, monkeypatch):
    program = tmp_path / "Applications" / "LibreOffice.app" / "Contents" / "MacOS" / "soffice"
    program.parent.mkdir(parents=True)
    program.write_bytes(b"")
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setattr(Path, "home", lambda: tmp_path)
    assert pdf.find_soffice() == str(program)


# -- the real LibreOffice ------------------------------------------------------------------------------

real = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("soffice", "pdffonts", "pdftotext", "pdfinfo")),
    reason="LibreOffice (soffice) or poppler-utils (pdffonts, pdftotext, pdfinfo) is not installed",
)


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> list[tuple[Path, Path, Path]]:
    """The example ward and another commune with --pdf in one run: (plan, its PDF, LibreOffice's
    plain PDF of the plan)."""
    if not all(shutil.which(tool) for tool in ("soffice", "pdffonts", "pdftotext", "pdfinfo")):
        pytest.skip("LibreOffice or poppler-utils is not installed")
    folder = tmp_path_factory.mktemp("pdf")
    out = folder / "out"
    assert (
        cli.main(
            [
                str(EXAMPLE),
                str(survey_workbook(folder, [household("H1"), household("H2", income=5_000_000)])),
                "-o",
                str(out),
                "--pdf",
            ]
        )
        == 0
    )
    plans = sorted(out.glob("*.docx"))
    plain = folder / "plain"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(plain),
            *map(str, plans),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return [(plan, plan.with_suffix(".pdf"), plain / plan.with_suffix(".pdf").name) for plan in plans]


def run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=60).stdout


@real
def test_the_pdf_says_it_is_pdf_a_2b_in_its_xmp_metadata(made):
    for _, path, _ in made:
        data = path.read_bytes()
        xmp = data[data.index(b"<x:xmpmeta") : data.index(b"</x:xmpmeta>")].decode("utf-8")
        assert "<pdfaid:part>2</pdfaid:part>" in xmp and "<pdfaid:conformance>B</pdfaid:conformance>" in xmp


@real
def test_every_font_of_the_pdf_is_embedded(made):
    for _, path, _ in made:
        rows = run("pdffonts", str(path)).splitlines()[2:]
        assert rows, "the PDF has fonts"
        assert all(row.split()[-5] == "yes" for row in rows), rows  # the "emb" column


def squeezed(text: str) -> str:
    """`text` without spaces and hyphens: pdftotext joins a line that ends in "-" to the next."""
    return re.sub(r"[\s-]+", "", text)


@real
def test_the_pdf_holds_every_paragraph_and_table_cell_of_the_plan(made):
    for plan, path, _ in made:
        pages = run("pdftotext", str(path), "-").split("\f")
        # Without the page numbers at the head of the pages, which cut a paragraph that runs over.
        text = "\n".join(page.strip().removeprefix(str(number)) for number, page in enumerate(pages, start=1))
        document = docx.Document(str(plan))
        missing = [
            paragraph.text for paragraph in document.paragraphs if squeezed(paragraph.text) not in squeezed(text)
        ]
        # A cell's lines are read across the row's other cells: its words, then, each in its place on a line.
        words = set(text.split())
        missing += [
            cell.text
            for table in document.tables
            for row in table.rows
            for cell in row.cells
            if not set(cell.text.split()) <= words
        ]
        assert missing == []


@real
def test_the_pdf_has_the_same_a4_pages_as_the_plan_shown_by_libreoffice(made):
    for _, path, plain in made:
        info, plain_info = run("pdfinfo", str(path)), run("pdfinfo", str(plain))
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        assert pages == int(re.search(r"Pages:\s+(\d+)", plain_info).group(1)) and pages >= 2
        assert "(A4)" in info
        texts, plain_texts = (run("pdftotext", str(pdf_file), "-").split("\f")[:pages] for pdf_file in (path, plain))
        for number, (text, plain_text) in enumerate(zip(texts, plain_texts), start=1):
            assert text.split()[:12] == plain_text.split()[:12]
            if number > 1:
                assert text.split()[0] == str(number)  # Nghị định 30: the page number heads every page from the second
