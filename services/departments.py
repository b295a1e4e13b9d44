"""承办部门: the park's departments that handle demands, each optionally with its own account."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import RoleAssignment
from audit.services import audit_record, model_changes
from core.roles import Role
from core.validators import length_errors, normalize_phone, normalize_text
from services.models import Department

FIELDS = ["name", "contact_name", "phone", "user", "is_active"]
MSG_NAME = _("请填写部门名称。")
MSG_TAKEN = _("本园区已有名为“%(name)s”的部门。")
MSG_USER_ROLE = _("承办账号须是本园区“承办部门”角色的用户。")


def handler_users(park):
    """Users holding the 承办部门 role in this park: the accounts a department may have."""
    ids = RoleAssignment.objects.filter(park=park, role=Role.HANDLER).values_list("user_id", flat=True)
    return get_user_model().objects.filter(pk__in=ids, is_active=True)


@transaction.atomic
def department_save(*, park, actor, department: Department | None = None, **data) -> Department:
    values = {**data, "name": normalize_text(data.get("name", "")), "contact_name": normalize_text(data.get("contact_name", "")),
              "phone": normalize_phone(data.get("phone", ""))}
    errors = length_errors(Department, values)
    if not values["name"]:
        errors["name"] = [str(MSG_NAME)]
    elif Department.objects.filter(park=park, name=values["name"]).exclude(pk=department.pk if department else None).exists():
        errors["name"] = [str(MSG_TAKEN % {"name": values["name"]})]
    user = values.get("user")
    if user is not None and not handler_users(park).filter(pk=user.pk).exists():
        errors["user"] = [str(MSG_USER_ROLE)]
    if errors:
        raise ValidationError(errors)
    before = None if department is None else {f: getattr(department, f) for f in FIELDS}
    department = department or Department(park=park)
    for field in FIELDS:
        if field in values:
            setattr(department, field, values[field])
    department.save()
    audit_record(park=park, actor=actor, action="department.save", target=department, changes=model_changes(department, before, FIELDS))
    return department
