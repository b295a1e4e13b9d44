"""One writer at a time: PostgreSQL advisory locks held until the transaction ends.

Each kind of work has its own namespace (the first key), so two kinds never wait on each other by
chance of sharing a number — a park's 定档 and an organisation's 党费 books once did.
"""

from django.db import connection

NAMESPACES = {
    "import": 7001,  # one roster import per park (imports.pipeline)
    "finalise": 7002,  # one 定档 per park (assessment.finalise)
    "dues_books": 7003,  # one writer on an organisation's 党费 books (dues.services)
}


def transaction_lock(kind: str, key: int) -> None:
    """Wait for, then hold until commit or rollback, the lock of `kind` on `key` (a park's or an
    organisation's id). Called inside transaction.atomic."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [NAMESPACES[kind], key])
