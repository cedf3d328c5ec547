"""Bar charts of a question's results, drawn as SVG on the server from the table's numbers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from consultations.analysis.results import QuestionResult


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    y: int
    width: float
    text_y: int
    value_x: float


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart drawn as SVG on the server: the numbers are the table's."""

    bars: list[Bar]
    height: int
    label_x: int = 224
    bar_x: int = 230
    width: int = 700
    bar_height: int = 22


def bar_chart(question: QuestionResult) -> BarChart:
    bars = []
    step = 34
    for index, row in enumerate(question.rows):
        cell = row.overall
        share = (cell.percent or 0) / 100 if cell.count is not None else 0
        width = round(share * 330, 1)
        text = cell.text if cell.count is None else f"{cell.text} ({cell.percent_text})"
        label = row.label if len(row.label) <= 34 else row.label[:33] + "…"
        bars.append(
            Bar(
                label=label,
                value_text=text,
                y=index * step,
                width=width,
                text_y=index * step + 16,
                value_x=236 + width,
            )
        )
    return BarChart(bars=bars, height=max(step, len(bars) * step))
