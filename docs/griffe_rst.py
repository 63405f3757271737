r"""A Griffe extension that turns the reStructuredText bits of the docstrings into Markdown.

The package's docstrings are numpydoc with Sphinx roles (``:func:`time_to_clear```), inline
math (``:math:`S^*```) and ``.. math::`` blocks, so that they read well in ``help()`` and in
any numpydoc tool. mkdocstrings renders docstrings as Markdown, so before it does, this
extension rewrites:

- ``:func:`~a.b```, ``:class:``, ``:meth:``, ``:attr:``, ``:mod:``, ``:data:``, ``:obj:`` →
  inline code (the last component when the target starts with ``~``);
- ``:math:`x``` → ``\(x\)`` (MathJax, via ``pymdownx.arithmatex``);
- a ``.. math::`` block (one line, or an indented block) → a ``\[ … \]`` display block.

Loaded from ``mkdocs.yml`` (``extensions: [docs/griffe_rst.py]``); it changes nothing in the
package itself.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:func|class|meth|attr|mod|data|obj|exc):`(~?)([^`]+)`")
_MATH = re.compile(r":math:`([^`]+)`")
_DIRECTIVE = re.compile(r"^(?P<indent>[ \t]*)\.\. math::[ \t]*(?P<first>.*)$")


def _role(match: re.Match[str]) -> str:
    tilde, target = match.groups()
    text = target.rsplit(".", 1)[-1] if tilde else target
    return f"`{text}`"


def _math_blocks(text: str) -> str:
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        match = _DIRECTIVE.match(lines[i])
        if not match:
            out.append(lines[i])
            i += 1
            continue
        indent = len(match["indent"])
        body = [match["first"]] if match["first"].strip() else []
        i += 1
        block: list[str] = []
        while i < len(lines) and (
            not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > indent
        ):
            block.append(lines[i])
            i += 1
        body.extend(textwrap.dedent("\n".join(block)).strip().splitlines())
        pad = match["indent"]
        out.extend(["", f"{pad}\\[", *(f"{pad}{line.strip()}" for line in body), f"{pad}\\]", ""])
    return "\n".join(out)


def rst_to_markdown(text: str) -> str:
    """Rewrite Sphinx roles and math in a docstring as Markdown."""
    text = _math_blocks(text)
    text = _MATH.sub(lambda m: f"\\({m[1]}\\)", text)
    return _ROLE.sub(_role, text)


class RstToMarkdown(griffe.Extension):
    """Rewrite each docstring before mkdocstrings parses it."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        """Run on every object Griffe loads."""
        if obj.docstring is not None:
            obj.docstring.value = rst_to_markdown(obj.docstring.value)
