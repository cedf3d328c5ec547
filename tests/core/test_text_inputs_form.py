"""TextInputsForm renders its text inputs in Python for speed; the markup must be what the
project's form templates write, in every state a person can put the form in."""

import re

import pytest
from django import forms

from core.forms import TextInputsForm
from register.views.public import PublicRegisterSearchForm


def through_templates(form: forms.Form) -> str:
    return str(forms.Form.render(form))


def without_layout(markup: str) -> str:
    # The templates indent and break lines between tags; the Python rendering does not.
    return re.sub(r">\s+<", "><", markup).strip()


class EveryKindOfTextInput(TextInputsForm):
    name = forms.CharField(label="Your <full> name", max_length=10)
    email = forms.EmailField(label="Email address", required=False, help_text="We <b>never</b>")
    code = forms.CharField(
        label="",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True, "hidden": False}),
    )


FORMS = {
    "search, empty visit": lambda: PublicRegisterSearchForm(),
    "search, bound and valid": lambda: PublicRegisterSearchForm({"q": "jan smi", "town": "Leeds"}),
    "search, nothing typed": lambda: PublicRegisterSearchForm({"q": "", "town": ""}),
    "search, too long": lambda: PublicRegisterSearchForm({"q": "x" * 201, "town": "y" * 101}),
    "search, markup typed": lambda: PublicRegisterSearchForm(
        {"q": '"><script>alert(1)</script>', "town": "O'Brien & <Sons>"}
    ),
    "mixed, unbound": lambda: EveryKindOfTextInput(),
    "mixed, two errors": lambda: EveryKindOfTextInput({"name": "", "email": "not-an-email"}),
    "mixed, with a prefix": lambda: EveryKindOfTextInput({"p-name": "Al"}, prefix="p"),
    "mixed, no ids": lambda: EveryKindOfTextInput({"name": "Al"}, auto_id=False),
}


@pytest.mark.parametrize("state", FORMS)
def test_the_python_rendering_is_the_templates_markup(state):
    form = FORMS[state]()

    fast = str(form)

    assert without_layout(fast) == without_layout(through_templates(form))
    assert "<script>" not in fast


def test_an_error_added_by_the_view_is_shown_and_escaped():
    form = PublicRegisterSearchForm({"q": "jane"})
    form.is_valid()
    form.add_error("q", "Try <fewer> words")

    fast = str(form)

    assert "Try &lt;fewer&gt; words" in fast
    assert 'class="form-group form-group-error"' in fast
    assert without_layout(fast) == without_layout(through_templates(form))


def test_a_form_with_any_other_widget_goes_through_the_templates():
    class WithATextArea(TextInputsForm):
        name = forms.CharField()
        note = forms.CharField(widget=forms.Textarea)

    form = WithATextArea({"name": "Al", "note": "Hello"})

    assert str(form) == through_templates(form)
    assert "<textarea" in str(form)


def test_an_explicit_template_is_honoured():
    form = PublicRegisterSearchForm()

    assert form.render(template_name="django/forms/p.html") == forms.Form.render(
        form, template_name="django/forms/p.html"
    )
