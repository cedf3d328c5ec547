"""The name-word table that public name search reads: every change to an entry's name, town or
visibility keeps it in step, in the same transaction, and the search follows."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from register.models import Application, NameWord, RegisterEntry
from register.selectors.public import public_register_search
from register.services import details, entries
from register.services.applications import application_approve, application_submit
from register.services.evidence import evidence_upload
from register.services.name_words import entry_name_words_update
from tests.factories import ApplicationFactory, code_of_conduct_current
from tests.register.test_applications import record_all_checks

Status = RegisterEntry.Status

pytestmark = pytest.mark.django_db


def words_of(entry) -> set[tuple[str, str, str]]:
    return set(
        NameWord.objects.filter(entry_id=entry.pk).values_list("word", "search_name", "search_town")
    )


def found(query: str, town: str = "") -> list[str]:
    return [entry["full_name"] for entry in public_register_search(query=query, town=town).results]


def test_approval_puts_each_word_of_the_name_in_the_table_once(registrar, worker):
    application = ApplicationFactory(worker=worker, legal_name="Anna Maria Anna Lopez")
    application_submit(application=application, worker=worker, code=code_of_conduct_current())
    record_all_checks(application, registrar)

    entry = application_approve(application=application, registrar=registrar)

    name, town = "anna maria anna lopez", "leeds"
    assert words_of(entry) == {(w, name, town) for w in ["anna", "maria", "lopez"]}
    assert found("lopez") == ["Anna Maria Anna Lopez"]


def test_an_entry_made_on_approval_has_its_words_in_the_same_transaction(registrar):
    application = ApplicationFactory(status=Application.Status.APPROVED, legal_name="Ida Early")

    with transaction.atomic():
        entry = entries.entry_create(application=application, approved_by=registrar)
        assert {word for word, _, _ in words_of(entry)} == {"ida", "early"}


def test_the_words_are_normalised_as_the_search_is(entry_with_an_accented_name):
    form = "zoe obrien smith o brien obriensmith"
    assert words_of(entry_with_an_accented_name) == {
        (word, form, "hebden bridge")
        for word in ["zoe", "obrien", "smith", "o", "brien", "obriensmith"]
    }
    assert found("ZOË o'b", town="hebden-bridge") == ["Zoë O'Brien-Smith"]


def _approved_name_change(entry, registrar, *, approve: bool, new_name: str = "Zoë Newman"):
    evidence = evidence_upload(
        owner=entry.worker,
        uploaded_by=entry.worker,
        upload=SimpleUploadedFile("deed.pdf", b"%PDF-1.4 deed poll", "application/pdf"),
    )
    request = details.name_change_request(
        entry=entry, worker=entry.worker, new_name=new_name, evidence=evidence
    )
    details.name_change_decide(
        request=request, registrar=registrar, approve=approve, reason="" if approve else "No."
    )


def test_an_approved_change_of_name_replaces_the_words(entry_with_an_accented_name, registrar):
    _approved_name_change(entry_with_an_accented_name, registrar, approve=True)

    assert words_of(entry_with_an_accented_name) == {
        ("zoe", "zoe newman", "hebden bridge"),
        ("newman", "zoe newman", "hebden bridge"),
    }
    assert found("newman") == ["Zoë Newman"]
    assert found("brien") == []


def test_a_refused_change_of_name_leaves_the_words_alone(entry_with_an_accented_name, registrar):
    before = words_of(entry_with_an_accented_name)

    _approved_name_change(entry_with_an_accented_name, registrar, approve=False)

    assert words_of(entry_with_an_accented_name) == before
    assert found("newman") == []
    assert found("brien") == ["Zoë O'Brien-Smith"]


def _contact_values(entry, **changes) -> dict:
    record = entry.application
    values = {name: getattr(record, name) for name in details.CONTACT_FIELDS}
    return {**values, **changes}


def test_a_move_to_another_town_moves_the_words_there(entry_with_an_accented_name):
    details.contact_details_update(
        entry=entry_with_an_accented_name,
        worker=entry_with_an_accented_name.worker,
        values=_contact_values(entry_with_an_accented_name, town="York"),
    )

    assert {town for _, _, town in words_of(entry_with_an_accented_name)} == {"york"}
    assert found("smith", town="York") == ["Zoë O'Brien-Smith"]
    assert found("smith", town="Hebden Bridge") == []


def test_a_new_phone_number_writes_no_words(entry_with_an_accented_name):
    with CaptureQueriesContext(connection) as queries:
        details.contact_details_update(
            entry=entry_with_an_accented_name,
            worker=entry_with_an_accented_name.worker,
            values=_contact_values(entry_with_an_accented_name, phone="07700 900999"),
        )

    assert queries.captured_queries
    assert not [q for q in queries.captured_queries if NameWord._meta.db_table in q["sql"]]


def test_leaving_the_register_voluntarily_removes_the_words(entry_with_an_accented_name):
    entries.entry_request_voluntary_removal(
        entry=entry_with_an_accented_name,
        worker=entry_with_an_accented_name.worker,
        reason="Retiring.",
    )

    assert words_of(entry_with_an_accented_name) == set()
    assert found("smith") == []


def test_a_registrar_removing_someone_voluntarily_removes_the_words(
    entry_with_an_accented_name, registrar
):
    entries.entry_remove(
        entry=entry_with_an_accented_name, registrar=registrar, kind="voluntary", reason="Asked to."
    )

    assert words_of(entry_with_an_accented_name) == set()


def test_a_removal_on_fitness_to_practise_grounds_keeps_the_entry_findable(
    entry_with_an_accented_name, registrar
):
    before = words_of(entry_with_an_accented_name)

    entries.entry_remove(
        entry=entry_with_an_accented_name,
        registrar=registrar,
        kind="fitness_to_practise",
        reason="Panel decision.",
    )

    assert words_of(entry_with_an_accented_name) == before
    assert found("smith") == ["Zoë O'Brien-Smith"]


def test_suspension_and_lapse_keep_the_entry_findable(entry_with_an_accented_name, registrar):
    before = words_of(entry_with_an_accented_name)

    entries.entry_suspend(
        entry=entry_with_an_accented_name,
        registrar=registrar,
        kind="interim",
        until=timezone.localdate() + timedelta(days=30),
        reason="Interim order.",
    )
    assert words_of(entry_with_an_accented_name) == before
    entries.entry_end_suspension(
        entry=entry_with_an_accented_name, registrar=registrar, reason="Ended."
    )
    entries.entry_lapse(entry=entry_with_an_accented_name, reason="Not renewed.")

    assert words_of(entry_with_an_accented_name) == before
    assert found("smith") == ["Zoë O'Brien-Smith"]


def test_a_failed_change_leaves_the_words_as_they_were(entry_with_an_accented_name):
    before = words_of(entry_with_an_accented_name)

    with pytest.raises(RuntimeError), transaction.atomic():
        entries.entry_request_voluntary_removal(
            entry=entry_with_an_accented_name, worker=entry_with_an_accented_name.worker, reason=""
        )
        assert words_of(entry_with_an_accented_name) == set()
        raise RuntimeError("something later in the same transaction failed")

    assert words_of(entry_with_an_accented_name) == before


def test_updating_words_that_already_match_writes_nothing(
    entry_with_an_accented_name, django_assert_num_queries
):
    # One read of the entry, one of its words: no delete, no insert.
    with django_assert_num_queries(2):
        entry_name_words_update(entry=entry_with_an_accented_name)


def test_updating_puts_back_words_that_went_missing(entry_with_an_accented_name):
    NameWord.objects.filter(entry_id=entry_with_an_accented_name.pk, word="smith").delete()

    entry_name_words_update(entry=entry_with_an_accented_name)

    assert "smith" in {word for word, _, _ in words_of(entry_with_an_accented_name)}
