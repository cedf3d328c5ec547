"""Names are found as people type them on an English keyboard: every letter of the EU's
Latin-script alphabets folded to the letters typed for it, apostrophes ignored, hyphenated
names found run together or apart (issue 18, item 8)."""

import importlib

import pytest
from django.apps import apps

from core.names import name_search_form, normalise_name
from register.models import NameWord, RegisterEntry
from register.selectors.public import public_register_search
from tests.factories import RegisterEntryFactory

pytestmark = pytest.mark.django_db

# (language, a name as the worker gave it, what someone without those letters types). Each
# name carries the letters of its alphabet that English lacks, capitals and small letters.
EU_LATIN_ALPHABETS = [
    ("Croatian", "Đurđa Čačić-Ćosić Žaja Šimić", "durda cacic cosic zaja simic"),
    (
        "Czech",
        "Řehoř Ďurová Ťoupalík Ňuňa Ůžek Čeněk Šťastný",
        "rehor durova toupalik nuna uzek cenek stastny",
    ),
    ("Danish", "Søren Ærø Ågård", "soren aero agard"),
    ("Dutch", "Ĳsbrand van ’t Hof", "ijsbrand van t hof"),
    ("Estonian", "Õie Öövel Ülle Äär Šmidt Žukov", "oie oovel ulle aar smidt zukov"),
    ("Finnish", "Äijälä Öhman Åström", "aijala ohman astrom"),
    (
        "French",
        "Lætitia Œuvray Françoise Hélène Noël Ève Côté",
        "laetitia oeuvray francoise helene noel eve cote",
    ),
    ("German", "Jürgen Straße Müller Jäger Öztürk", "jurgen strasse muller jager ozturk"),
    (
        "Hungarian",
        "Őry Ősz Üllő Kőrösi Ürögdi Éva Áron Íbolya Úrsula",
        "ory osz ullo korosi urogdi eva aron ibolya ursula",
    ),
    ("Irish", "Seán Ó Briain Niamh Ní Ógáin", "sean o briain niamh ni ogain"),
    ("Italian", "Niccolò Bertè Citlalì Perù", "niccolo berte citlali peru"),
    (
        "Latvian",
        "Ļaudis Ņina Ģirts Ķīsis Ēriks Ūdris Āboliņš Īvāns Čakste Šmits Žanis",
        "laudis nina girts kisis eriks udris abolins ivans cakste smits zanis",
    ),
    (
        "Lithuanian",
        "Ąžuolas Čiurlionis Ęglė Ėmė Įvairus Šarūnas Ųsas Ūkas Žemaitis",
        "azuolas ciurlionis egle eme ivairus sarunas usas ukas zemaitis",
    ),
    ("Maltese", "Ħamrun Ġużè Żammit Ċelia", "hamrun guze zammit celia"),
    (
        "Polish",
        "Łukasz Żółć Jędrzej Ślęzak Ćwik Źdźbło Ńa",
        "lukasz zolc jedrzej slezak cwik zdzblo na",
    ),
    (
        "Portuguese",
        "João Conceição Gonçalves Ângela Mônica Tomé",
        "joao conceicao goncalves angela monica tome",
    ),
    (
        "Romanian",
        "Ștefan Țurcanu Ăna Âna Îon Şerban Ţepeş",
        "stefan turcanu ana ana ion serban tepes",
    ),
    ("Slovak", "Ľubomír Ĺudo Ŕaša Ôndrej Äňa Dž", "lubomir ludo rasa ondrej ana dz"),
    ("Slovene", "Čeh Šuštar Žnidaršič", "ceh sustar znidarsic"),
    ("Spanish", "Íñigo Peña Ángel Güell", "inigo pena angel guell"),
    ("Swedish", "Åsa Öberg Ängström", "asa oberg angstrom"),
]


@pytest.mark.parametrize(
    ("language", "name", "typed"), EU_LATIN_ALPHABETS, ids=[row[0] for row in EU_LATIN_ALPHABETS]
)
def test_every_eu_latin_alphabet_folds_to_the_letters_an_english_keyboard_types(
    language, name, typed
):
    assert normalise_name(name) == typed


@pytest.mark.parametrize(
    ("language", "name", "typed"), EU_LATIN_ALPHABETS, ids=[row[0] for row in EU_LATIN_ALPHABETS]
)
def test_a_name_in_every_eu_latin_alphabet_is_found_as_an_english_keyboard_types_it(
    language, name, typed
):
    RegisterEntryFactory(application__legal_name=name)
    RegisterEntryFactory(application__legal_name="Someone Else")
    found = [entry["full_name"] for entry in public_register_search(query=typed).results]
    assert found == [name]
    # and as the name is written, by someone who has the letters
    found = [entry["full_name"] for entry in public_register_search(query=name).results]
    assert found == [name]


def found(query: str) -> list[str]:
    return sorted(entry["full_name"] for entry in public_register_search(query=query).results)


def test_apostrophes_are_ignored_whichever_mark_is_typed():
    RegisterEntryFactory(application__legal_name="Mary O'Brien")
    RegisterEntryFactory(application__legal_name="Luca D’Angelo")
    for query in ["obrien", "O'Brien", "O’Brien", "o brien", "brien", "mary obr"]:
        assert found(query) == ["Mary O'Brien"], query
    for query in ["dangelo", "D'Angelo", "d angelo", "angelo"]:
        assert found(query) == ["Luca D’Angelo"], query


def test_a_hyphenated_name_is_found_run_together_apart_or_hyphenated():
    RegisterEntryFactory(application__legal_name="Anna Smith-Jones")
    RegisterEntryFactory(application__legal_name="Anna Smith")
    assert found("smithjones") == ["Anna Smith-Jones"]
    assert found("smith-jones") == ["Anna Smith-Jones"]
    assert found("anna smith jones") == ["Anna Smith-Jones"]
    assert found("jones") == ["Anna Smith-Jones"]
    assert found("anna smith") == ["Anna Smith", "Anna Smith-Jones"]


def test_the_search_form_keeps_the_names_own_words_first_and_each_word_once():
    assert name_search_form("Zoë O'Brien-Smith") == "zoe obrien smith o brien obriensmith"
    assert name_search_form("Jean-Luc Jean-Luc") == "jean luc jean luc jeanluc"
    assert name_search_form("Plain Name") == "plain name"


def test_the_search_form_cuts_its_extra_words_at_the_length_the_column_holds():
    name = " ".join(f"Ab-Cd{n}" for n in range(20))
    assert len(name) <= 200
    form = name_search_form(name)
    assert len(form) <= 200
    # the name's own words are all there; only run-together extras are cut, at a word
    assert form.startswith(normalise_name(name) + " abcd0 ")
    assert form.split()[-1] in {f"abcd{n}" for n in range(20)}


def test_a_name_that_folding_lengthens_still_fits_its_column():
    name = " ".join(["Weiß"] * 40)  # 199 letters; "weiss" is one letter longer each time
    form = name_search_form(name)
    assert len(form) <= 200
    assert set(form.split()) == {"weiss"}


def test_the_migration_re_forms_old_search_names_and_their_name_words():
    entry = RegisterEntryFactory(application__legal_name="Łukasz O'Brien")
    # As the entry was stored before the migration: Ł kept, the apostrophe a space.
    RegisterEntry.objects.filter(pk=entry.pk).update(search_name="łukasz o brien")
    NameWord.objects.filter(entry_id=entry.pk).delete()
    NameWord.objects.bulk_create(
        NameWord(entry_id=entry.pk, word=word, search_name="łukasz o brien", search_town="leeds")
        for word in ["brien", "o", "łukasz"]
    )
    assert found("lukasz") == []

    migration = importlib.import_module(
        "register.migrations.0003_search_names_fold_letters_and_apostrophes"
    )
    migration.reform_search_names(apps, None)

    entry.refresh_from_db()
    assert entry.search_name == "lukasz obrien o brien"
    assert sorted(NameWord.objects.filter(entry_id=entry.pk).values_list("word", flat=True)) == [
        "brien",
        "lukasz",
        "o",
        "obrien",
    ]
    assert found("lukasz obrien") == ["Łukasz O'Brien"]


def test_the_migration_gives_no_name_words_to_someone_who_left_the_register():
    entry = RegisterEntryFactory(
        application__legal_name="Søren Ærø",
        status=RegisterEntry.Status.REMOVED,
        removal_kind=RegisterEntry.RemovalKind.VOLUNTARY,
    )
    RegisterEntry.objects.filter(pk=entry.pk).update(search_name="søren ærø")
    NameWord.objects.filter(entry_id=entry.pk).delete()
    migration = importlib.import_module(
        "register.migrations.0003_search_names_fold_letters_and_apostrophes"
    )
    migration.reform_search_names(apps, None)
    entry.refresh_from_db()
    assert entry.search_name == "soren aero"
    assert not NameWord.objects.filter(entry_id=entry.pk).exists()
