"""``plankg build``: parse, build, reason, check, write the release."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

__all__ = ["run_build"]

STAGE_ZH = {"registries": "读取登记表", "parse": "解析", "build": "构建", "reason": "推理",
            "check": "质量检查", "validate": "SHACL 校验", "write": "写出", "total": "合计"}


def run_build(args: argparse.Namespace) -> int:
    from ..paths import release_dir
    from ..pipeline import build_all
    from ..publish import canonical_nquads, load_release, write_release
    from ..queries import run_checks
    from ..validate import asserted_union, validate_graph

    start = time.perf_counter()
    result = build_all()
    timings = dict(result.timings)
    if args.check:
        stale = canonical_nquads(result.dataset) != canonical_nquads(load_release())
        print("发布文件已过期，请运行 plankg build / the release is stale: run plankg build"
              if stale else "发布文件是最新的 / the release is up to date")
        return 1 if stale else 0
    clock = time.perf_counter()
    failed = {name: a for name, a in run_checks(result.dataset).items() if a.rows}
    timings["check"] = time.perf_counter() - clock
    clock = time.perf_counter()
    report = validate_graph(asserted_union(result.dataset), file="build", with_context=False)
    timings["validate"] = time.perf_counter() - clock
    clock = time.perf_counter()
    paths = write_release(result.dataset, args.out or Path(str(release_dir())))
    timings["write"] = time.perf_counter() - clock
    timings["total"] = time.perf_counter() - start
    for path in paths:
        print(f"已写出 / wrote {path}")
    print(f"三元组 / triples: {len(result.dataset)}；任务 / tasks: "
          f"{sum(len(p.tasks) for p in result.plans)}")
    for stage, seconds in timings.items():
        print(f"  {STAGE_ZH[stage]} / {stage}: {seconds * 1000:.0f} ms")
    for name, answer in failed.items():
        print(f"质量检查未通过 / check failed: {name} ({len(answer.rows)})")
    print(f"SHACL：{'符合' if report.conforms else '不符合'} / {'conforms' if report.conforms else 'does not conform'}"
          f"（违规 / violations {len(report.violations)}，警告 / warnings "
          f"{len(report.results) - len(report.violations)}）")
    for finding in report.violations:
        print(f"  {finding.line}: {finding.message_zh} / {finding.message_en}")
    return 1 if failed or not report.conforms else 0
