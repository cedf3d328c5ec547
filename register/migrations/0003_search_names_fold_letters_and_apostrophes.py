"""Re-form every entry's search name and name words: letters that do not decompose (Ł, Ø, ß…)
are folded, apostrophes join ("obrien"), and hyphenated names are also stored run together
(core.names.name_search_form). Entries are read and written a batch at a time, so a large
register does not sit in memory."""

from django.db import migrations

from core.names import name_search_form, name_words

BATCH = 2000


def reform_search_names(apps, schema_editor):
    RegisterEntry = apps.get_model("register", "RegisterEntry")
    NameWord = apps.get_model("register", "NameWord")
    last_id = 0
    while True:
        batch = list(
            RegisterEntry.objects.filter(pk__gt=last_id)
            .order_by("pk")
            .only("id", "full_name", "search_name", "search_town", "status", "removal_kind")[:BATCH]
        )
        if not batch:
            return
        last_id = batch[-1].pk
        changed = [
            entry for entry in batch if entry.search_name != name_search_form(entry.full_name)
        ]
        for entry in changed:
            entry.search_name = name_search_form(entry.full_name)
        RegisterEntry.objects.bulk_update(changed, ["search_name"])
        # Name words exist only for entries the public may see (register.selectors.public):
        # rebuild those of the changed entries that have them.
        shown = {
            entry.pk: entry
            for entry in changed
            if not (entry.status == "removed" and entry.removal_kind == "voluntary")
        }
        NameWord.objects.filter(entry_id__in=[entry.pk for entry in changed]).delete()
        NameWord.objects.bulk_create(
            NameWord(
                entry_id=entry.pk,
                word=word,
                search_name=entry.search_name,
                search_town=entry.search_town,
            )
            for entry in shown.values()
            for word in name_words(entry.search_name)
        )


class Migration(migrations.Migration):
    dependencies = [("register", "0002_pathway_roles_and_trigram_index")]

    operations = [migrations.RunPython(reform_search_names, migrations.RunPython.noop)]
