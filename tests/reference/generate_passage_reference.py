"""Generate tests/reference/passage_reference.json with mpmath (run once, by hand).

    python tests/reference/generate_passage_reference.py

Independent of amnesty_model. All in 50-digit arithmetic:

* ``a = 0``: ``P(n, x)`` as ``x^n e^{-x}/Γ(n+1) · 1F1(1; n+1; x)`` (mpmath.hyp1f1) and
  ``Q(n, x)`` as ``mpmath.gammainc(n, x, inf, regularized=True)``; log density
  ``(n-1) log x - x - loggamma(n)``; at points ``x = round(n + z√n)``.
* ``a > 0`` (release rate 1, arrest rate ``rho``): the density
  ``(n/t) rho^{-n/2} e^{-(1+rho)t} I_n(2t√rho)`` (mpmath.besseli) and its integrals
  ``sf = ∫_t^∞ f`` (mpmath.quad); ``cdf = ∫_0^t f`` (mpmath.quad) for ``t > 2000``, and for
  ``t <= 2000`` (tiny left tails, where quadrature loses digits) the Skellam reflection sum
  ``Σ_{k>=n} P(D=k) + rho^{-n} Σ_{k>=n+1} P(D=-k)`` with
  ``P(D=k) = e^{-(1+rho)t} rho^{-k/2} I_k(2t√rho)``, summed to ``n + 400 + 40√(2t)``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import mpmath as mp

mp.mp.dps = 50


def gamma_p(n: int, x: float) -> mp.mpf:
    n_, x_ = mp.mpf(n), mp.mpf(x)
    return mp.exp(n_ * mp.log(x_) - x_ - mp.loggamma(n_ + 1)) * mp.hyp1f1(
        1, n_ + 1, x_, maxterms=10**8
    )


def gamma_q(n: int, x: float) -> mp.mpf:
    return mp.gammainc(n, x, mp.inf, regularized=True)


def bessel_density(n: int, rho: float):
    rho_ = mp.mpf(rho)

    def f(t: mp.mpf) -> mp.mpf:
        if t <= 0:
            return mp.mpf(0)
        return (
            n
            / t
            * rho_ ** (-mp.mpf(n) / 2)
            * mp.exp(-(1 + rho_) * t)
            * mp.besseli(n, 2 * t * mp.sqrt(rho_))
        )

    return f


def skellam_cdf(n: int, rho: float, t: float) -> mp.mpf:
    rho_, t_ = mp.mpf(rho), mp.mpf(t)
    x = 2 * t_ * mp.sqrt(rho_)

    def pmf(k: int) -> mp.mpf:
        return mp.exp(-(1 + rho_) * t_) * rho_ ** (-mp.mpf(k) / 2) * mp.besseli(k, x)

    top = n + 400 + int(40 * math.sqrt(2 * t))
    upper = mp.fsum(pmf(k) for k in range(n, top))
    lower = rho_ ** (-n) * mp.fsum(pmf(-k) for k in range(n + 1, top + 1))
    return upper + lower


def main() -> None:
    gamma_rows = []
    for n in (1, 10, 300, 2_000, 100_000, 3_000_000, 10_000_000):
        for z in (-37.0, -20.0, -5.0, -1.0, 0.0, 1.0, 5.0, 20.0, 37.0):
            x = float(round(n + z * math.sqrt(n))) if n >= 300 else n * math.exp(z / 8)
            if x <= 0:
                continue
            p = gamma_p(n, x) if x < n else 1 - gamma_q(n, x)
            q = gamma_q(n, x)
            logpdf = (n - 1) * mp.log(x) - x - mp.loggamma(n)
            gamma_rows.append(
                {
                    "n": n,
                    "x": x,
                    "cdf": mp.nstr(p, 20),
                    "sf": mp.nstr(q, 20),
                    "logpdf": mp.nstr(logpdf, 25),
                }
            )
    bessel_rows = []
    for n, rho, times in (
        (1, 0.5, (0.1, 2.0, 30.0)),
        (5, 0.5, (1.0, 10.0, 60.0)),
        (50, 0.999, (10.0, 50.0, 2000.0)),
        (300, 1 / 1.001, (100.0, 2e5, 3e7)),
        (20, 1.0, (5.0, 200.0, 1e5)),
    ):
        f = bessel_density(n, rho)
        for t in times:
            quad = t > 2000
            cdf = mp.quad(f, [0, t / 4, t / 2, t]) if quad else skellam_cdf(n, rho, t)
            sf = mp.quad(f, [t, 2 * t, 4 * t, 16 * t, mp.inf])
            bessel_rows.append(
                {
                    "n": n,
                    "rho": rho,
                    "tau": t,
                    "pdf": mp.nstr(f(mp.mpf(t)), 20),
                    "cdf": mp.nstr(cdf, 20),
                    "sf": mp.nstr(sf, 20),
                }
            )
    out = {"gamma": gamma_rows, "bessel": bessel_rows}
    Path(__file__).with_name("passage_reference.json").write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
