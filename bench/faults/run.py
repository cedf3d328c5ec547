"""Run the fault scenarios at full size and print their figures (see bench/faults/harness.py).

Usage: .venv/bin/python bench/faults/run.py [--respondents 200] [--batches 6 --rows 300]
Needs PostgreSQL's initdb; it starts its own throwaway cluster and never touches another.
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (  # noqa: E402
    Cluster,
    Site,
    kill_figures_problems,
    kill_workers_during_writes,
    restart_postgres_under_load,
)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--respondents", type=int, default=200)
    parser.add_argument("--batches", type=int, default=6)
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--down-for", type=float, default=5)
    options = parser.parse_args()

    cluster = Cluster()
    site = None
    failed = True
    try:
        cluster.init()
        print(f"cluster in {cluster.dir}, port {cluster.port}", file=sys.stderr, flush=True)
        site = Site(cluster, workers=2)
        setup = site.prepare(batches=options.batches, rows=options.rows)
        site.start()
        print("== PostgreSQL stopped and started under load")
        print(
            json.dumps(
                restart_postgres_under_load(
                    site, cluster, seconds=options.seconds, down_for=options.down_for
                ),
                indent=2,
            )
        )
        print("== gunicorn workers SIGKILLed during consultation submits and import commits")
        figures = kill_workers_during_writes(site, setup, respondents=options.respondents)
        print(json.dumps(figures, indent=2))
        problems = kill_figures_problems(figures, respondents=options.respondents)
        print("problems:", problems or "none")
        failed = bool(problems)
    finally:
        if site:
            kept = site.stop(keep_log=failed)
            if kept:
                print(f"gunicorn's log is kept in {kept}", file=sys.stderr)
        kept = cluster.destroy(keep_log=failed)
        if kept:
            print(f"PostgreSQL's log is kept in {kept}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
