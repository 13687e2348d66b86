"""Tags of the three scopes, and reports carrying tags (through the real services)."""

import factory
from factory.django import DjangoModelFactory

from reporting.enums import TagScope
from reporting.models import Tag
from tests.directory.factories import AdvisorFactory
from tests.territories.factories import department


class TagFactory(DjangoModelFactory):
    """A national tag by default; traits `personal` (an advisor's) and `departmental` (Paris unless told)."""

    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"Étiquette {n}")
    scope = TagScope.NATIONAL
    owner = None
    department = None

    class Params:
        personal = factory.Trait(scope=TagScope.PERSONAL, owner=factory.SubFactory(AdvisorFactory))
        departmental = factory.Trait(
            scope=TagScope.DEPARTMENT, department=factory.LazyFunction(lambda: department("75"))
        )
