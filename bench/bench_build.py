"""Benchmark: cold `plankg build`, its stages, and importing the built graph.

Run on demand (not a test):  python bench/bench_build.py [--runs N]

Side by side in one run, it also measures the alternatives we chose against:
- reading the release with rdflib's TriG parser versus pyoxigraph (what load_release uses);
- the owlrl closure fed every triple versus the pruned input (what graph.reason uses).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time


def _median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.0f} ms"


def _time_command(argv: list[str], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
        samples.append(time.perf_counter() - start)
    return samples


def _time_call(fn, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    exe = [sys.executable, "-m", "plankg.graph.cli"]
    with tempfile.TemporaryDirectory() as out:
        build = _time_command(exe + ["build", "--out", out], runs)
        tasks = _time_command(exe + ["tasks"], runs)
        version = _time_command([sys.executable, "-c", "pass"], runs)

    from rdflib import Dataset

    from plankg.graph.build import build_dataset
    from plankg.graph.paths import release_dir
    from plankg.graph.pipeline import build_all
    from plankg.graph.publish import RELEASE_TRIG, load_release
    from plankg.graph.queries import run_checks
    from plankg.graph.reason import infer
    from plankg.graph.validate import asserted_union, validate_graph

    stages: dict[str, list[float]] = {}
    result = None
    for _ in range(runs):
        result = build_all()
        timings = dict(result.timings)
        start = time.perf_counter()
        run_checks(result.dataset)
        timings["check"] = time.perf_counter() - start
        start = time.perf_counter()
        validate_graph(asserted_union(result.dataset), with_context=False)
        timings["validate"] = time.perf_counter() - start
        for stage, seconds in timings.items():
            stages.setdefault(stage, []).append(seconds)
    trig = release_dir().joinpath(RELEASE_TRIG).read_bytes()
    ox_load = _time_call(load_release, runs)
    rdflib_load = _time_call(lambda: Dataset().parse(data=trig, format="trig"), runs)
    full = _time_call(lambda: infer(build_dataset(result.plans), prune=False), max(1, runs // 2))
    pruned = _time_call(lambda: infer(build_dataset(result.plans)), max(1, runs // 2))
    build_only = _time_call(lambda: build_dataset(result.plans), max(1, runs // 2))

    print(f"runs: {runs}; median wall-clock times on this machine")
    print(f"python start-up alone             {_median_ms(version)}")
    print(f"cold `plankg build` (process)     {_median_ms(build)}")
    for stage, samples in stages.items():
        print(f"  stage {stage:<26} {_median_ms(samples)}")
    print(f"cold `plankg tasks` (process)     {_median_ms(tasks)}")
    print(f"import release: pyoxigraph→rdflib {_median_ms(ox_load)}")
    print(f"import release: rdflib TriG parse {_median_ms(rdflib_load)}  "
          f"(ratio {statistics.median(rdflib_load) / statistics.median(ox_load):.1f}×)")
    reason_full = statistics.median(full) - statistics.median(build_only)
    reason_pruned = statistics.median(pruned) - statistics.median(build_only)
    print(f"owlrl closure, every triple       {reason_full * 1000:.0f} ms")
    print(f"owlrl closure, pruned input       {reason_pruned * 1000:.0f} ms  "
          f"(ratio {reason_full / reason_pruned:.1f}×)")
    print(f"release size: {len(trig) / 1024:.0f} KiB TriG, "
          f"{len(result.dataset)} triples in the union")


if __name__ == "__main__":
    main()
