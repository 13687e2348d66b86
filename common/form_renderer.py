"""One form renderer for every DSFR form: its template engine is built once; options and selects skip it.

Measured by bench/page_cost.py (config.settings.production, PostgreSQL, in-process CPU per request, medians of 20
runs, mean of two before/after pairs on a machine shared with other work, so ± 15 %): report form 76 → 49 ms,
activity list 56 → 36, advisor statistics 44 → 30, agents' task list 71 → 42, pilotage 53 → 46; the mean request of
the load mix 36 → 28 ms. The pages are byte-identical before and after (CSRF tokens and nonces aside).

- django-dsfr 3.6.1's DsfrBaseForm.default_renderer returns the renderer *class*; Django then builds a new renderer
  for each form instance, hence a new template engine: template-tag libraries discovered again (pkgutil walks every
  installed package) and every widget template read and compiled again, on each request.
- A radio or checkbox option costs three template renders (the option, input.html, attrs.html), ≈ 0.5 ms: the
  report form has about 90 of them; a <select> costs two more per option. These templates are rendered here by
  Python code that produces the same HTML, byte for byte (tests/common/test_form_renderer.py renders every widget of
  real forms both ways); what these functions do not know (a label that is not text, an option template of another
  widget) goes through the templates.
"""

from collections.abc import Callable

from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from dsfr.forms import DsfrBaseForm, DsfrDjangoTemplates


def attrs_html(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    html = ""
    for name, value in attrs.items():
        if value is not False:
            html += f" {conditional_escape(name)}"
            if value is not True:
                html += f'="{conditional_escape(f"{value}")}"'
    return html


def input_tag(widget: dict) -> str:
    """django/forms/widgets/input.html for an option's widget context."""
    html = f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
    value = widget["value"]
    if value is not None:
        html += f' value="{conditional_escape(f"{value}")}"'
    return html + attrs_html(widget["attrs"]) + ">\n"


def plain_option(widget: dict) -> bool:
    """An option whose label is text (django-dsfr's templates also accept richer labels: those keep the templates)."""
    return isinstance(widget.get("label"), str | Promise) and "type" in widget


def label_block(widget: dict) -> str:
    """The {% if widget.wrap_label %} block of django-dsfr's option templates, for a plain-text label."""
    if not widget.get("wrap_label"):
        return ""
    target = f'for="{conditional_escape(widget["attrs"]["id"])}"' if widget["attrs"].get("id") else ""
    label = conditional_escape(widget["label"])
    return f'\n    <label class="fr-label"\n           {target}>\n      \n        {label}\n      \n    </label>\n  '


def radio_option(widget: dict) -> str | None:
    """dsfr/templates/django/forms/widgets/radio_option.html."""
    if not plain_option(widget):
        return None
    return f'<div class="fr-radio-group">\n  {input_tag(widget)}\n  {label_block(widget)}\n</div>\n'


def checkbox_option(widget: dict) -> str | None:
    """dsfr/templates/django/forms/widgets/checkbox_option.html."""
    if not plain_option(widget):
        return None
    body = f"\n  {input_tag(widget)}\n  {label_block(widget)}\n  "
    if widget["attrs"].get("dsfr") == "dsfr":
        return f'\n  <div class="fr-checkbox-group">\n  {body}\n  </div>\n\n'
    return f"{body}\n"


SELECT_OPTION = "django/forms/widgets/select_option.html"


def select(widget: dict) -> str | None:
    """django/forms/widgets/select.html with its select_option.html options."""
    html = f'<select name="{conditional_escape(widget["name"])}"{attrs_html(widget["attrs"])}>'
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            html += f'\n  <optgroup label="{conditional_escape(group_name)}">'
        for option in options:
            if option.get("template_name") != SELECT_OPTION or not isinstance(option.get("label"), str | Promise):
                return None
            value, label = conditional_escape(f"{option['value']}"), conditional_escape(option["label"])
            html += f'\n  <option value="{value}"{attrs_html(option["attrs"])}>{label}</option>\n'
        if group_name:
            html += "\n  </optgroup>"
    return html + "\n</select>\n"


FAST_TEMPLATES: dict[str, Callable[[dict], str | None]] = {
    "django/forms/widgets/radio_option.html": radio_option,
    "django/forms/widgets/checkbox_option.html": checkbox_option,
    "django/forms/widgets/select.html": select,
}


class DsfrRenderer(DsfrDjangoTemplates):
    """django-dsfr's renderer, with the widgets of FAST_TEMPLATES rendered without the template engine."""

    def render(self, template_name, context, request=None):
        fast = FAST_TEMPLATES.get(template_name)
        widget = context.get("widget") if fast else None
        html = fast(widget) if isinstance(widget, dict) else None
        if html is not None:
            return mark_safe(html.strip())  # as BaseRenderer.render strips the template output
        return super().render(template_name, context, request)


SHARED_RENDERER = DsfrRenderer()


def share_dsfr_renderer() -> None:
    """Give DsfrBaseForm (and every form built on it) the shared renderer instead of a new one per form."""
    DsfrBaseForm.default_renderer = SHARED_RENDERER
