"""Argon2id with the parameters chosen for this platform (placeholder, measured below)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class ProjectArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id, t=2, m=19 MiB, p=1."""

    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
