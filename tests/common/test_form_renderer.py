"""Every DSFR form shares one renderer, so widget templates are compiled once per process, not once per form."""

from django import forms
from dsfr.forms import DsfrBaseForm, DsfrDjangoTemplates

from common.form_renderer import SHARED_RENDERER


class NameForm(DsfrBaseForm):
    name = forms.CharField(label="Nom")
    kind = forms.ChoiceField(label="Type", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)


class OtherForm(DsfrBaseForm):
    note = forms.CharField(label="Note", required=False)


def fields_html(form) -> str:
    return "".join(str(form[name].as_field_group()) for name in form.fields)


class TestSharedDsfrRenderer:
    def test_it_is_one_instance_for_every_form(self):
        first, second = NameForm(), OtherForm()
        assert first.renderer is SHARED_RENDERER
        assert second.renderer is SHARED_RENDERER
        assert isinstance(SHARED_RENDERER, DsfrDjangoTemplates)

    def test_it_reuses_one_template_engine(self):
        """A new engine per form would discover the template tags and compile every widget template again."""
        assert NameForm().renderer.engine is OtherForm(data={}).renderer.engine

    def test_it_renders_as_the_dsfr_renderer_does(self):
        """Same HTML as with a renderer of django-dsfr's own (what each form built before)."""
        bound = {"name": "", "kind": "z"}
        shared = fields_html(NameForm(data=bound))
        fresh = fields_html(NameForm(data=bound, renderer=DsfrDjangoTemplates()))
        assert shared == fresh
        assert "fr-radio-group" in shared and "fr-error-text" in shared

    def test_a_plain_django_form_keeps_the_default_renderer(self):
        class PlainForm(forms.Form):
            name = forms.CharField()

        assert PlainForm().renderer is not SHARED_RENDERER
