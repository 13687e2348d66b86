"""Tag services: who may create what, unique names, rename, archive, merge, and which tags a report accepts."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reporting import scopes, services
from reporting.counters import BREAKDOWN_FIELDS
from reporting.enums import TagScope
from reporting.models import ActivityTag, Tag
from reporting.services.tags import normalized, tag_archive, tag_create, tag_merge, tag_rename
from tests.directory.factories import AdvisorFactory
from tests.reporting.factories import ActivityFactory
from tests.reporting.factories_tags import TagFactory
from tests.territories.factories import department


@pytest.fixture
def coordinator_of_paris(coordinator_user):
    """Karim coordinates the department of Paris (75)."""
    coordinator_user.active_membership.advisor.coordination_departments.add(department("75"))
    return coordinator_user


class TestTagCreateRights:
    def test_it_lets_an_advisor_create_a_personal_tag_of_her_own(self, advisor_user, paris_advisor):
        tag = tag_create(user=advisor_user, name="Permanence mairie", scope=TagScope.PERSONAL)
        assert (tag.scope, tag.owner_id, tag.department_id, tag.created_by) == (
            TagScope.PERSONAL,
            paris_advisor.pk,
            None,
            advisor_user,
        )

    @pytest.mark.parametrize("scope", [TagScope.DEPARTMENT, TagScope.NATIONAL])
    def test_it_refuses_shared_tags_to_an_advisor(self, advisor_user, scope):
        with pytest.raises(PermissionDenied):
            tag_create(user=advisor_user, name="Partagée", scope=scope, department=department("75"))
        assert not Tag.objects.exists()

    def test_it_lets_a_coordinator_create_a_tag_for_a_department_she_coordinates(self, coordinator_of_paris):
        tag = tag_create(user=coordinator_of_paris, name="Pass numérique", scope=TagScope.DEPARTMENT, department="75")
        assert tag.department_id == "75" and tag.owner_id is None

    def test_it_refuses_a_coordinator_a_department_she_does_not_coordinate(self, coordinator_of_paris):
        with pytest.raises(PermissionDenied):
            tag_create(
                user=coordinator_of_paris, name="Ailleurs", scope=TagScope.DEPARTMENT, department=department("13").pk
            )

    def test_it_refuses_departmental_tags_to_a_coordinator_without_departments(self, coordinator_user):
        with pytest.raises(PermissionDenied):
            tag_create(user=coordinator_user, name="Pass", scope=TagScope.DEPARTMENT, department=department("75"))

    def test_it_lets_a_prefecture_create_its_department_tags_only(self, prefecture_paris):
        assert tag_create(user=prefecture_paris, name="Fête", scope=TagScope.DEPARTMENT, department="75").pk
        with pytest.raises(PermissionDenied):
            tag_create(user=prefecture_paris, name="Fête", scope=TagScope.DEPARTMENT, department=department("13"))
        with pytest.raises(PermissionDenied):
            tag_create(user=prefecture_paris, name="Nationale", scope=TagScope.NATIONAL)
        with pytest.raises(PermissionDenied):
            tag_create(user=prefecture_paris, name="Perso", scope=TagScope.PERSONAL)

    def test_it_lets_the_national_team_create_national_and_any_departmental_tags(self, national_admin):
        assert tag_create(user=national_admin, name="France Services", scope=TagScope.NATIONAL).scope == "national"
        assert tag_create(user=national_admin, name="Local", scope=TagScope.DEPARTMENT, department=department("13"))

    @pytest.mark.parametrize("persona", ["structure_manager", "hub_agent", "outsider"])
    def test_it_refuses_every_tag_to_other_roles(self, request, persona):
        user = request.getfixturevalue(persona)
        for scope in TagScope.values:
            with pytest.raises(PermissionDenied):
                tag_create(user=user, name="Refusée", scope=scope, department=department("75"))


class TestTagNames:
    def test_it_ignores_case_accents_and_spaces_when_comparing(self):
        assert normalized("  Événement   Été ") == normalized("evenement ete")

    def test_it_refuses_a_second_personal_tag_with_the_same_name(self, advisor_user):
        tag_create(user=advisor_user, name="Atelier CAF", scope=TagScope.PERSONAL)
        with pytest.raises(ValidationError, match="existe déjà"):
            tag_create(user=advisor_user, name="atelier  caf ", scope=TagScope.PERSONAL)

    def test_it_allows_the_same_name_to_two_advisors(self, advisor_user, paris_advisor):
        TagFactory(personal=True, name="Atelier CAF")  # another advisor's
        assert tag_create(user=advisor_user, name="Atelier CAF", scope=TagScope.PERSONAL).owner == paris_advisor

    def test_it_refuses_the_same_departmental_name_in_one_department_only(self, national_admin):
        tag_create(user=national_admin, name="Médiathèques", scope=TagScope.DEPARTMENT, department=department("75"))
        with pytest.raises(ValidationError):
            tag_create(user=national_admin, name="MEDIATHEQUES", scope=TagScope.DEPARTMENT, department="75")
        marseille = department("13")
        assert tag_create(user=national_admin, name="Médiathèques", scope=TagScope.DEPARTMENT, department=marseille)

    def test_it_allows_a_name_again_once_the_old_tag_is_archived(self, advisor_user):
        old = tag_create(user=advisor_user, name="Été", scope=TagScope.PERSONAL)
        tag_archive(tag=old, user=advisor_user)
        assert tag_create(user=advisor_user, name="été", scope=TagScope.PERSONAL).pk != old.pk

    @pytest.mark.parametrize("name", ["", "   ", "x" * 61])
    def test_it_refuses_an_empty_or_too_long_name(self, advisor_user, name):
        with pytest.raises(ValidationError):
            tag_create(user=advisor_user, name=name, scope=TagScope.PERSONAL)

    def test_it_stores_the_name_with_spaces_collapsed(self, advisor_user):
        tag = tag_create(user=advisor_user, name="  Pass   numérique ", scope=TagScope.PERSONAL)
        assert tag.name == "Pass numérique"


class TestTagRenameAndArchive:
    def test_it_renames_a_tag_the_user_manages(self, advisor_user, paris_advisor):
        tag = TagFactory(personal=True, owner=paris_advisor, name="Ancien")
        tag_rename(tag=tag, user=advisor_user, name="Nouveau", description="Pour la mairie")
        tag.refresh_from_db()
        assert (tag.name, tag.description) == ("Nouveau", "Pour la mairie")

    def test_it_refuses_a_rename_to_a_sibling_name(self, advisor_user, paris_advisor):
        TagFactory(personal=True, owner=paris_advisor, name="Mairie")
        tag = TagFactory(personal=True, owner=paris_advisor, name="Autre")
        with pytest.raises(ValidationError):
            tag_rename(tag=tag, user=advisor_user, name="mairie")

    def test_it_lets_a_tag_keep_its_own_name_with_another_case(self, advisor_user, paris_advisor):
        tag = TagFactory(personal=True, owner=paris_advisor, name="mairie")
        assert tag_rename(tag=tag, user=advisor_user, name="Mairie").name == "Mairie"

    def test_it_refuses_to_change_another_advisors_tag(self, advisor_user):
        tag = TagFactory(personal=True, name="Secrète")
        with pytest.raises(PermissionDenied):
            tag_rename(tag=tag, user=advisor_user, name="Volée")
        with pytest.raises(PermissionDenied):
            tag_archive(tag=tag, user=advisor_user)

    def test_it_refuses_a_prefecture_of_13_the_tags_of_75(self, prefecture_marseille):
        tag = TagFactory(departmental=True)
        with pytest.raises(PermissionDenied):
            tag_rename(tag=tag, user=prefecture_marseille, name="Prise")

    def test_it_refuses_an_advisor_to_change_a_national_tag(self, advisor_user):
        with pytest.raises(PermissionDenied):
            tag_archive(tag=TagFactory(), user=advisor_user)

    def test_an_archived_tag_is_no_longer_offered_but_stays_on_reports(self, advisor_user, paris_advisor):
        tag = TagFactory(personal=True, owner=paris_advisor)
        activity = ActivityFactory(advisor=paris_advisor)
        services.activity_update(activity=activity, values={}, tags=[tag])
        tag_archive(tag=tag, user=advisor_user)
        assert tag not in scopes.visible_tags(advisor_user)
        assert list(activity.tags.all()) == [tag]


class TestTagMerge:
    def test_it_moves_reports_to_the_target_without_duplicates(self, advisor_user, paris_advisor):
        source = TagFactory(personal=True, owner=paris_advisor, name="CAF")
        target = TagFactory(personal=True, owner=paris_advisor, name="Caisse d'allocations")
        both, only_source, only_target = (ActivityFactory(advisor=paris_advisor) for _ in range(3))
        services.activity_update(activity=both, values={}, tags=[source, target])
        services.activity_update(activity=only_source, values={}, tags=[source])
        services.activity_update(activity=only_target, values={}, tags=[target])
        tag_merge(source=source, target=target, user=advisor_user)
        assert not Tag.objects.filter(pk=source.pk).exists()
        assert ActivityTag.objects.filter(tag=target).count() == 3
        assert sorted(ActivityTag.objects.values_list("activity_id", flat=True)) == sorted(
            [both.pk, only_source.pk, only_target.pk]
        )

    def test_it_merges_a_departmental_tag_into_a_national_one_for_the_national_team(self, national_admin):
        source, target = TagFactory(departmental=True), TagFactory()
        activity = ActivityFactory(advisor=AdvisorFactory(), remote=True)
        ActivityTag.objects.create(activity=activity, tag=source)
        assert tag_merge(source=source, target=target, user=national_admin) == 1
        assert list(activity.tags.all()) == [target]

    def test_it_refuses_to_narrow_a_tag(self, national_admin):
        with pytest.raises(ValidationError):
            tag_merge(source=TagFactory(), target=TagFactory(departmental=True), user=national_admin)

    def test_it_refuses_two_departments(self, national_admin):
        paris, marseille = TagFactory(departmental=True), TagFactory(departmental=True, department=department("13"))
        with pytest.raises(ValidationError):
            tag_merge(source=paris, target=marseille, user=national_admin)

    def test_it_refuses_a_tag_into_itself(self, advisor_user, paris_advisor):
        tag = TagFactory(personal=True, owner=paris_advisor)
        with pytest.raises(ValidationError):
            tag_merge(source=tag, target=tag, user=advisor_user)

    def test_it_refuses_when_the_user_does_not_manage_both(self, advisor_user, paris_advisor):
        mine = TagFactory(personal=True, owner=paris_advisor)
        with pytest.raises(PermissionDenied):
            tag_merge(source=mine, target=TagFactory(), user=advisor_user)
        assert Tag.objects.filter(pk=mine.pk).exists()


class TestTagsOnReports:
    def test_it_refuses_another_advisors_personal_tag(self, paris_advisor):
        with pytest.raises(ValidationError):
            services.activity_create(
                advisor=paris_advisor,
                values=_values(paris_advisor),
                token=uuid.uuid4(),
                tags=[TagFactory(personal=True)],
            )

    def test_it_refuses_a_department_tag_outside_the_advisors_department(self, paris_advisor):
        marseille_tag = TagFactory(departmental=True, department=department("13"))
        with pytest.raises(ValidationError):
            services.activity_create(
                advisor=paris_advisor, values=_values(paris_advisor), token=uuid.uuid4(), tags=[marseille_tag]
            )

    def test_it_accepts_its_department_and_national_tags(self, paris_advisor):
        tags = [TagFactory(departmental=True), TagFactory()]
        activity, _ = services.activity_create(
            advisor=paris_advisor, values=_values(paris_advisor), token=uuid.uuid4(), tags=tags
        )
        assert set(activity.tags.all()) == set(tags)

    def test_it_refuses_to_add_an_archived_tag_but_keeps_one_already_there(self, paris_advisor):
        archived = TagFactory(personal=True, owner=paris_advisor)
        activity = ActivityFactory(advisor=paris_advisor)
        services.activity_update(activity=activity, values={}, tags=[archived])
        Tag.objects.filter(pk=archived.pk).update(archived_at="2025-01-01T00:00Z")
        archived.refresh_from_db()
        services.activity_update(activity=activity, values={"duration": 30}, tags=[archived])
        assert list(activity.tags.all()) == [archived]
        other = ActivityFactory(advisor=paris_advisor)
        with pytest.raises(ValidationError):
            services.activity_update(activity=other, values={}, tags=[archived])


def _values(advisor) -> dict:
    report = ActivityFactory.build(advisor=advisor, remote=True)
    fields = ["kind", "date", "duration", "place_type", "place", "themes", "materials", "participants"]
    values = {name: getattr(report, name) for name in fields}
    values.update({name: getattr(report, name) for name in BREAKDOWN_FIELDS})
    return values
