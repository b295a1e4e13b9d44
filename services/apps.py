from django.apps import AppConfig


class ServicesConfig(AppConfig):
    """Services to enterprises (红色代办, notices, policies, instructor visits): built in its own issue."""

    name = "services"
    verbose_name = "服务企业"
