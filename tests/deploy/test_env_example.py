"""Every environment variable the settings and the processes read is in .env.example, and nothing else is."""

import re

from tests.deploy.project_files import ROOT, env_example

# The readers of config/env.py (and os.environ for the few places that cannot use them).
_READ = re.compile(r"""\b(?:env_[a-z]+|os\.environ\.get|os\.getenv)\(\s*["']([A-Z][A-Z0-9_]*)["']""")
SOURCES = [*sorted((ROOT / "config").rglob("*.py")), *sorted((ROOT / "common").rglob("*.py"))]
SOURCES.append(ROOT / "deploy" / "gunicorn.conf.py")

# Read by something other than the settings, each with the file that proves it.
READ_ELSEWHERE = {
    "DJANGO_SETTINGS_MODULE": ("manage.py", "DJANGO_SETTINGS_MODULE"),
    "POSTGRES_PASSWORD": ("compose.yaml", "${POSTGRES_PASSWORD"),
    "HTTP_PORT": ("compose.yaml", "${HTTP_PORT"),
    "SENTRY_RELEASE": ("config/error_tracking.py", '"SENTRY_RELEASE"'),
    "PROMETHEUS_MULTIPROC_DIR": ("config/metrics.py", '"PROMETHEUS_MULTIPROC_DIR"'),
}


def names_read(sources=SOURCES) -> set[str]:
    return {name for path in sources for name in _READ.findall(path.read_text())}


class TestEnvExample:
    def test_every_variable_read_is_documented(self):
        missing = names_read() - set(env_example())
        assert missing == set(), f"À ajouter dans .env.example : {', '.join(sorted(missing))}"

    def test_every_documented_variable_is_read(self):
        unread = set(env_example()) - names_read() - set(READ_ELSEWHERE)
        assert unread == set(), f"Lues par personne, à retirer de .env.example : {', '.join(sorted(unread))}"

    def test_variables_read_elsewhere_really_are(self):
        for name, (path, needle) in READ_ELSEWHERE.items():
            assert needle in (ROOT / path).read_text(), f"{name} : introuvable dans {path}"

    def test_the_scan_finds_every_reader(self, tmp_path):
        source = tmp_path / "settings.py"
        source.write_text(
            'A = env_str("ONE", "x")\nB = env_int(\n    "TWO", 3)\nC = os.environ.get("THREE")\n'
            'D = env_database("FOUR", "")\nE = env_float("FIVE", 0.0)\nF = "SIX"\n'
        )
        assert names_read([source]) == {"ONE", "TWO", "THREE", "FOUR", "FIVE"}
