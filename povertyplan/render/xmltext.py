"""XML text: escaping as lxml does, and the characters XML 1.0 cannot hold.

Shared by the .docx writer (`wordml`, the core properties) and the review list's rows (`xlsx_rows`).
"""

from __future__ import annotations

import re


def escape(text: str) -> str:
    """Escape text for an XML element as lxml does: &, <, >, and a carriage return as ``&#13;``
    (it would read back as a newline). The core properties and the review list's cells use it too.

    Written here because importing xml.sax.saxutils pulls in urllib, http and ssl: tens of
    milliseconds on every one-ward run, for a few replacements.
    """
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("\r", "&#13;")


# XML 1.0 forbids most control characters, lone surrogates and U+FFFE/U+FFFF. The text comes
# cleaned; this keeps a stray one from making the whole file unreadable.
# Written as the characters refused, not the complement of those allowed: the same set, but
# compiling the complement's large ranges took about 10 ms of every run.
NOT_XML_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Return `text` without the characters XML cannot hold."""
    return NOT_XML_CHARACTERS.sub("", text)
