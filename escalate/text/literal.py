"""Free text put into a letter as the family typed it, never as markup.

Letters are written in Markdown and rendered to .docx and PDF; a name, a grade or an
answer to a blank is the family's own text, so :func:`literal` makes it plain text in
Markdown: line breaks become spaces (a value cannot open a new paragraph, heading or list
item), every character that can open an inline construct (a link, an image, emphasis,
code, raw HTML, an entity) is backslash-escaped, and so is a value's first character when
it could start a block (``#``, ``>``, ``-``, ``+``, ``=``, ``1.``). Control characters
that no document can hold are dropped. The Markdown renderer turns the escapes back into
the characters typed, so "Sam # 2 [x](y)" prints as typed.
"""

from __future__ import annotations

import re

_INLINE = re.compile(r"([\\`*_\[\]<>#!&|~])")
_BLOCK_START = re.compile(r"^(\d{1,9})([.)])|^([-+=>])")
_NOT_TEXT = re.compile("[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def literal(text: str) -> str:
    """``text`` as plain text inside Markdown (one line, markup characters escaped)."""
    flat = " ".join(_NOT_TEXT.sub("", text).split())
    escaped = _INLINE.sub(r"\\\1", flat)
    return _BLOCK_START.sub(lambda m: (f"{m.group(1)}\\{m.group(2)}" if m.group(1)
                                       else f"\\{m.group(3)}"), escaped)


__all__ = ["literal"]
