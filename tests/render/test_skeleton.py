"""The .docx skeleton in the package: what tools/build_skeleton.py builds, holding only what a plan uses."""

from __future__ import annotations

import dataclasses
import importlib.util
import io
import re
import subprocess
import sys
import zipfile
from datetime import datetime, timedelta, timezone
from posixpath import dirname, normpath

import pytest
from lxml import etree

from povertyplan import __version__
from povertyplan.render import skeleton
from povertyplan.render.layout import write_docx
from tests.paths import ROOT
from tests.render.test_layout import EDGE_PLAN, PLAN

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
}
PLAN_PARTS = {
    "[Content_Types].xml",
    "_rels/.rels",
    "docProps/app.xml",
    "docProps/core.xml",
    "word/document.xml",
    "word/_rels/document.xml.rels",
    "word/styles.xml",
    "word/settings.xml",
    "word/fontTable.xml",
    "word/header1.xml",
    "word/header2.xml",
    "word/theme/theme1.xml",
}


def _build_script():
    spec = importlib.util.spec_from_file_location("build_skeleton", ROOT / "tools" / "build_skeleton.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _plan_parts(plan=PLAN) -> dict[str, bytes]:
    buffer = io.BytesIO()
    write_docx(plan, buffer)
    return _parts(buffer.getvalue())


def test_building_the_skeleton_again_gives_the_same_bytes():
    assert _build_script().build() == skeleton.SKELETON_FILE.read_bytes(), "run tools/build_skeleton.py"


def test_the_skeleton_zip_has_fixed_times_and_order_and_stored_members():
    with zipfile.ZipFile(skeleton.SKELETON_FILE) as archive:
        members = archive.infolist()
    names = [member.filename for member in members]
    assert names[0] == "[Content_Types].xml" and names[1:] == sorted(names[1:])
    assert {(member.date_time, member.compress_type, member.create_system) for member in members} == {
        (skeleton.ZIP_TIME, zipfile.ZIP_STORED, 3)
    }


def test_a_plan_holds_only_the_parts_it_uses():
    assert set(_plan_parts()) == PLAN_PARTS  # no thumbnail, customXml, stylesWithEffects, numbering, webSettings


def test_every_part_is_referenced_has_a_content_type_and_every_relationship_its_part():
    parts = _plan_parts()
    reached, pending = set(), ["_rels/.rels"]
    while pending:
        rels = pending.pop()
        source_folder = dirname(dirname(rels))
        for relationship in etree.fromstring(parts[rels]).iterfind("rel:Relationship", NS):
            target = normpath(f"{source_folder}/{relationship.get('Target')}").lstrip("/")
            assert target in parts, f"{rels} points to missing {target}"
            reached.add(target)
            own_rels = f"{dirname(target)}/_rels/{target.rpartition('/')[2]}.rels".lstrip("/")
            if own_rels in parts:
                reached.add(own_rels)
                pending.append(own_rels)
    assert reached | {"[Content_Types].xml", "_rels/.rels"} == set(parts)
    types = etree.fromstring(parts["[Content_Types].xml"])
    overridden = {entry.get("PartName")[1:] for entry in types.iterfind("ct:Override", NS)}
    defaults = {entry.get("Extension") for entry in types.iterfind("ct:Default", NS)}
    assert overridden <= set(parts) and defaults == {"rels", "xml"}
    assert all(name in overridden or name.endswith((".rels", "[Content_Types].xml")) for name in parts)


def test_every_style_kept_is_a_default_or_used_by_the_plan():
    parts = _plan_parts()
    styles = etree.fromstring(parts["word/styles.xml"])
    used = set()
    for name in ("word/document.xml", "word/header1.xml", "word/header2.xml"):
        used.update(
            etree.fromstring(parts[name]).xpath(
                "//w:pStyle/@w:val | //w:rStyle/@w:val | //w:tblStyle/@w:val", namespaces=NS
            )
        )
    kept = {style.get(f"{{{W}}}styleId"): style for style in styles.iterfind("w:style", NS)}
    defaults = {style_id for style_id, style in kept.items() if style.get(f"{{{W}}}default") == "1"}
    based_on = set(styles.xpath("//w:basedOn/@w:val", namespaces=NS))
    assert (
        set(kept) == defaults | used | based_on == {"Normal", "Header", "DefaultParagraphFont", "TableNormal", "NoList"}
    )
    assert styles.find("w:latentStyles", NS) is None
    assert set(styles.xpath("//w:link/@w:val", namespaces=NS)) <= set(kept)


def test_the_only_font_anywhere_is_times_new_roman_and_no_text_uses_a_theme_font():
    parts = _plan_parts()
    fonts = etree.fromstring(parts["word/fontTable.xml"]).xpath("w:font/@w:name", namespaces=NS)
    assert fonts == ["Times New Roman"]
    theme = etree.fromstring(parts["word/theme/theme1.xml"])
    named = theme.xpath("//a:fontScheme//@typeface", namespaces=NS)
    assert set(named) == {"Times New Roman", ""}  # heading and body fonts; none set for East Asian or complex scripts
    for name, blob in parts.items():
        assert b"Theme=" not in blob and b"theme=" not in blob, name
    assert b"themeFontLang" not in parts["word/settings.xml"]  # a Japanese system's, from python-docx's template


def test_no_setting_asks_word_for_a_preview_picture_or_claims_a_spelling_check():
    settings = _plan_parts()["word/settings.xml"]
    assert b"savePreviewPicture" not in settings and b"proofState" not in settings


def test_the_application_property_names_this_program_and_nothing_else_is_claimed():
    app = etree.fromstring(_plan_parts()["docProps/app.xml"])
    properties = [(etree.QName(child).localname, child.text) for child in app]
    assert properties == [("Application", f"povertyplan {__version__}")]


def test_core_properties_hold_the_title_times_of_now_and_language_and_no_author():
    before = datetime.now(timezone.utc).replace(microsecond=0)
    core = etree.fromstring(_plan_parts()["docProps/core.xml"])
    after = datetime.now(timezone.utc)
    assert [etree.QName(child).localname for child in core] == ["title", "created", "modified", "language"]
    assert core.findtext("dc:title", namespaces=NS) == PLAN.summary
    assert core.findtext("dc:language", namespaces=NS) == "vi-VN"
    for name in ("dcterms:created", "dcterms:modified"):
        stamp = datetime.strptime(core.findtext(name, namespaces=NS), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
        assert before <= stamp <= after + timedelta(seconds=1)


TITLES = ["", "a & <b> > c", "dòng\r\nhai\ttab", "\"ngoặc\" 'đơn'", "Kế hoạch 😀 \u2028 \x85", "x" * 255]


@pytest.mark.parametrize("title", TITLES, ids=["empty", "markup", "breaks", "quotes", "unicode", "longest"])
def test_the_title_property_reads_back_as_the_summary(title):
    core = etree.fromstring(skeleton.skeleton("vi-VN").core_xml(title))
    assert (core.findtext("dc:title", namespaces=NS) or "") == title


def test_a_summary_too_long_for_the_title_property_is_shortened_there_and_kept_whole_in_the_plan():
    summary = "Kế hoạch thực hiện công tác giảm nghèo bền vững " * 8
    parts = _plan_parts(dataclasses.replace(PLAN, summary=summary))
    title = etree.fromstring(parts["docProps/core.xml"]).findtext("dc:title", namespaces=NS)
    assert len(title) <= 255 and title.endswith("…") and summary.startswith(title[:-1])
    assert summary.strip().encode() in parts["word/document.xml"]


def test_a_plan_in_another_language_carries_it_in_the_styles_and_properties():
    parts = _plan_parts(EDGE_PLAN)
    assert parts["word/styles.xml"].count(b'w:val="en-US" w:eastAsia="en-US"') == 4
    assert b"vi-VN" not in parts["word/styles.xml"] + parts["docProps/core.xml"]
    assert b"<dc:language>en-US</dc:language>" in parts["docProps/core.xml"]


@pytest.mark.parametrize("language", ["", "vi VN", 'vi"', "<x>"])
def test_a_language_that_is_not_a_tag_is_refused(language):
    with pytest.raises(ValueError, match="language tag"):
        write_docx(dataclasses.replace(PLAN, language=language), io.BytesIO())


def test_the_plan_members_carry_a_fixed_time_so_the_same_parts_make_the_same_bytes():
    buffer = io.BytesIO()
    write_docx(PLAN, buffer)
    with zipfile.ZipFile(buffer) as archive:
        assert {member.date_time for member in archive.infolist()} == {skeleton.ZIP_TIME}
    assert skeleton.zip_parts(b"", {"a.xml": b"<a/>"}) == skeleton.zip_parts(b"", {"a.xml": b"<a/>"})


def test_writing_a_plan_does_not_import_python_docx():
    code = (
        "import io, sys; from povertyplan.render.layout import write_docx; "
        "from povertyplan.compose.document import Paragraph, PlanDocument, Run, Table; "
        f"write_docx({PLAN!r}, io.BytesIO()); print('docx' in sys.modules)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert run.stdout.strip() == "False", run.stderr


def test_the_build_script_checks_the_file_in_the_package():
    run = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_skeleton.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0 and re.search("up to date", run.stdout), run.stdout + run.stderr
