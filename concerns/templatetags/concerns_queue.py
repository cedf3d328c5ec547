"""The registrar's home page shows how many concerns wait to be screened, without the
accounts app, which is below concerns, importing it: the template asks through this tag.

    {% load concerns_queue %}{% screening_counts as counts %}
"""

from django import template

from concerns.selectors import screening_counts as counts_for

register = template.Library()


@register.simple_tag(takes_context=True)
def screening_counts(context) -> dict[str, int]:
    return counts_for(user=context["request"].user)
