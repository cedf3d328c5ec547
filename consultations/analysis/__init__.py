"""Reading a consultation's results: counts per option by respondent type and by verified or
not, counted in the database; the free-text answers; the median time to answer; and the
small-number suppression applied to everything published.

Every count comes from a GROUP BY in the database (`values().annotate(Count())`): Python only
arranges the few dozen grouped rows into tables, it never loops over responses. The rules for
suppression are in docs/consultations-analysis.md; `suppress()` is their one implementation.

One module per part: who may read (`access`), the small-number suppression (`suppression`), the
results tables (`results`), the time to answer (`timing`), the bar charts (`charts`) and the
free-text answers (`free_text`). The names below are the package's public API.
"""

from consultations.analysis.access import (
    STATUSES_WITH_RESULTS,
    answer_get_for_analysis,
    consultation_get_for_analysis,
    consultation_get_published,
    has_results,
    theme_get_for_analysis,
)
from consultations.analysis.charts import Bar, BarChart, bar_chart
from consultations.analysis.counted import (
    Flagged,
    answers_counted,
    flagged_responses,
    responses_counted,
)
from consultations.analysis.free_text import free_text_answers, free_text_questions
from consultations.analysis.results import (
    ALL,
    TYPE_LABELS,
    UNVERIFIED,
    VERIFIED,
    Cell,
    Column,
    QuestionResult,
    ResultRow,
    Results,
    consultation_results,
    theme_counts,
    themes_with_counts,
)
from consultations.analysis.suppression import (
    FEWER_THAN,
    SUPPRESSION_THRESHOLD,
    WITHHELD,
    WITHHELD_SUM_AT_LEAST,
    suppress,
)
from consultations.analysis.timing import (
    TimeToAnswer,
    format_duration,
    median_duration_seconds,
    time_to_answer,
)

__all__ = [
    "ALL",
    "FEWER_THAN",
    "STATUSES_WITH_RESULTS",
    "SUPPRESSION_THRESHOLD",
    "TYPE_LABELS",
    "UNVERIFIED",
    "VERIFIED",
    "WITHHELD",
    "WITHHELD_SUM_AT_LEAST",
    "Bar",
    "BarChart",
    "Cell",
    "Column",
    "Flagged",
    "QuestionResult",
    "ResultRow",
    "Results",
    "TimeToAnswer",
    "answer_get_for_analysis",
    "answers_counted",
    "bar_chart",
    "consultation_get_for_analysis",
    "consultation_get_published",
    "consultation_results",
    "format_duration",
    "flagged_responses",
    "free_text_answers",
    "free_text_questions",
    "has_results",
    "median_duration_seconds",
    "responses_counted",
    "suppress",
    "theme_counts",
    "theme_get_for_analysis",
    "themes_with_counts",
    "time_to_answer",
]
