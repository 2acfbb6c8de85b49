"""Vietnamese typed in the old encodings TCVN3 and VNI, and text garbled by a wrong import.

Before Unicode, Vietnamese was typed in 8-bit encodings drawn by their own fonts: TCVN3, also
called ABC (fonts ``.VnTime``, ``.VnArial`` …; capitals with diacritics only in the capital fonts
``.VnTimeH`` …, which draw the lower-case codes as capitals), and VNI-Windows (fonts ``VNI-Times``
…, a letter then a mark). Excel keeps such text as the Windows-1252 characters of its bytes: read
as Unicode it is ``Th«n 1``, ``Bïi V¨n Kh¸nh`` (TCVN3) or ``Nguyeãn Vaên`` (VNI).

`decode` converts text whose cell font says its encoding; `recognise` tells it from its
characters alone, conservatively: only words that are no Vietnamese syllable as they stand and
all become syllables once converted count, so Vietnamese typed in Unicode is never touched. It
also finds text garbled by a wrong import (UTF-8 read as Windows-1252: ``Ã¡`` for ``á``). The
tables are data, in ``encodings/``.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from importlib import resources

from povertyplan.read.cells import char_class
from povertyplan.read.vietnamese import is_syllable, letter_pairs, letters

TCVN3, TCVN3_CAPITALS, VNI, GARBLED = "tcvn3", "tcvn3-capitals", "vni", "garbled"
# The names Unikey's converter gives the encodings (Công cụ chuyển mã).
NAMES = {TCVN3: "TCVN3 (ABC)", TCVN3_CAPITALS: "TCVN3 (ABC)", VNI: "VNI Windows"}
# Windows-1252's characters for the bytes 0x80–0x9F (five are unassigned: Windows reads them as
# the control characters of the same number, as Latin-1 does).
_CP1252_HIGH = {byte: bytes([byte]).decode("cp1252", errors="ignore") or chr(byte) for byte in range(0x80, 0xA0)}
_TO_LATIN1 = str.maketrans({text: chr(byte) for byte, text in _CP1252_HIGH.items()})
# A character no byte of Windows-1252 or Latin-1 gives, in Python's and in RE2's syntax.
_BEYOND_BYTES = re.compile(
    "[^\\x00-\\xff" + "".join(sorted(ch for ch in _CP1252_HIGH.values() if ord(ch) > 0xFF)) + "]"
)
BEYOND_BYTES_RE2 = (
    "[^\\x{0}-\\x{ff}" + "".join(f"\\x{{{ord(ch):x}}}" for ch in sorted(_CP1252_HIGH.values()) if ord(ch) > 0xFF) + "]"
)
_TCVN3_SIGNS = re.compile("[\u00a1-\u00bf]")
# A UTF-8 continuation byte (0x80–0xBF) read as Windows-1252; not the no-break space 0xA0, which
# Vietnamese text holds after a capital ("XÃ\u00a0HÀ").
_CONTINUATION = "".join(_CP1252_HIGH.values()) + "".join(map(chr, range(0xA1, 0xC0)))


def font_encoding(font: str | None) -> str | None:
    """The encoding a font draws (`TCVN3`, `TCVN3_CAPITALS`, `VNI`), or None for a Unicode font."""
    name = (font or "").strip()
    if name[:3].casefold() == ".vn":
        return TCVN3_CAPITALS if name.endswith("H") else TCVN3
    if name[:4].casefold() in ("vni-", "vni "):
        return VNI
    return None


@functools.cache
def table(encoding: str) -> dict[str, str]:
    """Letter (Unicode) → its characters in `encoding` (the encoding's bytes read as Windows-1252)."""
    name = "vni" if encoding == VNI else "tcvn3"
    text = resources.files(__package__).joinpath("encodings", f"{name}.tsv").read_text(encoding="utf-8")
    lines = (line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#"))
    return {letter: bytes.fromhex(codes).decode("cp1252") for letter, codes in lines}


@functools.cache
def _decoding(encoding: str):
    """How to decode `encoding`: TCVN3's codes are single characters (a translation table); VNI's
    are one or two, matched longest first (a mark belongs to the letter before it)."""
    codes = {code: letter for letter, code in table(encoding).items()}
    if all(len(code) == 1 for code in codes):
        return str.maketrans(codes)
    pattern = re.compile("|".join(map(re.escape, sorted(codes, key=len, reverse=True))))
    return lambda text: pattern.sub(lambda match: codes[match.group()], text)


def decode(text: str, encoding: str) -> str:
    """`text` as the fonts of `encoding` draw it, in Unicode (NFC); characters that are no code
    of the encoding stay as they are."""
    decoding = _decoding(encoding)
    decoded = text.translate(decoding) if isinstance(decoding, dict) else decoding(text)
    if encoding == TCVN3_CAPITALS:
        decoded = decoded.upper()
    return unicodedata.normalize("NFC", decoded)


def encode(text: str, encoding: str) -> str:
    """Unicode `text` as typed in `encoding` (what Excel keeps of it); `decode` undoes it.

    In `TCVN3_CAPITALS` every letter takes its lower-case code (the capital fonts draw it as a
    capital). Raise ValueError for a letter the encoding has no code for: a capital with
    diacritics in plain `TCVN3`.
    """
    codes = table(encoding)
    typed = []
    for ch in unicodedata.normalize("NFC", text):
        code = codes.get(ch.lower() if encoding == TCVN3_CAPITALS and not ch.isascii() else ch)
        if code is None and not ch.isascii() and ch in letters():
            raise ValueError(f"{ch!r} has no code in {encoding}")
        typed.append(code or ch)
    return "".join(typed)


def typed_in_bytes(text: str) -> bool:
    """Whether `text` could have been typed in an 8-bit encoding (every character a byte's):
    text with ``ư``, ``ạ`` … was typed in Unicode."""
    return _BEYOND_BYTES.search(text) is None


def recognise(text: str, prefer: str | None = None) -> tuple[str, str] | None:
    """(how `text` was typed: `TCVN3`, `TCVN3_CAPITALS`, `VNI` or `GARBLED`; its Unicode text) when
    its characters show it is not Vietnamese typed in Unicode, else None.

    Text holding a letter no 8-bit encoding has (``ư``, ``ạ`` …) was typed in Unicode. The
    Unicode text of `GARBLED` is `text` itself when the import lost what would restore it. When
    the text reads as well in TCVN3 as in VNI, `prefer` (the encoding of the text around it)
    decides; see `choose`.
    """
    return choose(readings(text), text, prefer)


def readings(text: str) -> list[tuple[str, str, int]]:
    """The ways `text` reads once converted: (encoding, Unicode text, how many words it turns from
    no syllable into one) for TCVN3 and VNI; else [(`GARBLED`, repaired text, 0)]; else []."""
    if text.isascii() or not typed_in_bytes(text) or not suspect_pattern().search(text):
        return []
    found = [result for result in (_as(text, TCVN3), _as(text, VNI)) if result]
    if found:
        return found
    repaired = _utf8_misread(text)
    if repaired is not None:
        return [(GARBLED, repaired, 0)]
    return [(GARBLED, text, 0)] if _GARBLED.search(text) else []


def choose(found: list[tuple[str, str, int]], text: str, prefer: str | None = None) -> tuple[str, str] | None:
    """The reading of `found` (`readings` of `text`) that turns the most words into syllables.

    On a tie ("Thuû" is TCVN3's Thuỷ and VNI's Thủ): `prefer`; without it TCVN3 if the text has
    one of TCVN3's codes for a, ă, â, ê, ô, ơ, ư, đ (U+00A1–U+00BF, where VNI has none), else VNI
    ("Löu": VNI's Lưu rather than TCVN3's Lửu).
    """
    if not found:
        return None
    if prefer is None:
        prefer = TCVN3 if _TCVN3_SIGNS.search(text) else VNI
    preferred = (TCVN3, TCVN3_CAPITALS) if prefer in (TCVN3, TCVN3_CAPITALS) else (prefer,)
    encoding, converted, _ = max(found, key=lambda result: (result[2], result[0] in preferred))
    return encoding, converted


def is_tie(found: list[tuple[str, str, int]]) -> bool:
    """Whether TCVN3 and VNI read `found`'s text equally well."""
    return len(found) == 2 and found[0][2] == found[1][2]


@functools.cache
def _words(encoding: str) -> re.Pattern:
    """A word: letters and the encoding's codes (TCVN3 codes include symbols: ``¸``, ``«``)."""
    codes = "".join(sorted({ch for code in table(encoding).values() for ch in code if not ch.isalpha()}))
    return re.compile(f"(?:[^\\W\\d_]|[{re.escape(codes)}])+" if codes else r"[^\W\d_]+")


def _as(text: str, encoding: str) -> tuple[str, str, int] | None:
    """(encoding, `text` converted, how many words were no syllable before) when every word the
    conversion changes becomes a word and at least one was none before; else None."""
    evidence = _evidence(text, encoding)
    if not evidence:
        return None
    if encoding == TCVN3 and _in_capitals(text):
        encoding = TCVN3_CAPITALS  # capitals with diacritics need a capital font: all of it was capitals
    return encoding, decode(text, encoding), evidence


def _evidence(text: str, encoding: str) -> int | None:
    """How many words of `text` are no syllable but become one in `encoding`; None when a word
    with a letter beyond ASCII is no word once converted (a syllable, or an abbreviation:
    ``L§`` → ``LĐ``)."""
    evidence = 0
    for word in _words(encoding).findall(text):
        converted = decode(word, encoding)
        if not (converted.isascii() or is_syllable(converted) or _abbreviation(converted)):
            return None
        if converted == word:
            continue
        # A lone sign (``×`` in ``2 × 3``, ``«``) is a one-letter word in TCVN3, but not evidence.
        evidence += not is_syllable(word) and (len(word) > 1 or word.isalpha())
    return evidence


def _abbreviation(word: str) -> bool:
    """Capitals with no diacritic but Đ, as in ``HĐND``, ``LĐ-TBXH``, ``BCĐ``."""
    return len(word) > 1 and word.isupper() and all(ch.isascii() or ch == "Đ" for ch in word)


def convert_like(text: str, encoding: str) -> str | None:
    """`text` converted from `encoding`, in text known to be typed in it (its neighbours were
    recognised): when its characters could be the encoding's and every word the conversion changes
    becomes a word; else None. Needs no word that could only be legacy (``Khu phè 3`` → ``Khu phố 3``)."""
    if text.isascii() or not typed_in_bytes(text) or _evidence(text, encoding) is None:
        return None
    converted = decode(text, TCVN3_CAPITALS if encoding == TCVN3 and _in_capitals(text) else encoding)
    return converted if converted != text else None


def _in_capitals(text: str) -> bool:
    """Whether the ASCII letters of `text` are capitals, at least two of them."""
    ascii_letters = [ch for ch in text if ch.isascii() and ch.isalpha()]
    return len(ascii_letters) >= 2 and all(ch.isupper() for ch in ascii_letters)


def _utf8_misread(text: str) -> str | None:
    """The Vietnamese text that `text` is once read as UTF-8 again, or None when it is not UTF-8
    Vietnamese read as Windows-1252."""
    try:
        repaired = text.translate(_TO_LATIN1).encode("latin-1").decode("utf-8")
    except UnicodeError:
        return None
    repaired = unicodedata.normalize("NFC", repaired)
    vietnamese = all(ch in letters() for ch in repaired if ch.isalpha())
    return repaired if repaired != text and vietnamese and not repaired.isascii() else None


# The first bytes of a UTF-8 Vietnamese letter or typographic sign read as Windows-1252, then a
# continuation byte: garbled text is found even where the import lost bytes and cannot be repaired.
_GARBLED = re.compile(
    f"[ÃÄÅÆ][{re.escape(_CONTINUATION)}]|á[º»][{re.escape(_CONTINUATION)}]|â€[{re.escape(_CONTINUATION)}]"
)


def _vni_pairs() -> list[tuple[str, str]]:
    """VNI codes of two Vietnamese letters that Vietnamese typed in Unicode never writes (the old
    placement ``hoá``, ``hoà``, ``loã`` writes ``oá``, ``oà``, ``oã``)."""
    known = letters()
    return sorted(
        tuple(code)
        for code in table(VNI).values()
        if len(code) == 2 and set(code) <= known and code.lower() not in ("oá", "oà", "oã")
    )


def _foreign_pairs() -> list[tuple[str, str]]:
    """Two letters that no Vietnamese syllable holds side by side, the second one of U+00C0–U+00FF
    (where TCVN3's and VNI's codes that look like Vietnamese letters are): ``uú`` (TCVN3's uỳ)."""
    held = letter_pairs()
    small = sorted(letter for letter in letters() if letter.islower() and ord(letter) < 0x100)
    pairs = []
    for first, second in itertools.product(small, (letter for letter in small if not letter.isascii())):
        if first + second not in held:
            pairs += [(first, second), (first.upper(), second.upper()), (first.upper(), second)]
    return pairs


@functools.cache
def suspect_parts() -> tuple[list[tuple[int, int]], dict[str, str]]:
    """What makes text worth a closer look, as (ranges of single characters, first characters →
    the characters after them that make a pair): the characters Vietnamese never uses (TCVN3's
    symbols, VNI's marks, control characters); pairs of Vietnamese letters that only VNI writes
    or no syllable holds; a TCVN3 code drawn as a capital after a small letter (``NguyÔn``); the
    start of a garbled letter (``Ã`` then a continuation byte, ``â€``)."""
    known = letters()
    ranges: list[tuple[int, int]] = []
    for code in (code for code in range(0x80, 0x100) if code != 0xA0 and chr(code) not in known):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    pairs: dict[str, set[str]] = {}
    capitals = {ch for code in table(TCVN3).values() for ch in code if ch.isupper() and ch in known}
    for first, second in [
        *_vni_pairs(),
        *_foreign_pairs(),
        *((small, capital) for small in "abcdefghijklmnopqrstuvwxyz" for capital in capitals),
        *(("Ã", ch) for ch in "\u00a0" + "".join(_CP1252_HIGH.values())),
        ("â", "€"),
    ]:
        pairs.setdefault(first, set()).add(second)
    grouped: dict[str, str] = {}
    for first, seconds in pairs.items():  # first characters followed by the same set share a class
        key = "".join(sorted(seconds))
        grouped[key] = grouped.get(key, "") + first
    return ranges, {firsts: seconds for seconds, firsts in grouped.items()}


def suspect_regex(escape) -> str:
    """`suspect_parts` as one regular expression, code points spelt by `escape` (as `cells.char_class`)."""
    ranges, pairs = suspect_parts()

    def of(text: str) -> str:
        return char_class([(ord(ch), ord(ch)) for ch in text], escape)

    return "|".join([char_class(ranges, escape), *(of(firsts) + of(seconds) for firsts, seconds in pairs.items())])


@functools.cache
def suspect_pattern() -> re.Pattern:
    """`suspect_regex` for Python's `re`."""
    return re.compile(suspect_regex(lambda code: f"\\U{code:08x}"))
