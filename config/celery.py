"""The Celery application; tasks live in each app's tasks.py and are found by autodiscovery."""

import os
import uuid
from time import monotonic

from celery import Celery
from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.django.base")

app = Celery("hongfan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _put_atomically(self, queue, payload, **kwargs):
    """kombu's filesystem transport (the broker of `make run` and CI's first pass) creates a message
    file and only then writes it, so a worker polling the folder can move and read it empty
    (JSONDecodeError, and the worker stops). Here the message is written under a temporary name,
    which the transport's reader skips (it takes only "<queue>.msg"), and renamed into place."""
    name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
    final = os.path.join(self.data_folder_out, name)
    temporary = final + ".tmp"
    try:
        with open(temporary, "wb") as file:
            file.write(str_to_bytes(dumps(payload)))
        os.replace(temporary, final)
    except OSError as exc:
        raise ChannelError(f"Cannot add file {final!r} to directory") from exc


filesystem.Channel._put = _put_atomically
