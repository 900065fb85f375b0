"""Measurement half of bench/run: walks, cold starts, parse comparison, BENCHMARKS.md.

Called by bench/run (which builds, installs the SDKs, starts the fake control plane and runs the
criterion bench); not meant to be run by hand, though it can be:

    python3 bench/harness.py --base-url URL --jobs N --runs R --out FILE ...

Every walk is measured from the outside in the same way (see run_measured): wall time with
time.perf_counter around spawn..reap, CPU time (user + system) from the rusage os.wait4 returns,
peak RSS from GNU time's %M. No walker spawns child processes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

API_KEY = "bench-not-a-secret"
API_VERSION = "2025-04"
TIME = "/usr/bin/time"  # GNU time, for peak RSS (see run_measured)


def fail(message: str) -> None:
    print(f"\nbench: FAILED: {message}\n", file=sys.stderr)
    sys.exit(1)


# --------------------------------------------------------------------------------------------
# Walkers


@dataclass
class Walker:
    key: str
    label: str
    walk: list[str]
    first_page: list[str] | None  # cold start command (prints one line per job of page 1)
    count: str  # how to count jobs in the walk's stdout: "summary" | "lines" | "ids"
    ours: bool = False
    runs: list[dict] = field(default_factory=list)
    cold: list[float] = field(default_factory=list)


def count_jobs(kind: str, out: bytes) -> int:
    if kind == "summary":
        m = re.search(rb"^jobs (\d+) pages (\d+)$", out, re.M)
        return int(m.group(1)) if m else -1
    if kind == "lines":  # ndjson: one job per line, each with its id
        ids = re.findall(rb'"restore_job_id":"([^"]+)"', out)
        if len(ids) != out.count(b"\n"):
            return -1
        return len(set(ids))
    if kind == "ids":  # raw page bodies
        return len(set(re.findall(rb'"restore_job_id":"([^"]+)"', out)))
    raise ValueError(kind)


def run_measured(cmd: list[str], stdout_path: Path, env: dict) -> dict:
    """Runs `cmd` under GNU time; wall from perf_counter, CPU from wait4, peak RSS from time's %M.

    Peak RSS has to come from a small parent: Linux starts a child's high-water mark at its
    parent's RSS when it forks and execs (the pre-exec mm's high-water mark is kept), so a child
    of this Python process would never report less than this process's ~20 MiB. GNU time is a
    ~2 MiB C program, the same small floor for every client. CPU comes from wait4 on the time
    process (it covers time and the client it reaped: microsecond resolution, where time's %U
    %S only has 10 ms; time's own share is well under a millisecond).
    """
    time_file = stdout_path.with_suffix(".time")
    full = [TIME, "-f", "%M", "-o", str(time_file), *cmd]
    with open(stdout_path, "wb") as out, open(stdout_path.with_suffix(".err"), "wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(full, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env)
        _, status, ru = os.wait4(proc.pid, 0)
        t1 = time.perf_counter()
    proc.returncode = os.waitstatus_to_exitcode(status)
    try:
        rss_kib = int(time_file.read_text().strip().splitlines()[-1])
    except (OSError, ValueError, IndexError):
        rss_kib = -1
    return {
        "code": proc.returncode,
        "wall": t1 - t0,
        "cpu": ru.ru_utime + ru.ru_stime,
        "rss_kib": rss_kib,
    }


def run_cold(cmd: list[str], lines_needed: int | None, env: dict) -> tuple[float, int]:
    """Seconds from just before spawn until `lines_needed` lines (None: EOF) were read."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
    )
    assert proc.stdout is not None
    seen = 0
    t_first = None
    if lines_needed is None:
        data = proc.stdout.read()
        t_first = time.perf_counter()
        seen = len(set(re.findall(rb'"restore_job_id":"([^"]+)"', data)))
    else:
        for line in proc.stdout:
            if line.strip():
                seen += 1
            if seen == lines_needed:
                t_first = time.perf_counter()
                break
        proc.stdout.read()
    code = proc.wait()
    if code != 0 or t_first is None:
        return -1.0, seen
    return t_first - t0, seen


def precompute_urls(base_url: str, jobs: int) -> list[str]:
    """The page URLs in order, found by an untimed walk (tokens are only known page by page)."""
    urls, token = [], None
    while True:
        query = "limit=100" if token is None else "limit=100&paginationToken=" + urllib.parse.quote(token, safe="")
        url = f"{base_url}/restore-jobs?{query}"
        urls.append(url)
        req = urllib.request.Request(url, headers={"Api-Key": API_KEY})
        with urllib.request.urlopen(req, timeout=30) as resp:
            body = json.load(resp)
        token = (body.get("pagination") or {}).get("next")
        if not token:
            break
        if len(urls) > jobs:  # a broken server must not loop forever
            fail("pagination does not end")
    return urls


# --------------------------------------------------------------------------------------------
# Statistics and formatting


def med(xs):
    return statistics.median(xs)


def fmt_ms(s: float) -> str:
    ms = s * 1000
    return f"{ms:.0f}" if ms >= 100 else f"{ms:.1f}"


def fmt_us(s: float) -> str:
    return f"{s * 1e6:.1f}"


def fmt_mib(kib: float) -> str:
    return f"{kib / 1024:.1f}"


def spread(xs, f) -> str:
    return f"{f(min(xs))}–{f(max(xs))}"


def ratio(x: float, base: float) -> str:
    return f"{x / base:.2f}x" if base > 0 else "n/a"


def sh(cmd: str) -> str:
    try:
        out = subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=30)
        return (out.stdout or out.stderr).strip()
    except Exception as e:  # noqa: BLE001 - best effort, goes into a report
        return f"unavailable ({e})"


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


# --------------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True, type=Path)
    ap.add_argument("--base-url", required=True)
    ap.add_argument("--jobs", required=True, type=int)
    ap.add_argument("--runs", required=True, type=int)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--mode", choices=["full", "smoke"], default="full")
    ap.add_argument("--command", required=True)
    ap.add_argument("--page", required=True, type=Path)
    ap.add_argument("--criterion-log", required=True, type=Path)
    ap.add_argument("--shapes-log", required=True, type=Path)
    ap.add_argument("--criterion-dir", required=True, type=Path)
    ap.add_argument("--bin-dir", required=True, type=Path)
    ap.add_argument("--venv-python", required=True)
    ap.add_argument("--parse-min-seconds", type=float, default=0.2)
    ap.add_argument("--load-start", default="")
    ap.add_argument("--wait-section", type=Path, help="bench/wait_many.py's section, embedded as is")
    args = ap.parse_args()

    root: Path = args.root
    bench = root / "bench"
    work = bench / "work"
    work.mkdir(exist_ok=True)
    base = args.base_url
    env = dict(os.environ)
    env["PINECONE_API_KEY"] = API_KEY
    env.pop("PINECONE_CONTROLLER_HOST", None)
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    for var in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        env.pop(var, None)
    env["NODE_NO_WARNINGS"] = "1"

    urls = precompute_urls(base, args.jobs)
    curl_cfg = work / "curl-urls.txt"
    curl_cfg.write_text("".join(f'url = "{u}"\n' for u in urls))
    print(f"bench: {len(urls)} pages to walk", file=sys.stderr)

    cli = str(args.bin_dir / "pinecone-restore")
    lib = str(args.bin_dir / "walk-lib")
    lib_async = str(args.bin_dir / "walk-async")
    py = args.venv_python
    curl_headers = ["-H", f"Api-Key: {API_KEY}", "-H", f"X-Pinecone-Api-Version: {API_VERSION}"]
    walkers = [
        Walker(
            "cli",
            "ours: CLI `list --all --limit 100 --output ndjson`",
            [cli, "--host", base, "list", "--all", "--limit", "100", "--output", "ndjson"],
            [cli, "--host", base, "list", "--limit", "100", "--output", "ndjson"],
            "lines",
            ours=True,
        ),
        Walker(
            "lib",
            "ours: library (`bench/walk-lib`, `Client::list_all`)",
            [lib, base],
            [lib, base, "--first-page"],
            "summary",
            ours=True,
        ),
        Walker(
            "async",
            "ours: async library (`bench/walk-async`, `Client::list_all` stream)",
            [lib_async, base],
            [lib_async, base, "--first-page"],
            "summary",
            ours=True,
        ),
        Walker(
            "python",
            "Python SDK `pinecone` 10.2.0",
            [py, str(bench / "walk_python.py"), base],
            [py, str(bench / "walk_python.py"), base, "--first-page"],
            "summary",
        ),
        Walker(
            "node",
            "TypeScript SDK `@pinecone-database/pinecone` 9.0.0 (Node)",
            ["node", str(bench / "walk_node.mjs"), base],
            ["node", str(bench / "walk_node.mjs"), base, "--first-page"],
            "summary",
        ),
        Walker(
            "curl",
            "curl, same URLs, one kept-alive connection (floor)",
            ["curl", "-sS", "--fail", *curl_headers, "-K", str(curl_cfg)],
            ["curl", "-sS", "--fail", *curl_headers, urls[0]],
            "ids",
        ),
    ]

    # ---- whole walks ----
    def one_walk(w: Walker, record: bool) -> None:
        out_path = work / f"walk-{w.key}.out"
        r = run_measured(w.walk, out_path, env)
        data = out_path.read_bytes()
        n = count_jobs(w.count, data)
        if r["rss_kib"] <= 0:
            fail(f"{w.key}: no peak RSS from {TIME}")
        if r["code"] != 0:
            err = out_path.with_suffix(".err").read_text(errors="replace")[-2000:]
            fail(f"{w.key} walk exited with {r['code']}:\n{err}")
        if n != args.jobs:
            fail(f"{w.key} walk saw {n} distinct jobs, expected {args.jobs}")
        if record:
            w.runs.append(r)

    for i in range(args.warmup):
        for w in walkers:
            one_walk(w, record=False)
    for i in range(args.runs):
        order = walkers[i % len(walkers):] + walkers[: i % len(walkers)]  # rotate the order
        for w in order:
            one_walk(w, record=True)
        print(f"bench: walk round {i + 1}/{args.runs} done", file=sys.stderr)

    # ---- cold start ----
    first_page_jobs = min(100, args.jobs)
    for i in range(args.runs):
        order = walkers[i % len(walkers):] + walkers[: i % len(walkers)]
        for w in order:
            assert w.first_page is not None
            need = None if w.key == "curl" else first_page_jobs
            t, seen = run_cold(w.first_page, need, env)
            if t < 0 or seen != first_page_jobs:
                fail(f"{w.key} cold start printed {seen} jobs, expected {first_page_jobs}")
            w.cold.append(t)
    print("bench: cold starts done", file=sys.stderr)

    # ---- parse ----
    page_bytes = args.page.read_bytes()
    crit = {}
    for name in ("pinecone_restore_core", "serde_json_borrowed_floor"):
        est_path = args.criterion_dir / "parse_100_jobs" / name / "new" / "estimates.json"
        try:
            est = json.loads(est_path.read_text())
        except OSError:
            fail(f"criterion estimates missing: {est_path}")
        crit[name] = {
            "median": est["median"]["point_estimate"] / 1e9,
            "lo": est["median"]["confidence_interval"]["lower_bound"] / 1e9,
            "hi": est["median"]["confidence_interval"]["upper_bound"] / 1e9,
            "mean": est["mean"]["point_estimate"] / 1e9,
        }
    crit_line = ""
    log = args.criterion_log.read_text(errors="replace")
    for line in log.splitlines():
        if line.startswith("page: "):
            crit_line = line.strip()
    if not crit_line:
        fail(f"the criterion bench printed no `page:` line (see {args.criterion_log})")
    m = re.match(r"page: (\d+) bytes", crit_line)
    if not m or int(m.group(1)) != len(page_bytes):
        fail(f"criterion parsed a different page ({crit_line!r}) than {args.page} ({len(page_bytes)} bytes)")
    # the shapes bench's own lines: `NAME: BYTES bytes; median MS ms; MBS MB/s[; reference ...]`
    shapes = []
    for line in args.shapes_log.read_text(errors="replace").splitlines():
        m = re.match(r"([a-z_]+): (\d+) bytes; median ([\d.]+) ms; (\d+) MB/s"
                     r"(?:; reference ([\d.]+) ms, (\d+) MB/s)?$", line.strip())
        if m:
            shapes.append({
                "name": m.group(1), "bytes": int(m.group(2)), "ms": float(m.group(3)),
                "mbs": int(m.group(4)), "ref_mbs": int(m.group(6)) if m.group(6) else None,
            })
    if len(shapes) < 5:
        fail(f"the shapes bench printed {len(shapes)} shape lines, expected 5 (see {args.shapes_log})")
    pyparse_out = subprocess.run(
        [py, str(bench / "parse_python.py"), str(args.page), str(max(args.runs, 3)), str(args.parse_min_seconds)],
        capture_output=True, text=True, env=env,
    )
    if pyparse_out.returncode != 0:
        fail(f"parse_python.py failed:\n{pyparse_out.stderr}")
    pyparse = json.loads(pyparse_out.stdout)
    if pyparse["jobs"] != 100:
        fail(f"the Python SDK decoded {pyparse['jobs']} jobs from the page, expected 100")
    print("bench: parse comparison done", file=sys.stderr)

    # ---- versions, machine ----
    lock = (root / "Cargo.lock").read_text()

    def locked(name: str) -> str:
        m = re.search(r'name = "%s"\nversion = "([^"]+)"' % re.escape(name), lock)
        return m.group(1) if m else "?"

    ts_pkg = json.loads((bench / "node_modules/@pinecone-database/pinecone/package.json").read_text())
    py_versions = sh(
        f"{shlex.quote(py)} -c \"import importlib.metadata as m; "
        "print(' '.join(p + ' ' + m.version(p) for p in ('pinecone','msgspec','httpx')))\""
    )
    ws_version = re.search(r'^version = "([^"]+)"', (root / "Cargo.toml").read_text(), re.M)
    git_rev = sh(f"git -C {shlex.quote(str(root))} rev-parse --short HEAD")
    git_dirty = sh(f"GIT_OPTIONAL_LOCKS=0 git -C {shlex.quote(str(root))} status --porcelain --untracked-files=no")
    mem_line = next((l for l in sh("free -h").splitlines() if l.startswith("Mem:")), "Mem: ?")
    cpu_model = next(
        (l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines() if l.startswith("model name")),
        platform.processor() or "unknown",
    ) if Path("/proc/cpuinfo").exists() else platform.processor()

    # ---- report ----
    W = {w.key: w for w in walkers}
    cli_w, lib_w, async_w, py_w, node_w, curl_w = (
        W[k] for k in ("cli", "lib", "async", "python", "node", "curl")
    )

    def col(w: Walker, metric: str):
        return [r[metric] for r in w.runs]

    def walk_row(w: Walker) -> str:
        wall, cpu, rss = col(w, "wall"), col(w, "cpu"), col(w, "rss_kib")
        base_wall, base_cpu, base_rss = med(col(cli_w, "wall")), med(col(cli_w, "cpu")), med(col(cli_w, "rss_kib"))
        return (
            f"| {w.label} | {fmt_ms(med(wall))} ({spread(wall, fmt_ms)}) | {ratio(med(wall), base_wall)} "
            f"| {fmt_ms(med(cpu))} ({spread(cpu, fmt_ms)}) | {ratio(med(cpu), base_cpu)} "
            f"| {fmt_mib(med(rss))} ({spread(rss, fmt_mib)}) | {ratio(med(rss), base_rss)} |"
        )

    def cold_row(w: Walker) -> str:
        return (
            f"| {w.label} | {fmt_ms(med(w.cold))} ({spread(w.cold, fmt_ms)}) "
            f"| {ratio(med(w.cold), med(cli_w.cold))} |"
        )

    ours_p, floor_p = crit["pinecone_restore_core"], crit["serde_json_borrowed_floor"]
    pages = len(urls)
    lines: list[str] = []
    add = lines.append
    title = "# Benchmarks" if args.mode == "full" else "# Benchmarks (SMOKE RUN: 2 pages, 1 run; figures meaningless)"
    add(title)
    add("")
    add("Side-by-side: this project's CLI and library against the official Python and TypeScript")
    add("SDKs and curl, all walking the same fake control plane in the same run. Generated by")
    add("`bench/run`; do not edit by hand (the closing note comes from `bench/notes.md`).")
    add("")
    add("## Setup")
    add("")
    add(f"- Date: {dt.datetime.now(dt.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}")
    add(f"- Command: `{args.command}`")
    add(f"- Machine: {sh('nproc')} CPUs ({cpu_model}), memory `{' '.join(mem_line.split())}` (free -h), {platform.system()} {platform.release()}")
    add(f"- Load average (1/5/15 min) at start: {args.load_start or 'unknown'}; at end: {loadavg()}")
    add(f"- This project: {ws_version.group(1) if ws_version else '?'} at commit {git_rev}"
        + (" with uncommitted changes" if git_dirty.strip() else "")
        + f"; {sh('rustc -V')}; ureq {locked('ureq')}, serde_json {locked('serde_json')}; release builds")
    add(f"- Python SDK: {py_versions} on {sh(shlex.quote(py) + ' -V')}")
    add(f"- TypeScript SDK: @pinecone-database/pinecone {ts_pkg.get('version')} on Node {sh('node -v')} (npm {sh('npm -v')})")
    add(f"- curl: {sh('curl -V').splitlines()[0] if sh('curl -V') else '?'}")
    add(f"- Server: `fake-control-plane --jobs {args.jobs}` (this repo, release build) on 127.0.0.1, "
        f"{pages} pages of up to 100 jobs ({len(page_bytes)} bytes for the first page), HTTP/1.1 keep-alive")
    add(f"- Runs: {args.warmup} untimed warm-up walk per client, then {args.runs} timed runs each, "
        "interleaved round-robin (the starting client rotates each round)")
    add("")
    add("## Whole walk")
    add("")
    add(f"Every page of {args.jobs} jobs at `limit=100`; each walk is checked to have seen all "
        f"{args.jobs} distinct `restore_job_id`s. Median of {args.runs} runs, (min–max) in brackets; ")
    add("ratios are the client's median divided by our CLI's median (above 1.00x: the client costs more than ours).")
    add("Wall: spawn to exit. CPU: user + system time of the process (from `wait4`). Peak RSS: GNU `time`'s `%M`")
    add("(the process's `ru_maxrss`; run under `/usr/bin/time` because a child starts at its parent's high-water mark,")
    add("so every figure includes the same ~2 MiB floor that `time` itself has).")
    add("")
    add("| Client | Wall ms | vs CLI | CPU ms | vs CLI | Peak RSS MiB | vs CLI |")
    add("|---|---|---|---|---|---|---|")
    for w in walkers:
        add(walk_row(w))
    add("")
    add("What each walk does:")
    add("")
    add("- CLI: the release `pinecone-restore`, writing all jobs as NDJSON to a file (it validates, re-serialises and prints every job; the SDK scripts only collect ids).")
    add("- library: `bench/walk-lib`, a 40-line program over `pinecone-restore-ureq`: `Client::list_all(Some(Limit::new(100)))`, counting jobs (the library de-duplicates by id).")
    add("- async library: `bench/walk-async`, the same walk over `pinecone-restore-reqwest` on a current-thread tokio runtime: the `Client::list_all` stream polled to the end.")
    add("- Python SDK: `bench/walk_python.py`: `Pinecone(api_key=..., host=URL)`, `pc.restore_jobs.list(limit=100, pagination_token=...)` following `pagination.next`, ids into a set.")
    add("- TypeScript SDK: `bench/walk_node.mjs`: `new Pinecone({apiKey, controllerHostUrl: URL})`, `pc.listRestoreJobs({limit: 100, paginationToken})` following `pagination.next`, ids into a Set.")
    add(f"- curl: one `curl -K` process fetching the {pages} page URLs in order (the tokens come from an untimed walk beforehand), bodies to a file: transfer only, no parsing.")
    add("")
    add("## Parse one page (identical bytes)")
    add("")
    add(f"The fake's first 100-job page ({len(page_bytes)} bytes, saved to `bench/work/page.json`), parsed in-process:")
    add("ours and serde_json by the criterion bench `cargo bench -p pinecone-restore-core --bench parse` "
        "(given the page via `PARSE_BENCH_PAGE`), the Python SDK's decoder with `timeit`.")
    add("")
    add("| Parser | Time per page (us) | Spread | Ratio to ours |")
    add("|---|---|---|---|")
    add(f"| ours: `pinecone_restore_core::parse_list_page` (validating; timestamps parsed) | {fmt_us(ours_p['median'])} "
        f"| 95% CI {fmt_us(ours_p['lo'])}–{fmt_us(ours_p['hi'])} | 1.00x |")
    add(f"| floor: serde_json bare borrowed parse (no validation, timestamps as `&str`) | {fmt_us(floor_p['median'])} "
        f"| 95% CI {fmt_us(floor_p['lo'])}–{fmt_us(floor_p['hi'])} | {ratio(floor_p['median'], ours_p['median'])} |")
    add(f"| Python SDK: `RestoreJobsAdapter.to_restore_job_list` (msgspec; timestamps stay strings) | {fmt_us(pyparse['median'])} "
        f"| min–max {fmt_us(pyparse['min'])}–{fmt_us(pyparse['max'])} over {pyparse['repeats']}×{pyparse['number']} calls | {ratio(pyparse['median'], ours_p['median'])} |")
    add("")
    add("Times are medians (criterion: median estimate with its 95% confidence interval). The criterion bench's own line:")
    add("")
    add(f"    {crit_line}")
    add("")
    add("## Worst-case shapes")
    add("")
    add("Bodies built to about 7.5 MiB (under the 8 MiB body cap) in the shapes that cost a parser most, "
        "parsed in-process by the criterion bench `cargo bench -p pinecone-restore-core --bench shapes` "
        "(median of its samples; reference alone: the reference parser on the same body, for the "
        "error body `serde_json` reading it whole where the fast path first cuts it down).")
    add("")
    add("| Shape | Body bytes | Median ms | MB/s | Reference alone, MB/s |")
    add("|---|---|---|---|---|")
    for shape in shapes:
        ref = f"{shape['ref_mbs']}" if shape["ref_mbs"] is not None else "—"
        add(f"| `{shape['name']}` | {shape['bytes']} | {shape['ms']:.1f} | {shape['mbs']} | {ref} |")
    add("")
    add("## Cold start")
    add("")
    add("From just before the process is spawned to the moment the harness has read the first page's 100 job lines on")
    add("the process's stdout (one `list --limit 100` page; curl: the body of one page). Median of "
        f"{args.runs} runs (min–max), ratio to our CLI.")
    add("")
    add("| Client | First page printed, ms | vs CLI |")
    add("|---|---|---|")
    for w in walkers:
        add(cold_row(w))
    add("")

    if args.wait_section and args.wait_section.exists():
        lines.extend(args.wait_section.read_text().rstrip("\n").split("\n"))
        add("")

    # ---- goals ----
    def goal(text: str, ok: bool, detail: str) -> str:
        return f"| {text} | {'met' if ok else '**missed**'} | {detail} |"

    add("## Goals")
    add("")
    add("| Goal | Status | Measured |")
    add("|---|---|---|")
    for ours in (cli_w, lib_w):
        name = "CLI" if ours.key == "cli" else "library"
        ow = med(col(ours, "wall"))
        for other in (py_w, node_w):
            ot = med(col(other, "wall"))
            other_name = "Python SDK" if other.key == "python" else "TypeScript SDK"
            add(goal(f"Walk, {name}: ≥ 3x faster wall time than the {other_name}", ot / ow >= 3,
                     f"{ot / ow:.2f}x ({fmt_ms(ow)} vs {fmt_ms(ot)} ms)"))
        cw = med(col(curl_w, "wall"))
        bound = 1.1 if ours.key == "cli" else 1.5
        add(goal(f"Walk, {name}: within {bound}x of curl's wall time", ow / cw <= bound,
                 f"{ow / cw:.2f}x ({fmt_ms(ow)} vs {fmt_ms(cw)} ms)"))
        orss, prss = med(col(ours, "rss_kib")), med(col(py_w, "rss_kib"))
        add(goal(f"Walk, {name}: peak RSS ≤ 1/4 of the Python SDK's", orss * 4 <= prss,
                 f"{orss / prss:.3f} of it ({fmt_mib(orss)} vs {fmt_mib(prss)} MiB)"))
    cc, lc = med(col(cli_w, "cpu")), med(col(lib_w, "cpu"))
    add(goal("Walk, CLI: CPU time within 1.25x of the library walk's", cc <= 1.25 * lc,
             f"{cc / lc:.2f}x ({fmt_ms(cc)} vs {fmt_ms(lc)} ms)"))
    aw, lw = med(col(async_w, "wall")), med(col(lib_w, "wall"))
    add(goal("Walk, async library: within 1.2x of the blocking library's wall time", aw <= 1.2 * lw,
             f"{aw / lw:.2f}x ({fmt_ms(aw)} vs {fmt_ms(lw)} ms)"))
    add(goal("Parse: at most 0.75x the Python SDK decoder's time", ours_p["median"] <= 0.75 * pyparse["median"],
             f"{ours_p['median'] / pyparse['median']:.2f}x ({fmt_us(ours_p['median'])} vs {fmt_us(pyparse['median'])} us)"))
    add(goal("Parse: at most 0.8x serde_json's bare borrowed parse", ours_p["median"] <= 0.8 * floor_p["median"],
             f"{ours_p['median'] / floor_p['median']:.2f}x ({fmt_us(ours_p['median'])} vs {fmt_us(floor_p['median'])} us)"))
    slowest = min(shapes, key=lambda x: x["mbs"])
    add(goal("Worst-case shapes (bodies near the cap): each at or above 400 MB/s", slowest["mbs"] >= 400,
             f"slowest `{slowest['name']}` {slowest['mbs']} MB/s"))
    add("")
    add("The goals are benchmark figures, not test assertions; nothing fails when one is missed.")
    add("")
    notes = bench / "notes.md"
    if notes.exists() and args.mode == "full":
        add("## Closing note")
        add("")
        add(notes.read_text().strip())
        add("")
    args.out.write_text("\n".join(lines))
    print(f"bench: wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
