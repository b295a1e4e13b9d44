"""Every form of the project, collected from each app's forms module (forms.Form and ModelForm
subclasses, built with the keyword arguments their views give them), fed hypothesis-made data:
is_valid() never raises, and every error it reports is in Chinese."""

import importlib
import inspect
from datetime import date

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.members.factories import MemberFactory
from tests.orgs.factories import EnterpriseFactory
from tests.properties.strategies import HOSTILE_TEXT, PROPERTY, chinese

FORM_PROPERTY = settings(PROPERTY, max_examples=20)  # some 57 forms: the folder stays under half a minute

PROJECT_APPS = ["core", "audit", "orgs", "accounts", "members", "points", "activities", "cycle", "assessment", "dues", "services",
                "imports", "dashboards", "api", "demo"]


def project_forms() -> list[type]:
    found = []
    for label in PROJECT_APPS:
        try:
            module = importlib.import_module(f"{label}.forms")
        except ModuleNotFoundError:
            continue
        for obj in vars(module).values():
            if not (inspect.isclass(obj) and issubclass(obj, forms.BaseForm) and obj.__module__ == module.__name__):
                continue
            if issubclass(obj, forms.BaseModelForm) and getattr(obj._meta, "model", None) is None:
                continue  # a base class (ServiceModelForm): its subclasses are collected
            found.append(obj)
    return found


FORMS = project_forms()


def form_kwargs(form_class, world) -> dict:
    """What the views pass each form, by parameter name: the park's own rows and settings."""
    from activities.models import Attachment
    from cycle.models import TaskTemplate
    from members.development import STEPS
    from members.models import Member
    from orgs.models import Enterprise, Organisation
    from points.models import StoreItem
    from services.demands import COLOUR_LABELS
    from services.models import Department

    park = world.park
    members = Member.objects.filter(park=park)
    available = {
        "park": park,
        "branches": Organisation.objects.filter(park=park, kind=Organisation.Kind.BRANCH),
        "members": members,
        "enterprises": Enterprise.objects.filter(park=park),
        "categories": ["政策咨询", "融资需求"],
        "departments": Department.objects.filter(park=park),
        "colours": COLOUR_LABELS,
        "templates": TaskTemplate.objects.filter(park=park),
        "steps": list(enumerate(STEPS[:3], start=1)),
        "rows": [(m, True) for m in members[:2]],
        "attachments": Attachment.objects.filter(park=park),
        "items": StoreItem.objects.filter(park=park),
        "line_ids": [1, 2, 3],
        "today": date(2026, 11, 1),
    }
    wanted = [name for name, p in inspect.signature(form_class.__init__).parameters.items()
              if p.kind == p.KEYWORD_ONLY or (p.kind == p.POSITIONAL_OR_KEYWORD and name in available)]
    missing = [n for n in wanted if n not in available and inspect.signature(form_class.__init__).parameters[n].default is inspect._empty]
    assert not missing, f"{form_class.__name__} needs {missing}: add them to form_kwargs"
    return {n: available[n] for n in wanted if n in available}


def value_for(field, draw):
    """One hostile value for a field, as a browser would post it (text), or a list for a multiple one."""
    ids = st.one_of(HOSTILE_TEXT, st.integers(min_value=-(2**70), max_value=2**70).map(str))
    if isinstance(field, (forms.ModelMultipleChoiceField, forms.MultipleChoiceField)):
        return draw(st.lists(ids, max_size=3))
    if isinstance(field, (forms.ModelChoiceField, forms.ChoiceField)):
        return [draw(ids)]
    return [draw(HOSTILE_TEXT)]


@pytest.fixture
def roster(world, in_park):
    """Two members and an enterprise: the rows that pickers, attendance and choices offer."""
    MemberFactory.create_batch(2, park=world.park, branch=world.branch)
    EnterpriseFactory(park=world.park)


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: f"{c.__module__.split('.')[0]}.{c.__name__}")
@FORM_PROPERTY
@given(data=st.data())
def test_a_form_never_raises_and_answers_in_chinese(form_class, data, world, roster):
    kwargs = form_kwargs(form_class, world)
    fields = form_class(**kwargs).fields
    post, files = MultiValueDict(), MultiValueDict()
    for name, field in fields.items():
        if data.draw(st.booleans(), label=f"{name} left out"):
            continue
        if isinstance(field, forms.FileField):
            content = data.draw(st.binary(max_size=64), label=name)
            filename = data.draw(st.sampled_from(["名单.xlsx", "现场.webp", "纪要.txt", "x.exe", "\u202egpj.exe", "a\x00.png"]))
            files.setlist(name, [SimpleUploadedFile(filename, content)])
        else:
            post.setlist(name, value_for(field, lambda s, n=name: data.draw(s, label=n)))
    form = form_class(data=post, files=files, **kwargs)
    form.is_valid()
    for name, messages in form.errors.items():
        assert all(chinese(m) for m in messages), (name, messages)


def test_every_app_with_forms_is_collected():
    modules = {c.__module__ for c in FORMS}
    assert {f"{label}.forms" for label in ("orgs", "members", "points", "activities", "cycle", "assessment", "services", "dues", "imports")} <= modules
    assert len(FORMS) >= 50
    assert all(apps.is_installed(m.split(".")[0]) or m.startswith("core.") for m in modules)
