"""Coordinators' activities: the services' rules per type, idempotency, scope keys, tags, update and soft delete."""

import uuid
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.enums import AuditAction
from accounts.models import AuditEvent
from reporting.enums import TagScope
from reporting.models import CoordinationActivity, Tag
from reporting.services.coordination import (
    coordination_activity_create,
    coordination_activity_delete,
    coordination_activity_update,
    coordination_errors,
)
from tests.directory.factories import AdvisorFactory
from tests.reporting.factories_coord import CoordinationActivityFactory
from tests.territories.factories import department

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def animation(**overrides) -> dict:
    values = {
        "kind": "animation",
        "date": TODAY() - timedelta(days=1),
        "advisors_count": 5,
        "animation_type": "webinaire",
    }
    values.update(overrides)
    return values


def event(**overrides) -> dict:
    values = {"kind": "evenement", "date": TODAY(), "participants": 30, "event_type": "nec_local"}
    values.update(overrides)
    return values


def partnership(**overrides) -> dict:
    values = {
        "kind": "partenariat",
        "date": TODAY(),
        "partnership_natures": ["subvention"],
        "partner_structures": [{"name": "Conseil départemental", "type": "departement"}],
    }
    values.update(overrides)
    return values


@pytest.fixture
def coordinator(coordinator_user):
    return coordinator_user.advisor


def create(coordinator, values, **kwargs):
    return coordination_activity_create(coordinator=coordinator, values=values, token=uuid.uuid4(), **kwargs)


class TestCreate:
    @pytest.mark.parametrize("values", [animation(), event(), partnership()], ids=["animation", "event", "partner"])
    def test_it_records_each_type_with_the_scope_keys_of_the_coordinators_structure(self, coordinator, values):
        activity, created = create(coordinator, values)
        assert created
        assert activity.kind == values["kind"]
        assert activity.structure_id == coordinator.structure_id
        assert activity.department_id == coordinator.structure.department_id
        assert activity.region_id == coordinator.structure.department.region_id

    def test_it_returns_the_activity_already_recorded_with_the_same_token(self, coordinator):
        token = uuid.uuid4()
        first, created = coordination_activity_create(coordinator=coordinator, values=animation(), token=token)
        again, created_again = coordination_activity_create(
            coordinator=coordinator, values=animation(advisors_count=9), token=token
        )
        assert created and not created_again
        assert again.pk == first.pk
        assert CoordinationActivity.objects.count() == 1
        assert again.advisors_count == 5

    def test_it_refuses_an_advisor_who_is_not_a_coordinator(self, paris_advisor):
        with pytest.raises(PermissionDenied):
            create(paris_advisor, animation())
        assert not CoordinationActivity.objects.exists()

    def test_it_empties_the_answers_of_the_other_types_and_unused_other_texts(self, coordinator):
        activity, _ = create(
            coordinator,
            animation(participants=50, event_type="national", animation_type_other="Ignoré", partner_structures=[]),
        )
        assert activity.participants == 0
        assert activity.event_type == ""
        assert activity.animation_type_other == ""

    def test_it_keeps_the_other_text_when_autre_is_chosen(self, coordinator):
        activity, _ = create(coordinator, animation(animation_type="autre", animation_type_other="  Forum  "))
        assert activity.animation_type_other == "Forum"

    def test_it_refuses_a_date_in_the_future_or_before_2020(self, coordinator):
        for day, message in (
            (TODAY() + timedelta(days=1), "futur"),
            (date(2019, 12, 31), "2020"),
        ):
            with pytest.raises(ValidationError) as error:
                create(coordinator, event(date=day))
            assert message in error.value.message_dict["date"][0]
        assert not CoordinationActivity.objects.exists()

    def test_it_refuses_an_unknown_type(self, coordinator):
        with pytest.raises(ValidationError):
            create(coordinator, animation(kind="reunion"))


class TestRules:
    @pytest.mark.parametrize(
        ("values", "field"),
        [
            (animation(advisors_count=0), "advisors_count"),
            (animation(animation_type=""), "animation_type"),
            (animation(animation_type="bal"), "animation_type"),
            (animation(animation_type="autre"), "animation_type_other"),
            (animation(animation_themes=["autre"]), "animation_theme_other"),
            (animation(animation_themes=["inconnu"]), "animation_themes"),
            (animation(initiative="hasard"), "initiative"),
            (event(participants=0), "participants"),
            (event(event_type=""), "event_type"),
            (event(event_type="autre", event_type_other="   "), "event_type_other"),
            (event(organisers=["autre"]), "organiser_other"),
            (event(organisers=["martiens"]), "organisers"),
            (partnership(partnership_natures=[]), "partnership_natures"),
            (partnership(partnership_natures=["autre"]), "partnership_nature_other"),
            (partnership(partner_structures=[]), "partner_structures"),
            (partnership(partner_structures=[{"name": "", "type": "commune"}]), "partner_structures"),
            (partnership(partner_structures=[{"name": "Mairie", "type": "ma_structure"}]), "partner_structures"),
            (event(duration=0), "duration"),
            (event(territorial_level="planetaire"), "territorial_level"),
            (event(participants=10_001), "participants"),
        ],
    )
    def test_each_rule_is_refused_with_a_message_on_its_field(self, coordinator, values, field):
        assert field in coordination_errors(values["kind"], values)
        with pytest.raises(ValidationError) as error:
            create(coordinator, values)
        assert field in error.value.message_dict
        assert not CoordinationActivity.objects.exists()

    def test_an_animation_with_only_other_actors_is_valid(self, coordinator):
        assert coordination_errors("animation", animation(advisors_count=0, other_actors_count=2)) == {}


class TestTags:
    def test_it_accepts_own_departmental_and_national_tags(self, coordinator):
        tags = [
            Tag.objects.create(name="Perso", scope=TagScope.PERSONAL, owner=coordinator),
            Tag.objects.create(name="Paris", scope=TagScope.DEPARTMENT, department=department("75")),
            Tag.objects.create(name="France", scope=TagScope.NATIONAL),
        ]
        activity, _ = create(coordinator, animation(), tags=tags)
        assert set(activity.tags.values_list("name", flat=True)) == {"Perso", "Paris", "France"}

    @pytest.mark.parametrize("kind", ["other_personal", "other_department", "archived"])
    def test_it_refuses_a_tag_the_coordinator_may_not_use(self, coordinator, kind):
        tag = {
            "other_personal": lambda: Tag.objects.create(name="X", scope=TagScope.PERSONAL, owner=AdvisorFactory()),
            "other_department": lambda: Tag.objects.create(
                name="Marseille", scope=TagScope.DEPARTMENT, department=department("13")
            ),
            "archived": lambda: Tag.objects.create(name="Vieux", scope=TagScope.NATIONAL, archived_at=timezone.now()),
        }[kind]()
        with pytest.raises(ValidationError):
            create(coordinator, animation(), tags=[tag])
        assert not CoordinationActivity.objects.exists()


class TestUpdateAndDelete:
    def test_the_coordinator_changes_an_activity_but_not_its_type(self, coordinator, coordinator_user):
        activity = CoordinationActivityFactory(coordinator=coordinator)
        updated = coordination_activity_update(
            actor=coordinator_user, activity=activity, values={"kind": "evenement", "advisors_count": 12}
        )
        assert updated.kind == "animation"
        assert updated.advisors_count == 12

    def test_an_update_breaking_a_rule_is_refused_and_changes_nothing(self, coordinator, coordinator_user):
        activity = CoordinationActivityFactory(coordinator=coordinator)
        with pytest.raises(ValidationError):
            coordination_activity_update(
                actor=coordinator_user, activity=activity, values={"date": TODAY() + timedelta(days=2)}
            )
        activity.refresh_from_db()
        assert activity.date == TODAY() - timedelta(days=3)

    def test_another_user_may_neither_change_nor_delete_it(self, coordinator, advisor_user, prefecture_paris):
        activity = CoordinationActivityFactory(coordinator=coordinator)
        for user in (advisor_user, prefecture_paris):
            with pytest.raises(PermissionDenied):
                coordination_activity_update(actor=user, activity=activity, values={"advisors_count": 1})
            with pytest.raises(PermissionDenied):
                coordination_activity_delete(actor=user, activity=activity)
        activity.refresh_from_db()
        assert activity.deleted_at is None and activity.advisors_count == 6

    def test_delete_is_soft_and_audited(self, coordinator, coordinator_user):
        activity = CoordinationActivityFactory(coordinator=coordinator)
        coordination_activity_delete(actor=coordinator_user, activity=activity)
        activity.refresh_from_db()
        assert activity.deleted_at is not None
        assert not CoordinationActivity.objects.current().exists()
        event_ = AuditEvent.objects.get(action=AuditAction.ACTIVITY_DELETED)
        assert event_.target_type == "reporting.coordinationactivity"
        assert event_.target_id == str(activity.pk)
        assert event_.details["kind"] == "animation"
