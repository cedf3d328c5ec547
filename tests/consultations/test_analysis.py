"""Counting the results: by option, respondent type and verified or not, against data small
enough to count by hand; the median time to answer; small-number suppression."""

import pytest

from consultations.analysis import (
    FEWER_THAN,
    WITHHELD,
    consultation_results,
    format_duration,
    median_duration_seconds,
    suppress,
    time_to_answer,
)
from consultations.services import responding
from tests.factories import (
    JOIN,
    STOP,
    SUPPORT,
    ConsultationFactory,
    ResponseFactory,
    answers,
    close_by_the_clock,
)

pytestmark = pytest.mark.django_db

COLUMNS = [
    "all",
    "type:care_worker",
    "type:employer",
    "type:person_receiving_care",
    "type:family_or_unpaid_carer",
    "type:other",
    "verified",
    "unverified",
]


def by_column(results, cells) -> dict[str, str]:
    return {column.key: cell.text for column, cell in zip(results.columns, cells, strict=True)}


def row(results, question_text, label):
    question = next(q for q in results.questions if q.text == question_text)
    return next(r for r in question.rows if r.label == label)


def answered(results, question_text):
    return next(q for q in results.questions if q.text == question_text).answered


@pytest.fixture
def seven_responses(association_admin, association):
    """3 verified care workers, 2 unverified care workers, an employer and a family carer."""
    consultation = ConsultationFactory(
        created_by=association_admin, organisation=association, status="open"
    )
    ResponseFactory(consultation=consultation, verified=True, support="Agree")
    ResponseFactory(consultation=consultation, verified=True, support="Agree")
    ResponseFactory(consultation=consultation, verified=True, support="Strongly agree")
    ResponseFactory(consultation=consultation, support="Disagree", join="No", stop=["Cost", "Time"])
    ResponseFactory(
        consultation=consultation, support="Disagree", join="No", stop=["Cost"], other="Paperwork"
    )
    ResponseFactory(consultation=consultation, respondent_type="employer", support="Agree")
    ResponseFactory(
        consultation=consultation,
        respondent_type="family_or_unpaid_carer",
        support="Agree",
        join="No",
        stop=["Data"],
    )
    return close_by_the_clock(consultation)


def test_it_counts_each_option_by_respondent_type_and_by_verified(seven_responses):
    results = consultation_results(consultation=seven_responses, published=False)

    assert [column.key for column in results.columns] == COLUMNS
    assert by_column(results, row(results, SUPPORT, "Agree").cells) == {
        "all": "4",
        "type:care_worker": "2",
        "type:employer": "1",
        "type:person_receiving_care": "0",
        "type:family_or_unpaid_carer": "1",
        "type:other": "0",
        "verified": "2",
        "unverified": "2",
    }
    assert by_column(results, row(results, SUPPORT, "Disagree").cells)["unverified"] == "2"
    assert by_column(results, row(results, SUPPORT, "Disagree").cells)["verified"] == "0"
    assert by_column(results, row(results, SUPPORT, "Strongly agree").cells)["verified"] == "1"
    assert by_column(results, row(results, JOIN, "No").cells)["all"] == "3"


def test_it_counts_the_responses_by_who_answered(seven_responses):
    results = consultation_results(consultation=seven_responses, published=False)

    assert by_column(results, results.responses) == {
        "all": "7",
        "type:care_worker": "5",
        "type:employer": "1",
        "type:person_receiving_care": "0",
        "type:family_or_unpaid_carer": "1",
        "type:other": "0",
        "verified": "3",
        "unverified": "4",
    }


def test_percentages_are_of_the_people_who_answered_the_question(seven_responses):
    results = consultation_results(consultation=seven_responses, published=False)

    agree = row(results, SUPPORT, "Agree")
    assert agree.overall.percent == 57  # 4 of 7
    assert agree.cells[COLUMNS.index("type:care_worker")].percent == 40  # 2 of 5
    assert agree.cells[COLUMNS.index("verified")].percent == 67  # 2 of 3


def test_a_choose_any_question_counts_people_not_ticks_for_its_percentages(seven_responses):
    results = consultation_results(consultation=seven_responses, published=False)

    assert by_column(results, answered(results, STOP))["all"] == "3"
    cost = row(results, STOP, "Cost")
    assert (cost.overall.count, cost.overall.percent) == (2, 67)
    other = row(results, STOP, "Other")
    assert other.is_other and other.overall.count == 1
    assert (
        row(results, STOP, "Data").cells[COLUMNS.index("type:family_or_unpaid_carer")].text == "1"
    )


def test_the_counts_come_from_a_fixed_number_of_queries_whatever_the_number_of_responses(
    seven_responses, django_assert_max_num_queries
):
    for _ in range(20):
        ResponseFactory(consultation=seven_responses, comment="More of the same")

    with django_assert_max_num_queries(8):
        consultation_results(consultation=seven_responses, published=False)


def test_counts_include_a_response_sent_through_the_service(
    association_admin, association, registered_worker
):
    consultation = ConsultationFactory(
        created_by=association_admin, organisation=association, status="open"
    )
    responding.response_submit(
        consultation=consultation,
        answers=answers(consultation, join="No", stop=["Cost"]),
        user=registered_worker,
        idempotency_key="one",
    )
    results = consultation_results(consultation=close_by_the_clock(consultation), published=False)

    cost = by_column(results, row(results, STOP, "Cost").cells)
    assert cost["all"] == "1"
    assert cost["verified"] == "1"
    assert cost["type:care_worker"] == "1"


# --- Time to answer ------------------------------------------------------------------------


def test_the_median_time_is_the_middle_duration(association_admin, association):
    consultation = ConsultationFactory(
        created_by=association_admin, organisation=association, status="open"
    )
    for seconds in (600, 60, 120):
        ResponseFactory(consultation=consultation, duration=seconds)
    ResponseFactory(consultation=consultation, duration=None)

    assert median_duration_seconds(consultation=consultation) == 120


def test_the_median_of_an_even_number_is_halfway_between_the_middle_two(
    association_admin, association
):
    consultation = ConsultationFactory(
        created_by=association_admin, organisation=association, status="open"
    )
    for seconds in (60, 120, 180, 600):
        ResponseFactory(consultation=consultation, duration=seconds)

    assert median_duration_seconds(consultation=consultation) == 150


def test_the_median_of_no_durations_is_not_known(association_admin, association):
    consultation = ConsultationFactory(
        created_by=association_admin, organisation=association, status="open"
    )
    ResponseFactory(consultation=consultation, duration=None)

    assert median_duration_seconds(consultation=consultation) is None
    assert time_to_answer(consultation=consultation).median_text == "not known"


def test_the_median_is_set_against_the_estimate(association_admin, association):
    consultation = ConsultationFactory(
        created_by=association_admin, organisation=association, status="open"
    )
    time = time_to_answer(consultation=consultation)
    for _ in range(3):
        ResponseFactory(consultation=consultation, duration=time.estimate_seconds + 125)

    time = time_to_answer(consultation=consultation)
    assert time.comparison == "2 minutes 5 seconds longer than the estimate"
    assert time.estimate_text.startswith("about ")


def test_durations_read_in_plain_english():
    assert format_duration(45) == "45 seconds"
    assert format_duration(60) == "1 minute"
    assert format_duration(150.4) == "2 minutes 30 seconds"


# --- Suppression ---------------------------------------------------------------------------


def test_four_is_fewer_than_five_and_five_is_five():
    withheld = suppress({"four": 4, "five": 5, "none": 0}, lines=[])

    assert withheld == {"four": FEWER_THAN}


def test_a_lone_small_cell_in_a_line_takes_the_next_smallest_with_it():
    values = {"a": 3, "b": 8, "c": 20, "total": 31}

    withheld = suppress(values, lines=[["a", "b", "c", "total"]])

    assert withheld == {"a": FEWER_THAN, "b": WITHHELD}


def test_two_small_cells_are_not_enough_on_their_own():
    # 1 and 1 withheld next to a total of 32 and a 30 would give 1 + 1 = 2 away.
    values = {"a": 1, "b": 1, "c": 30, "total": 32}

    withheld = suppress(values, lines=[["a", "b", "c", "total"]])

    assert withheld == {"a": FEWER_THAN, "b": FEWER_THAN, "c": WITHHELD}


def test_withholding_goes_on_until_the_withheld_cells_add_up_to_ten():
    values = {"a": 2, "b": 5, "c": 6, "d": 40, "total": 53}

    withheld = suppress(values, lines=[["a", "b", "c", "d", "total"]])

    assert withheld == {"a": FEWER_THAN, "b": WITHHELD, "c": WITHHELD}


def test_a_zero_is_never_withheld():
    values = {"a": 0, "b": 3, "total": 3}

    withheld = suppress(values, lines=[["a", "b", "total"]])

    assert withheld == {"b": FEWER_THAN, "total": FEWER_THAN}


def test_secondary_suppression_follows_a_cell_into_every_line_it_is_in():
    # Rows: a = (2, 30 | 32), b = (40, 50 | 90); columns add up too.
    values = {"a1": 2, "a2": 30, "a": 32, "b1": 40, "b2": 50, "b": 90, "t1": 42, "t2": 80}
    lines = [
        ["a1", "a2", "a"],
        ["b1", "b2", "b"],
        ["a1", "b1", "t1"],
        ["a2", "b2", "t2"],
    ]

    withheld = suppress(values, lines)

    # a1 is small; a2 goes with it along the row; then each column has one withheld cell,
    # so b1 and b2 go too. No line is left with a cell that can be worked out.
    assert withheld == {"a1": FEWER_THAN, "a2": WITHHELD, "b1": WITHHELD, "b2": WITHHELD}
    for line in lines:
        assert len([key for key in line if key in withheld]) != 1


def test_published_results_show_four_as_fewer_than_five_and_hide_its_percentage(
    association_admin, association
):
    consultation = ConsultationFactory(
        created_by=association_admin, organisation=association, status="open"
    )
    for _ in range(12):
        ResponseFactory(consultation=consultation, support="Agree")
    for _ in range(4):
        ResponseFactory(consultation=consultation, support="Disagree")
    close_by_the_clock(consultation)

    published = consultation_results(consultation=consultation, published=True)
    admin = consultation_results(consultation=consultation, published=False)

    disagree = row(published, SUPPORT, "Disagree").overall
    assert (disagree.text, disagree.count, disagree.percent) == (FEWER_THAN, None, None)
    # Agree is 12 of 16: shown, it would give the 4 away, so it is withheld as well.
    assert row(published, SUPPORT, "Agree").overall.text == WITHHELD
    assert row(admin, SUPPORT, "Disagree").overall.text == "4"
    assert row(admin, SUPPORT, "Agree").overall.text == "12"


def test_published_results_show_five_as_five(association_admin, association):
    consultation = ConsultationFactory(
        created_by=association_admin, organisation=association, status="open"
    )
    for _ in range(5):
        ResponseFactory(consultation=consultation, support="Agree")
    for _ in range(5):
        ResponseFactory(consultation=consultation, respondent_type="employer", support="Agree")
    close_by_the_clock(consultation)

    results = consultation_results(consultation=consultation, published=True)

    agree = by_column(results, row(results, SUPPORT, "Agree").cells)
    assert agree["type:care_worker"] == "5"
    assert agree["type:employer"] == "5"
    assert agree["all"] == "10"
    assert row(results, SUPPORT, "Agree").overall.percent == 100


def test_published_results_never_leave_one_withheld_cell_in_a_line_that_adds_up(
    seven_responses,
):
    results = consultation_results(consultation=seven_responses, published=True)
    type_columns = [i for i, key in enumerate(COLUMNS) if key.startswith("type:")]
    verified_columns = [COLUMNS.index("verified"), COLUMNS.index("unverified")]

    for question in results.questions:
        for cells in [r.cells for r in question.rows] + [question.answered]:
            for members in (type_columns, verified_columns):
                line = [cells[i] for i in members] + [cells[0]]
                assert sum(cell.is_withheld for cell in line) != 1
    assert all(cell.count in (None, 0) or cell.count >= 5 for cell in results.responses)


def test_published_results_leave_out_the_about_you_question_which_repeats_who_answered(
    seven_responses,
):
    published = consultation_results(consultation=seven_responses, published=True)
    admin = consultation_results(consultation=seven_responses, published=False)

    about_you = "Which of these best describes you?"
    assert about_you in [question.text for question in admin.questions]
    assert about_you not in [question.text for question in published.questions]
    # Numbering stays that of the questionnaire.
    assert [question.number for question in published.questions][0] == 2
