"""The test settings' `string_if_invalid`: it records each undefined variable our own templates print.

An empty `str` (so Django's system check accepts it, `{% if %}` and `|default` behave as with ""), it notes the
variable when the template engine turns it into text. Templates of installed packages (Wagtail's admin, Viewflow,
DSFR) are not ours to fix: their undefined variables are left alone. tests/conftest.py fails a test that recorded one.
"""

import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
OUR_TEMPLATES = str(BASE_DIR)


class UndefinedVariable(str):
    """Renders as "" like Django's default, and remembers where an undefined variable was printed."""

    found: list[str] = []  # shared: filled while a test renders, read and emptied by the fixture

    def __str__(self):
        self._record()
        return ""

    def __html__(self):
        self._record()
        return ""

    def _record(self) -> None:
        frame = sys._getframe(2)
        while frame is not None:
            node = frame.f_locals.get("self") if frame.f_code.co_name == "render" else None
            origin = getattr(node, "origin", None)
            if origin is not None and getattr(node, "token", None) is not None:
                name = str(origin.name)
                if name.startswith(OUR_TEMPLATES) and "site-packages" not in name:
                    where = name.removeprefix(OUR_TEMPLATES + "/")
                    tag = "{{ %s }}" if node.token.token_type.name == "VAR" else "{%% %s %%}"
                    self.found.append(f"{where}:{node.token.lineno}: " + tag % node.token.contents)
                return
            frame = frame.f_back
