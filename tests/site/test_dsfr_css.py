"""The DSFR stylesheets the site ships hold every icon and class the project uses, and are the generator's output."""

from pathlib import Path

import pytest

from common import dsfr_css


@pytest.fixture(scope="module")
def usage():
    return dsfr_css.scan_usage()


@pytest.fixture(scope="module")
def shipped():
    """The checked-in files, by static path."""
    return {
        name: (dsfr_css.OUTPUT_DIR / Path(name).name).read_text(encoding="utf-8")
        for name in (dsfr_css.ICONS_OUTPUT, dsfr_css.MAIN_OUTPUT)
    }


def missing(usage, shipped_css: str, *, icons: bool) -> list[str]:
    """'class (file using it)' for the used classes the full DSFR styles (with used classes) and shipped_css not."""
    if icons:
        used, source = usage.icons, dsfr_css.ICONS_SOURCE
    else:
        used = {name: origin for name, origin in usage.classes.items() if not dsfr_css.ICON_CLASS.match(name)}
        source = dsfr_css.MAIN_SOURCES
    full = "".join((dsfr_css.STATIC / name).read_text() for name in ([source] if icons else source))
    expected = dsfr_css.styled_classes(full, set(used))
    present = dsfr_css.styled_classes(shipped_css, set(used))
    return sorted(f"{name} ({used[name]})" for name in expected - present)


class TestShippedStylesheets:
    def test_it_ships_every_icon_the_project_uses(self, usage, shipped):
        absent = missing(usage, shipped[dsfr_css.ICONS_OUTPUT], icons=True)
        assert not absent, f"Icônes absentes de {dsfr_css.ICONS_OUTPUT} (lancer python -m common.dsfr_css) : {absent}"

    def test_every_icon_the_project_names_exists_in_the_dsfr(self, usage):
        unknown = sorted(
            f"{name} ({origin})" for name, origin in usage.icons.items() if name not in dsfr_css.dsfr_defined_classes()
        )
        assert not unknown, f"Icônes inconnues du DSFR : {unknown}"

    def test_it_keeps_every_dsfr_class_the_project_uses(self, usage, shipped):
        absent = missing(usage, shipped[dsfr_css.MAIN_OUTPUT], icons=False)
        assert not absent, f"Classes absentes de {dsfr_css.MAIN_OUTPUT} (lancer python -m common.dsfr_css) : {absent}"

    def test_the_checked_in_files_are_what_the_generator_writes(self, shipped):
        for name, css in dsfr_css.build().items():
            assert shipped[name] == css, f"{name} n'est pas à jour : lancer python -m common.dsfr_css"

    def test_it_ships_only_the_used_icons_with_their_local_svgs(self, usage, shipped):
        css = shipped[dsfr_css.ICONS_OUTPUT]
        assert {name for name in dsfr_css.defined_classes(css) if dsfr_css.ICON_CLASS.match(name)} == set(usage.icons)
        assert "fr-icon-zoom-in-line" not in css
        assert "url(../dsfr/dist/icons/system/arrow-left-line.svg)" not in css  # arrows/, not system/
        assert "url(../dsfr/dist/icons/arrows/arrow-left-line.svg)" in css
        assert "http" not in css.split("*/", 1)[1]

    def test_the_urls_of_the_stylesheets_point_at_files_that_exist(self, shipped):
        import re

        static = dsfr_css.STATIC
        for name, css in shipped.items():
            for target in set(re.findall(r"url\(([^)\"'#]+)", css)):
                if target.startswith("data:"):
                    continue
                assert (static / "css" / target).resolve().is_file(), f"{name}: {target}"


class TestScan:
    def test_a_new_icon_in_a_template_is_reported_with_its_file(self, usage, shipped):
        usage = dsfr_css.Usage(classes={**usage.classes}, prefixes=set(usage.prefixes))
        usage.add("fr-icon-zoom-in-line", "content/templates/content/nouvelle_page.html")
        absent = missing(usage, shipped[dsfr_css.ICONS_OUTPUT], icons=True)
        assert absent == ["fr-icon-zoom-in-line (content/templates/content/nouvelle_page.html)"]
        assert ".fr-icon-zoom-in-line:" in dsfr_css.build(usage)[dsfr_css.ICONS_OUTPUT]

    def test_a_component_used_by_a_new_page_is_reported(self, usage, shipped):
        usage = dsfr_css.Usage(classes={**usage.classes}, prefixes=set(usage.prefixes))
        usage.add("fr-stepper__steps", "workflows/templates/workflows/etapes.html")
        absent = missing(usage, shipped[dsfr_css.MAIN_OUTPUT], icons=False)
        assert absent == ["fr-stepper__steps (workflows/templates/workflows/etapes.html)"]

    def test_it_finds_the_classes_of_our_templates_python_and_django_dsfr(self, usage):
        assert usage.classes["fr-header"].startswith("site/templates/")
        assert "fr-icon-calendar-line" in usage.icons  # seeded « Mes outils » icon (a migration)
        assert usage.classes["fr-toggle__input"].startswith("django-dsfr/")
        assert "fr-notice--" in usage.prefixes  # fr-notice--{{ level }}
        assert "collapse" in usage.script_words  # named by the DSFR's JavaScript

    def test_classes_under_not_do_not_decide(self):
        assert dsfr_css._deciding_classes("a:not(.fr-btn):not([href]).fr-link") == ["fr-link"]
        assert dsfr_css._split_selectors(".a:not(.b,.c),.d") == [".a:not(.b,.c)", ".d"]

    def test_modifiers_follow_use_or_the_script_and_elements_follow_their_block(self):
        usage = dsfr_css.Usage(classes={"fr-card": "x.html", "fr-modal": "y.html"}, script_words={"opened"})
        blocks = usage.blocks()
        assert usage.keeps("fr-card__title", blocks)
        assert usage.keeps("fr-modal--opened", blocks)  # added by the DSFR's script
        assert not usage.keeps("fr-card--shadow", blocks)
        assert not usage.keeps("fr-tile", blocks)
        assert not usage.keeps("fr-icon-zoom-in-line", blocks)
        usage.add("fr-card--", "z.html")  # fr-card--{{ variant }}
        assert usage.keeps("fr-card--shadow", blocks)

    def test_relative_urls_are_rebased_on_the_output_folder(self):
        css = ".a{mask-image:url(../../icons/system/x.svg)}.b{src:url(data:image/svg+xml;x)}"
        rebased = dsfr_css._rebase_urls(css, "dsfr/dist/utility/icons/icons.main.min.css", "css/dsfr-icones.css")
        assert rebased == ".a{mask-image:url(../dsfr/dist/icons/system/x.svg)}.b{src:url(data:image/svg+xml;x)}"
