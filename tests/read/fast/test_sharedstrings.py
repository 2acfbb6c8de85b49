"""`sharedstrings` reads the shared-strings part exactly as openpyxl reads it, or steps aside
(None), whatever the items hold; and `xmlbytes.text` gives text as an XML parser gives it."""

import io
import xml.etree.ElementTree as ET
import zipfile

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.reader.strings import read_string_table

from povertyplan.read.fast import xmlbytes
from povertyplan.read.fast.sharedstrings import read_shared_strings

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def part(items: str, root: str = f'<sst xmlns="{MAIN}">', end: str = "</sst>") -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{root}{items}{end}'.encode()


def ours(xml: bytes) -> list[str] | None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/sharedStrings.xml", xml)
    with zipfile.ZipFile(buffer) as archive:
        read = read_shared_strings(archive, "xl/sharedStrings.xml")
    return None if read is None else read.text.to_pylist()


def openpyxls(xml: bytes) -> list[str]:
    return read_string_table(io.BytesIO(xml))


@pytest.mark.parametrize(
    "items",
    [
        pytest.param("<si><t/></si><si><t>a</t></si>", id="empty-item-first"),
        pytest.param("<si><r><t>Khu </t></r><r><rPr><b/></rPr><t>phố</t></r></si>", id="first-run-unformatted"),
        pytest.param(
            '<si><t>漢字</t><rPh sb="0" eb="2"><t>かんじ</t></rPh><phoneticPr fontId="1"/></si>', id="phonetic-run"
        ),
        pytest.param("<si/><si></si><si><t></t></si>", id="empty-items"),
        pytest.param("\n  <si>\n    <t>a</t>\n  </si>\n", id="items-over-lines"),
        pytest.param("<si><t>a</t><t>b</t></si>", id="two-texts-the-last-counts"),
        pytest.param("<si><t>x\r\ny&#13;&#x1EA1;&amp;</t></si>", id="line-ends-and-references"),
        pytest.param("<si><t>_x005F_x000D_</t></si>", id="excel-escape"),
    ],
)
def test_items_programs_write_read_as_openpyxl_reads_them(items):
    xml = part(items)
    assert ours(xml) == openpyxls(xml)


def test_a_part_written_with_a_prefix_reads_as_one_without():
    items = (
        "<x:si><x:t>a</x:t></x:si><x:si><x:r><x:t>b</x:t></x:r>"
        "<x:r><x:rPr><x:b/></x:rPr><x:t>c</x:t></x:r></x:si><x:si><x:t/></x:si>"
    )
    xml = part(items, f'<x:sst xmlns:x="{MAIN}" count="3">', "</x:sst>")
    assert ours(xml) == openpyxls(xml) == ["a", "bc", ""]


@pytest.mark.parametrize(
    "xml",
    [
        pytest.param(
            part("<si><t>a</t></si>", '<sst xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main">'),
            id="strict-namespace",
        ),
        pytest.param(
            part("<si><t>a</t></si><x:si><x:t>b</x:t></x:si>", f'<x:sst xmlns:x="{MAIN}">', "</x:sst>"),
            id="prefix-on-some-tags",
        ),
        pytest.param(part("<si><t>a</t></si><!-- note -->"), id="comment"),
        pytest.param(part("<si><t>a&nbsp;</t></si>"), id="undeclared-entity"),
        pytest.param(part("<si><t>a&#1;</t></si>"), id="reference-to-a-character-xml-excludes"),
        pytest.param(part("<si><t>a</t></si><si><t>b</t>"), id="cut-short"),
    ],
)
def test_a_part_it_does_not_know_is_left_to_openpyxl(xml):
    assert ours(xml) is None


_PIECES = [
    "<si>",
    "</si>",
    "<si/>",
    "<t>",
    "</t>",
    "<t/>",
    '<t xml:space="preserve">',
    "<r>",
    "</r>",
    "<rPr><b/></rPr>",
    "<rPh>",
    "</rPh>",
    '<phoneticPr fontId="1"/>',
    "a",
    "ệ",
    " ",
    "\r\n",
    "&amp;",
    "&#7885;",
    "&#x1EA1;",
    "&lt;",
    "_x005F_x",
    "\n  ",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30))
def test_any_items_read_as_openpyxl_reads_them_or_are_left_to_it(pieces):
    xml = part("".join(pieces))
    try:
        expected = openpyxls(xml)
    except Exception:  # the XML parser or openpyxl's objects (<rPh> without its numbers) refuse it
        expected = None  # openpyxl refuses the part; reading it anyway is no harm, raising would be
    got = ours(xml)
    assert got is None or expected is None or got == expected


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(
            st.sampled_from(
                [
                    "a",
                    "ệ",
                    "😀",
                    " ",
                    "\r",
                    "\n",
                    "\r\n",
                    "&amp;",
                    "&lt;",
                    "&gt;",
                    "&quot;",
                    "&apos;",
                    "&#13;",
                    "&#10;",
                    "&#244;",
                    "&#x1EA1;",
                    "&#128512;",
                    "&#x0041;",
                ]
            ),
            max_size=8,
        ),
        max_size=10,
    ),
    st.sampled_from([8, 4 * 1024**2]),
)
def test_text_is_what_an_xml_parser_gives(texts, group_bytes):
    xml, starts, ends = b"", [], []
    for text in texts:
        xml += b"<t>"
        starts.append(len(xml))
        xml += "".join(text).encode()
        ends.append(len(xml))
        xml += b"</t>"
    data = np.frombuffer(xml + xmlbytes.PAD, np.uint8)
    order = np.arange(len(texts))[::-1]  # ranges in any order
    saved = xmlbytes.SLICE_BYTES
    xmlbytes.SLICE_BYTES = group_bytes
    try:
        got = xmlbytes.text(data, np.array(starts, np.int64)[order], np.array(ends, np.int64)[order]).to_pylist()
    finally:
        xmlbytes.SLICE_BYTES = saved
    expected = [element.text or "" for element in ET.fromstring(b"<r>" + xml + b"</r>")]
    assert got == [expected[at] for at in order]
