"""The console log: one line per event, no traceback for an ordinary 403 or 404, a traceback for a 500."""

import io
import logging
import logging.config

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import Client
from django.urls import path


def missing(request):
    raise Http404("没有这一页")


def forbidden(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("出错了")


def fine(request):
    logging.getLogger("members.services").info("一件事")
    return HttpResponse("ok")


urlpatterns = [path("missing/", missing), path("forbidden/", forbidden), path("broken/", broken), path("fine/", fine)]


@pytest.fixture
def console(settings):
    """The settings' LOGGING, applied as the processes apply it, with the console written to a buffer."""
    settings.ROOT_URLCONF = __name__
    stream = io.StringIO()
    config = {**settings.LOGGING, "handlers": {"console": {**settings.LOGGING["handlers"]["console"], "stream": stream}}}
    logging.config.dictConfig(settings.LOGGING)  # what Django applied at start (its defaults, then ours) …
    logging.config.dictConfig(config)  # … and again, with the buffer
    yield stream
    logging.config.dictConfig(settings.LOGGING)


def lines(stream) -> list[str]:
    return [line for line in stream.getvalue().splitlines() if line.strip()]


@pytest.mark.django_db
def test_a_404_and_a_403_are_one_line_each_without_traceback(console):
    client = Client()
    assert client.get("/missing/").status_code == 404
    assert client.get("/forbidden/").status_code == 403
    logged = lines(console)
    assert len(logged) == 2, logged
    assert "WARNING django.request Not Found: /missing/" in logged[0]
    assert "WARNING django.request Forbidden (Permission denied): /forbidden/" in logged[1]
    assert "Traceback" not in console.getvalue()


@pytest.mark.django_db
def test_an_application_record_prints_once(console):
    assert Client().get("/fine/").status_code == 200
    assert [line.split(" ", 2)[2] for line in lines(console)] == ["INFO members.services 一件事"]


@pytest.mark.django_db
def test_a_500_keeps_its_traceback_once(console):
    client = Client(raise_request_exception=False)
    assert client.get("/broken/").status_code == 500
    text = console.getvalue()
    assert text.count("ERROR django.request Internal Server Error: /broken/") == 1
    assert text.count("Traceback") == 1 and "RuntimeError: 出错了" in text


def test_django_loggers_have_no_handler_of_their_own(console):
    """Their records reach the console through the root logger only: once."""
    for name in ("django", "django.request", "django.server", "django.security"):
        assert logging.getLogger(name).handlers == []
    ours = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]  # not pytest's capture
    assert len(ours) == 1
