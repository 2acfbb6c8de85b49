"""What Vietnamese text looks like: its letters and the shape of its syllables.

Pure functions, used to tell Vietnamese typed in Unicode from text in an old encoding (`legacy`):
a word of real Vietnamese is a syllable (onset, vowels, coda, one tone mark at most, on the vowel
that carries it); a word typed in TCVN3 or VNI and read as Unicode (``Th«n``, ``caùc``) is not.
"""

from __future__ import annotations

import functools
import unicodedata

# The five tone marks: grave, acute, tilde, hook above, dot below.
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
VOWELS = "aăâeêioôơuưy"
ONSETS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", *"bcdđghklmnprstvx")
CODAS = ("ch", "ng", "nh", *"cmnpt")
# Vowel groups (tone marks removed) → the positions in the group where the tone mark may stand
# (old and new placement alike: hòa and hoà) and whether a final consonant may, must or must not follow.
_OPEN, _CLOSED, _CODA_NEEDED = "open", "closed", "coda needed"
VOWEL_GROUPS: dict[str, tuple[frozenset[int], str]] = {
    **{vowel: (frozenset({0}), _CLOSED) for vowel in "aeêioôơuư"},
    "y": (frozenset({0}), _OPEN),  # "yn" is written "in"; y takes a final consonant only after u: "uynh"
    "ă": (frozenset({0}), _CODA_NEEDED),
    "â": (frozenset({0}), _CODA_NEEDED),
    **{group: (frozenset({0}), _OPEN) for group in "ai ao au ay âu ây eo êu iu oi ôi ơi ui ưi ưu ia ua ưa".split()},
    **{group: (frozenset({1}), _CLOSED) for group in "iê yê uô ươ uâ oă uơ".split()},
    **{group: (frozenset({0, 1}), _CLOSED) for group in "oa oe uy oo uê".split()},
    **{group: (frozenset({1}), _OPEN) for group in "iêu yêu oai oay oao oeo uây uôi ươi ươu uya uyu".split()},
    "uyê": (frozenset({2}), _CLOSED),
}


@functools.cache
def letters() -> frozenset[str]:
    """Every letter of the Vietnamese alphabet, lower and upper case, NFC (ASCII ones included)."""
    found = set("abcdefghijklmnopqrstuvwxyzđ")
    for vowel in VOWELS:
        for tone in ("", *TONE_MARKS):
            found.add(unicodedata.normalize("NFC", unicodedata.normalize("NFD", vowel) + tone))
    return frozenset(found | {letter.upper() for letter in found})


def is_syllable(word: str) -> bool:
    """Whether `word` (letters only, any case) is shaped as a Vietnamese syllable.

    Lenient where it does not matter here (it accepts some combinations no word uses), strict
    where it does: a letter foreign to Vietnamese, two tone marks, a tone on a vowel that never
    carries it (``caùc``), or vowels in an order Vietnamese never writes make it not a syllable.
    """
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [index for index, ch in enumerate(decomposed) if ch in TONE_MARKS]
    if len(tones) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in TONE_MARKS))
    # Where the tone stands, counted in letters of the bare word.
    tone_at = len(unicodedata.normalize("NFC", decomposed[: tones[0]])) - 1 if tones else None
    return any(_fits(bare, onset, coda, tone_at) for onset, coda in _splits(bare))


def _splits(bare: str):
    """Every (onset, coda) the word may start and end with (``gi`` or ``g``; ``ng`` or none)."""
    for onset in ("", *(o for o in ONSETS if bare.startswith(o))):
        yield onset, ""
        for coda in CODAS:
            if bare.endswith(coda) and len(bare) > len(onset) + len(coda):
                yield onset, coda


def _fits(bare: str, onset: str, coda: str, tone_at: int | None) -> bool:
    group = bare[len(onset) : len(bare) - len(coda)]
    rule = VOWEL_GROUPS.get(group)
    if rule is None:
        return False
    positions, coda_rule = rule
    if group == "y" and onset == "qu":
        coda_rule = _CLOSED  # quýt, quynh: the u of qu is the glide of uy
    if (coda and coda_rule == _OPEN) or (not coda and coda_rule == _CODA_NEEDED) or not _coda_fits(group, coda):
        return False
    return tone_at is None or tone_at - len(onset) in positions


def _coda_fits(group: str, coda: str) -> bool:
    """-nh and -ch follow a, ê, i, y (and uy, oa, uê); -ng and -c never follow i, ê, y, uy (inh, ếch)."""
    if coda in ("nh", "ch"):
        return group in ("a", "ê", "i", "y", "uy", "oa", "uê")
    if coda in ("ng", "c"):
        return group not in ("i", "ê", "y", "uy")
    return True


@functools.cache
def letter_pairs() -> frozenset[str]:
    """Every two letters that stand side by side in some syllable `is_syllable` accepts (lower
    case, NFC): the last letter of an onset and the first vowel, or two vowels of a group, each
    with every tone the vowel may carry there (vowel and final consonant pairs are left out)."""
    pairs = set()
    for group, (positions, _) in VOWEL_GROUPS.items():
        for toned in [group] + [_with_tone(group, at, tone) for at in positions for tone in TONE_MARKS]:
            pairs.update(toned[at : at + 2] for at in range(len(toned) - 1))
            pairs.update(onset[-1] + toned[0] for onset in ONSETS if not (onset == "qu" and group[0] in "uư"))
    return frozenset(pairs)


def _with_tone(group: str, at: int, tone: str) -> str:
    return unicodedata.normalize("NFC", group[: at + 1] + tone + group[at + 1 :])
