"""Build the .docx skeleton every plan is written into: `povertyplan/render/skeleton.docx`.

    python tools/build_skeleton.py            # write it
    python tools/build_skeleton.py --check    # exit 1 if the file in the package is not what this builds

python-docx sets up its default template (A4, the Nghị định 30 margins, Times New Roman 14 pt,
page numbers from page 2); then everything a plan does not use is taken out of the package:
python-docx's thumbnail picture, customXml, stylesWithEffects, numbering and web settings, every
style but the defaults and those referenced, Word's editing leftovers in the settings and the
fonts no part names. The theme stays (Word expects one; the OOXML validator requires it), with
Times New Roman as its fonts. The document properties are written anew: the title (empty here, the
plan's at run time), the language, the times, and the program that made the file.

Only this script and the tests import python-docx; a run reads the built file
(`povertyplan/render/skeleton.py`). The file is byte for byte the same on every build: fixed
member times and order, and members stored, not compressed (a zlib of another version would
compress differently). tests/render/test_skeleton.py checks that the file is what this builds.
"""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from povertyplan import __version__  # noqa: E402
from povertyplan.render.skeleton import (  # noqa: E402
    BODY_PT,
    CORE_NAME,
    CORE_TIME,
    DOCUMENT_NAME,
    FONT_NAME,
    HEADER_DISTANCE_MM,
    LANGUAGE,
    MARGIN_BOTTOM_MM,
    MARGIN_LEFT_MM,
    MARGIN_RIGHT_MM,
    MARGIN_TOP_MM,
    PAGE_HEIGHT_MM,
    PAGE_NUMBER_PT,
    PAGE_WIDTH_MM,
    SKELETON_FILE,
    ZIP_TIME,
)

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.section import Section
    from docx.text.paragraph import Paragraph as DocxParagraph
    from docx.text.run import Run as DocxRun

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
XML_DECLARATION = b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
APP_NAME, CONTENT_TYPES_NAME = "docProps/app.xml", "[Content_Types].xml"
STYLES_NAME, SETTINGS_NAME, FONTS_NAME = "word/styles.xml", "word/settings.xml", "word/fontTable.xml"
THEME_NAME = "word/theme/theme1.xml"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"

# Parts of python-docx's template no plan uses (a relationship to one of them goes too).
UNUSED_PARTS = (
    "docProps/thumbnail.jpeg",
    "customXml/item1.xml",
    "customXml/itemProps1.xml",
    "customXml/_rels/item1.xml.rels",
    "word/stylesWithEffects.xml",
    "word/numbering.xml",
    "word/webSettings.xml",
)
# Settings left by the template's editing in Word, or for what a plan never holds (pictures,
# shapes, equations, a Japanese system's theme fonts); a plan keeps the view, tab stops, theme
# colour mapping and compatibility settings, which decide how Word lays it out.
UNUSED_SETTINGS = (
    "proofState",
    "savePreviewPicture",
    "rsids",
    "themeFontLang",
    "doNotAutoCompressPictures",
    "shapeDefaults",
    "decimalSymbol",
    "listSeparator",
    "{http://schemas.openxmlformats.org/officeDocument/2006/math}mathPr",
    "{http://schemas.microsoft.com/office/word/2010/wordml}docId",
    "{http://schemas.microsoft.com/office/word/2010/wordml}defaultImageDpi",
)
_THEME_FONT_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
_STYLES_SET_UP = ("Normal", "Header", "Normal Table")


def build() -> bytes:
    """Return the skeleton's bytes: python-docx's template set up for a plan, then cleaned."""
    parts = _set_up_with_python_docx()
    for name in UNUSED_PARTS:
        del parts[name]
    parts = {name: _without_links_to_removed(name, blob, parts) for name, blob in parts.items()}
    parts[STYLES_NAME] = _used_styles(parts[STYLES_NAME], [parts[name] for name in parts if name.startswith("word/")])
    parts[SETTINGS_NAME] = _used_settings(parts[SETTINGS_NAME])
    parts[THEME_NAME] = _theme_in_times_new_roman(parts[THEME_NAME])
    parts[FONTS_NAME] = _used_fonts(parts[FONTS_NAME], [parts[name] for name in parts if name != FONTS_NAME])
    parts[APP_NAME] = _app_properties()
    parts[CORE_NAME] = _core_properties()
    return _zip_stored(parts)


# -- python-docx: page, styles, page numbers -------------------------------------------------------


def _set_up_with_python_docx() -> dict[str, bytes]:
    """python-docx's default template with the page, styles and page numbers of a plan, as parts.

    python-docx's template is Letter, Calibri 11 pt with theme fonts, 10 pt after paragraphs and
    1.15 spacing, so every one of those is overridden explicitly.
    """
    from docx import Document  # python-docx: only to build the skeleton

    document = Document()
    body = document.element.body
    for child in body.xpath("./w:p | ./w:tbl"):  # the plan starts with its header table
        body.remove(child)
    _set_up_styles(document)
    _set_up_page(document.sections[0])
    _add_page_numbers(document.sections[0])
    saved = io.BytesIO()
    document.save(saved)
    with zipfile.ZipFile(saved) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    if not parts[DOCUMENT_NAME].partition(b"<w:body>")[2].startswith(b"<w:sectPr"):
        raise RuntimeError("python-docx's template body is not empty")
    return parts


def _set_up_styles(document: DocxDocument) -> None:
    """Make Times New Roman 14 pt, black, single-spaced with no paragraph spacing the default."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    styles_element = document.styles.element
    defaults = styles_element.find(qn("w:docDefaults"))
    _set_run_defaults(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")))
    for name in _STYLES_SET_UP:
        _set_run_defaults(document.styles[name].element.get_or_add_rPr())
    for fonts in styles_element.iter(qn("w:rFonts")):
        for attribute in _THEME_FONT_ATTRIBUTES:  # Word prefers a theme font over the named one
            fonts.attrib.pop(qn(attribute), None)
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    normal = document.styles["Normal"].paragraph_format
    normal.space_before, normal.space_after, normal.line_spacing = Pt(0), Pt(0), 1.0


def _set_run_defaults(r_pr) -> None:
    """Set Times New Roman 14 pt for all four scripts, black, and the plan's language on `r_pr`."""
    from docx.oxml.ns import qn

    fonts = r_pr.get_or_add_rFonts()
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{script}"), FONT_NAME)
    r_pr.get_or_add_color().set(qn("w:val"), "000000")
    size = r_pr.get_or_add_sz()
    size.set(qn("w:val"), str(BODY_PT * 2))
    r_pr.remove_all("w:szCs")
    size.addnext(_element("w:szCs", val=str(BODY_PT * 2)))
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = r_pr.insert_element_before(_element("w:lang"), "w:eastAsianLayout", "w:specVanish", "w:oMath")
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)


def _set_up_page(section: Section) -> None:
    """Set A4 portrait paper and the ND30 margins."""
    from docx.shared import Mm

    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
    section.header_distance = section.footer_distance = Mm(HEADER_DISTANCE_MM)
    section.gutter = Mm(0)


def _add_page_numbers(section: Section) -> None:
    """Put a centred PAGE field in the page header; ND30 shows no number on page 1."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # its own, empty header
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for element in _page_field_elements():
        _add_run(paragraph, PAGE_NUMBER_PT)._r.append(element)


def _element(tag: str, **attributes: str):
    """Return a new `w:` element with `w:`-qualified `attributes`."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _add_run(paragraph: DocxParagraph, size_pt: float) -> DocxRun:
    """Append an empty run of `size_pt` to a python-docx paragraph."""
    from docx.shared import Pt

    run = paragraph.add_run()
    run.font.size = Pt(size_pt)
    run.font.bold = run.font.italic = None
    return run


def _page_field_elements() -> list:
    """Return the parts of a PAGE field, one per run: begin, instruction, separate, result, end."""
    instruction = _element("w:instrText")
    instruction.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instruction.text = " PAGE "
    result = _element("w:t")
    result.text = "1"
    return [
        _element("w:fldChar", fldCharType="begin"),
        instruction,
        _element("w:fldChar", fldCharType="separate"),
        result,
        _element("w:fldChar", fldCharType="end"),
    ]


# -- cleaning ------------------------------------------------------------------------------------


def _parse(blob: bytes) -> etree._Element:
    return etree.fromstring(blob, etree.XMLParser(remove_blank_text=True))


def _serialise(root: etree._Element) -> bytes:
    return XML_DECLARATION + etree.tostring(root, encoding="UTF-8")


def _without_links_to_removed(name: str, blob: bytes, kept: dict[str, bytes]) -> bytes:
    """`blob` without relationships to parts no longer in `kept`, or content types of none (for
    [Content_Types].xml and the .rels parts; any other part as it is)."""
    if name == CONTENT_TYPES_NAME:
        root = _parse(blob)
        extensions = {part.rpartition(".")[2] for part in kept}
        for entry in list(root):
            gone = (
                entry.get("PartName", "/")[1:] not in kept
                if entry.tag == f"{{{TYPES}}}Override"
                else entry.get("Extension") not in extensions
            )
            if gone:
                root.remove(entry)
        return _serialise(root)
    if not name.endswith(".rels"):
        return blob
    root = _parse(blob)
    source_folder = name.replace("_rels/", "").removesuffix(".rels").rpartition("/")[0]
    for relationship in list(root):
        if (
            relationship.get("TargetMode") != "External"
            and _resolve(source_folder, relationship.get("Target")) not in kept
        ):
            root.remove(relationship)
    return _serialise(root)


def _resolve(folder: str, target: str) -> str:
    """The part name a relationship's `target` points to from a part in `folder`."""
    if target.startswith("/"):
        return target[1:]
    names = [piece for piece in folder.split("/") if piece]
    for piece in target.split("/"):
        if piece == "..":
            names.pop()
        elif piece not in ("", "."):
            names.append(piece)
    return "/".join(names)


def _used_styles(styles_xml: bytes, referring: list[bytes]) -> bytes:
    """Keep the document defaults, the default style of each type and the styles the parts in
    `referring` name (with those they are based on); drop the latent styles, Word's list of
    built-in styles it has not written out, and links to styles no longer there."""
    root = _parse(styles_xml)
    by_id = {style.get(f"{{{W}}}styleId"): style for style in root.iterfind(f"{{{W}}}style")}
    wanted = [style_id for style_id, style in by_id.items() if style.get(f"{{{W}}}default") == "1"]
    for blob in referring:
        wanted += _parse(blob).xpath(
            "//w:pStyle/@w:val | //w:rStyle/@w:val | //w:tblStyle/@w:val | //w:numStyle/@w:val", namespaces={"w": W}
        )
    kept: set[str] = set()
    while wanted:
        style_id = wanted.pop()
        if style_id in kept:
            continue
        kept.add(style_id)
        wanted += by_id[style_id].xpath("./w:basedOn/@w:val | ./w:next/@w:val", namespaces={"w": W})
    for child in list(root):
        if child.tag == f"{{{W}}}latentStyles" or (
            child.tag == f"{{{W}}}style" and child.get(f"{{{W}}}styleId") not in kept
        ):
            root.remove(child)
    for link in root.iterfind(f"{{{W}}}style/{{{W}}}link"):
        if link.get(f"{{{W}}}val") not in kept:
            link.getparent().remove(link)
    return _serialise(root)


def _used_settings(settings_xml: bytes) -> bytes:
    root = _parse(settings_xml)
    unused = {name if name.startswith("{") else f"{{{W}}}{name}" for name in UNUSED_SETTINGS}
    for child in list(root):
        if child.tag in unused:
            root.remove(child)
    return _serialise(root)


def _theme_in_times_new_roman(theme_xml: bytes) -> bytes:
    """The theme with Times New Roman as its heading and body fonts, for every script: no text
    of a plan uses a theme font, but a style Word adds later (Heading 1 …) would."""
    root = _parse(theme_xml)
    for scheme in root.iter(f"{{{A}}}fontScheme"):
        scheme.set("name", FONT_NAME)  # it was "Office": Calibri and Cambria
    for fonts in root.iter(f"{{{A}}}majorFont", f"{{{A}}}minorFont"):
        for font in list(fonts):
            if font.tag == f"{{{A}}}latin":
                font.set("typeface", FONT_NAME)
            elif font.tag == f"{{{A}}}font":  # Office's choice per script (Japanese, Thai …)
                fonts.remove(font)
    return _serialise(root)


def _used_fonts(fonts_xml: bytes, others: list[bytes]) -> bytes:
    """Keep the font table's entries for the fonts the other parts name."""
    named: set[str] = set()
    for blob in others:
        if blob.lstrip().startswith(b"<"):
            for fonts in _parse(blob).iter(f"{{{W}}}rFonts"):
                named.update(
                    value
                    for key, value in fonts.attrib.items()
                    if not key.endswith("Theme") and not key.endswith("theme") and key.startswith(f"{{{W}}}")
                )
    root = _parse(fonts_xml)
    for font in list(root):
        if font.get(f"{{{W}}}name") not in named:
            root.remove(font)
    return _serialise(root)


def _app_properties() -> bytes:
    """The extended properties: only the program that made the plan (no page or word counts,
    which only Word can know)."""
    return (
        XML_DECLARATION + b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'extended-properties"><Application>povertyplan ' + __version__.encode() + b"</Application></Properties>"
    )


def _core_properties() -> bytes:
    """The core properties a plan carries: its title (empty here), the times it was made and
    changed (fixed here, the plan's at run time) and its language; no author."""
    return (
        XML_DECLARATION
        + b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        b' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
        b' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title></dc:title>'
        b'<dcterms:created xsi:type="dcterms:W3CDTF">' + CORE_TIME.encode() + b"</dcterms:created>"
        b'<dcterms:modified xsi:type="dcterms:W3CDTF">' + CORE_TIME.encode() + b"</dcterms:modified>"
        b"<dc:language>" + LANGUAGE.encode() + b"</dc:language></cp:coreProperties>"
    )


def _zip_stored(parts: dict[str, bytes]) -> bytes:
    """The package: content types first, then the parts by name; fixed times and attributes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name in sorted(parts, key=lambda name: (name != CONTENT_TYPES_NAME, name)):
            member = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            member.create_system, member.external_attr = 3, 0o644 << 16  # the same on Windows
            archive.writestr(member, parts[name])
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build povertyplan/render/skeleton.docx.")
    parser.add_argument("--check", action="store_true", help="only check that the file is what this builds")
    arguments = parser.parse_args(argv)
    built = build()
    if arguments.check:
        same = SKELETON_FILE.is_file() and SKELETON_FILE.read_bytes() == built
        print(f"{SKELETON_FILE}: {'up to date' if same else 'OUT OF DATE: run tools/build_skeleton.py'}")
        return 0 if same else 1
    SKELETON_FILE.write_bytes(built)
    print(f"{SKELETON_FILE}: {len(built)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
