"""Creating and revoking partner tokens (national admins only, audited), recording and purging the calls log."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.enums import AuditAction
from accounts.roles import is_national
from accounts.services import audit_record
from partners import keys
from partners.enums import Right, ScopeLevel
from partners.models import ApiCall, ApiToken

# Prefixes are 8 random letters or digits (62^8): a collision is rare, three in a row is a bug.
PREFIX_ATTEMPTS = 3
PURGE_BATCH = 10_000


@dataclass(frozen=True)
class CreatedToken:
    """A new token and its secret: the only moment the secret exists outside the partner's hands."""

    token: ApiToken
    secret: str


def _check_national(user) -> None:
    if not is_national(user):
        raise PermissionDenied("Seule l'équipe nationale gère les jetons d'API partenaires.")


def _check_territory(level: str, region, department) -> None:
    if level == ScopeLevel.REGION and (region is None or department is not None):
        raise ValidationError({"region": "Choisissez la région du partenaire."})
    if level == ScopeLevel.DEPARTMENT and (department is None or region is not None):
        raise ValidationError({"department": "Choisissez le département du partenaire."})
    if level == ScopeLevel.NATIONAL and (region is not None or department is not None):
        raise ValidationError({"level": "Un jeton national ne porte ni région ni département."})
    if level not in ScopeLevel.values:
        raise ValidationError({"level": "Choisissez un périmètre."})


def api_token_create(
    *,
    user,
    name: str,
    organisation: str,
    contact_email: str,
    level: str,
    rights: list[str],
    rate_limit: int,
    valid_from: datetime,
    expires_at: datetime,
    region=None,
    department=None,
    request=None,
) -> CreatedToken:
    """Create a token for a partner; the secret is returned once and only its hash is stored."""
    _check_national(user)
    _check_territory(level, region, department)
    if not rights or set(rights) - set(Right.values):
        raise ValidationError({"rights": "Choisissez au moins un droit."})
    if expires_at <= valid_from:
        raise ValidationError({"expires_on": "La date d'expiration doit suivre la date de début de validité."})
    for attempt in range(PREFIX_ATTEMPTS):
        secret = keys.new_secret()
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(
                    name=name,
                    organisation=organisation,
                    contact_email=contact_email,
                    level=level,
                    region=region,
                    department=department,
                    rights=[right for right in Right.values if right in rights],
                    rate_limit=rate_limit,
                    valid_from=valid_from,
                    expires_at=expires_at,
                    prefix=keys.prefix_of(secret),
                    secret_hash=keys.hash_of(secret),
                    created_by=user,
                )
                audit_record(
                    actor=user,
                    action=AuditAction.API_TOKEN_CREATED,
                    target=token,
                    details={
                        "prefixe": token.prefix,
                        "organisme": organisation,
                        "perimetre": token.territory_label,
                        "droits": token.rights,
                        "requetes_par_minute": rate_limit,
                        "valable_du": timezone.localtime(valid_from).isoformat(),
                        "expire_le": timezone.localtime(expires_at).isoformat(),
                    },
                    request=request,
                )
        except IntegrityError:
            if attempt == PREFIX_ATTEMPTS - 1:
                raise
            continue
        return CreatedToken(token=token, secret=secret)
    raise AssertionError("unreachable")


@transaction.atomic
def api_token_revoke(*, user, token: ApiToken, reason: str, request=None) -> ApiToken:
    """Revoke a token now: its next call is refused (401). A revoked token stays listed with who, when and why."""
    _check_national(user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Indiquez le motif de la révocation."})
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is not None:
        raise ValidationError("Ce jeton est déjà révoqué.")
    locked.revoked_at = timezone.now()
    locked.revoked_by = user
    locked.revocation_reason = reason
    locked.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    audit_record(
        actor=user,
        action=AuditAction.API_TOKEN_REVOKED,
        target=locked,
        details={"prefixe": locked.prefix, "motif": reason},
        request=request,
    )
    return locked


def api_call_record(
    *,
    token_id: int | None,
    prefix: str,
    method: str,
    path: str,
    query_string: str,
    status: int,
    duration_ms: int,
    client_ip: str | None,
) -> None:
    """Append one call to the log: a single INSERT."""
    ApiCall.objects.create(
        token_id=token_id,
        prefix=prefix[: keys.PREFIX_LENGTH],
        method=method[:10],
        path=path[:255],
        query_string=query_string[:1000],
        status=status,
        duration_ms=max(0, duration_ms),
        client_ip=client_ip,
    )


def api_calls_purge(*, cutoff: datetime, apply: bool) -> int:
    """Delete (or, without apply, count) the calls logged before cutoff, in batches that keep locks short."""
    old = ApiCall.objects.filter(at__lt=cutoff)
    if not apply:
        return old.count()
    deleted = 0
    while True:
        batch = list(old.order_by("pk").values_list("pk", flat=True)[:PURGE_BATCH])
        if not batch:
            return deleted
        deleted += ApiCall.objects.filter(pk__in=batch).delete()[0]
