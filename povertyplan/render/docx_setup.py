"""Set up the .docx skeleton (`skeleton.py`) with python-docx: styles, page, page numbers and
marked core properties.

This is the only module that speaks python-docx; `skeleton.skeleton` imports it only when no
skeleton is kept. python-docx's template is Letter, Calibri 11 pt with theme fonts, 10 pt after
paragraphs and 1.15 spacing, so every one of those is overridden explicitly.
"""
from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING

from povertyplan.render.skeleton import (BODY_PT, FONT_NAME, HEADER_DISTANCE_MM, MARGIN_BOTTOM_MM,
                                  MARGIN_LEFT_MM, MARGIN_RIGHT_MM, MARGIN_TOP_MM, PAGE_HEIGHT_MM,
                                  PAGE_NUMBER_PT, PAGE_WIDTH_MM, TIME_MARK, TIME_MARK_TEXT,
                                  TITLE_MARK, Skeleton, zip_parts)

if TYPE_CHECKING:  # python-docx is imported only to set up a skeleton
    from docx.document import Document as DocxDocument
    from docx.section import Section
    from docx.text.paragraph import Paragraph as DocxParagraph
    from docx.text.run import Run as DocxRun

_THEME_FONT_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
_STYLES_USED = ("Normal", "Header", "Normal Table")
_DOCUMENT_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_CORE_CONTENT_TYPE = "application/vnd.openxmlformats-package.core-properties+xml"


def set_up(language: str) -> Skeleton:
    """Set up python-docx's default template for `language` and keep the result as bytes."""
    from docx import Document

    document = Document()
    _clear_body(document)
    _set_up_styles(document, language)
    _set_up_page(document.sections[0])
    _add_page_numbers(document.sections[0])
    _mark_core_properties(document, language)
    names = {part.content_type: part.partname.membername
             for part in document.part.package.iter_parts()}
    document_name, core_name = names[_DOCUMENT_CONTENT_TYPE], names[_CORE_CONTENT_TYPE]
    saved = io.BytesIO()
    document.save(saved)
    with zipfile.ZipFile(saved) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    # The body now holds only the section properties: the plan goes in front of them.
    head, _, rest = parts.pop(document_name).partition(b"<w:body>")
    if not rest.startswith(b"<w:sectPr"):
        raise RuntimeError("python-docx's template body is not empty")  # pragma: no cover
    core_template = parts.pop(core_name)
    marks = (core_template.count(TITLE_MARK.encode()), core_template.count(TIME_MARK_TEXT))
    if marks != (1, 2):  # the title once, the times of creation and change
        raise RuntimeError("python-docx's core properties hold the marks elsewhere too")  # pragma: no cover
    return Skeleton(zip_parts(b"", parts), document_name, head + b"<w:body>", rest, core_name,
                    core_template)


def _mark_core_properties(document: DocxDocument, language: str) -> None:
    """Fill the core properties as every plan has them, with marks for the title and times.

    No personal data from the template or the machine.
    """
    properties = document.core_properties
    properties.title = TITLE_MARK
    properties.language = language
    properties.author = properties.last_modified_by = ""
    properties.comments = properties.keywords = properties.subject = ""
    properties.created = properties.modified = TIME_MARK
    properties.revision = 1


def _clear_body(document: DocxDocument) -> None:
    """Remove any paragraph or table the template brings, so the plan starts with its header."""
    body = document.element.body
    for child in body.xpath("./w:p | ./w:tbl"):
        body.remove(child)


def _set_up_styles(document: DocxDocument, language: str) -> None:
    """Make Times New Roman 14 pt, black, single-spaced with no paragraph spacing the default."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    styles_element = document.styles.element
    defaults = styles_element.find(qn("w:docDefaults"))
    _set_run_defaults(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")), language)
    for name in _STYLES_USED:
        _set_run_defaults(document.styles[name].element.get_or_add_rPr(), language)
    for fonts in styles_element.iter(qn("w:rFonts")):
        _strip_theme_fonts(fonts)
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    normal = document.styles["Normal"].paragraph_format
    normal.space_before, normal.space_after, normal.line_spacing = Pt(0), Pt(0), 1.0


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


# -- OXML helpers for the set-up: what python-docx has no API for ------------------------------


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


def _set_run_defaults(r_pr, language: str) -> None:
    """Set Times New Roman 14 pt for all four scripts, black, and `language` on `r_pr`."""
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
        lang = r_pr.insert_element_before(_element("w:lang"), "w:eastAsianLayout", "w:specVanish",
                                          "w:oMath")
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)


def _strip_theme_fonts(fonts) -> None:
    """Remove the theme-font attributes of a `w:rFonts`: Word prefers them over the named font."""
    from docx.oxml.ns import qn

    for attribute in _THEME_FONT_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)


def _page_field_elements() -> list:
    """Return the parts of a PAGE field, one per run: begin, instruction, separate, result, end."""
    instruction = _element("w:instrText")
    instruction.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instruction.text = " PAGE "
    result = _element("w:t")
    result.text = "1"
    return [_element("w:fldChar", fldCharType="begin"), instruction,
            _element("w:fldChar", fldCharType="separate"), result,
            _element("w:fldChar", fldCharType="end")]
