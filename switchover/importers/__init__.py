"""The importers of the existing system's collections, in the order a full switch-over runs them."""

from switchover.pipeline import Importer

# collection name → importer class; the order is the dependency order of a full import (import_legacy --all).
# Each importer module registers itself here (filled by the issue-16 branches).
IMPORTERS: dict[str, type[Importer]] = {}


def register(importer_class: type[Importer]) -> type[Importer]:
    IMPORTERS[importer_class.collection] = importer_class
    return importer_class


from switchover.importers import directory  # noqa: E402, F401, I001
from switchover.importers import dossiers  # noqa: E402, F401
from switchover.importers import cras  # noqa: E402, F401
