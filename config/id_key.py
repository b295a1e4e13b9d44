"""Rotating HONGFAN_ID_KEY: every ID number re-encrypted and re-hashed under a new key, at once.

The ID numbers (members.Member: id_cipher, id_hash) and the uploads kept between an import's
preview and its confirmation (imports.ImportJob.data) are encrypted with keys derived from
HONGFAN_ID_KEY (core.crypto). `manage.py rotate_id_key` reads each with the key in force and writes
it under the new one, in one transaction with both tables locked against writes: the database
holds either every value under the old key or every value under the new, never a mixture.
One audit entry per park says how many it re-encrypted.

The row history (core/history.py) keeps each member's keyed hash of the number, not the number: the
rotation records no event of its own (the number did not change) and rewrites the history's copies
of each member's current hash to the new one, so the history still tells a changed number from an
unchanged one. Hashes of numbers a member held before stay under the old key; they differ from the
current one either way.
"""

from dataclasses import dataclass, field

import pgtrigger
from cryptography.fernet import InvalidToken
from django.conf import settings
from django.db import connection, transaction
from django_scopes import scopes_disabled

from audit.services import audit_record
from core.crypto import hash_with, keys_for, tail_hash_with, tail_key_for
from imports.models import ImportJob
from members.models import Member
from orgs.models import Park

BATCH = 2000


class HistoryRehash:
    """Pairs (member, old hash, new hash) to rewrite in the members' row history."""

    def __init__(self):
        self.pairs = []

    def add(self, pk, old, new):
        self.pairs.append((pk, old, new))

    def flush(self):
        if not self.pairs:
            return
        pks, olds, news = zip(*self.pairs)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""UPDATE {connection.ops.quote_name(HISTORY._meta.db_table)} AS h SET id_hash = m.new
                    FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS m(pk, old, new)
                    WHERE h.pgh_obj_id = m.pk AND h.id_hash = m.old""",
                [list(pks), list(olds), list(news)],
            )
        self.pairs = []


HISTORY = Member.pgh_event_model
# The member's history trigger (no event: the number is the same) and its history's append-only guard.
SKIPPED_TRIGGERS = ("members.Member:update_update", f"members.{HISTORY.__name__}:append_only")


def _write_members(batch, history: HistoryRehash):
    with pgtrigger.ignore(*SKIPPED_TRIGGERS):
        Member.objects.bulk_update(batch, ["id_cipher", "id_hash", "id_tail_hash"])
        history.flush()


class RotationError(Exception):
    pass


@dataclass
class Rotated:
    members: int = 0
    uploads: int = 0
    parks: dict = field(default_factory=dict)  # park id: {"members": n, "uploads": n}


def rotate_id_key(*, new_key: str) -> Rotated:
    if len(new_key) < 32:
        raise RotationError("新密钥太短：请用至少 32 个字符的随机串（例如 python -c 'import secrets; print(secrets.token_urlsafe(48))'）。")
    if new_key == settings.HONGFAN_ID_KEY:
        raise RotationError("新密钥与当前的 HONGFAN_ID_KEY 相同。")
    old_cipher, _ = keys_for(settings.HONGFAN_ID_KEY)
    new_cipher, new_hash_key = keys_for(new_key)
    new_tail_key = tail_key_for(new_key)  # the picker's search by the last four digits
    done = Rotated()
    with transaction.atomic(), scopes_disabled():
        with connection.cursor() as cursor:  # reads go on; a write waits until the rotation commits
            for model in (Member, ImportJob):
                cursor.execute(f"LOCK TABLE {connection.ops.quote_name(model._meta.db_table)} IN EXCLUSIVE MODE")
        history = HistoryRehash()
        members = Member.objects.only("pk", "park_id", "id_cipher", "id_hash", "id_tail_hash").order_by("pk")
        batch = []
        for member in members.iterator(chunk_size=BATCH):
            try:
                number = old_cipher.decrypt(member.id_cipher.encode()).decode()
            except InvalidToken:
                raise RotationError(
                    f"党员记录 {member.pk} 的身份证号无法用当前的 HONGFAN_ID_KEY 解密：它不是加密这些号码的密钥。未作任何改动。"
                ) from None
            member.id_cipher = new_cipher.encrypt(number.encode()).decode()
            history.add(member.pk, member.id_hash, new_hash := hash_with(new_hash_key, number))
            member.id_hash = new_hash
            member.id_tail_hash = tail_hash_with(new_tail_key, number)
            batch.append(member)
            done.parks.setdefault(member.park_id, {"members": 0, "uploads": 0})["members"] += 1
            if len(batch) == BATCH:
                _write_members(batch, history)
                batch = []
        _write_members(batch, history)
        for job in ImportJob.objects.filter(data__isnull=False).only("pk", "park_id", "data").order_by("pk"):
            try:
                content = old_cipher.decrypt(bytes(job.data))
            except InvalidToken:
                raise RotationError(f"导入记录 {job.pk} 的文件无法用当前的 HONGFAN_ID_KEY 解密。未作任何改动。") from None
            ImportJob.objects.filter(pk=job.pk).update(data=new_cipher.encrypt(content))
            done.parks.setdefault(job.park_id, {"members": 0, "uploads": 0})["uploads"] += 1
        for park in Park.objects.filter(pk__in=done.parks).order_by("pk"):
            counts = done.parks[park.pk]
            audit_record(park=park, actor=None, action="idkey.rotate", target=park,
                         changes={"重新加密的身份证号": counts["members"], "重新加密的导入文件": counts["uploads"]})
            done.members += counts["members"]
            done.uploads += counts["uploads"]
    return done
