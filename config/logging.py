"""Logging helpers for settings.LOGGING: one line per event on the console."""

import logging


class ClientErrorWithoutTraceback(logging.Filter):
    """Django logs a 403 or 404 raised as an exception with its traceback (django.request passes
    exc_info for every 4xx since 4.x); a client asking for what is missing or forbidden is an
    ordinary event, so its record keeps the one line and drops the traceback. 5xx keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if 400 <= getattr(record, "status_code", 0) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
