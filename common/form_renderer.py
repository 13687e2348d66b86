"""One form renderer for every DSFR form, so that its template engine and compiled widget templates are reused.

django-dsfr 3.6.1's DsfrBaseForm.default_renderer returns the renderer *class*; Django then builds a new renderer for
each form instance, hence a new template engine: template-tag libraries discovered again (pkgutil walks every
installed package) and every widget template read and compiled again, on each request. Measured by
bench/page_cost.py (config.settings.production, PostgreSQL): this was most of the CPU of the pages with forms — the
report form, the agents' task list, the dashboards' filters.
"""

from dsfr.forms import DsfrBaseForm, DsfrDjangoTemplates

SHARED_RENDERER = DsfrDjangoTemplates()


def share_dsfr_renderer() -> None:
    """Give DsfrBaseForm (and every form built on it) the shared renderer instead of a new one per form."""
    DsfrBaseForm.default_renderer = SHARED_RENDERER
