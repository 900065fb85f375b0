#!/usr/bin/env python3
"""`wait` on many restore jobs behind a slow link: requests sent and the lag from the last
job's end to the command's exit, for 10, 200 and 1,000 jobs. Writes a Markdown section.

Each size gets its own fake control plane (`fake-control-plane --latency-ms 50 --timed-jobs N`):
its jobs `rj-timed-0000`... run on the server's clock and end, staggered, between
`--timed-first-ms` and `--timed-first-ms + --timed-spread-ms` after it starts; it prints when
the last one ends (`timed-jobs-end-unix-ms T`), which is the ground truth the lag is measured
from. The command runs `-v`, so each request is one `* GET ...` line on stderr and each round
one `* round ...` line: the counts come from those lines, not from the server.

Nothing waits forever: the fake has STARTUP_S to print its two lines, and the command gets a
`--timeout` from the jobs' own schedule (see `wait_timeout_s`) and is killed KILL_AFTER_S
past it; either way the run fails.

With `--before BIN`, the same runs are made with another build of the command (an older
commit's, say), and the table puts the two side by side.

    python3 bench/wait_many.py --fake BIN --cli BIN [--before BIN] [--sizes 10,200,1000] --out FILE
"""

from __future__ import annotations

import argparse
import math
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

LATENCY_MS = 50
INTERVAL_S = 2
FIRST_MS = 3_000
SPREAD_MS = 10_000
OTHER_JOBS = 500
API_KEY = "bench-not-a-secret"
# How long the fake may take to print its two start-up lines.
STARTUP_S = 30
# How much longer than its own --timeout the command may run before it is killed: its exit
# after the deadline, on a loaded machine.
KILL_AFTER_S = 15

LISTING = re.compile(r"^\* GET /restore-jobs(\?\S*)? ")
DESCRIBE = re.compile(r"^\* GET /restore-jobs/[^?\s]+ ")
ROUND = re.compile(r"^\* round (\d+): (\d+) pages? of \S+ walked, (\d+) seen there, (\d+) described")


def fail(message: str) -> None:
    print(f"bench: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def wait_timeout_s(jobs: int) -> float:
    """The `--timeout` of a `wait` on `jobs` timed jobs, from the schedule this script gives
    them: the last job ends FIRST_MS + SPREAD_MS after the fake starts, which is before the
    command does. The margin after that end is one interval, then two whole rounds as slow as
    a build that describes every job one by one (each job and each listing page one answer,
    LATENCY_MS late): the round under way when the last job ends, and the round that sees it.
    Then 30 s for a loaded machine. A run that needs more has gone wrong, and fails."""
    pages = math.ceil((jobs + OTHER_JOBS) / 100)
    slowest_round_s = (jobs + pages) * LATENCY_MS / 1000
    return (FIRST_MS + SPREAD_MS) / 1000 + INTERVAL_S + 2 * slowest_round_s + 30


def read_lines(proc: subprocess.Popen, count: int, seconds: float) -> list[str] | None:
    """The first `count` lines `proc` prints, or None when they take longer than `seconds`."""
    lines: list[str] = []

    def read() -> None:
        assert proc.stdout is not None
        for _ in range(count):
            lines.append(proc.stdout.readline())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(seconds)
    if reader.is_alive():
        return None
    return lines


def start_fake(fake: str, jobs: int) -> tuple[subprocess.Popen, str, int]:
    """A fake serving `jobs` timed jobs behind 50 ms answers: its process, URL and last end."""
    proc = subprocess.Popen(
        [fake, "--jobs", str(OTHER_JOBS), "--latency-ms", str(LATENCY_MS),
         "--timed-jobs", str(jobs), "--timed-first-ms", str(FIRST_MS),
         "--timed-spread-ms", str(SPREAD_MS)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    lines = read_lines(proc, 2, STARTUP_S)
    if lines is None:
        proc.kill()
        proc.wait()
        fail(f"the fake printed no URL and last end within {STARTUP_S} s")
    base, end_line = (line.strip() for line in lines)
    if not base.startswith("http://127.0.0.1:") or not end_line.startswith("timed-jobs-end-unix-ms "):
        proc.kill()
        fail(f"the fake printed {base!r} and {end_line!r}")
    return proc, base, int(end_line.split()[1])


def stop_fake(proc: subprocess.Popen) -> None:
    if proc.stdin:
        proc.stdin.close()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def one_run(cli: str, fake: str, jobs: int) -> dict:
    proc, base, last_end_ms = start_fake(fake, jobs)
    try:
        ids = [f"rj-timed-{k:04}" for k in range(jobs)]
        env = dict(os.environ)
        env["PINECONE_API_KEY"] = API_KEY
        for var in ("PINECONE_CONTROLLER_HOST", "HTTP_PROXY", "http_proxy", "HTTPS_PROXY",
                    "https_proxy", "ALL_PROXY", "all_proxy"):
            env.pop(var, None)
        timeout_s = wait_timeout_s(jobs)
        started = time.time()
        try:
            done = subprocess.run(
                [cli, "--host", base, "-v", "wait", *ids, "--interval", str(INTERVAL_S),
                 "--timeout", f"{timeout_s:g}", "--output", "ndjson"],
                env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                timeout=timeout_s + KILL_AFTER_S,
            )
        except subprocess.TimeoutExpired:
            fail(f"`wait` on {jobs} jobs still ran {timeout_s + KILL_AFTER_S:g} s after it "
                 f"started, past its own --timeout {timeout_s:g}: killed")
        exited_ms = time.time() * 1000
    finally:
        stop_fake(proc)
    if done.returncode != 0:
        fail(f"`wait` on {jobs} jobs exited {done.returncode}: {done.stderr[-2000:]}")
    finals = [line for line in done.stdout.splitlines() if line.strip()]
    if len(finals) != jobs or any('"Completed"' not in line for line in finals):
        fail(f"`wait` on {jobs} jobs printed {len(finals)} final jobs, not all Completed")
    listings = describes = 0
    rounds = []
    for line in done.stderr.splitlines():
        if LISTING.match(line):
            listings += 1
        elif DESCRIBE.match(line):
            describes += 1
        m = ROUND.match(line)
        if m:
            rounds.append(int(m.group(2)) + int(m.group(4)))
    return {
        "listings": listings,
        "describes": describes,
        "requests": listings + describes,
        "lag_s": (exited_ms - last_end_ms) / 1000,
        "wall_s": exited_ms / 1000 - started,
        "max_round": max(rounds) if rounds else None,
        "rounds": len(rounds),
    }


def describe_build(binary: str) -> str:
    """`binary`, and the commit it was built from when it sits in a git checkout's target."""
    folder = Path(binary).resolve().parent
    commit = subprocess.run(
        ["git", "-C", str(folder), "log", "-1", "--format=%h %s"],
        capture_output=True, text=True,
    )
    if commit.returncode == 0 and commit.stdout.strip():
        return f"the command built from commit {commit.stdout.strip()!r}"
    return f"`{binary}`"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fake", required=True)
    ap.add_argument("--cli", required=True)
    ap.add_argument("--before", help="another build of the command to compare with")
    ap.add_argument("--sizes", default="10,200,1000")
    ap.add_argument("--out", required=True, type=Path)
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    results = {}
    for n in sizes:
        print(f"bench: wait on {n} jobs at {LATENCY_MS} ms an answer", file=sys.stderr)
        results[n] = {"after": one_run(args.cli, args.fake, n)}
        if args.before:
            print(f"bench: the same with {args.before}", file=sys.stderr)
            results[n]["before"] = one_run(args.before, args.fake, n)

    lines = []
    add = lines.append
    add("## Following many jobs")
    add("")
    add(f"`pinecone-restore -v wait ID... --interval {INTERVAL_S} --output ndjson` on N jobs that run on the "
        f"fake's clock and end, staggered, {FIRST_MS / 1000:g} to {(FIRST_MS + SPREAD_MS) / 1000:g} s after it "
        f"starts, among {OTHER_JOBS} older ones, every answer delayed {LATENCY_MS} ms "
        f"(`fake-control-plane --jobs {OTHER_JOBS} --latency-ms {LATENCY_MS} --timed-jobs N "
        f"--timed-first-ms {FIRST_MS} --timed-spread-ms {SPREAD_MS}`, one server per run). Requests: the "
        "command's own `* GET` lines (listing pages and describes, retries included). Lag: from the "
        "last job's end (the fake's ground truth) to the command's exit. One run each; every run is checked "
        "to end with every job `Completed`.")
    add("")
    before = bool(args.before)
    if before:
        add(f"Before: {describe_build(args.before)}.")
        add("")
        add("| Jobs | Requests (pages + describes) | Most in a round | Lag s | Before: requests | Before: lag s |")
        add("|---|---|---|---|---|---|")
    else:
        add("| Jobs | Requests (pages + describes) | Most in a round | Lag s | Wall s |")
        add("|---|---|---|---|---|")
    for n in sizes:
        a = results[n]["after"]
        row = (f"| {n} | {a['requests']} ({a['listings']} + {a['describes']}) | "
               f"{a['max_round'] if a['max_round'] is not None else '—'} | {a['lag_s']:.2f} |")
        if before:
            b = results[n]["before"]
            row += f" {b['requests']} ({b['listings']} + {b['describes']}) | {b['lag_s']:.2f} |"
        else:
            row += f" {a['wall_s']:.2f} |"
        add(row)
    add("")
    goals = []
    if 200 in results:
        a = results[200]["after"]
        goals.append(("200 jobs: at most 60 requests in all", a["requests"] <= 60, f"{a['requests']}"))
        goals.append((f"200 jobs: lag at most the interval plus 1 s ({INTERVAL_S + 1} s)",
                      a["lag_s"] <= INTERVAL_S + 1, f"{a['lag_s']:.2f} s"))
    if 1000 in results:
        a = results[1000]["after"]
        bound = math.ceil(1000 / 100) + 1
        ok = a["max_round"] is not None and a["max_round"] <= bound
        goals.append((f"1,000 jobs: at most ceil(N/100)+1 = {bound} requests a round", ok,
                      f"{a['max_round']} at most, over {a['rounds']} rounds"))
    if goals:
        add("| Goal | Status | Measured |")
        add("|---|---|---|")
        for text, ok, measured in goals:
            add(f"| {text} | {'met' if ok else '**missed**'} | {measured} |")
        add("")
    args.out.write_text("\n".join(lines) + "\n")
    print(f"bench: wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
