"""What the generator keeps about each park while the history runs: its people (the accounts that act
through the services), how diligent each branch is, and a deterministic random stream."""

import random
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from accounts.access import ParkAccess, park_access
from accounts.models import RoleAssignment, User
from core.roles import Role
from demo.county.backfill import Backlog
from demo.county.plan import ParkPlan
from orgs.models import Park

PASSWORD = "hongfan2026"  # every generated account's, as in the demo


@dataclass
class ParkWorld:
    park: Park
    plan: ParkPlan
    rng: random.Random
    password: str  # the one hashed password every account gets (hashing per account would take minutes)
    admin: User | None = None
    office: User | None = None  # the office's second person: approves what the admin checked
    inspector: User | None = None
    handlers: dict[int, User] = field(default_factory=dict)  # department pk → its account
    secretaries: dict[int, User] = field(default_factory=dict)  # branch pk → its secretary's account
    instructors: dict[int, User] = field(default_factory=dict)  # instructor pk → their account
    diligence: dict[int, float] = field(default_factory=dict)  # branch pk → how reliably it does what it owes
    enterprises: list = field(default_factory=list)  # Enterprise per plan index (None until it moves in)
    zones: dict = field(default_factory=dict)  # name → Zone
    organisations: dict = field(default_factory=dict)  # name → Organisation, as set up
    backlog: Backlog | None = None  # the branches' records waiting for their batch (backfill.py)
    agenda: object = None  # the history's Agenda, for events that plan further events
    people: object = None  # roster.People drawing newcomers (unique ID numbers), made when first needed
    history_start: date | None = None
    instructor_leaves_on: date | None = None  # the day one instructor goes back to their unit
    sheet: tuple | None = None  # the open round's assessment and scored items (assessment_round)
    reminder_minute: int = 8 * 60  # the park's reminder hour (its cycle setting), as a minute of the day
    _access: dict[int, ParkAccess] = field(default_factory=dict)

    def access(self, user: User) -> ParkAccess:
        """The user's rights in the park, as a request would have them (cached: roles do not change)."""
        if user.pk not in self._access:
            self._access[user.pk] = park_access(user, self.park)
        return self._access[user.pk]

    def branch_diligence(self, branch_id: int) -> float:
        return self.diligence.setdefault(branch_id, round(self.rng.uniform(0.55, 0.99), 2))

    def add_users(self, specs: list[tuple[str, str, str, object]]) -> list[User]:
        """Accounts with one role each: (username, full name, role, organisation or None)."""
        joined = timezone.now()  # the clock's: the field's default is the wall clock's now, bound at import
        users = User.objects.bulk_create([User(username=u, full_name=n, password=self.password, date_joined=joined) for u, n, _, _ in specs])
        RoleAssignment.objects.bulk_create([
            RoleAssignment(user=user, role=role, county_id=self.park.county_id, park=self.park, organisation=org)
            for user, (_, _, role, org) in zip(users, specs)
        ])
        return users

    def secretary_for(self, branch) -> User:
        """The branch's secretary account, opened the first time the branch needs one."""
        if branch.pk not in self.secretaries:
            [user] = self.add_users([(f"{self.park.code}_s{branch.pk}", f"{branch.secretary_name or '支部书记'}", Role.BRANCH_SECRETARY, branch)])
            self.secretaries[branch.pk] = user
        return self.secretaries[branch.pk]
