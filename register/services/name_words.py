"""The name-word table that public name search reads (register.models.NameWord). It is derived
from the register entry, like an index: every service that changes an entry's name, town or
whether the public may see it calls entry_name_words_update in the same transaction. It writes
no audit event of its own; the change that called it has written one."""

from core.names import name_words
from register import page_cache as public_pages
from register.models import NameWord, RegisterEntry
from register.selectors.public import public_entries


def entry_name_words_update(*, entry: RegisterEntry) -> None:
    """Make the entry's words match its name and town as saved, or remove them when the public
    may no longer see it. Writes nothing when they already match."""
    saved = public_entries().filter(pk=entry.pk).values("search_name", "search_town").first()
    wanted = set()
    if saved is not None:
        wanted = {
            (word, saved["search_name"], saved["search_town"])
            for word in name_words(saved["search_name"])
        }
    present = set(
        NameWord.objects.filter(entry_id=entry.pk).values_list("word", "search_name", "search_town")
    )
    if wanted == present:
        return
    # The searches that found the entry, and those that will: their pages of results change.
    public_pages.search_words_changed({word for word, _, _ in wanted | present})
    NameWord.objects.filter(entry_id=entry.pk).delete()
    NameWord.objects.bulk_create(
        NameWord(entry_id=entry.pk, word=word, search_name=name, search_town=town)
        for word, name, town in sorted(wanted)
    )
