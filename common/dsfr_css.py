"""The site's DSFR stylesheets, cut down to the classes and icons the project uses (generated, checked in).

Design note (issue 17, measured with bench/page_weight.py on the home page, first visit, Chromium):
django-dsfr's {% dsfr_css %} links dsfr.min.css (717 kB: the modern rules plus a 144 kB "legacy" copy for
browsers without CSS variables) and utility.min.css (459 kB, of which 356 kB are the ~1,200 icon classes and 44
kB the colour utilities): 1,234 kB of CSS parsed on every page for about thirty icons. The DSFR's split files do
not fit either: core (176 kB) plus the ~40 components our templates touch weigh 560 kB, because each
component carries every modifier and the core every spacing, grid and colour utility.

So two files are generated from the installed DSFR and written to site/static/css/ (python -m common.dsfr_css):
- dsfr-icones.css: only the icon classes (fr-icon-*, fr-fi-*) that our templates, Python, migrations and the
  django-dsfr templates we render name, plus the icon base rules. The SVGs stay the DSFR's, served by us.
- dsfr-allege.css: dsfr.main.min.css + the colour utilities without the rules whose selectors need a class no
  page can carry. A class is kept when a source names it, or names its block (fr-card keeps fr-card__title and
  fr-card--shadow: modifiers and elements follow their component), or when the DSFR's JavaScript names it (it
  adds state classes such as fr-collapse--expanded by itself), or a prefix written in a template
  (fr-notice--{{ level }}). Classes under :not() never decide: dropping `a:not(.fr-btn)` would change pages.
Legacy copies (IE11-era fallbacks) are left out: the DSFR's supported browsers all read the modern rules.
Result (same bench): home page 361 kB of CSS parsed instead of 1,234 kB, 212 kB transferred instead of 285 kB;
`bench.page_weight --compare` finds 0 differing pixels against the full DSFR on the home, find-an-advisor, login
and Espace Coop pages, on a desktop (full page) and on a phone with the menu open.
tests/site/test_dsfr_css.py re-runs the scan: a new icon or component class missing from these files fails
the suite with the class and the file that uses it, and so does a checked-in file that differs from the output.
"""

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import dsfr
import tinycss2

ROOT = Path(__file__).resolve().parent.parent
STATIC = Path(dsfr.__file__).parent / "static"
DSFR_TEMPLATES = Path(dsfr.__file__).parent / "templates" / "dsfr"
OUTPUT_DIR = ROOT / "site" / "static" / "css"
ICONS_OUTPUT = "css/dsfr-icones.css"
MAIN_OUTPUT = "css/dsfr-allege.css"
ICONS_SOURCE = "dsfr/dist/utility/icons/icons.main.min.css"
MAIN_SOURCES = ["dsfr/dist/dsfr/dsfr.main.min.css", "dsfr/dist/utility/colors/colors.main.min.css"]
DSFR_JS = "dsfr/dist/dsfr/dsfr.module.min.js"
# Where the project names classes: its apps (templates, Python, migrations that seed icon names) and site/.
PROJECT_FOLDERS = [
    "accounts",
    "common",
    "config",
    "content",
    "directory",
    "reporting",
    "site/templates",
    "site/static/js",
    "switchover",
    "territories",
    "workflows",
]
SCANNED_SUFFIXES = {".html", ".py", ".js", ".txt"}
# What django-dsfr renders for us: its form base class, widgets and form templates ({% dsfr_* %} layout tags
# other than css/js/favicon are not used).
DSFR_RENDERED = ["forms.py", "widgets.py", "utils.py", "templates/dsfr/form_field_snippets", "templates/dsfr/widgets"]
DSFR_RENDERED_TEMPLATES = ["form_base.html", "form_snippet.html", "formset_base.html", "favicon.html"]

CLASS_TOKEN = re.compile(r"fr-[a-z0-9_-]+")
CSS_CLASS = re.compile(r"\.(fr-[a-zA-Z0-9_-]+)")
ICON_CLASS = re.compile(r"^fr-(icon|fi)-[a-z0-9-]+$")
JS_LITERAL = re.compile(r"""["'`]([a-z][a-z0-9]*(?:[_-]+[a-z0-9]+)*)["'`]""")
CSS_URL = re.compile(r"url\(([\"']?)([^)\"']+)\1\)")


@dataclass
class Usage:
    """Every fr- class the sources name, with the first file naming it, and the prefixes written before {{ }}."""

    classes: dict[str, str] = field(default_factory=dict)
    prefixes: set[str] = field(default_factory=set)
    script_words: set[str] = field(default_factory=set)

    def add(self, token: str, origin: str) -> None:
        if token.endswith(("-", "_")):
            self.prefixes.add(token)
        else:
            self.classes.setdefault(token, origin)

    @property
    def icons(self) -> dict[str, str]:
        return {name: origin for name, origin in self.classes.items() if ICON_CLASS.match(name)}

    def blocks(self) -> set[str]:
        return {block_of(name) for name in self.classes} | {f"fr-{word}" for word in self.script_words}

    def keeps(self, css_class: str, blocks: set[str]) -> bool:
        if ICON_CLASS.match(css_class):
            return css_class in self.classes
        if css_class in self.classes or any(css_class.startswith(prefix) for prefix in self.prefixes):
            return True
        if "--" in css_class:
            base, modifier = css_class.rsplit("--", 1)
            return self.keeps(base, blocks) and (modifier in self.script_words or css_class[3:] in self.script_words)
        return block_of(css_class) in blocks


def block_of(css_class: str) -> str:
    """fr-card__title and fr-card--shadow belong to fr-card."""
    return re.split(r"__|--", css_class, maxsplit=1)[0]


def _scanned_files():
    for folder in PROJECT_FOLDERS:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in SCANNED_SUFFIXES and path.is_file() and "__pycache__" not in path.parts:
                yield path, path.relative_to(ROOT).as_posix()
    package = Path(dsfr.__file__).parent
    for name in DSFR_RENDERED:
        target = package / name
        paths = sorted(target.rglob("*.html")) if target.is_dir() else [target]
        for path in paths:
            yield path, f"django-dsfr/{path.relative_to(package).as_posix()}"
    for name in DSFR_RENDERED_TEMPLATES:
        yield DSFR_TEMPLATES / name, f"django-dsfr/templates/dsfr/{name}"


def scan_usage() -> Usage:
    """Read the project, the django-dsfr parts it renders and the DSFR's JavaScript for the classes they use."""
    usage = Usage()
    for path, origin in _scanned_files():
        if path.resolve() == Path(__file__).resolve():
            continue  # this module's docstring names classes as examples
        for token in CLASS_TOKEN.findall(path.read_text(encoding="utf-8", errors="replace")):
            usage.add(token, origin)
    usage.script_words = set(JS_LITERAL.findall((STATIC / DSFR_JS).read_text(encoding="utf-8")))
    return usage


def _split_selectors(prelude: str) -> list[str]:
    """Split a selector list on its top-level commas (commas inside :not(...) stay)."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(prelude):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(prelude[start:index].strip())
            start = index + 1
    parts.append(prelude[start:].strip())
    return [part for part in parts if part]


def _deciding_classes(selector: str) -> list[str]:
    """The fr- classes an element must carry to match: those under :not(...) do not count."""
    kept, depth, index = [], 0, 0
    while index < len(selector):
        if selector.startswith(":not(", index) and depth == 0:
            depth, index = 1, index + 5
            continue
        char = selector[index]
        if depth:
            depth += {"(": 1, ")": -1}.get(char, 0)
        else:
            kept.append(char)
        index += 1
    return CSS_CLASS.findall("".join(kept))


def _rebase_urls(css: str, source: str, output: str) -> str:
    """Rewrite relative url()s of a DSFR file so that they still point at the DSFR's files from `output`."""
    source_dir = PurePosixPath(source).parent
    depth = len(PurePosixPath(output).parent.parts)

    def rebase(match: re.Match) -> str:
        target = match.group(2)
        if target.startswith(("data:", "/", "#", "http:", "https:")):
            return match.group(0)
        resolved = []
        for part in (source_dir / target).parts:
            if part == "..":
                resolved.pop()
            elif part != ".":
                resolved.append(part)
        return f"url({'../' * depth}{'/'.join(resolved)})"

    return CSS_URL.sub(rebase, css)


def _filter_rules(rules, keep_selector) -> list[str]:
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [s for s in _split_selectors(tinycss2.serialize(rule.prelude)) if keep_selector(s)]
            if selectors:
                kept.append(f"{','.join(selectors)}{{{tinycss2.serialize(rule.content).strip()}}}")
        elif rule.type == "at-rule" and rule.lower_at_keyword in {"media", "supports"} and rule.content is not None:
            inner = _filter_rules(tinycss2.parse_rule_list(rule.content, True, True), keep_selector)
            if inner:
                kept.append(f"@{rule.at_keyword} {tinycss2.serialize(rule.prelude).strip()}{{{''.join(inner)}}}")
        elif rule.type == "at-rule":
            kept.append(tinycss2.serialize([rule]).strip())
    return kept


def _subset(source: str, output: str, keep_selector) -> str:
    css = (STATIC / source).read_text(encoding="utf-8")
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    return _rebase_urls("".join(_filter_rules(rules, keep_selector)), source, output)


def _dsfr_version() -> str:
    match = re.search(r"DSFR v([0-9.]+)", (STATIC / MAIN_SOURCES[0]).read_text(encoding="utf-8")[:300])
    return match.group(1) if match else "?"


def _header(what: str, sources: list[str]) -> str:
    return (
        f"/*! Généré par `python -m common.dsfr_css` : ne pas modifier à la main. {what}\n"
        f" * Source : DSFR v{_dsfr_version()} (django-dsfr) — {', '.join(sources)}.\n"
        " * DSFR : SPDX-License-Identifier: MIT | License-Filename: LICENSE.md\n"
        " * | restricted use (see terms and conditions)\n"
        " */\n"
    )


def build(usage: Usage | None = None) -> dict[str, str]:
    """The generated stylesheets, by static path."""
    usage = usage or scan_usage()
    blocks = usage.blocks()

    def keep_icon_rule(selector: str) -> bool:
        return all(usage.keeps(name, blocks) for name in _deciding_classes(selector) if ICON_CLASS.match(name))

    def keep_rule(selector: str) -> bool:
        return all(usage.keeps(name, blocks) for name in _deciding_classes(selector))

    icons = sorted(usage.icons)
    icons_css = _header(f"Icônes utilisées ({len(icons)}) : {' '.join(icons)}", [ICONS_SOURCE])
    icons_css += _subset(ICONS_SOURCE, ICONS_OUTPUT, keep_icon_rule) + "\n"
    main_css = _header("Règles des classes utilisées par le projet.", MAIN_SOURCES)
    main_css += "".join(_subset(source, MAIN_OUTPUT, keep_rule) for source in MAIN_SOURCES) + "\n"
    return {ICONS_OUTPUT: icons_css, MAIN_OUTPUT: main_css}


def selectors(css: str):
    """Every selector of a stylesheet, inside @media and @supports blocks too."""

    def walk(rules):
        for rule in rules:
            if rule.type == "qualified-rule":
                yield from _split_selectors(tinycss2.serialize(rule.prelude))
            elif rule.type == "at-rule" and rule.lower_at_keyword in {"media", "supports"} and rule.content:
                yield from walk(tinycss2.parse_rule_list(rule.content, True, True))

    yield from walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))


def styled_classes(css: str, used: set[str]) -> set[str]:
    """The used classes that some selector of `css` styles with used classes only."""
    found = set()
    for selector in selectors(css):
        deciding = set(_deciding_classes(selector))
        if deciding and deciding <= used:
            found |= deciding
    return found


def defined_classes(css: str) -> set[str]:
    return set(CSS_CLASS.findall(css))


def dsfr_defined_classes() -> set[str]:
    """Every fr- class the full DSFR stylesheets (modern rules) define."""
    return defined_classes(
        "".join((STATIC / name).read_text(encoding="utf-8") for name in [ICONS_SOURCE, *MAIN_SOURCES])
    )


def shipped_icons() -> set[str]:
    """The icon classes the checked-in icon stylesheet defines (what a page or an editor may use)."""
    return {
        name for name in defined_classes((OUTPUT_DIR / Path(ICONS_OUTPUT).name).read_text()) if ICON_CLASS.match(name)
    }


def write() -> dict[str, int]:
    """Write the generated files under site/static/css/; return their sizes."""
    sizes = {}
    for name, css in build().items():
        path = OUTPUT_DIR / Path(name).name
        path.write_text(css, encoding="utf-8")
        sizes[name] = len(css.encode())
    return sizes


if __name__ == "__main__":
    for name, size in write().items():
        sys.stdout.write(f"{name} : {size / 1000:.1f} ko\n")
