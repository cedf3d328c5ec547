"""Signals jobs sends so that an app above it (careers) can add to a jobs page without jobs
importing it (docs/architecture.md, "Layers").

Each `*_sections_requested` signal is sent with `Signal.send` while a page is rendered; every
receiver returns a list of `Section`s (or an empty list), which the page shows in order. A
section is a template and its context; the template is included with the context under the
name `section`. `jobs/_section.html` is a plain one: a heading (with an `id`) and paragraphs.
"""

from dataclasses import dataclass, field

from django.dispatch import Signal

from accounts.signals import collected


@dataclass(frozen=True)
class Section:
    template: str
    context: dict = field(default_factory=dict)
    # Lower comes first.
    order: int = 50


# Sent with vacancy=: the public vacancy page, below the advert (stories from the employer's
# workers, a campaign the vacancy belongs to). What a receiver shows there must be public, and
# it must bump the vacancy's page (jobs.page_cache) when it changes, since the page is kept.
vacancy_page_sections_requested = Signal()

# Sent with application= and user= (the employer's member looking): the employer's page of one
# applicant (quiz reflections the applicant chose to share, a paid trial).
applicant_page_sections_requested = Signal()

# Sent with application=, old= and to= inside the transaction that moves an application's
# stage (jobs.services.applications.application_move_locked), so that an app above jobs can
# count it (careers' campaign funnel) in the same transaction. Receivers return nothing.
application_stage_moved = Signal()


def sections(signal: Signal, **kwargs) -> list[Section]:
    return sorted(
        collected(signal.send(sender=Section, **kwargs)), key=lambda section: section.order
    )
