"""The Celery application; tasks live in each app's tasks.py and are found by autodiscovery."""

import os
import uuid
from time import monotonic

import pghistory
from celery import Celery
from celery.signals import task_postrun, task_prerun
from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.django.base")

app = Celery("hongfan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Row history (core/history.py): what a task writes is recorded with the task's name as its context.
_history_contexts: dict[str, pghistory.context] = {}


@task_prerun.connect
def _enter_history_context(task_id=None, task=None, **kwargs):
    context = pghistory.context(job=task.name)
    context.__enter__()
    _history_contexts[task_id] = context


@task_postrun.connect
def _exit_history_context(task_id=None, **kwargs):
    context = _history_contexts.pop(task_id, None)
    if context is not None:
        context.__exit__(None, None, None)


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
