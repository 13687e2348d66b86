"""Partner tokens with their secret (the secret exists only here and in the partner's hands)."""

from datetime import timedelta

from django.utils import timezone

from partners import keys
from partners.enums import Right, ScopeLevel
from partners.models import ApiToken
from tests.territories.factories import department, region

ALL_RIGHTS = list(Right.values)


def make_token(
    *,
    level: str = ScopeLevel.NATIONAL,
    code: str = "",
    rights=None,
    rate_limit: int = 60,
    valid_from=None,
    expires_at=None,
    **fields,
) -> tuple[ApiToken, str]:
    """A token and its secret; `code` names the region or department of a regional or departmental token."""
    now = timezone.now()
    secret = keys.new_secret()
    territory = {}
    if level == ScopeLevel.REGION:
        territory["region"] = region(code)
    if level == ScopeLevel.DEPARTMENT:
        territory["department"] = department(code)
    token = ApiToken.objects.create(
        name=fields.pop("name", "Observatoire du numérique de la Métropole de Lyon"),
        organisation=fields.pop("organisation", "Métropole de Lyon"),
        contact_email=fields.pop("contact_email", "technique@partenaire.test"),
        level=level,
        rights=ALL_RIGHTS if rights is None else rights,
        rate_limit=rate_limit,
        valid_from=valid_from or now - timedelta(days=1),
        expires_at=expires_at or now + timedelta(days=365),
        prefix=keys.prefix_of(secret),
        secret_hash=keys.hash_of(secret),
        **territory,
        **fields,
    )
    return token, secret


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}
