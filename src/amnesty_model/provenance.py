"""Provenance records: what a number was computed from, how, and by which version.

Every result object of the package carries a ``provenance`` dict built by
:func:`make_provenance`. It is JSON-safe (it round-trips through :mod:`json` unchanged) and
has a short hash, :func:`provenance_hash`, that depends only on the inputs, the method, the
sources and the seed, not on the package version or the machine, so that two people who
compute the same thing can see that they did.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

from ._version import __version__

__all__ = [
    "PROVENANCE_FORMAT",
    "format_number",
    "jsonable",
    "make_provenance",
    "provenance_hash",
]

#: Version of the provenance layout. Changing what is hashed requires bumping it.
PROVENANCE_FORMAT = 1

# Keys left out of the hash: they describe who computed a number or what it is called, not
# what it is. A relabelled scenario keeps its hash.
_UNHASHED = frozenset({"version", "hash", "package", "label"})


def jsonable(value: Any) -> Any:
    """Convert ``value`` to plain JSON types (dict, list, str, int, float, bool, None).

    Infinite floats become the strings ``"inf"``/``"-inf"`` (JSON has no infinity); NaN is
    refused because no result of this package documents one. Dates become ISO strings.

    Examples
    --------
    >>> jsonable({"years": float("inf"), "start": _dt.date(2022, 5, 26)})
    {'years': 'inf', 'start': '2022-05-26'}
    """
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if math.isnan(value):
            raise ValueError("a provenance record cannot hold NaN")
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return float(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, Sequence):
        return [jsonable(v) for v in value]
    # numpy scalars and arrays
    item = getattr(value, "tolist", None)
    if callable(item):
        return jsonable(item())
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return jsonable(to_dict())
    raise TypeError(f"cannot record a {type(value).__name__} in a provenance record")


def make_provenance(
    *,
    method: str,
    inputs: Mapping[str, Any],
    sources: Sequence[str] = (),
    seed: int | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Build a provenance record and stamp it with its hash.

    Parameters
    ----------
    method : str
        How the number was computed (e.g. ``"closed form"``, ``"ODE (solve_ivp, RK45)"``,
        ``"Monte Carlo"``).
    inputs : mapping
        The inputs, with units in their names or values.
    sources : sequence of str, default ()
        Ids of the registered sources of any figure taken from a report.
    seed : int or None, default None
        The seed of a random computation.
    **extra
        Further JSON-safe fields (e.g. ``paths`` for Monte Carlo).

    Returns
    -------
    dict
        With keys ``format``, ``package``, ``version``, ``method``, ``inputs``, ``sources``,
        ``seed``, any extras, and ``hash``.

    Examples
    --------
    >>> record = make_provenance(method="closed form", inputs={"stock": 132000.0})
    >>> record["method"], len(record["hash"])
    ('closed form', 12)
    """
    record: dict[str, Any] = {
        "format": PROVENANCE_FORMAT,
        "package": "amnesty_model",
        "version": __version__,
        "method": method,
        "inputs": jsonable(dict(inputs)),
        "sources": sorted(set(sources)),
        "seed": seed,
    }
    record.update(jsonable(extra))
    record["hash"] = provenance_hash(record)
    return record


def provenance_hash(record: Mapping[str, Any]) -> str:
    """Return a short, stable hash (12 hex digits of SHA-256) of a provenance record.

    The package name, version, label (a scenario's name) and any stored hash are left out, so
    the hash changes only when the inputs, method, sources, seed, result or the record's format
    change.

    Examples
    --------
    >>> provenance_hash({"format": 1, "method": "closed form", "inputs": {"stock": 1.0}})
    'e3a847add825'
    """
    payload = {k: v for k, v in record.items() if k not in _UNHASHED}
    text = json.dumps(jsonable(payload), sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def format_number(value: float, unit: str = "") -> str:
    """Format a number for a sentence a journalist can paste.

    Examples
    --------
    >>> format_number(132.0, "years")
    '132 years'
    >>> format_number(64.6193, "years")
    '64.6 years'
    >>> format_number(float("inf"), "years")
    'never'
    """
    if math.isinf(value):
        return "never"
    if (value == round(value) and abs(value) < 1e15) or abs(value) >= 100:
        text = f"{value:,.0f}"
    elif abs(value) >= 1:
        text = f"{value:,.1f}"
    else:
        text = f"{value:.3g}"
    return f"{text} {unit}".strip()
