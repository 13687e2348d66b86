"""Shared helpers of the espace agents' benchmarks (imported once Django is set up): output and bench personas."""

import sys

from accounts import services as account_services
from accounts.models import User

PASSWORD = "bench-password-2026"


def log(message):
    sys.stderr.write(f"{message}\n")
    sys.stderr.flush()


def out(line=""):
    sys.stdout.write(f"{line}\n")


def persona(email, role, **scope):
    """A bench user with one role (created on first use)."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=PASSWORD, first_name="Bench", last_name=role)
        account_services.membership_grant(user=user, role=role, granted_by=None, **scope)
    return User.objects.get(pk=user.pk)
