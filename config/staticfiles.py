"""collectstatic without the parts of third-party static dirs that break manifest storage.

Viewflow's wheel ships `node_modules/` folders (npm leftovers, 13 MB) and `js/contrib/` (Swagger UI,
Dash) whose CSS references files that are not in the wheel: whitenoise's
CompressedManifestStaticFilesStorage then fails on the missing `url()` targets. Django matches a
pattern against a directory's base name and against a file's path relative to the static root, so
`node_modules` prunes every such folder and `viewflow/js/contrib/*` drops that one subtree.
"""

from django.contrib.staticfiles.apps import StaticFilesConfig as DjangoStaticFilesConfig


class StaticFilesConfig(DjangoStaticFilesConfig):
    ignore_patterns = [
        *DjangoStaticFilesConfig.ignore_patterns,  # CVS, .*, *~
        "node_modules",
        "*/node_modules/*",
        "viewflow/js/contrib/*",
    ]
