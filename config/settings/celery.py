"""Celery settings: Redis when REDIS_URL is set, otherwise kombu's filesystem transport (no server).

https://docs.celeryq.dev/en/stable/userguide/configuration.html
"""

from config.env import VAR_DIR, env

_redis = env("REDIS_URL", default="")

if _redis:
    CELERY_BROKER_URL = _redis
    CELERY_RESULT_BACKEND = _redis
else:
    _queue = VAR_DIR / "celery" / "queue"
    _processed = VAR_DIR / "celery" / "processed"
    _control = VAR_DIR / "celery" / "control"
    for _folder in (_queue, _processed, _control):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "data_folder_processed": str(_processed),
        "control_folder": str(_control),
    }
    CELERY_RESULT_BACKEND = None

CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# No caller reads a task's result, so none is kept: with a result backend every .delay() subscribes
# to its result on Redis, and with Redis down that blocked for 20 s and then broke the sending process
# for good ("the Celery application must be restarted") — beat, the worker's fan-out. Without it a
# send while Redis is down fails in about a second, and the next one works once it is back
# (tests/faults/test_redis_down.py). run_cycle recomputes whatever was not sent.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a task killed halfway is delivered again; every job is idempotent
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# The schedule lives in the database (django-celery-beat), where park admins see it and change
# their own park's reminder time; these platform-wide entries are written there by beat at start.
from celery.schedules import crontab  # noqa: E402

# django-celery-beat's DatabaseScheduler, with a heartbeat file for the container's health check.
CELERY_BEAT_SCHEDULER = "config.beat:Scheduler"
CELERY_BEAT_SCHEDULE = {
    "四个一：每日创建例会、巡查、总结与评议": {
        "task": "cycle.tasks.cycle_all_parks",
        "schedule": crontab(hour=0, minute=10),
    },
    "撤销已到期的临时党支部": {
        "task": "orgs.tasks.dissolve_ended_branches_all_parks",
        "schedule": crontab(hour=1, minute=5),
    },
    "接口：清理过期的幂等请求记录": {
        "task": "api.tasks.purge_idempotent_requests",
        "schedule": crontab(hour=2, minute=15),
    },
    "六个清：普查日生成各园区快照": {
        "task": "dashboards.tasks.survey_all_parks",
        "schedule": crontab(hour=0, minute=30),
    },
}
