"""Invite the advisors imported from the existing system who have no account yet."""

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from accounts.identity import normalize_login
from accounts.models import User
from switchover import invitations


class Command(BaseCommand):
    help = (
        "Invite les conseillers repris de l'ancien système qui n'ont pas encore de compte (adresse professionnelle, "
        "à défaut personnelle) ; un conseiller déjà invité ne l'est jamais une seconde fois."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--admin",
            required=True,
            metavar="EMAIL",
            help="adresse de l'administrateur national au nom de qui partent les invitations (journal d'audit)",
        )
        parser.add_argument("--limit", type=int, default=None, help="n'invite que les N premiers")
        parser.add_argument("--dry-run", action="store_true", help="compte seulement, n'invite personne")

    def handle(self, *args, **options):
        admin = User.objects.filter(email__iexact=normalize_login(options["admin"])).first()
        if admin is None:
            raise CommandError(f"Aucun compte pour {options['admin']}.")
        try:
            batch = invitations.advisors_invite_imported(
                user=admin, limit=options["limit"], dry_run=options["dry_run"]
            )
        except PermissionDenied as error:
            raise CommandError(f"{options['admin']} n'a pas le rôle actif d'administrateur national.") from error
        without_email = invitations.imported_advisors_without_email().count()
        verb = "à inviter" if options["dry_run"] else "invités"
        self.stdout.write(f"Conseillers {verb} : {len(batch.invited)}")
        for advisor, reason in batch.refused:
            self.stdout.write(f"Refusé : {advisor.full_name} (#{advisor.pk}) — {reason}")
        self.stdout.write(f"Refusés : {len(batch.refused)}")
        self.stdout.write(f"Sans adresse e-mail (non invitables) : {without_email}")
