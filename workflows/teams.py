"""The team of an agent's active membership: labels and saved things shared by one role over one scope."""

from accounts.enums import Role


def team_key(membership) -> str:
    """The key of the team a membership belongs to ("" for roles that have no agents' team)."""
    if membership is None:
        return ""
    if membership.role == Role.NATIONAL:
        return "national"
    if membership.role == Role.PREFECTURE:
        if membership.department_id:
            return f"prefecture:{membership.department_id}"
        return f"prefecture:region:{membership.region_id}"
    if membership.role == Role.HUB:
        return f"hub:{membership.hub_id}"
    return ""
