"""Text that the fonts can draw: what text entries accept, and what labels strip.

pygame's font renderer raises "Text has zero width" for a string of only
invisible characters (U+200B zero-width space, U+202E right-to-left override)
and "null character" for U+0000, and a lone surrogate from a paste cannot be
encoded at all. pygame_gui checks typed and pasted text against a "forbidden
characters" container with `in`, so one object that answers by Unicode
category keeps them all out, however they arrive.
"""

from __future__ import annotations

import unicodedata

import pygame_gui

# Control, format (zero-width, bidi overrides), surrogate, private-use, unassigned.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


class InvisibleCharacters:
    """A container that 'holds' every character the game refuses to type or draw."""

    def __contains__(self, character: object) -> bool:
        return isinstance(character, str) and any(
            unicodedata.category(c) in INVISIBLE_CATEGORIES for c in character)

    def copy(self) -> InvisibleCharacters:
        return self  # pygame_gui copies the set it is given; this one never changes


def drawable(text: str) -> str:
    """`text` without the characters InvisibleCharacters refuses."""
    return "".join(c for c in text if unicodedata.category(c) not in INVISIBLE_CATEGORIES)


def guarded_entry(rect, manager, **options) -> pygame_gui.elements.UITextEntryLine:
    """A UITextEntryLine that refuses invisible and control characters, typed or pasted."""
    entry = pygame_gui.elements.UITextEntryLine(rect, manager, **options)
    entry.set_forbidden_characters(InvisibleCharacters())
    return entry
