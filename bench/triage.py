"""A caseload at once (issue 24): triage cases per second on one core and on all cores,
and 100,000 cases end to end with the memory sampled over the run.

- **Cores.** The same caseload (the realistic intake stream of ``bench/cases.py``, with an
  invalid line every :data:`INVALID_EVERY` lines) is triaged through the face
  (``Escalate.triage``, the path of ``escalate triage``) with 1 process and with every
  core, in a fresh process each time, alternating 1, N, 1, N; the better run of each is
  kept. The rate is the steady one: cases from the first finished chunk to the last, over
  that time (a worker's start, building its advisor, is reported apart). The CPU time of
  the parent and of each worker over the same span is read from ``/proc``, which gives the
  ratio the same work would reach on cores nobody else uses (``cpu_ratio``). Every run's
  JSON output is hashed: one process and many must give the same bytes.
- **100,000 cases end to end.** ``escalate triage FILE --format json -o OUT`` on a
  generated file of 100,000 lines (invalid ones among them), every core; the resident
  memory (VmRSS) of the command and of its workers is sampled every half second.

Targets (issue 24, reported, never asserted in tests): every core at least 1.8x one on two
cores; the memory flat over 100,000 cases (the command's growth only its packed rows, under
1 KiB a case; the workers' under 10 MB). The output is general information, not legal
advice.

``python -m bench.triage`` runs this part alone and prints its section of results.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench.cases import INTAKE_MIX, SEED, _intake_case

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "_work"
RESULT_MARK = "TRIAGE-RESULT "
TARGET_SCALING = 1.8
TARGET_ROW_KIB = 1.0       # the command's growth per case over the 100,000 (its packed rows)
# A worker's growth over the run, when this run did not measure the engine memory full:
# a worker grows by its engine memory (bounded by ESCALATE_ENGINE_CACHE_SIZE answers) and
# since the workers share their engines' answers, each holds the answers of the whole
# caseload up to that bound. The bound is the memory full, measured in the same run.
TARGET_WORKER_MB = 10.0


def worker_bound_mb(results: dict[str, Any]) -> tuple[float, str]:
    """How much a triage worker may grow: its engine memory full, as the bench's memory
    part measured it in this run (plus the fixed 10 MB for everything else); else
    :data:`TARGET_WORKER_MB`. With the words saying which."""
    memory = results.get("memory", {})
    if "rss_after_fill_kib" in memory and "rss_before_kib" in memory:
        full = (memory["rss_after_fill_kib"] - memory["rss_before_kib"]) / 1024
        return full + TARGET_WORKER_MB, (f"its engine memory full ({full:.1f} MB in this "
                                         f"run) + {TARGET_WORKER_MB:g} MB")
    return TARGET_WORKER_MB, f"{TARGET_WORKER_MB:g} MB"
INVALID_EVERY = 97
INVALID_LINES = ("this line is not JSON", "[1, 2, 3]",
                 '{"concern": {"topic": "not-a-topic", "school_response": "refused"}}')
TICK = os.sysconf("SC_CLK_TCK")
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def write_caseload(path: Path, count: int, seed: int = SEED) -> dict[str, int]:
    """``count`` lines of the realistic intake stream (generated a case at a time, never
    all held), one line in :data:`INVALID_EVERY` an invalid one; how many of each."""
    rng = random.Random(seed + 7)
    kinds = [k for k, _ in INTAKE_MIX]
    weights = [w for _, w in INTAKE_MIX]
    invalid = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for number in range(1, count + 1):
            if number % INVALID_EVERY == 0:
                out.write(INVALID_LINES[invalid % len(INVALID_LINES)] + "\n")
                invalid += 1
                continue
            case = _intake_case(rng, number, rng.choices(kinds, weights)[0])
            out.write(json.dumps(case, separators=(",", ":")) + "\n")
    return {"lines": count, "invalid": invalid, "cases": count - invalid}


# ---------------------------------------------------------------- /proc


def _stat(pid: int) -> tuple[float, int] | None:
    """CPU seconds (user + system) and resident KiB of ``pid``, or None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / TICK, int(fields[21]) * PAGE_KIB


def descendants(pid: int, depth: int = 2) -> list[int]:
    """The living processes ``depth`` generations below ``pid``: 2, the workers (forked by
    the forkserver, itself a child, as the resource tracker is)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                text = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(text[text.rindex(")") + 2:].split()[1])
    level = [pid]
    for _ in range(depth):
        level = [p for p, parent in parents.items() if parent in level]
    return level


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


# ---------------------------------------------------------------- one rate, in a fresh process


def rate(rules: str, file: Path, jobs: int) -> dict[str, Any]:
    """Triage ``file`` with ``jobs`` processes; the steady rate, the start, the CPU time of
    each process over the steady span, and the hash of the JSON output."""
    from escalate.cli.caseload import numbered
    from escalate.cli.triage import render_json
    from escalate.service import Escalate

    service = Escalate(rules)
    me = os.getpid()
    marks: list[tuple[float, int, dict[int, float]]] = []
    workers: list[int] = []

    def cpu() -> dict[int, float]:
        out = {}
        for pid in [me, *workers]:
            stat = _stat(pid)
            if stat is not None:
                out[pid] = stat[0]
        return out

    def progress(lines: int) -> None:
        if jobs > 1 and len(workers) < jobs:
            workers[:] = descendants(me)
        marks.append((time.perf_counter(), lines, cpu()))

    started = time.perf_counter()
    with file.open("rb") as stream:
        result = service.triage(numbered(stream), jobs=jobs, progress=progress)
    wall = time.perf_counter() - started
    digest = hashlib.sha256(render_json(result).encode()).hexdigest()
    first, last = marks[0], marks[-1]
    steady_lines = sum(n for _, n, _ in marks[1:])
    steady_s = last[0] - first[0]
    spent = {pid: last[2].get(pid, 0.0) - first[2].get(pid, 0.0) for pid in last[2]}
    return {"jobs": jobs, "lines": sum(n for _, n, _ in marks), "cases": len(result.rows),
            "invalid": len(result.invalid), "wall_s": wall, "start_s": first[0] - started,
            "steady_lines": steady_lines, "steady_s": steady_s,
            "per_second": steady_lines / steady_s if steady_s else 0.0,
            "cpu_parent_s": spent.get(me, 0.0),
            "cpu_workers_s": [spent[p] for p in workers if p in spent],
            "digest": digest, "load": loadavg()}


def _run_rate(rules: Path, file: Path, jobs: int, timeout: float) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.triage", "rate", "--rules", str(rules),
               "--file", str(file), "--jobs", str(jobs)]
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"jobs": jobs, "error": f"did not finish within {timeout:.0f}s (stopped)"}
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_MARK):
            result: dict[str, Any] = json.loads(line[len(RESULT_MARK):])
            return result
    last = (done.stderr.strip().splitlines() or ["no output"])[-1]
    return {"jobs": jobs, "error": f"exit status {done.returncode}: {last[:300]}"}


def cpu_ratio(one: dict[str, Any], many: dict[str, Any], cores: int) -> float:
    """The ratio the measured CPU time allows on ``cores`` cores nobody else uses: one
    process's CPU per case, against the busiest of (every process's CPU over the cores,
    the busiest single process) per case."""
    per_case_one = (one["cpu_parent_s"] + sum(one["cpu_workers_s"])) / one["steady_lines"]
    processes = [many["cpu_parent_s"], *many["cpu_workers_s"]]
    critical = max(sum(processes) / cores, max(processes)) / many["steady_lines"]
    return per_case_one / critical if critical else 0.0


def cores_part(rules: Path, count: int, jobs: int, log: Callable[[str], None]) -> dict[str, Any]:
    """1 process against ``jobs``, alternating, twice each; the better run of each."""
    file = WORK / f"triage-{count}.jsonl"
    made = write_caseload(file, count)
    runs: list[dict[str, Any]] = []
    for n in (1, jobs, 1, jobs):
        log(f"  triage: {count:,} lines, {n} process(es)")
        runs.append(_run_rate(rules, file, n, 600))
    good = [r for r in runs if "error" not in r]
    best = {n: max((r for r in good if r["jobs"] == n), key=lambda r: r["per_second"],
                   default=None) for n in (1, jobs)}
    out: dict[str, Any] = {"caseload": made, "jobs": jobs, "runs": runs,
                           "same_output": len({r["digest"] for r in good}) == 1 if good
                           else None}
    one, many = best[1], best[jobs]
    if one and many:
        out["one"], out["many"] = one, many
        out["ratio"] = many["per_second"] / one["per_second"]
        out["cpu_ratio"] = cpu_ratio(one, many, jobs)
    return out


# ---------------------------------------------------------------- 100,000 end to end


def _command() -> list[str]:
    script = Path(sys.executable).parent / "escalate"
    return [str(script)] if script.exists() else [
        sys.executable, "-c", "from escalate.cli import main; raise SystemExit(main())"]


def end_to_end(rules: Path, count: int, log: Callable[[str], None],
               every: float = 0.5) -> dict[str, Any]:
    """``escalate triage`` on ``count`` lines, every core; its memory over the run."""
    file, output = WORK / f"triage-{count}.jsonl", WORK / f"triage-{count}.json"
    log(f"  triage: writing {count:,} lines")
    made = write_caseload(file, count)
    log(f"  triage: {count:,} lines end to end (escalate triage --format json)")
    started = time.perf_counter()
    process = subprocess.Popen([*_command(), "triage", str(file), "--rules", str(rules),
                                "--format", "json", "-o", str(output)],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    samples: list[dict[str, Any]] = []
    try:
        while process.poll() is None:
            parent = _stat(process.pid)
            below = [(p, s) for p in descendants(process.pid) if (s := _stat(p)) is not None]
            if parent is not None:
                samples.append({"t": time.perf_counter() - started, "parent_kib": parent[1],
                                "workers_kib": {str(p): s[1] for p, s in below}})
            time.sleep(every)
        stderr = process.communicate(timeout=60)[1].decode("utf-8", "replace")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    wall = time.perf_counter() - started
    out: dict[str, Any] = {"caseload": made, "wall_s": wall, "exit": process.returncode,
                           "per_second": count / wall, "load": loadavg(),
                           "skipped_named": stderr.count(" skipped: ")}
    if process.returncode != 0:
        return {**out, "error": f"exit status {process.returncode}: "
                f"{stderr.strip().splitlines()[-1:] or ''}"}
    summary = json.loads(output.read_text(encoding="utf-8"))["summary"]
    output.unlink()
    out["summary"] = summary
    out.update(memory(samples))
    return out


def memory(samples: list[dict[str, Any]]) -> dict[str, Any]:
    """The command's RSS from when its workers run (start) to its peak and its end, and
    the largest growth of one worker over the run."""
    running = [s for s in samples if s["workers_kib"]]
    if not running:
        return {"memory_error": "no sample while the workers ran"}
    parent = [s["parent_kib"] for s in running]
    per_worker: dict[str, list[int]] = {}
    for s in running:
        for pid, kib in s["workers_kib"].items():
            per_worker.setdefault(pid, []).append(kib)
    # a worker's own growth, from its first sample past its start-up (a tenth of its life)
    worker_growth = [(max(v[len(v) // 10:]) - v[len(v) // 10]) / 1024
                     for v in per_worker.values() if len(v) >= 10]
    series = [(round(s["t"], 1), round(s["parent_kib"] / 1024, 1),
               round(sum(s["workers_kib"].values()) / 1024, 1)) for s in running]
    step = max(1, len(series) // 12)
    return {"parent_start_mb": parent[0] / 1024, "parent_peak_mb": max(parent) / 1024,
            "parent_end_mb": parent[-1] / 1024,
            "workers_peak_mb": max(max(v) for v in per_worker.values()) / 1024,
            "worker_growth_mb": max(worker_growth, default=0.0),
            "samples": len(samples), "series": series[::step] + series[-1:]}


# ---------------------------------------------------------------- the bench's part


PARTS = ("cores", "end_to_end")


def measure(rules: Path, quick: bool, log: Callable[[str], None],
            parts: tuple[str, ...] = PARTS) -> dict[str, Any]:
    """The triage part of ``make bench`` (``parts``: both by default)."""
    from escalate.triage import default_jobs

    jobs = default_jobs()
    out: dict[str, Any] = {"load_before": loadavg()}
    if "cores" in parts:
        out["cores"] = ({"error": f"only {jobs} core usable: nothing to compare"} if jobs < 2
                        else cores_part(rules, 2000 if quick else 6000, jobs, log))
    if "end_to_end" in parts:
        out["end_to_end"] = end_to_end(rules, 10_000 if quick else 100_000, log)
    out["load_after"] = loadavg()
    return out


def target_rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The targets' lines for results.md."""
    data = results.get("triage", {})
    rows: list[dict[str, Any]] = []
    cores = data.get("cores", {})
    if "ratio" in cores:
        ratio, jobs = cores["ratio"], cores["jobs"]
        machine = results.get("cpu_scaling", {}).get("factor")
        rows.append({
            "target": f"triage, every core ({jobs}) >= {TARGET_SCALING}x one core (cases/s)",
            "figure": f"{ratio:.2f}x ({cores['many']['per_second']:,.0f} vs "
            f"{cores['one']['per_second']:,.0f} cases/s); by CPU time {cores['cpu_ratio']:.2f}x"
            + (f"; two busy cores did {machine:.2f}x one" if machine else ""),
            "ok": ratio >= TARGET_SCALING,
            "short": f"{TARGET_SCALING - ratio:.2f} short: "
            + ("the machine, not the code (by CPU time it is "
               f"{cores['cpu_ratio']:.2f}x)" if cores["cpu_ratio"] >= TARGET_SCALING
               else "the code (by CPU time too)")})
    e2e = data.get("end_to_end", {})
    if "parent_peak_mb" in e2e:
        cases = e2e["caseload"]["lines"]
        growth = (e2e["parent_peak_mb"] - e2e["parent_start_mb"]) * 1024 / cases
        bound, bound_words = worker_bound_mb(results)
        ok = growth < TARGET_ROW_KIB and e2e["worker_growth_mb"] < bound
        rows.append({
            "target": f"triage, {cases:,} cases end to end, memory flat (the command grows "
            f"< {TARGET_ROW_KIB:g} KiB a case, a worker < {bound_words})",
            "figure": f"command {e2e['parent_start_mb']:.0f} -> peak "
            f"{e2e['parent_peak_mb']:.0f} -> end {e2e['parent_end_mb']:.0f} MB "
            f"({growth:.2f} KiB a case); a worker grew {e2e['worker_growth_mb']:.1f} MB; "
            f"{e2e['per_second']:,.0f} cases/s end to end",
            "ok": ok, "short": f"{growth:.2f} KiB a case, worker "
            f"{e2e['worker_growth_mb']:.1f} MB"})
    letters = results.get("letter_load", {})
    if "loaded" in letters:
        rows.append({"target": "advice p99 while PDF letters are made beside it (reported; "
                     "no figure set)", "figure": f"{letters['loaded']['p99']:.1f} ms (alone "
                     f"{letters['alone']['p99']:.1f} ms)", "ok": None, "short": ""})
    return rows


def section(results: dict[str, Any]) -> list[str]:
    """The results.md section."""
    data = results.get("triage")
    if not data:
        return []
    out = ["## Triage: a caseload at once", "",
           f"Load average before / after this part: {data['load_before']} / "
           f"{data['load_after']} (2 cores shared with other jobs: wall-clock rates are "
           "as good as the machine was quiet; the CPU-time ratio is not disturbed by them).",
           ""]
    cores = data.get("cores", {})
    if "error" in cores:
        out += [f"Cores: not measured: {cores['error']}", ""]
    elif cores:
        made = cores["caseload"]
        out += [f"The face's `triage` (the path of `escalate triage`) on {made['lines']:,} "
                f"lines of the realistic intake stream ({made['invalid']} invalid), a fresh "
                "process each run, alternating; the steady rate is from the first finished "
                "chunk to the last (start-up apart). CPU seconds are over that span; 'cores "
                "got' is the CPU time of all the run's processes over that span's length "
                "(2.00: both cores were ours).", "",
                "| processes | cases/s (steady) | start s | wall s | CPU parent s | "
                "CPU workers s | cores got | load | output sha256 |",
                "|--:|--:|--:|--:|--:|--:|--:|---|---|"]
        for r in cores["runs"]:
            if "error" in r:
                out.append(f"| {r['jobs']} | {r['error']} | | | | | | | |")
                continue
            workers = " + ".join(f"{s:.1f}" for s in r["cpu_workers_s"]) or "-"
            got = (r["cpu_parent_s"] + sum(r["cpu_workers_s"])) / r["steady_s"]
            out.append(f"| {r['jobs']} | {r['per_second']:,.0f} | {r['start_s']:.1f} | "
                       f"{r['wall_s']:.1f} | {r['cpu_parent_s']:.1f} | {workers} | "
                       f"{got:.2f} | "
                       f"{r['load']} | `{r['digest'][:12]}` |")
        out.append("")
        if "ratio" in cores:
            out += [f"Every core against one: **{cores['ratio']:.2f}x** by the clock; "
                    f"**{cores['cpu_ratio']:.2f}x** by CPU time (what the same work gives on "
                    "cores nobody else uses: one process's CPU per case against the busier "
                    "of the processes' CPU shared over the cores and the busiest process). "
                    "Same output from every run: "
                    f"{'yes' if cores['same_output'] else '**NO**'}.", ""]
            if cores["ratio"] < TARGET_SCALING:
                many = cores["many"]
                got = (many["cpu_parent_s"] + sum(many["cpu_workers_s"])) / many["steady_s"]
                out += ["Why the clock misses: the machine gave the run with every core "
                        f"{got:.2f} of a core in all (the column 'cores got'), about what it "
                        "gave one process; the work itself splits evenly between the "
                        "workers and the parent's share (reading, sorting, writing) is "
                        "small. " + (
                            f"By CPU time the code does {cores['cpu_ratio']:.2f}x, so two "
                            "cores nobody else uses would meet the target: rerun "
                            "`python -m bench.triage --parts machine,cores` on a quiet "
                            "machine." if cores["cpu_ratio"] >= TARGET_SCALING else
                            f"By CPU time too it is {cores['cpu_ratio']:.2f}x: the parallel "
                            "path costs more CPU per case than one process."), ""]
    e2e = data.get("end_to_end", {})
    if "error" in e2e:
        out += [f"End to end: not measured: {e2e['error']}", ""]
    elif "parent_peak_mb" in e2e:
        made, s = e2e["caseload"], e2e["summary"]
        out += [f"`escalate triage` on {made['lines']:,} lines ({made['invalid']:,} invalid, "
                f"each named on standard error by number: {e2e['skipped_named']:,}), "
                f"`--format json`, every core: {e2e['wall_s']:.0f} s, "
                f"{e2e['per_second']:,.0f} lines/s end to end (load {e2e['load']}); "
                f"{s['cases']:,} rows, {s['closing_within_7']:,} closing within 7 days, "
                f"{s['closing_within_30']:,} within 30, {s['districts_late']:,} districts late.",
                "", "Resident memory (VmRSS), sampled every 0.5 s while the workers ran: the "
                f"command {e2e['parent_start_mb']:.0f} MB at the start, "
                f"{e2e['parent_peak_mb']:.0f} MB at its peak, {e2e['parent_end_mb']:.0f} MB "
                f"at the end; a worker at most {e2e['workers_peak_mb']:.0f} MB, growing "
                f"{e2e['worker_growth_mb']:.1f} MB: a worker grows by its engine memory, "
                "bounded by ESCALATE_ENGINE_CACHE_SIZE answers, which holds the answers "
                "the workers share. The command keeps each row packed (its "
                "sort key, the counts' facts and its JSON) and never the cases; the JSON is "
                "written a row at a time. Sorting by urgency needs every row until the last "
                "case is done, so the command grows by its packed rows (the target: under "
                f"{TARGET_ROW_KIB:g} KiB a case); flatter would mean keeping rows on disk, "
                "which case facts never are.", "", "| s | command MB | workers MB |",
                "|--:|--:|--:|"]
        out += [f"| {t} | {p} | {w} |" for t, p, w in e2e["series"]]
        out.append("")
    return out


def iter_rows(results: dict[str, Any]) -> Iterator[str]:
    """The targets' lines as results.md's table rows (for a run of this part alone)."""
    for row in target_rows(results):
        verdict = "n/a" if row["ok"] is None else ("**pass**" if row["ok"] else "**MISS**")
        yield (f"| {row['target']} | {row['figure']} | {verdict} | "
               f"{row['short'] if row['ok'] is False else ''} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.triage", description=__doc__)
    parser.add_argument("what", nargs="?", choices=("all", "rate"), default="all")
    parser.add_argument("--rules", type=Path, default=ROOT / "rules")
    parser.add_argument("--file", type=Path)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--parts", default="machine,cores,end_to_end,letters",
                        help="which parts to measure now (the others are kept from the "
                        "last run's bench/_work/triage.json)")
    args = parser.parse_args(argv)
    if args.what == "rate":
        print(RESULT_MARK + json.dumps(rate(str(args.rules), args.file, args.jobs)))
        return 0
    from bench import letter_load
    from bench.machine import cpu_scaling

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    parts = tuple(args.parts.split(","))
    saved = WORK / "triage.json"
    results: dict[str, Any] = json.loads(saved.read_text()) if saved.exists() else {}
    if "machine" in parts:
        log("machine: what two busy cores give")
        results["cpu_scaling"] = cpu_scaling(1.0 if args.quick else 2.0)
    triage_parts = tuple(p for p in parts if p in PARTS)
    if triage_parts:
        results["triage"] = {**results.get("triage", {}),
                             **measure(args.rules, args.quick, log, triage_parts)}
    if "letters" in parts:
        log("service: advice latency beside PDF letters")
        results["letter_load"] = letter_load.measure(2.0 if args.quick else 5.0)
    WORK.mkdir(exist_ok=True)
    saved.write_text(json.dumps(results, indent=1))
    print("\n".join(["| target | figure | verdict | missed by |", "|---|---|---|---|",
                     *iter_rows(results), "", *section(results)]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
