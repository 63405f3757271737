"""Results files: a table of numbers with its provenance, as JSON that later versions can read.

A results file is plain JSON (no pickle, nothing executable):

.. code-block:: json

    {"amnesty_model_results": 2, "written_by": "0.1.0",
     "provenance": {...}, "index": [...], "columns": [...], "rows": [[...], ...],
     "content_hash": "..."}

``amnesty_model_results`` is the file-format version. :func:`load_results` reads every format
up to :data:`RESULTS_FORMAT`, migrating older ones, and refuses a newer one with a message
saying which version of the package wrote it, instead of guessing.

What is protected. ``content_hash`` (format 2) is the SHA-256 of a canonical serialisation of
everything else in the file (the table's index, columns and every value, the provenance, the
format and the writer's version; see :func:`content_hash`), so an edited number is refused
with an error naming the file. The provenance also carries its own hash
(:func:`~amnesty_model.provenance.provenance_hash`), checked too.

Format 1 (written by 0.1.0) had no content hash: only its provenance was protected. Such a
file still loads, with ``content_checked=False`` and a ``note`` saying that its values could
not be checked (no warning is raised); pass ``require_content_hash=True`` to refuse it, and
save it again to write format 2. A hash shows accidental or careless edits; it is not a
signature: whoever can edit the file can recompute it.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._validation import describe, suggest_keywords
from ._version import __version__
from .provenance import jsonable, provenance_hash

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["RESULTS_FORMAT", "SavedResults", "content_hash", "load_results", "save_results"]

#: Version of the results-file layout written by this package (2: with ``content_hash``).
RESULTS_FORMAT = 2

_KEY = "amnesty_model_results"
_HASH_KEY = "content_hash"
# Integers a float carries exactly: written as floats in the canonical form, so that ``1``
# and ``1.0`` (the same value, spelt differently by some JSON tools) hash alike.
_EXACT_INT = 2**53


@dataclass(frozen=True)
class SavedResults:
    """A results file read back: its table, its provenance and who wrote it.

    Attributes
    ----------
    frame : pandas.DataFrame
        The table, with its index restored.
    provenance : dict
        The provenance record of the result that was saved (its ``hash`` checked on load).
    written_by : str
        The package version that wrote the file.
    format : int
        The file-format version it was written in.
    content_checked : bool, default True
        True if the file's values were checked against its content hash (format 2 on);
        False for a format-1 file, which has none.
    note : str or None, default None
        Why the values were not checked, when they were not.
    """

    frame: pd.DataFrame
    provenance: dict[str, Any]
    written_by: str
    format: int
    content_checked: bool = True
    note: str | None = None


def _canonical(value: Any) -> Any:
    """``value`` with numbers in one spelling: integral floats and exact ints alike."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return float(value) if abs(value) <= _EXACT_INT else value
    if isinstance(value, float):
        return value
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    raise TypeError(f"not a JSON value: {describe(value)} ({type(value).__name__})")


def content_hash(document: dict[str, Any]) -> str:
    """SHA-256 (hex) of a results document's canonical form, leaving out ``content_hash``.

    The canonical form is the document as JSON with sorted keys, no spaces, ASCII escapes and
    every number that a float holds exactly written as a float (``1`` and ``1.0`` alike); any
    other change of a value, a key, a column or a row changes the hash.

    Parameters
    ----------
    document : dict
        A results document as read from JSON.

    Returns
    -------
    str
        64 hexadecimal digits.

    Examples
    --------
    >>> a = content_hash({"rows": [[1, 2.5]]})
    >>> a == content_hash({"rows": [[1.0, 2.5]]}), a == content_hash({"rows": [[1.0, 2.6]]})
    (True, False)
    """
    payload = {k: v for k, v in document.items() if k != _HASH_KEY}
    text = json.dumps(_canonical(payload), sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def _cell(value: Any) -> Any:
    """A JSON-safe cell: floats keep inf as a string, missing values become None."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        import pandas as pd

        if value is pd.NaT or (not isinstance(value, list | dict) and pd.isna(value)):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return jsonable(value)


@suggest_keywords
def save_results(result: Any, path: str | Path) -> Path:
    """Write a result's table and provenance to a JSON results file.

    Parameters
    ----------
    result : object
        Anything with a ``provenance`` dict and a table, as ``frame`` or ``to_frame()`` (a
        :class:`~amnesty_model.Projection`, a Monte Carlo result...), or a pandas DataFrame
        whose ``attrs["provenance"]`` holds the provenance (as the article table does).
    path : str or pathlib.Path
        Where to write; conventionally ending in ``.json``.

    Returns
    -------
    pathlib.Path
        The path written.

    Examples
    --------
    >>> import tempfile, amnesty_model as am
    >>> p = am.Scenario(132_000, 1_000).project(step=33)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     saved = load_results(save_results(p, d + "/report.json"))
    >>> saved.frame["held"].tolist()
    [132000.0, 99000.0, 66000.0, 33000.0, 0.0, 0.0]
    >>> saved.provenance["hash"] == p.provenance["hash"]
    True
    """
    import pandas as pd

    frame: object
    if isinstance(result, pd.DataFrame):
        frame = result
        provenance = result.attrs.get("provenance")
    else:
        provenance = getattr(result, "provenance", None)
        frame = getattr(result, "frame", None)
        if frame is None and callable(getattr(result, "to_frame", None)):
            frame = result.to_frame()
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            "result must be a DataFrame or have a `frame`/`to_frame()` table, "
            f"got {describe(result)} ({type(result).__name__})"
        )
    if not isinstance(provenance, dict):
        raise TypeError(
            "result must carry a provenance dict (result.provenance, or "
            "DataFrame.attrs['provenance']), got none"
        )
    index_names = [str(n) if n is not None else "index" for n in frame.index.names]
    names = [*index_names, *[str(c) for c in frame.columns]]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(
            f"result's table must have distinct index and column names (as text) to be saved, "
            f"got {repeated} more than once"
        )
    flat = frame.reset_index()
    flat.columns = names
    document: dict[str, Any] = {
        _KEY: RESULTS_FORMAT,
        "written_by": __version__,
        "provenance": jsonable(provenance),
        "index": index_names,
        "columns": names,
        "rows": [[_cell(v) for v in row] for row in flat.itertuples(index=False)],
    }
    # The hash of the document as it will read back (tuples become lists, and so on).
    document = json.loads(json.dumps(document, allow_nan=False))
    document[_HASH_KEY] = content_hash(document)
    target = Path(path)
    target.write_text(json.dumps(document, indent=1, allow_nan=False) + "\n", encoding="utf-8")
    return target


_FORMAT_1_NOTE = (
    "results format 1 (amnesty_model 0.1.0) has no content hash: the provenance was checked, "
    "the table's values could not be; save the result again to write format {current}"
)


def _migrate(document: dict[str, Any], origin: str) -> tuple[dict[str, Any], str | None]:
    """Bring an older results document up to :data:`RESULTS_FORMAT`, with a note if needed.

    Format 1 has the same layout without ``content_hash``: its values cannot be checked, which
    the returned note says.
    """
    version = document.get(_KEY)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValueError(
            f"{origin}: not an amnesty_model results file (no valid {_KEY!r} format number)"
        )
    if version > RESULTS_FORMAT:
        raise ValueError(
            f"{origin}: results format {version} was written by amnesty_model "
            f"{_text(document.get('written_by', '?'))}, newer than this version "
            f"({__version__}, which reads formats up to {RESULTS_FORMAT}); upgrade "
            "amnesty_model to read it"
        )
    if version == 1:
        if _HASH_KEY in document:
            raise ValueError(
                f"{origin}: results format 1 has no {_HASH_KEY!r} field; this file has one, "
                "so its format number was changed after it was written"
            )
        return document, _FORMAT_1_NOTE.format(current=RESULTS_FORMAT)
    return document, None


def _text(value: object) -> str:
    return describe(value) if not isinstance(value, str) else value[:40]


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _check_layout(document: dict[str, Any], origin: str) -> None:
    """The table's fields: names as text, the index among the columns, rows of full length."""
    columns, index, rows = document["columns"], document["index"], document["rows"]
    if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
        raise ValueError(
            f"{origin}: 'columns' must be a list of column names (text), got {describe(columns)}"
        )
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated:
        raise ValueError(f"{origin}: 'columns' names {repeated} more than once")
    if (
        not isinstance(index, list)
        or not index
        or not all(isinstance(c, str) for c in index)
        or len(set(index)) != len(index)
    ):
        raise ValueError(
            f"{origin}: 'index' must be a non-empty list of distinct column names, "
            f"got {describe(index)}"
        )
    missing = [c for c in index if c not in columns]
    if missing:
        raise ValueError(
            f"{origin}: 'index' names {missing}, not among the columns {describe(columns)}"
        )
    if not isinstance(rows, list):
        raise ValueError(f"{origin}: 'rows' must be a list of rows, got {describe(rows)}")
    for i, row in enumerate(rows):
        if not isinstance(row, list) or len(row) != len(columns):
            raise ValueError(
                f"{origin}: row {i} must be a list of {len(columns)} values (one per column), "
                f"got {describe(row)}"
            )


@suggest_keywords
def load_results(path: str | Path, *, require_content_hash: bool = False) -> SavedResults:
    """Read a results file written by :func:`save_results` (this or an earlier version).

    Parameters
    ----------
    path : str or pathlib.Path
        The JSON file.
    require_content_hash : bool, default False
        Refuse a file whose values cannot be checked (format 1, which has no content hash)
        instead of reading it with ``content_checked=False`` and a ``note``.

    Returns
    -------
    SavedResults

    Raises
    ------
    ValueError
        If the file is not valid JSON, not a results file, written in a newer format, missing
        a field, laid out wrongly (the message names the field), or its content hash or
        provenance hash does not match its contents (the file was edited). Every message
        starts with the file's name.

    Examples
    --------
    >>> import tempfile, json, amnesty_model as am
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = save_results(am.Scenario(132_000, 1_000).project(step=33), d + "/r.json")
    ...     saved = load_results(path)
    ...     document = json.loads(path.read_text())
    ...     document["rows"][1][1] = 98_000.0  # an edited number
    ...     _ = path.write_text(json.dumps(document))
    ...     load_results(path)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: .../r.json: the content hash does not match the file's contents; ...
    >>> saved.content_checked, saved.format
    (True, 2)
    """
    import pandas as pd

    origin = str(path)
    try:
        document = json.loads(
            Path(path).read_text(encoding="utf-8"), parse_constant=_reject_constant
        )
    except UnicodeDecodeError as exc:
        raise ValueError(f"{origin}: not a UTF-8 text file ({exc.reason})") from None
    except (json.JSONDecodeError, ValueError, RecursionError) as exc:
        raise ValueError(f"{origin}: not valid JSON ({exc})") from None
    if not isinstance(document, dict):
        raise ValueError(f"{origin}: not an amnesty_model results file (not a JSON object)")
    document, note = _migrate(document, origin)
    required = ("provenance", "index", "columns", "rows") + ((_HASH_KEY,) if note is None else ())
    for key in required:
        if key not in document:
            raise ValueError(f"{origin}: results file is missing the field {key!r}")
    if note is None:
        if content_hash(document) != document[_HASH_KEY]:
            raise ValueError(
                f"{origin}: the content hash does not match the file's contents; the file was "
                "changed after it was written (a value, a column or the provenance)"
            )
    elif require_content_hash:
        raise ValueError(f"{origin}: {note}, and require_content_hash=True")
    provenance = document["provenance"]
    try:
        intact = isinstance(provenance, dict) and provenance_hash(provenance) == provenance.get(
            "hash"
        )
    except (TypeError, ValueError):  # a value the provenance format cannot hold
        intact = False
    if not intact:
        raise ValueError(
            f"{origin}: the provenance hash does not match the recorded provenance; "
            "the file was changed after it was written"
        )
    _check_layout(document, origin)
    try:
        frame = pd.DataFrame(document["rows"], columns=document["columns"])
        for column in frame.columns:
            if frame[column].dtype == object:
                values = frame[column].tolist()
                if any(_is_inf(v) for v in values) and all(
                    _is_number(v) or _is_inf(v) or v is None for v in values
                ):
                    frame[column] = [float(v) if v is not None else math.nan for v in values]
        frame = frame.set_index(document["index"])
    except (TypeError, ValueError, KeyError, OverflowError) as exc:
        raise ValueError(f"{origin}: the table cannot be rebuilt ({exc})") from None
    written_by = document.get("written_by", "?")
    return SavedResults(
        frame=frame,
        provenance=provenance,
        written_by=written_by if isinstance(written_by, str) else describe(written_by),
        format=int(document[_KEY]),
        content_checked=note is None,
        note=note,
    )


def _is_inf(value: object) -> bool:
    return isinstance(value, str) and value in ("inf", "-inf")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
