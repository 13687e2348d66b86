"""One form renderer for every DSFR form: its template engine is built once, and radio/checkbox options skip it.

Measured by bench/page_cost.py (config.settings.production, PostgreSQL, in-process CPU per request, medians of 20
runs; two before/after pairs on a machine shared with other work, so ± 15 %): the report form went from 99/72 to
64/48 ms, the agents' task list from 78/62 to 72/48 ms, the mix's mean request from 46/37 to 38/33 ms.

- django-dsfr 3.6.1's DsfrBaseForm.default_renderer returns the renderer *class*; Django then builds a new renderer
  for each form instance, hence a new template engine: template-tag libraries discovered again (pkgutil walks every
  installed package) and every widget template read and compiled again, on each request.
- A radio or checkbox option costs three template renders (the option, input.html, attrs.html), ≈ 0.5 ms: the
  report form has about 90 of them. The option templates are rendered here by Python code that produces the same
  HTML, byte for byte (tests/common/test_form_renderer.py renders every option of the real forms both ways); any
  option these functions do not know (a label that is not text, an unknown template) goes through the templates.
"""

from collections.abc import Callable

from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from dsfr.forms import DsfrBaseForm, DsfrDjangoTemplates


def input_tag(widget: dict) -> str:
    """django/forms/widgets/input.html (with attrs.html) for an option's widget context."""
    html = f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
    value = widget["value"]
    if value is not None:
        html += f' value="{conditional_escape(f"{value}")}"'
    for name, value in widget["attrs"].items():
        if value is not False:
            html += f" {conditional_escape(name)}"
            if value is not True:
                html += f'="{conditional_escape(f"{value}")}"'
    return html + ">\n"


def label_block(widget: dict) -> str:
    """The {% if widget.wrap_label %} block of django-dsfr's option templates, for a plain-text label."""
    if not widget.get("wrap_label"):
        return ""
    target = f'for="{conditional_escape(widget["attrs"]["id"])}"' if widget["attrs"].get("id") else ""
    label = conditional_escape(widget["label"])
    return f'\n    <label class="fr-label"\n           {target}>\n      \n        {label}\n      \n    </label>\n  '


def radio_option(widget: dict) -> str:
    """dsfr/templates/django/forms/widgets/radio_option.html."""
    return f'<div class="fr-radio-group">\n  {input_tag(widget)}\n  {label_block(widget)}\n</div>\n'


def checkbox_option(widget: dict) -> str:
    """dsfr/templates/django/forms/widgets/checkbox_option.html."""
    body = f"\n  {input_tag(widget)}\n  {label_block(widget)}\n  "
    if widget["attrs"].get("dsfr") == "dsfr":
        return f'\n  <div class="fr-checkbox-group">\n  {body}\n  </div>\n\n'
    return f"{body}\n"


FAST_OPTIONS: dict[str, Callable[[dict], str]] = {
    "django/forms/widgets/radio_option.html": radio_option,
    "django/forms/widgets/checkbox_option.html": checkbox_option,
}


class DsfrRenderer(DsfrDjangoTemplates):
    """django-dsfr's renderer, with the radio and checkbox options of FAST_OPTIONS rendered without templates."""

    def render(self, template_name, context, request=None):
        fast = FAST_OPTIONS.get(template_name)
        widget = context.get("widget") if fast else None
        if widget is not None and isinstance(widget.get("label"), str | Promise) and "type" in widget:
            return mark_safe(fast(widget).strip())  # as BaseRenderer.render strips the template output
        return super().render(template_name, context, request)


SHARED_RENDERER = DsfrRenderer()


def share_dsfr_renderer() -> None:
    """Give DsfrBaseForm (and every form built on it) the shared renderer instead of a new one per form."""
    DsfrBaseForm.default_renderer = SHARED_RENDERER
