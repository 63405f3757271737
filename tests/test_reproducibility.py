"""The same seed gives bit-identical results, in a fresh process; provenance hashes are stable.

Each random entry point runs in two separate interpreters (``subprocess``) with the same seed;
the SHA-256 of the raw bytes of the results must match, and must match a third run in this
process. Provenance hashes of a few fixed inputs are recorded below: they change only with a
deliberate bump of ``provenance.PROVENANCE_FORMAT`` (or a change of what a result records),
never with the package version or the machine.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import amnesty_model as am
from amnesty_model.provenance import PROVENANCE_FORMAT, provenance_hash

SRC = Path(__file__).resolve().parents[1] / "src"

# Run in a child interpreter; prints one JSON object of name -> sha256 of result bytes.
CHILD = r"""
import hashlib, json
import numpy as np
import amnesty_model as am

def digest(*arrays):
    h = hashlib.sha256()
    for a in arrays:
        a = np.ascontiguousarray(np.asarray(a))
        h.update(str(a.dtype).encode() + str(a.shape).encode())
        h.update(a.tobytes())
    return h.hexdigest()

out = {}
sim = am.simulate(am.Scenario(200, 20.0, arrest_rate=5.0, death_rate=0.01), paths=50, seed=2022)
out["simulate"] = digest(sim.clear_times, sim.held, sim.released, sim.arrested, sim.died)
unc = am.uncertain_time_to_clear(132_000, (6_731, 8_005), (0, 500), n=64, seed=7)
out["uncertain_time_to_clear"] = digest(unc.years, *unc.inputs.values())
out["first_passage.rvs"] = digest(am.first_passage(50, 3.0, 1.0).rvs(100, seed=11))
coh = am.simulate_cohort(am.Scenario(30, 10.0, death_rate=0.3), paths=40, seed=5)
out["simulate_cohort"] = digest(coh.released, coh.died, coh.still_held, coh.half_out_time,
                                coh.all_out_time)
out["provenance"] = sim.provenance["hash"] + unc.provenance["hash"]
print(json.dumps(out))
"""


def _child_run() -> dict[str, str]:
    env = {
        "PYTHONPATH": str(SRC),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONHASHSEED": "random",
    }
    done = subprocess.run(
        [sys.executable, "-c", CHILD],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
    result: dict[str, str] = json.loads(done.stdout)
    return result


def test_same_seed_gives_identical_bytes_in_fresh_processes() -> None:
    first, second = _child_run(), _child_run()
    assert first == second
    # and the same in this process (the child code run here)
    namespace: dict[str, object] = {}
    exec(CHILD.replace("print(json.dumps(out))", ""), namespace)
    assert namespace["out"] == first


def test_different_seeds_differ() -> None:
    # guards the test above against comparing constants
    a = am.first_passage(50, 3.0, 1.0).rvs(100, seed=11)
    b = am.first_passage(50, 3.0, 1.0).rvs(100, seed=12)
    assert not np.array_equal(a, b)


# Recorded hashes. They depend only on the inputs, method, sources, seed, result and the
# record's format: they change only with a deliberate PROVENANCE_FORMAT bump (or a change in
# what a result records, which must come with one). Recorded with PROVENANCE_FORMAT = 1.
RECORDED = {
    "report": "96c84808d51e",
    "arrests_and_deaths": "191037ec4149",
    "decrees_dated": "f9113c8196b3",
}


def _fixed_scenarios() -> dict[str, am.Scenario]:
    return {
        "report": am.Scenario(132_000, 1_000),
        "arrests_and_deaths": am.Scenario(132_000, 1_000, 500, death_rate=0.02),
        "decrees_dated": am.Scenario(132_000, am.Decrees(1_000), start="2022-05-26"),
    }


@pytest.mark.parametrize("key", sorted(RECORDED))
def test_provenance_hashes_are_the_recorded_ones(key: str) -> None:
    assert PROVENANCE_FORMAT == 1, "format bumped: record the new hashes"
    record = _fixed_scenarios()[key].provenance
    assert record["hash"] == RECORDED[key]
    assert provenance_hash(record) == RECORDED[key]


def test_provenance_hash_ignores_version_label_and_machine() -> None:
    s = _fixed_scenarios()["report"]
    record = dict(s.provenance)
    record["version"] = "99.0"
    record["package"] = "renamed"
    assert provenance_hash(record) == s.provenance["hash"]
    assert s.replace(name="another label").provenance["hash"] == s.provenance["hash"]
    # the hash is a function of the record's canonical JSON: recompute it by hand
    payload = {
        k: v for k, v in s.provenance.items() if k not in {"version", "hash", "package", "label"}
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), allow_nan=False)
    assert hashlib.sha256(text.encode()).hexdigest()[:12] == s.provenance["hash"]


def test_provenance_hash_is_the_same_in_a_fresh_process() -> None:
    code = (
        "import amnesty_model as am;"
        "print(am.Scenario(132_000, 1_000, 500, death_rate=0.02).provenance['hash'])"
    )
    env = {
        "PYTHONPATH": str(SRC),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONHASHSEED": "random",
    }
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=60,
    )
    assert done.stdout.strip() == _fixed_scenarios()["arrests_and_deaths"].provenance["hash"]


# -- results files: written by one process (one version), read by another -------------------

WRITER = r"""
import sys
import amnesty_model as am
from amnesty_model.results import save_results
s = am.Scenario(132_000, 1_000, 1_200, death_rate=0.02, start="2022-05-26", name="never")
save_results(s.project(horizon=50.0, step=10.0), sys.argv[1])
"""


def test_results_file_written_in_another_process_reads_back(tmp_path: Path) -> None:
    from amnesty_model.results import RESULTS_FORMAT, load_results

    path = tmp_path / "never.json"
    env = {"PYTHONPATH": str(SRC), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    subprocess.run([sys.executable, "-c", WRITER, str(path)], check=True, env=env, timeout=60)
    saved = load_results(path)
    here = am.Scenario(
        132_000, 1_000, 1_200, death_rate=0.02, start="2022-05-26", name="never"
    ).project(horizon=50.0, step=10.0)
    assert saved.format == RESULTS_FORMAT
    assert saved.provenance["hash"] == here.provenance["hash"]
    np.testing.assert_array_equal(saved.frame["held"].to_numpy(float), here.frame["held"])
    assert saved.provenance["result"]["years_to_clear"] == "inf"  # JSON has no infinity


def test_the_committed_format_1_file_keeps_its_hash() -> None:
    from amnesty_model.results import load_results

    # tests/data/results_format1.json was written by version 0.1.0 (format 1); every later
    # version must read it with the same provenance hash and the same numbers:
    # 132,000 held, 1,000 released a year: held = 132,000 − 1,000 t (docs/methods.md §1).
    saved = load_results(Path(__file__).parent / "data" / "results_format1.json")
    assert saved.format == 1 and saved.written_by == "0.1.0"
    held = saved.frame["held"]
    expected = np.maximum(132_000 - 1_000 * held.index.to_numpy(float), 0.0)
    np.testing.assert_allclose(held.to_numpy(float), expected, rtol=0, atol=1e-6)


def test_a_newer_format_is_refused_naming_the_writer(tmp_path: Path) -> None:
    from amnesty_model.results import RESULTS_FORMAT, load_results

    source = Path(__file__).parent / "data" / "results_format1.json"
    document = json.loads(source.read_text(encoding="utf-8"))
    document["amnesty_model_results"] = RESULTS_FORMAT + 1
    document["written_by"] = "9.0.0"
    path = tmp_path / "future.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    newer = rf"results format {RESULTS_FORMAT + 1} was written by amnesty_model 9\.0\.0"
    with pytest.raises(ValueError, match=newer):
        load_results(path)
