"""The demo tags (reporting/demo_tags.py): the three scopes on the demo advisor's reports, idempotent."""

import pytest

from reporting import demo_tags
from reporting.enums import TagScope
from reporting.models import ActivityTag, Tag

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]  # one demo world per run


def test_it_puts_personal_departmental_and_national_tags_on_reports_and_is_idempotent(demo_world):
    demo_tags.seed()
    state = (Tag.objects.count(), ActivityTag.objects.count())
    demo_tags.seed()
    assert (Tag.objects.count(), ActivityTag.objects.count()) == state
    assert set(Tag.objects.values_list("scope", flat=True)) == set(TagScope.values)
    assert Tag.objects.get(scope=TagScope.DEPARTMENT).department_id == "75"
    for tag in Tag.objects.all():
        assert ActivityTag.objects.filter(tag=tag).exists(), tag
    personal = ActivityTag.objects.filter(tag__scope=TagScope.PERSONAL)
    assert all(link.activity.advisor_id == link.tag.owner_id for link in personal.select_related("activity", "tag"))
