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
