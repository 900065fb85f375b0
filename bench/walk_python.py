"""Walk every restore-job page with the official Python SDK (pinecone==10.2.0).

usage: walk_python.py BASE_URL [--first-page]

Reads the API key from PINECONE_API_KEY. Follows ``pagination.next`` exactly as the SDK's own
docstring for ``RestoreJobs.list`` shows, keying jobs by ``restore_job_id`` (pages may overlap),
and prints ``jobs N pages P`` at the end.

With --first-page: fetches only the first page, prints one line per job (its id) and exits; the
cold-start harness times process start to the last of those lines.

SDK notes (read from the installed 10.2.0 source):
- ``Pinecone(api_key=..., host=...)``: ``host`` is the control-plane base URL; its scheme is kept,
  so ``http://127.0.0.1:PORT`` is used as-is (no https is forced, no warning for the control plane).
- ``pc.restore_jobs.list(limit=..., pagination_token=...)`` returns one page
  (``RestoreJobList``, iterable, ``.pagination.next``). The SDK drops ``limit`` when a
  ``pagination_token`` is given (the token carries the page size), so passing both is harmless.
"""

import os
import sys


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    base_url = sys.argv[1]
    first_page = "--first-page" in sys.argv[2:]

    from pinecone import Pinecone

    pc = Pinecone(api_key=os.environ["PINECONE_API_KEY"], host=base_url)

    if first_page:
        page = pc.restore_jobs.list(limit=100)
        out = sys.stdout
        for job in page:
            out.write(job.restore_job_id + "\n")
        out.flush()
        return 0

    seen = set()
    pages = 0
    token = None
    while True:
        page = pc.restore_jobs.list(limit=100, pagination_token=token)
        pages += 1
        for job in page:
            seen.add(job.restore_job_id)
        token = page.pagination.next if page.pagination else None
        if not token:
            break
    print(f"jobs {len(seen)} pages {pages}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
