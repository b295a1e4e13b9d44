"""Tokens for tests, and a client that sends one."""

from api.tokens import token_create


def key_for(user, **kwargs) -> str:
    return token_create(user=user, name="测试", **kwargs)[1]


def bearer(user, **kwargs) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key_for(user, **kwargs)}"}
