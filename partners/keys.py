"""Partner token secrets: generated here, shown once, stored only as their SHA-256.

A secret is 48 random letters and digits (about 285 bits; no punctuation, so a double-click selects it whole). Its
first PREFIX_LENGTH characters are public: they identify the token in lists, logs and the calls log, and find its row
with one indexed lookup; the whole secret is then checked against the stored hash in constant time. A plain SHA-256
(no salt, no key stretching) is enough for a random secret of this length: nothing can be guessed from the hash, and
each call costs a single hash.
"""

import hashlib
import hmac
import secrets
import string

ALPHABET = string.ascii_letters + string.digits
SECRET_LENGTH = 48
PREFIX_LENGTH = 8


def new_secret() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(SECRET_LENGTH))


def prefix_of(secret: str) -> str:
    return secret[:PREFIX_LENGTH]


def hash_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def matches(secret: str, stored_hash: str) -> bool:
    """Constant-time comparison of a presented secret with a stored hash."""
    return hmac.compare_digest(hash_of(secret), stored_hash)


def looks_like_secret(value: str) -> bool:
    """A value of the secrets' shape (to keep it out of what we store, whatever the parameter's name)."""
    return len(value) == SECRET_LENGTH and all(char in ALPHABET for char in value)
