"""Issue 14: each task carries what the lists filter and sort on (prefecture opinion, structure type, posts asked),
as the dossier stands when the task opens."""

import pytest

from directory.enums import StructureType
from tests.workflows.helpers import application_at_hub, confirmed_application, work_item
from tests.workflows.steps import prefecture_review
from workflows.enums import Kind, PrefectureOpinion, Step

pytestmark = pytest.mark.django_db


def test_a_task_at_the_prefecture_knows_the_structure_type_and_the_posts_asked_but_no_opinion_yet():
    application = confirmed_application(type=StructureType.PRIVATE, advisors_wanted=3)
    item = work_item(Kind.STRUCTURE, application, Step.STRUCTURE_PREFECTURE)
    assert (item.prefecture_opinion, item.structure_type, item.posts_requested) == ("", StructureType.PRIVATE, 3)


def test_the_hub_task_carries_the_prefecture_opinion_given_before_it_opened(prefecture_paris):
    application = application_at_hub(prefecture_paris, advisors_wanted=2)
    item = work_item(Kind.STRUCTURE, application, Step.STRUCTURE_HUB)
    assert item.prefecture_opinion == PrefectureOpinion.FAVORABLE
    assert item.posts_requested == 2


def test_an_unfavourable_opinion_reaches_the_hub_task_too(prefecture_paris):
    application = confirmed_application()
    prefecture_review(application, prefecture_paris, opinion="defavorable")
    assert work_item(Kind.STRUCTURE, application, Step.STRUCTURE_HUB).prefecture_opinion == "defavorable"
