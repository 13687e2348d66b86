"""Every DSFR form shares one renderer, so widget templates are compiled once per process, not once per form; its
Python rendering of radio and checkbox options gives exactly the HTML of django-dsfr's templates."""

from types import SimpleNamespace

import pytest
from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from dsfr.forms import DsfrBaseForm, DsfrDjangoTemplates

from common.form_renderer import FAST_TEMPLATES, SHARED_RENDERER, radio_option, select
from reporting.enums import ActivityKind
from reporting.forms import ACTIVITY_FORMS, PeriodFilterForm
from reporting.selectors import Period

TEMPLATES_ONLY = DsfrDjangoTemplates()


class NameForm(DsfrBaseForm):
    name = forms.CharField(label="Nom")
    kind = forms.ChoiceField(label="Type", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)


MONTHS = [
    ("", "Tous les mois"),
    ("Hiver", [("1", "Janvier"), ("2", "Février & <neige>")]),
    ("3", gettext_lazy("Mars")),
]


class SelectForm(DsfrBaseForm):
    month = forms.ChoiceField(label="Mois", choices=MONTHS, required=False)
    months = forms.MultipleChoiceField(label="Mois", choices=MONTHS, required=False)
    flag = forms.NullBooleanField(label="Drapeau", required=False)


class OtherForm(DsfrBaseForm):
    note = forms.CharField(label="Note", required=False)
    flags = forms.MultipleChoiceField(
        label="Options", required=False, choices=[("x", "X & <y>"), ("z", "Z")], widget=forms.CheckboxSelectMultiple
    )


def fields_html(form) -> str:
    return "".join(str(form[name].as_field_group()) for name in form.fields)


def options_html(form) -> list[str]:
    return [str(subwidget) for name in form.fields for subwidget in form[name].subwidgets]


def activity_form(kind, renderer, data=None):
    places = [SimpleNamespace(pk=7, name="Médiathèque « Les Lilas »"), SimpleNamespace(pk=9, name="Mairie")]
    return ACTIVITY_FORMS[kind](data, initial={"token": "jeton"}, places=places, durations=[45], renderer=renderer)


class TestSharedDsfrRenderer:
    def test_it_is_one_instance_for_every_form(self):
        first, second = NameForm(), OtherForm()
        assert first.renderer is SHARED_RENDERER
        assert second.renderer is SHARED_RENDERER

    def test_it_reuses_one_template_engine(self):
        """A new engine per form would discover the template tags and compile every widget template again."""
        assert NameForm().renderer.engine is OtherForm(data={}).renderer.engine

    def test_a_plain_django_form_keeps_the_default_renderer(self):
        class PlainForm(forms.Form):
            name = forms.CharField()

        assert PlainForm().renderer is not SHARED_RENDERER


class TestFastOptions:
    @pytest.mark.parametrize("kind", ActivityKind.values)
    @pytest.mark.parametrize(
        "data",
        [None, {"place": "7", "themes": ["email", "inconnu"], "materials": ["ordinateur"], "gender": "x"}],
        ids=["blank", "bound"],
    )
    def test_the_report_form_renders_as_with_the_templates(self, kind, data):
        fast, slow = activity_form(kind, SHARED_RENDERER, data), activity_form(kind, TEMPLATES_ONLY, data)
        if data:
            fast.is_valid(), slow.is_valid()
        assert options_html(fast) == options_html(slow)
        assert fields_html(fast) == fields_html(slow)
        assert 'class="fr-radio-group"' in fields_html(fast)

    def test_small_forms_render_as_with_the_templates(self):
        cases = [
            (NameForm, {"kind": "b"}),
            (OtherForm, {"flags": ["x"]}),
            (SelectForm, {}),
            (SelectForm, {"month": "2", "months": ["1", "3"], "flag": "true"}),
            (SelectForm, {"month": "inconnu"}),
        ]
        for form_class, data in cases:
            fast, slow = form_class(data=data), form_class(data=data, renderer=TEMPLATES_ONLY)
            assert fields_html(fast) == fields_html(slow)
            assert options_html(fast) == options_html(slow)

    @pytest.mark.parametrize("template_name", sorted(name for name in FAST_TEMPLATES if name.endswith("_option.html")))
    @pytest.mark.parametrize(
        "changes",
        [
            {},
            {"value": None},
            {"wrap_label": False},
            {"attrs": {"dsfr": "dsfr", "id": 'a"b', "checked": True, "disabled": False, "data-x": 0}},
            {"attrs": {}},
            {"label": mark_safe("<b>Gras</b>")},
            {"label": gettext_lazy("Lundi")},
            {"label": "L'« accès » & <libre>", "value": 3},
            {"hint": "Ex. : « créer » & <envoyer>"},
            {"hint": "", "attrs": {"checked": True}},
        ],
    )
    def test_each_option_renders_as_its_template(self, template_name, changes):
        widget = {
            "name": "jours",
            "value": "lun",
            "label": "Lundi",
            "selected": False,
            "index": "0",
            "attrs": {"id": "id_jours_0", "class": "fr-input"},
            "type": "radio",
            "template_name": template_name,
            "wrap_label": True,
            "hint": "Un exemple",
            **changes,
        }
        expected = TEMPLATES_ONLY.render(template_name, {"widget": widget})
        assert FAST_TEMPLATES[template_name](widget) is not None
        assert SHARED_RENDERER.render(template_name, {"widget": widget}) == expected

    @pytest.mark.parametrize("data", [None, {"kind": "collectif", "theme": "email", "start": "2026-01-01"}])
    def test_the_statistics_filters_render_as_with_the_templates(self, data):
        period = Period.last_months(12)
        fast = PeriodFilterForm(data, default_period=period)
        slow = PeriodFilterForm(data, default_period=period, renderer=TEMPLATES_ONLY)
        assert fields_html(fast) == fields_html(slow)
        assert "<select" in fields_html(fast)

    def test_a_select_renders_as_its_template(self):
        form = SelectForm(data={"month": "2"})
        widget = form["month"].field.widget.get_context("month", "2", {"id": "id_month", "class": "fr-select"})
        expected = TEMPLATES_ONLY.render("django/forms/widgets/select.html", widget)
        assert select(widget["widget"]) is not None
        assert SHARED_RENDERER.render("django/forms/widgets/select.html", widget) == expected
        assert '<optgroup label="Hiver">' in expected and "Février &amp; &lt;neige&gt;" in expected

    def test_a_select_with_another_option_template_goes_through_the_templates(self):
        widget = forms.Select(choices=[("a", "A")]).get_context("s", "a", {})
        widget["widget"]["optgroups"][0][1][0]["template_name"] = "django/forms/widgets/radio_option.html"
        html = SHARED_RENDERER.render("django/forms/widgets/select.html", widget)
        assert html == TEMPLATES_ONLY.render("django/forms/widgets/select.html", widget)
        assert 'class="fr-radio-group"' in html

    def test_an_unknown_label_goes_through_the_template(self):
        label = {"label": "Riche", "help_text": "Aide"}
        widget = {"name": "n", "value": "v", "label": label, "attrs": {"id": "i"}, "type": "radio", "wrap_label": True}
        html = SHARED_RENDERER.render("django/forms/widgets/radio_option.html", {"widget": widget})
        assert radio_option(widget) is None
        assert html == TEMPLATES_ONLY.render("django/forms/widgets/radio_option.html", {"widget": widget})
        assert 'id="i_helptext">Aide</span>' in html


def test_no_template_of_the_project_overrides_a_widget_rendered_in_python():
    """The Python renderings copy the installed packages' templates: a project override would be silently skipped."""
    for name in [name for name in FAST_TEMPLATES if name.startswith("django/forms/")]:
        origin = SHARED_RENDERER.engine.get_template(name).template.origin.name
        assert "site-packages" in origin, f"{name} est redéfini par {origin} : adaptez common/form_renderer.py"
