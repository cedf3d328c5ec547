"""The fault scenarios of bench/faults/harness.py at a small size: a real gunicorn in
production settings on a throwaway PostgreSQL cluster of its own. Skipped, with the reason, when
PostgreSQL's initdb is not installed. The full-size figures are in docs/reliability.md."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench" / "faults"))

import harness  # noqa: E402

pytestmark = pytest.mark.skipif(
    harness.postgres_bin() is None,
    reason="PostgreSQL's initdb not found: the live fault scenarios need their own cluster",
)


@pytest.fixture(scope="module")
def deployment():
    cluster = harness.Cluster()
    site = None
    try:
        cluster.init()
        site = harness.Site(cluster, workers=2)
        setup = site.prepare(batches=2, rows=60)
        site.start()
        yield cluster, site, setup
    finally:
        if site:
            site.stop()
        cluster.destroy()


def test_a_postgresql_restart_under_load_answers_503_and_recovers_without_a_restart(deployment):
    cluster, site, _ = deployment

    figures = harness.restart_postgres_under_load(site, cluster, seconds=6, down_for=1.5)

    assert figures["by_status"].get("503", 0) > 0, figures  # the outage was seen
    assert figures["unclear_count"] == 0, figures
    assert figures["same_gunicorn_master"], figures
    assert figures["errors_after_recovery"] == 0, figures
    assert figures["seconds_from_database_back_to_first_200"] is not None, figures


def test_killing_workers_during_submits_and_imports_loses_and_duplicates_nothing(deployment):
    _, site, setup = deployment

    figures = harness.kill_workers_during_writes(site, setup, respondents=30, kill_every=1.0)

    assert figures["workers_killed"] > 0, figures
    assert figures["acknowledged_submits"] == figures["submits"] == 30, figures
    assert figures["acknowledged_but_lost"] == [], figures
    assert figures["stored_more_than_once"] == {}, figures
    assert figures["stored_responses"] == 30, figures
    assert figures["responses_without_answers"] == {}, figures
    assert figures["batches_half_written"] == {}, figures
    assert figures["batches_not_committed"] == [], figures
    assert figures["client_errors"] == [], figures
    # Committing a file again after the storm is refused as already recorded, and adds nothing.
    assert figures["answer_to_committing_again"] == ["409"], figures
    assert figures["same_gunicorn_master"], figures
