"""Progress display for long computations: tqdm when installed, else a plain line on stderr.

The display is shown only when asked (``show=True``), or, with ``show=None``, when the work is
expected to take more than :data:`AUTO_SECONDS` and someone is watching: stderr is a terminal
or the code runs in a Jupyter kernel. It never changes a result, and an interruption
(``KeyboardInterrupt``) closes it cleanly: the context manager closes the bar and re-raises.
"""

from __future__ import annotations

import math
import sys
import time
from types import TracebackType
from typing import Any

__all__ = ["AUTO_SECONDS", "Progress", "progress_bar", "want_progress"]

#: With ``progress=None`` a bar is shown for work expected to take longer than this [seconds].
AUTO_SECONDS = 2.0


def _in_jupyter() -> bool:
    shell = sys.modules.get("IPython")
    if shell is None or "ipykernel" not in sys.modules:
        return False
    try:
        ip: Any = getattr(shell, "get_ipython", lambda: None)()
    except Exception:  # pragma: no cover - an odd IPython
        return False
    return ip is not None and type(ip).__name__ == "ZMQInteractiveShell"


def _interactive() -> bool:
    stream = sys.stderr
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False


def want_progress(progress: object, seconds: float) -> bool:
    """Whether to show progress: ``progress`` if a bool, else auto from ``seconds`` expected.

    Raises
    ------
    TypeError
        If ``progress`` is not True, False or None.
    """
    if progress is None:
        return seconds > AUTO_SECONDS and (_interactive() or _in_jupyter())
    if isinstance(progress, bool):
        return progress
    raise TypeError(f"progress must be True, False or None (automatic), got {progress!r}")


class Progress:
    """A progress display over ``total`` units of work (a no-op when not shown)."""

    def __init__(self, total: float, desc: str, show: bool, unit: str = "it") -> None:
        self.total = max(float(total), 1.0) if math.isfinite(total) else 1.0
        self.desc = desc
        self.unit = unit
        self.show = show
        self.done = 0.0
        self._bar: Any = None
        self._last = 0.0
        self._start = time.monotonic()
        if not show:
            return
        try:
            from tqdm.auto import tqdm  # type: ignore[import-untyped,import-not-found,unused-ignore]
        except ImportError:
            self._bar = None
            # Say at once what is starting, so that even a run faster than one update shows it.
            sys.stderr.write(f"{desc}: ~{self.total:,.0f} {unit} to do")
            sys.stderr.flush()
            self._last = time.monotonic()
        else:
            self._bar = tqdm(total=round(self.total), desc=desc, unit=unit, unit_scale=True)

    def update_to(self, done: float) -> None:
        """Record that ``done`` units (cumulative) are finished."""
        if not self.show:
            return
        done = float(done)
        if done > self.total:  # the estimate was low: stretch the bar rather than overflow
            self.total = done * 1.25
            if self._bar is not None:
                self._bar.total = round(self.total)
        if self._bar is not None:
            self._bar.update(max(round(done) - self._bar.n, 0))
        else:
            now = time.monotonic()
            if now - self._last >= 0.5:
                self._last = now
                share = done / self.total
                sys.stderr.write(
                    f"\r{self.desc}: {share:6.1%} of ~{self.total:,.0f} {self.unit}, "
                    f"{now - self._start:,.0f} s"
                )
                sys.stderr.flush()
        self.done = done

    def close(self) -> None:
        """Close the display (idempotent)."""
        if not self.show:
            return
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        elif self._last > 0:
            sys.stderr.write("\n")
            sys.stderr.flush()
        self.show = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def progress_bar(total: float, desc: str, show: bool, unit: str = "it") -> Progress:
    """Return a :class:`Progress` context manager (shown only if ``show``)."""
    return Progress(total, desc, show, unit)
