"""Template tags of the avenant's dossier page: the structure's posts today (granted, held, vacant)."""

from django import template

from directory.models import Structure
from workflows.selectors import free_posts

register = template.Library()


@register.simple_tag
def posts_today(structure_id) -> dict:
    """The posts of a structure today: granted (its convention's), held (advisors and recruitments), vacant."""
    structure = Structure.objects.only("pk", "posts_granted").get(pk=structure_id)
    free = free_posts(structure)
    return {"granted": structure.posts_granted, "held": structure.posts_granted - free, "vacant": max(free, 0)}
