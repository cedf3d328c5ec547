"""Time the campaign poster PDF (issue 21: "A poster PDF: under 100 ms") and, beside it, the
share image, for a vacancy's poster with a long campaign message.

    .venv/bin/python bench/careers_poster.py [--runs 200]

The renderers are pure (careers/campaign_toolkit.py: no database), so this times reportlab,
Pillow and the QR encoder alone, each run from scratch. Times are wall-clock, so other work on
the machine shows up in the tail: run it on a quiet machine.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from careers.campaign_toolkit import (  # noqa: E402
    CampaignPosterRenderer,
    PosterContent,
    share_image_png,
)

TARGET_MS = 100.0
WARM_UP_RUNS = 10

SAMPLE = PosterContent(
    campaign_name="Good Care Month, January 2027",
    message=(
        "Care work in Leeds is skilled, it matters, and it is paid at least the Real Living "
        "Wage by every employer here. Come to an open day, talk to the people who do it, and "
        "see whether it is for you. No experience needed: training is paid."
    ),
    hashtags="#GoodCareMonth #CareJobsLeeds",
    employer="Sunrise Care Homes",
    dates="1 January 2027 to 31 January 2027",
    link="https://careregister.example/c/k7mq2xp/PCBPMPDPDN/",
    job_title="Senior care assistant, nights",
    job_lines=(
        "£13.50 an hour",
        "Sunrise House, 1 High Street, Leeds LS1 4AP",
        "Apply by 31 January 2027",
    ),
)


def _times(render, runs: int) -> list[float]:
    for _ in range(WARM_UP_RUNS):
        render()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        render()
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    runs = parser.parse_args().runs
    renderer = CampaignPosterRenderer()
    for label, render, target in [
        ("poster PDF", lambda: renderer.render(SAMPLE), TARGET_MS),
        ("share image PNG", lambda: share_image_png(SAMPLE), None),
    ]:
        times = _times(render, runs)
        p95 = times[max(0, round(0.95 * len(times)) - 1)]
        verdict = (
            ""
            if target is None
            else f"; target {target:.0f} ms: " + ("pass" if p95 < target else "MISS")
        )
        print(
            f"{label}: {len(render()):,} bytes; runs {runs}: mean {statistics.mean(times):.1f} ms, "
            f"median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms{verdict}"
        )


if __name__ == "__main__":
    main()
