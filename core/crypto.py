"""Personal data at rest: ID numbers are stored encrypted, with a keyed hash for look-ups.

A database dump shows neither the number nor anything a dictionary of IDs could be matched against
(the hash is an HMAC under a secret key). Keys come from HONGFAN_ID_KEY (required in production);
development derives them from SECRET_KEY.
"""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet
from django.conf import settings


def keys_for(secret: str) -> tuple[Fernet, bytes]:
    """The cipher and the hash key derived from a HONGFAN_ID_KEY (also the new one, when rotating)."""
    encryption_key = hashlib.sha256(b"hongfan/id-number/encrypt\0" + secret.encode()).digest()
    hash_key = hashlib.sha256(b"hongfan/id-number/hash\0" + secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(encryption_key)), hash_key


@lru_cache(maxsize=1)
def _keys() -> tuple[Fernet, bytes]:
    return keys_for(settings.HONGFAN_ID_KEY)


def hash_with(hash_key: bytes, number: str) -> str:
    return hmac.new(hash_key, number.encode(), hashlib.sha256).hexdigest()


def encrypt_id(number: str) -> str:
    return _keys()[0].encrypt(number.encode()).decode()


def decrypt_id(token: str) -> str:
    return _keys()[0].decrypt(token.encode()).decode()


def id_hash(number: str) -> str:
    return hash_with(_keys()[1], number)


def encrypt_bytes(data: bytes) -> bytes:
    """For uploads kept between preview and confirmation: they hold ID numbers in clear."""
    return _keys()[0].encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    return _keys()[0].decrypt(bytes(token))


# --- The last four -------------------------------------------------------------------------------
# The masked number shows them to everyone (370827********123X): a picker finds a member by them and
# tells namesakes apart. Kept as a keyed hash under a key of its own (Member.id_tail_hash), so the
# column matches nothing without HONGFAN_ID_KEY either (a key rotation recomputes it, as id_hash).
ID_TAIL_LENGTH = 4


def tail_key_for(secret: str) -> bytes:
    return hashlib.sha256(b"hongfan/id-number/tail\0" + secret.encode()).digest()


@lru_cache(maxsize=1)
def _tail_key() -> bytes:
    return tail_key_for(settings.HONGFAN_ID_KEY)


def tail_hash_with(tail_key: bytes, number_or_tail: str) -> str:
    tail = number_or_tail[-ID_TAIL_LENGTH:].upper()
    return hmac.new(tail_key, tail.encode(), hashlib.sha256).hexdigest()


def id_tail_hash(number_or_tail: str) -> str:
    """The keyed hash of an ID number's last four characters (or of those four given alone)."""
    return tail_hash_with(_tail_key(), number_or_tail)
