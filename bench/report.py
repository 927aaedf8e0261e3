"""Turn the benchmark's results into ``bench/results.md``: figures, ratios, targets."""

from __future__ import annotations

from typing import Any

TARGET_INPROC = 2000.0       # advise() per second on one core, real rulebook
TARGET_HTTP_RATIO = 0.60     # POST /v1/advice vs echo throughput at 32 connections
TARGET_P99_MS = 25.0         # p99 at 8 connections, 2 workers
TARGET_RSS_MB = 10.0         # RSS growth over 50,000 evaluations


def _n(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f}"


def _ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}x" if base else "n/a"


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("**pass**" if ok else "**MISS**")


def _targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Every target with its figure, verdict and, when missed, by how much."""
    rows: list[dict[str, Any]] = []
    inproc = results.get("inproc", {})
    for name in ("generated", "shipped"):
        advise = inproc.get("sets", {}).get(name, {}).get("advise")
        if advise:
            rate = advise["per_second"]
            rows.append({"target": f"in-process advise() >= 2,000 cases/s, one core ({name} "
                         "cases)", "figure": f"{_n(rate)} /s", "ok": rate >= TARGET_INPROC,
                         "short": f"{(1 - rate / TARGET_INPROC) * 100:.0f}% short"})
    http = {(r["app"], r["workers"], r["connections"]): r
            for r in results.get("http", {}).get("rows", [])}
    for workers in (2, 1):
        real, echo = http.get(("escalate", workers, 32)), http.get(("echo", workers, 32))
        if real and echo:
            ratio = real["per_second"] / echo["per_second"]
            single = http.get(("echo", workers, 1))
            capped = (" (hollow: both apps wait ~40 ms per keep-alive request here, see "
                      "the TCP_NODELAY note)" if single and single["p50_us"] > 30_000 else "")
            rows.append({"target": f"POST /v1/advice >= 60% of echo throughput, 32 connections, "
                         f"{workers} worker(s)", "figure": f"{ratio * 100:.0f}% "
                         f"({_n(real['per_second'])} vs {_n(echo['per_second'])} req/s)"
                         + capped,
                         "ok": None if capped else ratio >= TARGET_HTTP_RATIO,
                         "short": f"{(TARGET_HTTP_RATIO - ratio) * 100:.0f} points short; "
                         f"{TARGET_HTTP_RATIO * echo['per_second'] / real['per_second']:.1f}x "
                         "the throughput needed"})
    real8 = http.get(("escalate", 2, 8))
    if real8:
        p99 = real8["p99_us"] / 1000
        rows.append({"target": "p99 < 25 ms at 8 connections, 2 workers",
                     "figure": f"{p99:.1f} ms", "ok": p99 < TARGET_P99_MS,
                     "short": f"{p99 - TARGET_P99_MS:.1f} ms over ({p99 / TARGET_P99_MS:.1f}x)"})
    from bench.explain import target_row

    explain_row = target_row(results)
    if explain_row:
        rows.append(explain_row)
    memory = results.get("memory", {})
    if "rss_after_kib" in memory:
        growth = (memory["rss_after_kib"] - memory["rss_before_kib"]) / 1024
        rows.append({"target": f"RSS growth < 10 MB over {_n(memory['evaluations'])} "
                     "evaluations", "figure": f"{growth:.1f} MB", "ok": growth < TARGET_RSS_MB,
                     "short": f"{growth - TARGET_RSS_MB:.1f} MB over"})
    return rows


def summary(results: dict[str, Any]) -> str:
    """A few lines for the terminal."""
    lines = ["targets:"]
    for row in _targets(results):
        verdict = "n/a " if row["ok"] is None else ("pass" if row["ok"] else "MISS")
        lines.append(f"  {verdict}  {row['target']}: {row['figure']}")
    return "\n".join(lines)


def _timing_rows(label: str, t: dict[str, float], base: dict[str, float] | None) -> str:
    ratio = _ratio(t["per_second"], base["per_second"]) if base else "baseline"
    return (f"| {label} | {_n(t['per_second'])} | {ratio} | {_n(t['p50_us'])} | "
            f"{_n(t['p99_us'])} |")


def _inproc(results: dict[str, Any]) -> list[str]:
    inproc = results.get("inproc", {})
    out = ["## In-process advice (one core)", ""]
    if "error" in inproc:
        return [*out, f"Not measured: {inproc['error']}", ""]
    out += [f"Real rulebook: {inproc['rules']} rules, compiled to {inproc['engine_rules']} "
            f"engine rules. The process is pinned to core {inproc['core']}. Each figure is a "
            "loop over the case set repeated for at least the measuring time; latencies are "
            "per call.", ""]
    for name, data in inproc["sets"].items():
        same, total = data["agreement"]
        label = ("the shipped examples (examples/*.json)" if name == "shipped"
                 else "generated valid cases (seeded, synthetic)")
        out += [f"### {data['cases']} {label}", "",
                f"Mean rules fired per case: {data['mean_rules_fired']:.1f}. Engine and "
                f"reference evaluation agree on {same} of {total} cases.", "",
                "| what | per second | vs baseline | p50 µs | p99 µs |", "|---|--:|--:|--:|--:|",
                _timing_rows("`reference_evaluation` (plain Python, the floor)",
                             data["reference"], None),
                _timing_rows("`Engine.evaluate` (durable_rules)", data["engine"],
                             data["reference"]),
                _timing_rows("`advise()` on the reference evaluation", data["advise_reference"],
                             None),
                _timing_rows("`advise()` (full: facts, clocks, engine, ranking, Advice)",
                             data["advise"], data["advise_reference"]), ""]
    out += ["`advise()` on the reference evaluation is the same Advisor with its engine "
            "replaced by `reference_evaluation` (the floor for the whole call); ratios below "
            "1 mean slower than the baseline.", ""]
    return out


def _letters(results: dict[str, Any]) -> list[str]:
    data = results.get("letters", {})
    out = ["## Templated reasons and letters (one core)", ""]
    if not data or "error" in data:
        return [*out, f"Not measured: {data.get('error', 'not run')}", ""]
    out += ["Reasons: `advise()` with the rules' `because` templates rendered from each "
            "case, against the same advisor with every template frozen to its generic "
            "wording (the cost of reasons in the case's own words; the target is within "
            "10%).", "",
            "| cases | what | per second | vs baseline | p50 µs | p99 µs |",
            "|---|---|--:|--:|--:|--:|"]
    for name, row in data["reasons"].items():
        out.append(f"| {row['cases']} {name} |" + _timing_rows(
            "plain reasons", row["plain"], None)[1:])
        out.append(f"| {row['cases']} {name} |" + _timing_rows(
            "templated reasons", row["templated"], row["plain"])[1:])
    letters = data["letters"]
    out += ["", f"Letters: {letters['pairs']} (case, move) pairs from the shipped examples, "
            "each letter built from its own advice; the baseline is `advise()` alone on "
            "the same cases.", "",
            "| what | per second | vs baseline | p50 µs | p99 µs |", "|---|--:|--:|--:|--:|",
            _timing_rows("`advise()`", letters["advise"], None)]
    for fmt in ("md", "docx", "pdf"):
        if fmt in letters:
            out.append(_timing_rows(f"`write_letter(..., {fmt!r})`", letters[fmt],
                                    letters["advise"]))
    return [*out, ""]


def _scaling(results: dict[str, Any]) -> list[str]:
    scaling = results.get("scaling", {})
    out = ["## Cost against rulebook size", "",
           "The same cases (13 shipped + 300 generated) against the real rulebook and against "
           "generated rulebooks 3 and 10 times its size, loaded through the real loader "
           "(bench/rulebooks.py): *same-facts* copies only rename rule ids; *distinct-facts* "
           "copies also rename every derived fact, so each copy is an independent chain.", "",
           "| rulebook | rules | engine rules | load s | rules fired/case | engine /s | "
           "engine p99 µs | reference /s | engine vs reference | advise() /s | RSS MB |",
           "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    base_engine = None
    for row in scaling.get("sizes", []):
        name = "real" if row["flavour"] == "real" else f"{row['flavour']} x{row['copies']}"
        if "error" in row:
            out.append(f"| {name} | | | | | | | | | | failed: {row['error']} |")
            continue
        if base_engine is None:
            base_engine = row["engine"]["per_second"]
        out.append(
            f"| {name} | {row['rules']} | {row['engine_rules']} | {row['load_seconds']:.2f} | "
            f"{row['mean_rules_fired']:.1f} | {_n(row['engine']['per_second'])} | "
            f"{_n(row['engine']['p99_us'])} | {_n(row['reference']['per_second'])} | "
            f"{_ratio(row['engine']['per_second'], row['reference']['per_second'])} | "
            f"{_n(row['advise']['per_second'])} | {row['rss_kib'] / 1024:.0f} |")
    out.append("")
    limit = scaling.get("limit")
    if limit:
        if limit.get("smallest_failing"):
            out += [f"**Limit found.** The largest distinct-facts rulebook that loads *and* "
                    f"evaluates every test case is {limit['largest_loading']}x the real one. "
                    f"At {limit['smallest_failing']}x: `{limit['error']}`.", "",
                    "| size | result |", "|--:|---|"]
            out += [f"| {t['copies']}x | {'works' if t['loads'] else t['error']} |"
                    for t in sorted(limit["tried"], key=lambda t: t["copies"])]
            out += ["", "Reproduced by hand: the failing evaluations are durable_rules error "
                    "303 raised by `assert_fact` (in durable-rules.md: more than 64 distinct "
                    "conditions at one node), which surfaces as "
                    "`EngineError('the engine failed: error')`; the very large sizes fail "
                    "earlier, at start-up, with error 107 (ERR_RULE_EXISTS_LIMIT_EXCEEDED in "
                    "its C core). The point: past about 10x, a rulebook can pass the loader "
                    "and `escalate rules check`, start the service, and then fail on some "
                    "cases only. Same-facts copies (identical conditions) did not hit it at "
                    "10x.", ""]
        else:
            out += [f"Every size up to {limit['largest_loading']}x loaded.", ""]
    return out


def _memory(results: dict[str, Any]) -> list[str]:
    m = results.get("memory", {})
    out = ["## Memory", ""]
    if "error" in m:
        return [*out, f"Not measured: {m['error']}", ""]
    mb = 1024
    out += [f"One process, real rulebook, {_n(m['evaluations'])} `advise()` calls over 2,013 "
            "distinct cases, VmRSS from /proc/self/status:", "",
            "| point | RSS MB |", "|---|--:|",
            f"| rulebook loaded, before any evaluation | {m['rss_before_kib'] / mb:.1f} |",
            f"| after {_n(m['warmup'])} warm-up evaluations | "
            f"{m['rss_after_warmup_kib'] / mb:.1f} |"]
    for count, rss in m["checkpoints"]:
        out.append(f"| after {_n(count)} more | {rss / mb:.1f} |")
    growth = (m["rss_after_kib"] - m["rss_before_kib"]) / mb
    steady = (m["rss_after_kib"] - m["rss_after_warmup_kib"]) / mb
    out += ["", f"Growth: {growth:.1f} MB from before the first evaluation, {steady:.1f} MB "
            f"after warm-up; live engine sessions at the end: {m['live_sessions']}. "
            f"({_n(m['evaluations'] / m['seconds'])} advise()/s during this run.)", ""]
    return out


def _http(results: dict[str, Any]) -> list[str]:
    http = results.get("http", {})
    out = ["## HTTP: POST /v1/advice against an echo endpoint", ""]
    if "error" in http:
        return [*out, f"Not measured: {http['error']}", ""]
    rows = http["rows"]
    checked = {r["workers"]: r["checked"] for r in rows if r["app"] == "escalate"}
    out += ["`escalate serve` (uvicorn, access log on, as shipped) against bench/echo_app.py "
            "(FastAPI, parses the JSON body into a dict and returns it) under the same uvicorn "
            f"settings and worker count, both on 127.0.0.1. Load: `wrk -t1 -c N` with a Lua "
            f"script POSTing {http['bodies']} case bodies in turn (13 shipped + 37 generated), "
            "after a 2 s warm-up; wrk shares the 2 cores with the server. Before the load, "
            "each body was POSTed once and the answer compared with the in-process advice: "
            + ", ".join(f"{w} worker(s): {c}/{http['bodies']} identical"
                        for w, c in checked.items()) + ".", "",
            "| workers | connections | advice req/s | echo req/s | advice/echo | advice p50 ms "
            "| advice p99 ms | echo p50 ms | echo p99 ms | non-2xx / errors |",
            "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    index = {(r["app"], r["workers"], r["connections"]): r for r in rows}
    for workers in (1, 2):
        for conns in (1, 8, 32):
            real, echo = index.get(("escalate", workers, conns)), index.get(("echo", workers,
                                                                              conns))
            if not real or not echo:
                continue
            errors = sum(real[k] for k in ("status_errors", "connect_errors", "read_errors",
                                           "write_errors", "timeouts"))
            out.append(
                f"| {workers} | {conns} | {_n(real['per_second'])} | {_n(echo['per_second'])} | "
                f"{real['per_second'] / echo['per_second'] * 100:.0f}% | "
                f"{real['p50_us'] / 1000:.1f} | {real['p99_us'] / 1000:.1f} | "
                f"{echo['p50_us'] / 1000:.1f} | {echo['p99_us'] / 1000:.1f} | {errors} |")
    out.append("")
    return out


def _asgi(results: dict[str, Any]) -> list[str]:
    a = results.get("asgi", {})
    out = ["## Where a request's time goes", ""]
    if "error" in a:
        return [*out, f"Not measured: {a['error']}", ""]
    real, echo = a["asgi_escalate"], a["asgi_echo"]
    out += ["Both apps driven through ASGI in one process, no network (bench/asgi.py):", "",
            "| app | mean µs/request | p50 µs | p99 µs |", "|---|--:|--:|--:|",
            f"| POST /v1/advice | {_n(real['mean_us'])} | {_n(real['p50_us'])} | "
            f"{_n(real['p99_us'])} |",
            f"| echo | {_n(echo['mean_us'])} | {_n(echo['p50_us'])} | {_n(echo['p99_us'])} |",
            "", "The library's parts of one request, mean µs:", "", "| part | µs |", "|---|--:|"]
    for name, value in a["phases_us"].items():
        out.append(f"| {name} | {_n(value)} |")
    out += ["", "cProfile of the ASGI loop (the route's thread-pool hop replaced by a direct call "
            "so that the profiler sees the advice), top functions by own time:", "",
            "| function | where | calls/request | share of own time | cumulative µs/request |",
            "|---|---|--:|--:|--:|"]
    for row in a["profile"]:
        name = row["function"].replace("|", "\\|")
        out.append(f"| `{name}` | {row['where']} | {row['calls_per_request']:.1f} | "
                   f"{row['own_share'] * 100:.1f}% | {_n(row['cumulative_us_per_request'])} |")
    out.append("")
    inproc = results.get("inproc", {})
    if inproc.get("profile"):
        out += ["cProfile of `advise()` alone (in-process, generated cases), top functions by "
                "own time:", "", "| function | where | calls/advice | share of own time | "
                "cumulative µs/advice |", "|---|---|--:|--:|--:|"]
        for row in inproc["profile"]:
            name = row["function"].replace("|", "\\|")
            out.append(f"| `{name}` | {row['where']} | {row['calls_per_advice']:.1f} | "
                       f"{row['own_share'] * 100:.1f}% | "
                       f"{_n(row['cumulative_us_per_advice'])} |")
        out.append("")
    return out


NEXT_STEPS = """\
## Reading the misses, and next steps

- **The engine is most of `advise()`, and most of the engine is JSON.** durable_rules
  serialises every asserted fact to JSON for its C core and decodes the session state it
  returns (the `json` encoder/decoder entries above, several times per case: once for
  the case, once per derived fact a rule asserts), and every firing calls back into
  Python. The plain-Python reference evaluation of the same compiled conditions is several
  times faster. Next steps: assert fewer derived facts (only those some rule consumes,
  which the engine already does), keep the number of rules that fire per case low, and
  keep `reference_evaluation` as the oracle that would allow a faster evaluator if
  durable_rules ever has to go.
- **The HTTP gap is mostly the work itself.** The echo endpoint does a JSON parse and
  a dump; POST /v1/advice validates a strict model, computes clocks, runs the engine,
  ranks, builds and validates the Advice and encodes a response several kilobytes long,
  plus the service's middlewares (body limit, notice header, JSON access log). In the
  ASGI loop above that is more than ten times the echo's cost before any network, so 60% of
  the echo's throughput is out of reach while the echo is this cheap: the honest
  comparison is the service's own request rate per core.
- **`--workers 2` and TCP_NODELAY (fixed in api/server.py).** uvicorn binds the shared
  socket of a multi-worker server with `proto` 0, so asyncio never sets TCP_NODELAY on
  accepted connections and every keep-alive request waits about 40 ms for the client's
  delayed ACK (uvicorn issue #3149). `api.server.serve` re-wraps the bound socket so the
  kernel reports the protocol, and both apps here are served through it. If the 2-worker
  rows above show a p50 near 44 ms again, that fix has regressed.
- **One thread-pool hop per request.** The dependencies are `async def`, so the only hop
  is the evaluation itself (kept off the event loop on purpose). durable_rules never
  releases the GIL and the Engine serialises evaluations, so the pool adds no
  parallelism, only hand-offs that widen p99 under concurrency; scale with one worker
  per core.
- **Cheaper HTTP plumbing.** uvicorn runs here without `httptools`/`uvloop` (pure-Python
  h11 and asyncio); `uvicorn[standard]` would speed up both apps, the echo more.
- **Noise.** The machine is shared by other jobs during the run (load average before and
  after is in the header); rerun `make bench` on a quiet machine before reading small
  differences.
"""


def render(results: dict[str, Any]) -> str:
    """The whole of results.md."""
    targets = _targets(results)
    out = ["# escalate benchmark results", "",
           f"Written by `make bench` (`python -m bench`) on {results['started']}, in "
           f"{results['minutes']:.1f} minutes" + (" (**--quick**: short runs)"
                                                  if results.get("quick") else "") + ". "
           "Every figure comes with a baseline measured in the same run. See bench/README.md "
           "for how to reproduce.", "", "## Machine", "", "| | |", "|---|---|"]
    out += [f"| {label} | {value} |" for label, value in results["machine"]]
    out += [f"| load average before / after | {results['load_before']} / "
            f"{results['load_after']} |", "", "## Targets", "",
            "| target | figure | verdict | missed by |", "|---|---|---|---|"]
    for row in targets:
        missed = row["short"] if row["ok"] is False else ""
        out.append(f"| {row['target']} | {row['figure']} | {_verdict(row['ok'])} | {missed} |")
    out.append("")
    from bench.explain import section

    out += (_inproc(results) + _letters(results) + section(results) + _http(results)
            + _scaling(results))
    out += _memory(results)
    out += _asgi(results)
    if any(not row["ok"] for row in targets):
        out.append(NEXT_STEPS)
    return "\n".join(out).rstrip() + "\n"
