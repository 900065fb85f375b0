"""Time the Python SDK's own restore-job list decoder on a page's bytes.

usage: parse_python.py PAGE_JSON REPEATS [MIN_SECONDS]

Times ``pinecone._internal.adapters.restore_jobs_adapter.RestoreJobsAdapter.to_restore_job_list``
(pinecone 10.2.0: ``msgspec.json.decode`` into msgspec Structs; timestamps stay strings) with
``timeit``: ``autorange`` picks a loop count taking at least MIN_SECONDS (default 0.2), then
REPEATS repeats of that many loops. Prints one JSON object with seconds per call (median, min,
max over the repeats), the loop count and the number of jobs decoded.
"""

import json
import statistics
import sys
import timeit

from pinecone._internal.adapters.restore_jobs_adapter import RestoreJobsAdapter


def main() -> int:
    path, repeats = sys.argv[1], int(sys.argv[2])
    min_seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 0.2
    with open(path, "rb") as f:
        data = f.read()
    decode = RestoreJobsAdapter.to_restore_job_list
    jobs = len(decode(data))
    timer = timeit.Timer("decode(data)", globals={"decode": decode, "data": data})
    number = 1
    while True:  # like Timer.autorange, with a configurable floor
        if timer.timeit(number) >= min_seconds:
            break
        number *= 2
    per_call = [t / number for t in timer.repeat(repeat=repeats, number=number)]
    print(
        json.dumps(
            {
                "median": statistics.median(per_call),
                "min": min(per_call),
                "max": max(per_call),
                "number": number,
                "repeats": repeats,
                "jobs": jobs,
                "bytes": len(data),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
