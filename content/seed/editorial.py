"""Editorial organisation in Wagtail: groups and their permissions, document collections, moderation workflow."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from accounts.enums import ROLE_GROUPS, Role

EDITORS = ROLE_GROUPS[Role.EDITOR]
MODERATORS = ROLE_GROUPS[Role.MODERATOR]
# Groups Wagtail creates at install time; renamed (members kept) rather than duplicated.
WAGTAIL_DEFAULT_GROUPS = {EDITORS: "Editors", MODERATORS: "Moderators"}
PUBLIC_COLLECTION = "Ressources"
PRIVATE_COLLECTION = "Documents internes"
WORKFLOW_NAME = "Relecture éditoriale"
WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"
TASK_NAME = "Validation par un modérateur"

PAGE_PERMISSIONS = {
    # Editors write and submit; only moderators publish.
    EDITORS: ["add_page", "change_page"],
    MODERATORS: ["add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page"],
}
MEDIA_CODENAMES = {
    EDITORS: ["add_document", "change_document", "choose_document", "add_image", "change_image", "choose_image"],
    MODERATORS: [
        "add_document",
        "change_document",
        "choose_document",
        "delete_document",
        "add_image",
        "change_image",
        "choose_image",
        "delete_image",
    ],
}
MODEL_PERMISSIONS = {
    EDITORS: [
        ("wagtailadmin", "access_admin"),
        ("content", "view_thematique"),
        ("content", "view_public"),
        ("reporting", "view_tool"),
    ],
    MODERATORS: [
        ("wagtailadmin", "access_admin"),
        ("content", "add_thematique"),
        ("content", "change_thematique"),
        ("content", "delete_thematique"),
        ("content", "view_thematique"),
        ("content", "add_public"),
        ("content", "change_public"),
        ("content", "delete_public"),
        ("content", "view_public"),
        ("content", "change_siteidentity"),
        # The Espace Coop's « Mes outils » list is a snippet of the reporting app.
        ("reporting", "add_tool"),
        ("reporting", "change_tool"),
        ("reporting", "delete_tool"),
        ("reporting", "view_tool"),
        ("wagtailredirects", "add_redirect"),
        ("wagtailredirects", "change_redirect"),
        ("wagtailredirects", "delete_redirect"),
    ],
}


def _permissions(pairs) -> list[Permission]:
    query = Q()
    for app_label, codename in pairs:
        query |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(query))


def _group(name: str) -> tuple[Group, bool]:
    """The group, and whether it is new (created, or renamed from Wagtail's install-time group)."""
    group = Group.objects.filter(name=name).first()
    if group is not None:
        return group, False
    group = Group.objects.filter(name=WAGTAIL_DEFAULT_GROUPS[name]).first()
    if group is None:
        return Group.objects.create(name=name), True
    group.name = name
    group.save(update_fields=["name"])
    return group, True


def collections() -> tuple[Collection, Collection]:
    """The public « Ressources » collection and the private « Documents internes » one (moderators only).

    Call setup_editorial() first: it renames Wagtail's install-time groups, which the restriction refers to.
    """
    # Wagtail's migrations create the root collection; a flushed database (transactional tests) has none.
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    public = root.get_children().filter(name=PUBLIC_COLLECTION).first() or root.add_child(name=PUBLIC_COLLECTION)
    private = root.get_children().filter(name=PRIVATE_COLLECTION).first() or root.add_child(name=PRIVATE_COLLECTION)
    restriction, _ = CollectionViewRestriction.objects.get_or_create(
        collection=private, defaults={"restriction_type": CollectionViewRestriction.GROUPS}
    )
    restriction.groups.add(_group(MODERATORS)[0])
    return public, private


def setup_editorial(*, home: Page) -> Workflow:
    """The groups and their permissions (per page subtree and collection), and the moderation workflow on the site.

    Missing permissions are added on every run; a new group (or Wagtail's install-time one, renamed) first loses
    any other permission, so that editors never reach the private collection. Changes made later in the admin stay.
    """
    groups = {name: _group(name) for name in (EDITORS, MODERATORS)}
    public_collection, _ = collections()
    root_collection = Collection.get_first_root_node()
    for name, (group, fresh) in groups.items():
        if fresh:
            group.permissions.clear()
            GroupPagePermission.objects.filter(group=group).delete()
            GroupCollectionPermission.objects.filter(group=group).delete()
        group.permissions.add(*_permissions(MODEL_PERMISSIONS[name]))
        page_permissions = _permissions(("wagtailcore", codename) for codename in PAGE_PERMISSIONS[name])
        for permission in page_permissions:
            GroupPagePermission.objects.get_or_create(group=group, page=home, permission=permission)
        # Editors work in the public collection; moderators in every collection (the private one included).
        collection = public_collection if name == EDITORS else root_collection
        media = Permission.objects.filter(
            content_type__app_label__in=["wagtaildocs", "wagtailimages"], codename__in=MEDIA_CODENAMES[name]
        )
        for permission in media:
            GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)

    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.set([_group(MODERATORS)[0]])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    # Workflow is a ClusterableModel: workflow.workflow_tasks.create() would wait for workflow.save(). Write the row.
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    # Wagtail's install-time workflow (on the tree root) would apply to pages outside the site: retire it.
    WorkflowPage.objects.filter(page__depth=1).exclude(workflow=workflow).delete()
    Workflow.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW, workflow_pages__isnull=True).update(active=False)
    return workflow
