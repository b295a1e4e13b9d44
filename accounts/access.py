"""What a signed-in user may see and do in a park, decided once per request from their roles."""

from dataclasses import dataclass, field

from django_scopes import scopes_disabled

from accounts.models import RoleAssignment
from core.roles import Role
from orgs.models import County, Organisation, Park

# The role names as the navigation shows them and the order in which a start page is chosen.
ROLE_PRIORITY = [Role.PARK_ADMIN, Role.INSPECTOR, Role.BRANCH_SECRETARY, Role.INSTRUCTOR, Role.HANDLER, Role.COUNTY_VIEWER]


@dataclass(frozen=True)
class ParkAccess:
    """A user's rights in one park. Built by park_access(); views ask it, never the roles table."""

    park: Park
    user_id: int
    roles: frozenset
    # The organisations a branch secretary holds, with every organisation below them.
    organisation_ids: frozenset = field(default_factory=frozenset)

    @property
    def read_only(self) -> bool:
        return self.roles == {Role.COUNTY_VIEWER}

    @property
    def is_admin(self) -> bool:
        return Role.PARK_ADMIN in self.roles

    @property
    def sees_whole_park(self) -> bool:
        return bool(self.roles & {Role.PARK_ADMIN, Role.INSPECTOR, Role.COUNTY_VIEWER})

    def has_any(self, roles) -> bool:
        return bool(self.roles & set(roles))

    def can_view_organisation(self, organisation_id: int) -> bool:
        return self.sees_whole_park or organisation_id in self.organisation_ids

    def can_edit_organisation(self, organisation_id: int) -> bool:
        return self.is_admin or (Role.BRANCH_SECRETARY in self.roles and organisation_id in self.organisation_ids)


def _subtree_ids(park: Park, root_ids: set[int]) -> frozenset:
    """The given organisations and all below them, from one query over the park's tree."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Organisation.objects.filter(park=park).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, stack = set(), list(root_ids)
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(children.get(pk, ()))
    return frozenset(found)


def park_access(user, park: Park) -> ParkAccess | None:
    """The user's access to this park, or None when no role of theirs covers it."""
    if not user.is_authenticated:
        return None
    with scopes_disabled():
        rows = list(
            RoleAssignment.objects.filter(user=user).filter(park=park).values_list("role", "organisation_id")
        )
        if RoleAssignment.objects.filter(user=user, role=Role.COUNTY_VIEWER, county_id=park.county_id).exists():
            rows.append((Role.COUNTY_VIEWER, None))
        if not rows:
            return None
        roles = frozenset(role for role, _ in rows)
        secretary_roots = {org for role, org in rows if role == Role.BRANCH_SECRETARY and org}
        organisation_ids = _subtree_ids(park, secretary_roots) if secretary_roots else frozenset()
    return ParkAccess(park=park, user_id=user.pk, roles=roles, organisation_ids=organisation_ids)


def county_parks(user, county: County) -> list[Park] | None:
    """The parks a county viewer sees in this county, or None when the user is not its viewer."""
    if not user.is_authenticated:
        return None
    with scopes_disabled():
        if not RoleAssignment.objects.filter(user=user, role=Role.COUNTY_VIEWER, county=county).exists():
            return None
    return list(county.parks.filter(is_active=True))


@dataclass(frozen=True)
class Workspace:
    """One entry of a user's start page: a role and the page it opens."""

    role: str
    label: str
    county: County | None
    park: Park | None
    organisation_id: int | None


def user_workspaces(user) -> list[Workspace]:
    with scopes_disabled():
        assignments = (
            RoleAssignment.objects.filter(user=user).select_related("county", "park", "organisation")
        )
        spaces = [
            Workspace(
                role=a.role,
                label=a.get_role_display(),
                county=a.county,
                park=a.park,
                organisation_id=a.organisation_id,
            )
            for a in assignments
        ]
    return sorted(spaces, key=lambda w: ROLE_PRIORITY.index(w.role))
