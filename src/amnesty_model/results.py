"""Results files: a table of numbers with its provenance, as JSON that later versions can read.

A results file is plain JSON (no pickle, nothing executable):

.. code-block:: json

    {"amnesty_model_results": 1, "written_by": "0.1.0",
     "provenance": {...}, "columns": [...], "index": {...}, "rows": [[...], ...]}

``amnesty_model_results`` is the file-format version. :func:`load_results` reads every format
up to :data:`RESULTS_FORMAT`, migrating older ones, and refuses a newer one with a message
saying which version of the package wrote it, instead of guessing.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._validation import describe
from ._version import __version__
from .provenance import jsonable, provenance_hash

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["RESULTS_FORMAT", "SavedResults", "load_results", "save_results"]

#: Version of the results-file layout written by this package.
RESULTS_FORMAT = 1

_KEY = "amnesty_model_results"


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
    """

    frame: pd.DataFrame
    provenance: dict[str, Any]
    written_by: str
    format: int


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
    flat = frame.reset_index()
    flat.columns = [*index_names, *[str(c) for c in frame.columns]]
    document = {
        _KEY: RESULTS_FORMAT,
        "written_by": __version__,
        "provenance": jsonable(provenance),
        "index": index_names,
        "columns": list(flat.columns),
        "rows": [[_cell(v) for v in row] for row in flat.itertuples(index=False)],
    }
    target = Path(path)
    target.write_text(json.dumps(document, indent=1, allow_nan=False) + "\n", encoding="utf-8")
    return target


def _migrate(document: dict[str, Any], origin: str) -> dict[str, Any]:
    """Bring an older results document up to :data:`RESULTS_FORMAT` (none exist yet)."""
    version = document.get(_KEY)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValueError(
            f"{origin}: not an amnesty_model results file (no valid {_KEY!r} format number)"
        )
    if version > RESULTS_FORMAT:
        raise ValueError(
            f"{origin}: results format {version} was written by amnesty_model "
            f"{document.get('written_by', '?')}, newer than this version ({__version__}, which "
            f"reads formats up to {RESULTS_FORMAT}); upgrade amnesty_model to read it"
        )
    return document


def load_results(path: str | Path) -> SavedResults:
    """Read a results file written by :func:`save_results` (this or an earlier version).

    Parameters
    ----------
    path : str or pathlib.Path
        The JSON file.

    Returns
    -------
    SavedResults

    Raises
    ------
    ValueError
        If the file is not valid JSON, not a results file, written in a newer format, missing
        a field, or its provenance hash does not match its contents (the file was edited).
    """
    import pandas as pd

    origin = str(path)
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{origin}: not valid JSON ({exc})") from None
    if not isinstance(document, dict):
        raise ValueError(f"{origin}: not an amnesty_model results file (not a JSON object)")
    document = _migrate(document, origin)
    for key in ("provenance", "index", "columns", "rows"):
        if key not in document:
            raise ValueError(f"{origin}: results file is missing the field {key!r}")
    provenance = document["provenance"]
    if not isinstance(provenance, dict) or provenance_hash(provenance) != provenance.get("hash"):
        raise ValueError(
            f"{origin}: the provenance hash does not match the recorded provenance; "
            "the file was changed after it was written"
        )
    frame = pd.DataFrame(document["rows"], columns=document["columns"])
    for column in frame.columns:
        if frame[column].dtype == object:
            values = frame[column].tolist()
            if any(v == "inf" for v in values) and all(
                isinstance(v, int | float) or v in ("inf", "-inf") or v is None for v in values
            ):
                frame[column] = [float(v) if v is not None else math.nan for v in values]
    frame = frame.set_index(document["index"])
    return SavedResults(
        frame=frame,
        provenance=provenance,
        written_by=str(document.get("written_by", "?")),
        format=int(document[_KEY]),
    )
