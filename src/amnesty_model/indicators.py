r"""Court-efficiency indicators of the CEPEJ, applied to detention: held, released, arrested.

The European Commission for the Efficiency of Justice (CEPEJ, Council of Europe) measures how
courts keep up with their caseload with three indicators. Read with *resolved cases* as
releases, *incoming cases* as arrests and *pending cases* as the people held, they ask the
report's question in the language of court statistics:

.. math::

    \mathrm{CR} = 100\,\% \times \frac{r}{a}, \qquad
    \mathrm{CTR} = \frac{r}{S}, \qquad
    \mathrm{DT} = \frac{365}{\mathrm{CTR}} = 365\,\frac{S}{r}\ \text{days}.

The disposition time uses a year of **365 days**, the CEPEJ convention, not the model's year of
365.25 days (:data:`amnesty_model._time.DAYS_PER_YEAR`): 132,000 held with 1,000 released a year
gives 48,180 days here, while :func:`~amnesty_model.time_to_clear` gives 132 model years
(48,213 days). The two differ by the factor 365/365.25 (0.07 %).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._validation import FloatArray, broadcast_inputs, suggest_keywords, wrap_like

__all__ = ["CEPEJ_DAYS_PER_YEAR", "cepej_indicators"]

#: Days in a year in the CEPEJ disposition time (the model itself uses 365.25).
CEPEJ_DAYS_PER_YEAR = 365.0


def _ratio(
    numerator: FloatArray,
    denominator: FloatArray,
    zero_over_zero: float,
    scale: float,
    *,
    name: str,
    inputs: str,
    overflow_is_inf: bool = False,
) -> FloatArray:
    """Return ``scale * numerator / denominator``, ``inf`` for x/0 (x > 0), a set value for 0/0.

    A quotient that is finite but beyond the largest float is an error, not a silent ``inf``,
    unless ``overflow_is_inf``: then it is ``inf``, the value the indicator takes at a zero
    denominator, of which such a tiny denominator is indistinguishable. Each element is
    computed alone, so an array gives what a loop over its elements gives.
    """
    out = np.full(numerator.shape, np.inf)
    positive = denominator > 0
    with np.errstate(over="ignore"):
        np.divide(numerator, denominator, out=out, where=positive)
        out[positive] *= scale
    if not overflow_is_inf and not np.isfinite(out[positive]).all():
        raise ValueError(
            f"the {name} is finite but larger than the largest float "
            f"({np.finfo(np.float64).max:.3g}) for at least one input; check the units of {inputs}"
        )
    out[~positive & (numerator == 0)] = zero_over_zero
    return out


@suggest_keywords
def cepej_indicators(stock: Any, release_rate: Any, arrest_rate: Any = 0.0) -> dict[str, Any]:
    r"""CEPEJ clearance rate, case turnover ratio and disposition time of a detention system.

    Parameters
    ----------
    stock : float or array_like
        People held, ``S`` [people], ``>= 0``: the CEPEJ "pending cases at the end of the
        period".
    release_rate : float or array_like
        People released per year, ``r`` [people/year], ``>= 0``: the CEPEJ "resolved cases".
    arrest_rate : float or array_like, default 0.0
        People newly detained per year, ``a`` [people/year], ``>= 0``: the CEPEJ "incoming
        cases". The default (no arrests) is the report's stated best case.

    Returns
    -------
    dict
        Three entries, each a ``float`` for scalar inputs, an array of the broadcast shape
        otherwise (a Series aligned with a Series input):

        ``"clearance_rate_percent"``
            :math:`\mathrm{CR} = 100 \times r / a` [%]. 100 % means releases keep pace with
            arrests; below 100 % the number held grows. ``inf`` when nobody is arrested but
            some are released; **100 %** when nobody is arrested or released (nothing enters
            or leaves: the system keeps pace, by convention).
        ``"case_turnover_ratio"``
            :math:`\mathrm{CTR} = r / S` [1/year]: the share of those held released in a
            year. ``inf`` when nobody is held (whatever ``r``, so that ``DT = 365 / CTR``
            holds everywhere); ``0`` when nobody is released. Also ``inf`` when so few are
            held that ``r / S`` is beyond the largest float (``S < r / 1.8e308``, e.g. a
            subnormal stock): they are released at once, as when nobody is held, and the
            disposition time is about 0 days.
        ``"disposition_time_days"``
            :math:`\mathrm{DT} = 365 \times S / r` [days]: how long the people held now would
            take to be released at the present release rate. ``0`` when nobody is held;
            ``inf`` when people are held and nobody is released.

    Raises
    ------
    TypeError
        If an input is not numeric.
    ValueError
        If an input is negative, NaN or infinite, if the shapes do not broadcast, or if the
        clearance rate or the disposition time is finite but larger than the largest float
        (about 1.8e308): an ``inf`` there would read as "nobody arrested" or "never
        released", which is not what the inputs say. The array and the scalar routes agree:
        an array raises when any of its elements would.

    See Also
    --------
    time_to_clear : the time until nobody is held, which also counts new arrests.

    Notes
    -----
    The definitions are those of the CEPEJ evaluation of European judicial systems [1]_ [2]_:
    clearance rate = resolved / incoming × 100 %, case turnover ratio = resolved / pending at
    the end of the period, disposition time = 365 / case turnover ratio, in days. CEPEJ counts
    cases over one calendar year; here the counts per year are the model's constant rates.

    The disposition time ignores new arrests: with 132,000 held and 1,000 released and 1,000
    arrested a year it is still 48,180 days, while the number held never falls
    (``time_to_clear`` is ``inf``). Read it together with the clearance rate (here 100 %).
    It uses 365 days per year, the CEPEJ convention; the model's year has 365.25 days, so
    ``DT / 365.25`` is 0.07 % shorter than ``time_to_clear(S, r)`` in years.

    References
    ----------
    .. [1] European Commission for the Efficiency of Justice (CEPEJ), *European judicial
       systems, Edition 2008: efficiency and quality of justice*, chapter 9, "Fair trial and
       court activity". Council of Europe, Strasbourg, 2008.
    .. [2] CEPEJ newsletter, December 2008, "What's measured, that's what really matters: the
       calculated Clearance Rate and Disposition Time". Council of Europe (coe.int).

    Examples
    --------
    The report's arithmetic, 132,000 held and 1,000 released a year, in CEPEJ terms:

    >>> ind = cepej_indicators(stock=132_000, release_rate=1_000, arrest_rate=0)
    >>> ind["disposition_time_days"]
    48180.0
    >>> ind["clearance_rate_percent"]
    inf

    SNHR's count of 5 July 2022 (source ``snhr_released_2022_07_05``): 539 released and 124
    newly arrested since the decree, over the same weeks, so the span cancels:

    >>> round(cepej_indicators(132_000, 539, 124)["clearance_rate_percent"], 1)
    434.7

    A vanishing stock (here the smallest normal float) is released at once, as an empty one:

    >>> tiny = cepej_indicators(2.2250738585072014e-308, 4.0)
    >>> tiny["case_turnover_ratio"], tiny["disposition_time_days"] < 1e-300
    (inf, True)

    Arrays broadcast:

    >>> cepej_indicators(132_000, 1_000, [500, 1_000, 2_000])["clearance_rate_percent"]
    array([200., 100.,  50.])
    """
    (S, r, a), _shape, scalar, index = broadcast_inputs(
        [
            ("stock", stock, 0.0, False, False),
            ("release_rate", release_rate, 0.0, False, False),
            ("arrest_rate", arrest_rate, 0.0, False, False),
        ]
    )
    clearance = _ratio(
        r, a, 100.0, 100.0, name="clearance rate", inputs="release_rate and arrest_rate"
    )
    # r / S beyond the float range means fewer held than a float can tell from none (S below
    # r / 1.8e308): inf, as for S = 0, with DT = 365 S / r still computed (about 0 days).
    turnover = _ratio(
        r,
        S,
        np.inf,
        1.0,
        name="case turnover ratio",
        inputs="release_rate and stock",
        overflow_is_inf=True,
    )
    disposition = _ratio(
        S,
        r,
        0.0,
        CEPEJ_DAYS_PER_YEAR,
        name="disposition time",
        inputs="stock and release_rate",
    )
    return {
        "clearance_rate_percent": wrap_like(clearance, scalar, index, "clearance_rate_percent"),
        "case_turnover_ratio": wrap_like(turnover, scalar, index, "case_turnover_ratio"),
        "disposition_time_days": wrap_like(disposition, scalar, index, "disposition_time_days"),
    }
