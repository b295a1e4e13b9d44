"""One importer per roster kind: how a row becomes values, what its natural key is, how it is written.

Every importer validates with the same rules as the form services (orgs.services.enterprise_errors,
orgs.rules.check_organisation, members.services.member_errors) and checks uniqueness set-wise.
"""

import io
import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q

from core.crypto import encrypt_id, id_hash, id_tail_hash
from core.periods import month_start
from core.validators import (
    length_errors,
    normalize_credit_code,
    normalize_id_number,
    normalize_phone,
    normalize_text,
    parse_id_number,
)
from dues.models import DuesBasis
from dues.services import bases_create, basis_check, last_paid_months
from imports import columns as C
from imports.values import parse_choice, parse_date, parse_int, parse_money, prose, text
from members.development import ORDER, STEP, STEPS, member_moves, step_errors
from members.dues import ON_INCOME, DuesCategory
from members.models import (
    DevelopmentStep,
    Member,
    MemberTransfer,
    ProbationExtension,
    StatusChange,
)
from members.rules import check_member
from members.selectors import publicity_rule
from members.services import member_errors, post_terms_sync
from orgs.models import Coverage, Enterprise, Organisation, Zone
from orgs.rules import KIND_RANK, check_organisation
from orgs.services import enterprise_errors
from services.models import Policy
from services.policies import index_policy, policy_errors, policy_values

MSG_UNKNOWN_ZONE = "本园区没有名为“%(name)s”的片区，可选：%(allowed)s。"
MSG_UNKNOWN_BRANCH = "本园区没有名为“%(name)s”的党组织。"
MSG_UNKNOWN_ENTERPRISE = "“%(name)s”不在本园区企业台账中：请先导入企业，或把该格留空。"
UNIT_SEPARATORS = re.compile(r"[、，,;；\n]+")


def _labels(choices) -> str:
    return "、".join(str(label) for _, label in choices)


class Importer:
    kind: str
    model = None
    key_field: str  # the column that identifies a row's object (natural key)
    label_field = "name"  # the value that names a row's object to the user
    actor = None  # who applies the import (set by pipeline.apply_import), for the records that name one

    def __init__(self, *, park, fields: set[str], today: date):
        self.park = park
        self.fields = fields  # the columns this file has: only those are compared and written
        self.today = today

    def load(self) -> None:
        """Read what the rows are checked against: lookups and existing objects, once."""

    def parse(self, raw: dict) -> tuple[dict, dict[str, list[str]]]:
        raise NotImplementedError

    def key(self, values: dict):
        return values[self.key_field]

    def existing(self, key):
        """(pk, {field: stored value}) of the object with this natural key, or None."""
        raise NotImplementedError

    def display(self, field: str, value) -> str:
        """A value as the preview shows it: dates as 2020-07-01, yes/no as 是/否, the rest as text;
        a subclass shows choices by their labels and references by their names."""
        if value is None or value == "":
            return ""
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, date):
            return f"{value:%Y-%m-%d}"
        return str(value)

    def write(self, creates: list[dict], updates: list[tuple[int, dict]]) -> None:
        raise NotImplementedError

    def violations(self) -> list:
        """Querysets of the park's rows that point into another park: each must be empty."""
        raise NotImplementedError


# --- Enterprises ---------------------------------------------------------------------------------
class EnterpriseImporter(Importer):
    kind = "enterprises"
    model = Enterprise
    key_field = "credit_code"
    compared = ["name", "ownership", "industry", "employees", "legal_representative", "contact_name", "contact_phone", "zone", "status"]

    def load(self):
        self.zones = {z.name: z for z in Zone.objects.filter(park=self.park)}
        self.rows = {
            row[1]: (row[0], dict(zip(self.compared, row[2:])))
            for row in Enterprise.objects.filter(park=self.park).values_list("pk", "credit_code", *self._db_fields())
        }
        self.zone_names = {z.pk: z.name for z in self.zones.values()}

    def _db_fields(self):
        return [("zone_id" if f == "zone" else f) for f in self.compared]

    def existing(self, key):
        return self.rows.get(key)

    def parse(self, raw):
        errors: dict[str, list[str]] = {}
        values = {
            "name": normalize_text(text(raw.get("name"))),
            "credit_code": normalize_credit_code(text(raw.get("credit_code"))),
            "industry": text(raw.get("industry")),
            "legal_representative": text(raw.get("legal_representative")),
            "contact_name": text(raw.get("contact_name")),
            "contact_phone": normalize_phone(text(raw.get("contact_phone"))),
        }
        try:
            values["employees"] = parse_int(raw.get("employees")) or 0
        except ValidationError as exc:
            errors["employees"] = exc.messages
        try:
            values["status"] = parse_choice(
                raw.get("status"), C.ENTERPRISE_STATUS_WORDS, _labels(Enterprise.Status.choices), default=Enterprise.Status.ACTIVE
            )
        except ValidationError as exc:
            errors["status"] = exc.messages
        try:
            values["ownership"] = parse_choice(
                raw.get("ownership"), C.OWNERSHIP_WORDS, _labels(Enterprise.Ownership.choices), default=Enterprise.Ownership.PRIVATE
            )
        except ValidationError as exc:
            errors["ownership"] = exc.messages
        zone_name = text(raw.get("zone"))
        values["zone"] = None
        if zone_name:
            values["zone"] = self.zones.get(zone_name)
            if values["zone"] is None:
                allowed = "、".join(self.zones) or "（本园区尚未设置片区）"
                errors["zone"] = [MSG_UNKNOWN_ZONE % {"name": zone_name, "allowed": allowed}]
        # Importing 迁出 without a date column: the move-out is dated today.
        values["moved_out_on"] = self.today if values.get("status") == "moved_out" else None
        for field, messages in enterprise_errors(park=self.park, values=values).items():
            errors.setdefault(field, messages)
        values["zone"] = values["zone"].pk if values["zone"] else None
        return values, errors

    def display(self, field, value):
        if field == "zone":
            return self.zone_names.get(value, "")
        if field == "status":
            return str(Enterprise.Status(value).label) if value else ""
        if field == "ownership":
            return str(Enterprise.Ownership(value).label) if value else ""
        return super().display(field, value)

    def write(self, creates: list[dict], updates: list[tuple[int, dict]]) -> None:
        objects = [
            Enterprise(
                park=self.park,
                **{("zone_id" if f == "zone" else f): v for f, v in values.items() if f != "moved_out_on"},
                moved_out_on=values["moved_out_on"],
            )
            for values in creates
        ]
        Enterprise.objects.bulk_create(objects, batch_size=1000)
        changed = []
        for pk, new in updates:
            obj = Enterprise.objects.get(pk=pk)
            for field, value in new.items():
                setattr(obj, "zone_id" if field == "zone" else field, value)
            if new.get("status") == "moved_out" and obj.moved_out_on is None:
                obj.moved_out_on = self.today
            if new.get("status") == Enterprise.Status.ACTIVE:
                obj.moved_out_on = None
            changed.append(obj)
        if changed:
            Enterprise.objects.bulk_update(
                changed, ["name", "ownership", "industry", "employees", "legal_representative", "contact_name", "contact_phone",
                          "zone_id", "status", "moved_out_on"], batch_size=500
            )

    def violations(self):
        park_id = self.park.pk
        return [Enterprise._base_manager.filter(park_id=park_id, zone__isnull=False).exclude(zone__park_id=park_id)]


# --- Party organisations -------------------------------------------------------------------------
class BranchImporter(Importer):
    kind = "branches"
    model = Organisation
    key_field = "name"
    compared = ["kind", "formation", "parent", "enterprises", "founded_on", "ends_on", "elected_on", "secretary_name"]

    def load(self):
        self.organisations = {o.name: o for o in Organisation.objects.filter(park=self.park)}
        self.by_pk = {o.pk: o for o in self.organisations.values()}
        self.enterprises = {e.name: e for e in Enterprise.objects.filter(park=self.park)}
        self.enterprise_names = {e.pk: e.name for e in self.enterprises.values()}
        units: dict[int, list[int]] = {}
        for org_id, enterprise_id in Coverage.objects.filter(park=self.park).values_list("organisation_id", "enterprise_id"):
            units.setdefault(org_id, []).append(enterprise_id)
        self.units = units
        self.top = next((o for o in self.organisations.values() if o.kind == Organisation.Kind.WORK_COMMITTEE), None)
        self.file_orgs: dict[str, Organisation] = {}  # organisations this file creates, unsaved

    def existing(self, key):
        org = self.organisations.get(key)
        if org is None:
            return None
        return org.pk, {
            "kind": org.kind,
            "formation": org.formation,
            "parent": org.parent_id,
            "enterprises": tuple(sorted(self.units.get(org.pk, ()))),
            "founded_on": org.founded_on,
            "ends_on": org.ends_on,
            "elected_on": org.elected_on,
            "secretary_name": org.secretary_name,
        }

    def prescan(self, rows: list[dict]) -> None:
        """Parents may be rows of the same file: know their names and kinds before checking."""
        for raw in rows:
            name = normalize_text(text(raw.get("name")))
            if name and name not in self.organisations and name not in self.file_orgs:
                try:
                    kind = parse_choice(raw.get("kind"), C.KIND_WORDS, "", default="branch")
                except ValidationError:
                    kind = "branch"
                self.file_orgs[name] = Organisation(park=self.park, name=name, kind=kind)

    def parse(self, raw):
        errors: dict[str, list[str]] = {}
        values = {"name": normalize_text(text(raw.get("name"))), "secretary_name": text(raw.get("secretary_name"))}
        try:
            values["kind"] = parse_choice(raw.get("kind"), C.KIND_WORDS, _labels(Organisation.Kind.choices), default="branch")
        except ValidationError as exc:
            errors["kind"], values["kind"] = exc.messages, "branch"
        try:
            values["formation"] = parse_choice(raw.get("formation"), C.FORMATION_WORDS, _labels(Organisation.Formation.choices), default="")
        except ValidationError as exc:
            errors["formation"], values["formation"] = exc.messages, ""
        for field in ("founded_on", "ends_on", "elected_on"):
            try:
                values[field] = parse_date(raw.get(field))
            except ValidationError as exc:
                errors[field], values[field] = exc.messages, None
        existing = self.organisations.get(values["name"])
        if existing is not None:
            # A column the file does not have keeps what is on file, for the rules as for the write.
            for field in ("kind", "formation", "founded_on", "ends_on", "elected_on", "secretary_name"):
                if field not in self.fields:
                    values[field] = getattr(existing, field)
        parent_name = normalize_text(text(raw.get("parent")))
        parent = None
        if parent_name:
            parent = self.organisations.get(parent_name) or self.file_orgs.get(parent_name)
            if parent is None:
                errors["parent"] = [MSG_UNKNOWN_BRANCH % {"name": parent_name}]
        elif values["kind"] != Organisation.Kind.WORK_COMMITTEE:
            existing = self.organisations.get(values["name"])
            parent = existing.parent if existing and "parent" not in self.fields else self.top
        units = []
        for unit_name in filter(None, (normalize_text(u) for u in UNIT_SEPARATORS.split(text(raw.get("enterprises"))))):
            unit = self.enterprises.get(unit_name)
            if unit is None:
                errors.setdefault("enterprises", []).append(MSG_UNKNOWN_ENTERPRISE % {"name": unit_name})
            else:
                units.append(unit)
        if "enterprises" not in self.fields and values["name"] in self.organisations:
            current = self.units.get(self.organisations[values["name"]].pk, ())
            units = [e for e in self.enterprises.values() if e.pk in current]
        try:
            check_organisation(
                park=self.park,
                organisation=existing,
                kind=values["kind"],
                parent=parent,
                formation=values["formation"],
                founded_on=values["founded_on"],
                ends_on=values["ends_on"],
                dissolved_on=existing.dissolved_on if existing else None,
                enterprises=units,
                child_kinds=[(o.name, o.kind) for o in self.organisations.values() if existing and o.parent_id == existing.pk],
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, messages)
        if not values["name"]:
            errors["name"] = ["请填写党组织名称。"]
        for field, messages in length_errors(Organisation, values).items():
            errors.setdefault(field, messages)
        values["parent"] = parent.pk if parent is not None and parent.pk else (parent.name if parent else None)
        values["enterprises"] = tuple(sorted(u.pk for u in units))
        return values, errors

    def display(self, field, value):
        if field == "parent":
            return self.by_pk[value].name if isinstance(value, int) else (value or "")
        if field == "enterprises":
            return "、".join(self.enterprise_names[pk] for pk in value)
        if field == "kind":
            return str(Organisation.Kind(value).label)
        if field == "formation":
            return str(Organisation.Formation(value).label) if value else ""
        return super().display(field, value)

    def write(self, creates, updates):
        # Parents before children: a parent's kind always ranks above its child's.
        for values in sorted(creates, key=lambda v: KIND_RANK[v["kind"]]):
            parent = values["parent"]
            parent_id = parent if isinstance(parent, int) or parent is None else self.organisations[parent].pk
            org = Organisation.objects.create(
                park=self.park, name=values["name"], kind=values["kind"], formation=values["formation"],
                parent_id=parent_id, founded_on=values["founded_on"], ends_on=values["ends_on"],
                elected_on=values["elected_on"], secretary_name=values["secretary_name"],
            )
            self.organisations[org.name] = org
            Coverage.objects.bulk_create([Coverage(park=self.park, organisation=org, enterprise_id=e) for e in values["enterprises"]])
        for pk, new in updates:
            org = self.by_pk[pk]
            for field, value in new.items():
                if field == "enterprises":
                    Coverage.objects.filter(park=self.park, organisation=org).delete()
                    Coverage.objects.bulk_create([Coverage(park=self.park, organisation=org, enterprise_id=e) for e in value])
                elif field == "parent":
                    org.parent_id = value if isinstance(value, int) or value is None else self.organisations[value].pk
                else:
                    setattr(org, field, value)
            org.save()

    def violations(self):
        park_id = self.park.pk
        return [
            Organisation._base_manager.filter(park_id=park_id, parent__isnull=False).exclude(parent__park_id=park_id),
            Coverage._base_manager.filter(park_id=park_id).filter(
                ~Q(enterprise__park_id=park_id) | ~Q(organisation__park_id=park_id)
            ),
        ]


# --- Members -------------------------------------------------------------------------------------
class MemberImporter(Importer):
    kind = "members"
    model = Member
    key_field = "id_hash"
    compared = ["name", "gender", "ethnicity", "education", "phone", "branch", "enterprise", "stage", "joined_on", "full_on", "post", "status"]
    # Stored alongside for the rules (not columns of the roster).
    kept = ["applied_on", "activist_on", "candidate_on"]
    # Each choice column: its stored choices and the words offices write for them.
    CHOICES = {
        "gender": (Member.Gender, C.GENDER_WORDS),
        "stage": (Member.Stage, C.STAGE_WORDS),
        "status": (Member.Status, C.MEMBER_STATUS_WORDS),
        "post": (Member.Post, C.POST_WORDS),
        "education": (Member.Education, C.EDUCATION_WORDS),
    }

    def load(self):
        self.branches = {o.name: o for o in Organisation.objects.filter(park=self.park)}
        self.branches_by_pk = {o.pk: o for o in self.branches.values()}
        self.branch_names = {o.pk: o.name for o in self.branches.values()}
        self.enterprises = {e.name: e for e in Enterprise.objects.filter(park=self.park)}
        self.enterprises_by_pk = {e.pk: e for e in self.enterprises.values()}
        self.enterprise_names = {e.pk: e.name for e in self.enterprises.values()}
        db_fields = [("branch_id" if f == "branch" else "enterprise_id" if f == "enterprise" else f) for f in self.compared]
        self.rows = {}
        for row in Member.objects.filter(park=self.park).values_list("pk", "id_hash", *db_fields, *self.kept).iterator(chunk_size=5000):
            self.rows[row[1]] = (row[0], dict(zip(self.compared + self.kept, row[2:])))
        self.choices = {field: (words, _labels(choices.choices)) for field, (choices, words) in self.CHOICES.items()}
        self.extensions = dict(ProbationExtension.objects.filter(park=self.park).values_list("member_id", "months"))
        self.defaults = {"gender": "", "stage": "full", "status": "active", "post": "", "education": ""}

    def existing(self, key):
        return self.rows.get(key)

    def parse(self, raw):
        errors: dict[str, list[str]] = {}
        raw_id = raw.get("id_number")
        id_text = raw_id if isinstance(raw_id, (int, float)) else text(raw_id)
        number_hash = self._hash(id_text)
        found = self.rows.get(number_hash) if number_hash else None
        stored = found[1] if found else {}

        values = {"name": normalize_text(text(raw.get("name"))), "phone": normalize_phone(text(raw.get("phone")))}
        ethnicity = text(raw.get("ethnicity"))
        values["ethnicity"] = (ethnicity + "族" if ethnicity and not ethnicity.endswith("族") else ethnicity) or "汉族"
        for field, (words, allowed) in self.choices.items():
            try:
                values[field] = parse_choice(raw.get(field), words, allowed, default=self.defaults[field])
            except ValidationError as exc:
                errors[field], values[field] = exc.messages, self.defaults[field]
        for field in ("joined_on", "full_on"):
            try:
                values[field] = parse_date(raw.get(field))
            except ValidationError as exc:
                errors[field], values[field] = exc.messages, None
        branch_name = normalize_text(text(raw.get("branch")))
        values["branch"] = self.branches.get(branch_name)
        if branch_name and values["branch"] is None:
            errors["branch"] = [MSG_UNKNOWN_BRANCH % {"name": branch_name}]
        unit_name = normalize_text(text(raw.get("enterprise")))
        values["enterprise"] = self.enterprises.get(unit_name) if unit_name else None
        if unit_name and values["enterprise"] is None:
            errors["enterprise"] = [MSG_UNKNOWN_ENTERPRISE % {"name": unit_name}]
        if stored:
            # A column the file does not have keeps what is on file, for the rules as for the write.
            for field in self.compared:
                if field not in self.fields:
                    values[field] = self._object(field, stored[field])
        values["id_number"] = id_text
        kept = {field: stored[field] for field in self.kept} if stored else {}
        extension = self.extensions.get(found[0], 0) if found else 0
        id_info, rule_errors = member_errors(park=self.park, values={**values, **kept}, today=self.today, extension_months=extension)
        for field, messages in rule_errors.items():
            if field == "branch" and "branch" in errors:
                continue
            errors.setdefault(field, messages)
        values["branch"] = values["branch"].pk if values["branch"] else None
        values["enterprise"] = values["enterprise"].pk if values["enterprise"] else None
        if id_info is not None:
            values["id_number"] = id_info.number
            values["id_hash"] = number_hash
            values["birth_date"] = id_info.birth_date
            values["gender"] = values["gender"] or id_info.gender
        return values, errors

    def _object(self, field, stored):
        if field == "branch":
            return self.branches_by_pk.get(stored)
        if field == "enterprise":
            return self.enterprises_by_pk.get(stored)
        return stored

    @staticmethod
    def _hash(raw) -> str | None:
        """The look-up hash of a well-formed ID number (the rules report malformed ones)."""
        number = normalize_id_number(raw)
        return id_hash(number) if len(number) == 18 and not isinstance(raw, float) else None

    def display(self, field, value):
        if field == "branch":
            return self.branch_names.get(value, "")
        if field == "enterprise":
            return self.enterprise_names.get(value, "")
        if field in self.CHOICES and value:
            return str(self.CHOICES[field][0](value).label)
        return super().display(field, value)

    COPY_CHUNK = 10_000
    COPY_COLUMNS = (
        "park_id", "branch_id", "enterprise_id", "name", "gender", "ethnicity", "id_cipher", "id_hash", "id_tail_hash",
        "birth_date", "phone", "education", "stage", "joined_on", "full_on", "post", "status",
    )

    def write(self, creates, updates):
        """New members by COPY (100k rows in seconds), changed ones by bulk_update per field set."""
        park_id = str(self.park.pk)
        statement = f"COPY {Member._meta.db_table} ({', '.join(self.COPY_COLUMNS)}) FROM STDIN"
        for start in range(0, len(creates), self.COPY_CHUNK):
            buffer = io.StringIO()
            for v in creates[start : start + self.COPY_CHUNK]:
                fields = (
                    park_id, v["branch"], v["enterprise"], v["name"], v["gender"], v["ethnicity"],
                    encrypt_id(v["id_number"]), v["id_hash"], id_tail_hash(v["id_number"]), v["birth_date"], v["phone"], v["education"],
                    v["stage"], v["joined_on"], v["full_on"], v["post"], v["status"],
                )
                buffer.write("\t".join(_copy_value(f) for f in fields))
                buffer.write("\n")
            buffer.seek(0)
            # psycopg2's own cursor, under Django's error wrapper: a broken connection surfaces as
            # django.db.OperationalError, which the confirmation turns into 导入失败.
            with connection.cursor() as cursor, connection.wrap_database_errors:
                cursor.cursor.copy_expert(statement, buffer)
        bulk_update_changes(Member, self.park, updates, column=_db_field, batch_size=1000)
        self._record_moves(updates)
        self._sync_posts(creates, updates)

    def _record_moves(self, updates) -> None:
        """A roster that moves a member to another branch, or changes their status, leaves the same
        records a transfer or a status decision would: the history is never lost by an import."""
        stored = {pk: values for pk, values in self.rows.values()}
        note = "花名册导入"
        MemberTransfer.objects.bulk_create([
            MemberTransfer(park=self.park, member_id=pk, kind=MemberTransfer.Kind.WITHIN, on=self.today,
                           from_branch_id=stored[pk]["branch"], to_branch_id=new["branch"], note=note)
            for pk, new in updates if "branch" in new
        ])
        StatusChange.objects.bulk_create([
            StatusChange(park=self.park, member_id=pk, from_status=stored[pk]["status"], to_status=new["status"], on=self.today, reason=note)
            for pk, new in updates if "status" in new
        ])

    def _sync_posts(self, creates, updates) -> None:
        """Post terms: an imported roster's posts count as held since before records began."""
        with_post = {v["id_hash"]: v for v in creates if v["post"]}
        if with_post:
            ids = Member.objects.filter(park=self.park, id_hash__in=list(with_post)).values_list("id_hash", "pk")
            post_terms_sync(park=self.park, rows=[(pk, with_post[h]["branch"], with_post[h]["post"]) for h, pk in ids], on=None)
        moved = [(pk, new) for pk, new in updates if "post" in new or "branch" in new]
        if moved:
            stored = {pk: values for pk, values in self.rows.values()}
            rows = [(pk, new.get("branch", stored[pk]["branch"]), new.get("post", stored[pk]["post"])) for pk, new in moved]
            post_terms_sync(park=self.park, rows=rows, on=self.today)

    def violations(self):
        park_id = self.park.pk
        return [
            Member._base_manager.filter(park_id=park_id).filter(
                ~Q(branch__park_id=park_id) | (Q(enterprise__isnull=False) & ~Q(enterprise__park_id=park_id))
            )
        ]


# --- Policies (惠企政策) --------------------------------------------------------------------------
class PolicyImporter(Importer):
    """The policy library from a spreadsheet: a policy is known by its title, as on the form; the
    rules are the form's (services.policies.policy_errors), and every written policy is indexed
    for search as a saved one is."""

    kind = "policies"
    model = Policy
    key_field = "title"
    label_field = "title"
    compared = ["issuer", "doc_number", "issued_on", "level", "category", "tags", "body", "valid_until", "repealed"]

    def load(self):
        self.rows = {
            row[1]: (row[0], dict(zip(self.compared, row[2:])))
            for row in Policy.objects.filter(park=self.park).values_list("pk", "title", *self.compared)
        }

    def existing(self, key):
        return self.rows.get(key)

    def parse(self, raw):
        errors: dict[str, list[str]] = {}
        values = {field: text(raw.get(field)) for field in ("title", "issuer", "doc_number", "category", "tags")}
        values["body"] = prose(raw.get("body"))
        for field in ("issued_on", "valid_until"):
            try:
                values[field] = parse_date(raw.get(field))
            except ValidationError as exc:
                errors[field], values[field] = exc.messages, None
        try:
            values["level"] = parse_choice(raw.get("level"), C.LEVEL_WORDS, _labels(Policy.Level.choices), default=Policy.Level.MUNICIPAL)
        except ValidationError as exc:
            errors["level"], values["level"] = exc.messages, Policy.Level.MUNICIPAL
        try:
            values["repealed"] = parse_choice(raw.get("repealed"), C.REPEALED_WORDS, "是、否", default="no") == "yes"
        except ValidationError as exc:
            errors["repealed"], values["repealed"] = exc.messages, False
        values = policy_values(values)
        stored = self.rows.get(values["title"])
        if stored:
            # A column the file does not have keeps what is on file, for the rules as for the write.
            for field in self.compared:
                if field not in self.fields:
                    values[field] = stored[1][field]
        for field, messages in policy_errors(values).items():
            errors.setdefault(field, messages)
        return values, errors

    def display(self, field, value):
        if field == "level":
            return str(Policy.Level(value).label)
        if field == "repealed":
            return "是" if value else "否"
        if field == "body":
            return value if len(value) <= 60 else value[:60] + "…"
        return super().display(field, value)

    def write(self, creates, updates):
        created = Policy.objects.bulk_create([Policy(park=self.park, **values) for values in creates], batch_size=500)
        bulk_update_changes(Policy, self.park, updates, batch_size=500)
        reindex = [pk for pk, new in updates if new.keys() & {"tags", "body"}]
        for policy in created + list(Policy.objects.filter(park=self.park, pk__in=reindex)):
            index_policy(policy)

    def violations(self):
        return []  # a policy refers to nothing of a park but the park itself


# --- 发展党员台账 --------------------------------------------------------------------------------
MSG_NOT_ON_ROSTER = "本园区花名册中没有这个身份证号：请先在党员花名册中登记此人。"
MSG_NAME_MISMATCH = "花名册中该身份证号的人员为“%(name)s”，与本行姓名不符。"
MSG_NOT_ON_ROLL = "%(name)s目前不在册，不能导入发展步骤。"
MSG_STEP_RECORDED = "“%(step)s”已于 %(on)s 记录，与本行的 %(new)s 不符：已记录的步骤不在导入中更改，请在人员的发展党员纪实页更正。"
MSG_ROSTER_DATE = "花名册记载的%(field)s为 %(stored)s，与“%(step)s”的日期 %(on)s 不符：请先核对花名册。"


def roster_person(raw, people: dict, *, name_of) -> tuple[dict, object | None, dict[str, list[str]]]:
    """The row's person on the park's roster (`people`: ID hash → person), known by ID number, and
    whether the row's name agrees: for the ledgers kept per member (发展党员台账, 党费基数)."""
    raw_id = raw.get("id_number")
    number_hash = MemberImporter._hash(raw_id if isinstance(raw_id, (int, float)) else text(raw_id))
    values = {"name": normalize_text(text(raw.get("name"))), "id_hash": number_hash}
    person = people.get(number_hash) if number_hash else None
    if person is None:
        return values, None, {"id_number": [MSG_NOT_ON_ROSTER]}
    errors = {}
    if values["name"] and values["name"] != name_of(person):
        errors["name"] = [MSG_NAME_MISMATCH % {"name": name_of(person)}]
    return values, person, errors


class DevelopmentImporter(Importer):
    """发展党员台账 from a spreadsheet: the dates of the procedure's steps per person, on the roster
    already (known by ID number). Every date is checked by the rules recording a step is
    (members.development.step_errors, as a history: steps the ledger leaves out stay unrecorded), and
    the stage dates it gives move the member as recording them would (member_moves, check_member).
    A step on record is never changed by an import: a different date is an error."""

    kind = "development"
    model = Member
    key_field = "id_hash"
    compared = [step.code for step in STEPS]
    STAGE_ORDER = [choice for choice, _ in Member.Stage.choices]
    MEMBER_DATES = ["applied_on", "activist_on", "candidate_on", "joined_on", "full_on"]

    def load(self):
        self.people = {
            row[1]: row for row in Member.objects.filter(park=self.park).values_list(
                "pk", "id_hash", "name", "status", "stage", "gender", *self.MEMBER_DATES).iterator(chunk_size=5000)
        }
        self.done: dict[int, dict] = {}
        for member_id, code, on in DevelopmentStep.objects.filter(park=self.park).values_list("member_id", "step", "on"):
            self.done.setdefault(member_id, {})[code] = on
        self.extensions = dict(ProbationExtension.objects.filter(park=self.park).values_list("member_id", "months"))
        self.publicity = publicity_rule(self.park)
        self.moves: dict[int, dict] = {}  # member pk → the member's fields the steps move

    def existing(self, key):
        person = self.people.get(key)
        return (person[0], {code: self.done.get(person[0], {}).get(code) for code in self.compared}) if person else None

    def parse(self, raw):
        values, person, errors = roster_person(raw, self.people, name_of=lambda row: row[2])
        if person is None:
            return values, errors
        pk, _, name, status, stage, gender, *dates = person
        if status not in Member.ON_ROLL:
            errors["name"] = [MSG_NOT_ON_ROLL % {"name": name}]
        stored = self.done.get(pk, {})
        steps = dict(stored)
        for code in self.compared:
            try:
                on = parse_date(raw.get(code))
            except ValidationError as exc:
                errors[code] = exc.messages
                continue
            if on is None:
                continue  # an empty cell keeps what is on file
            if code in stored and stored[code] != on:
                errors[code] = [MSG_STEP_RECORDED % {"step": STEP[code].name, "on": stored[code], "new": on}]
            steps[code] = on
        values.update({code: steps.get(code) for code in self.compared})
        if errors:
            return values, errors
        # The whole history, in the procedure's order, by the rules a step is recorded by.
        extension = self.extensions.get(pk, 0)
        history = sorted(steps.items(), key=lambda item: ORDER[item[0]])
        for position, (code, on) in enumerate(history):
            if code in stored and all(c in stored for c, _ in history[:position]):
                continue  # on record, and nothing new before it: checked when it was recorded
            problems = step_errors(code, on, dict(history[:position]), publicity=self.publicity, extension_months=extension,
                                   today=self.today, history=True)
            if problems:
                errors.setdefault(code, []).extend(problems)
        if errors:
            return values, errors
        errors.update(self._member_errors(pk, raw, stage, gender, dict(zip(self.MEMBER_DATES, dates)), history, stored, extension))
        return values, errors

    def _member_errors(self, pk, raw, stage, gender, member_dates, history, stored, extension) -> dict[str, list[str]]:
        """The member's own rules (age, a year as activist, 转正 on the day probation ends) over the
        dates the new steps set; a stage only moves forward, and a roster date is never overwritten."""
        errors: dict[str, list[str]] = {}
        moved, source = {}, {}
        for code, on in history:
            if code in stored:
                continue
            for field, value in member_moves(code, on, joined_on=moved.get("joined_on", member_dates["joined_on"]),
                                             extension_months=extension).items():
                if field == "stage":
                    if self.STAGE_ORDER.index(value) > self.STAGE_ORDER.index(moved.get("stage", stage)):
                        moved["stage"] = value
                elif value is None:
                    continue  # 转正 with no 入党日期 anywhere: check_member says so below
                elif member_dates[field] is None:
                    moved[field], source[field] = value, code
                elif member_dates[field] != value:
                    label = str(Member._meta.get_field(field).verbose_name)
                    errors.setdefault(code, []).append(
                        MSG_ROSTER_DATE % {"field": label, "stored": member_dates[field], "step": STEP[code].name, "on": on})
        if errors or not moved:
            self.moves.pop(pk, None)
            return errors
        try:
            id_info = parse_id_number(raw.get("id_number"))
        except ValidationError:
            id_info = None
        dates = {field: moved.get(field, member_dates[field]) for field in self.MEMBER_DATES}
        rule_errors = check_member(id_info=id_info, gender=gender, stage=moved.get("stage", stage), extension_months=extension,
                                   today=self.today, **dates)
        changed = set(moved) | ({"stage", "joined_on", "full_on"} if "stage" in moved else set())
        for field, messages in rule_errors.items():
            if field in changed:  # only what this file changes: the roster's own state was checked when it was written
                errors.setdefault(source.get(field, field), []).extend(messages)
        if not errors:
            self.moves[pk] = moved
        return errors

    def write(self, creates, updates):
        assert not creates, "a development record is always of a person on the roster"
        DevelopmentStep.objects.bulk_create([
            DevelopmentStep(park=self.park, member_id=pk, step=code, on=on, note="发展党员台账导入", recorded_by=self.actor)
            for pk, new in updates for code, on in new.items()
        ], batch_size=1000)
        bulk_update_changes(Member, self.park, [(pk, self.moves[pk]) for pk, _ in updates if pk in self.moves], batch_size=1000)

    def violations(self):
        park_id = self.park.pk
        return [DevelopmentStep._base_manager.filter(park_id=park_id).exclude(member__park_id=park_id)]


# --- 党费基数 (payroll) ------------------------------------------------------------------------------
class DuesBasisImporter(Importer):
    """党费基数 from a payroll: a member (on the roster, by ID number) gets a new basis from a month on,
    checked by the form's rules (dues.services.basis_check). A basis is a record: an import adds one
    where the file differs from the basis in force that month, and changes none on file."""

    kind = "dues_bases"
    model = DuesBasis
    key_field = "id_hash"
    compared = ["category", "base", "agreed", "voluntary"]

    def load(self):
        self.people = {
            m.id_hash: m for m in Member.objects.filter(park=self.park).only("pk", "id_hash", "name", "stage", "status", "park_id")
            .iterator(chunk_size=5000)
        }
        self.bases: dict[int, list] = {}  # member id → [(effective_from, values)], latest first
        for member_id, effective_from, *values in DuesBasis.objects.filter(park=self.park).order_by("member_id", "-effective_from", "-pk") \
                .values_list("member_id", "effective_from", *self.compared):
            self.bases.setdefault(member_id, []).append((effective_from, dict(zip(self.compared, values))))
        self.last_paid = last_paid_months(park=self.park)
        self.in_force: dict[str, tuple[int, dict] | None] = {}  # per row's key: the basis in force in its month
        self.full: dict[int, dict] = {}  # member id → the row's whole basis (an update lists only what differs)

    def existing(self, key):
        return self.in_force.get(key)

    def parse(self, raw):
        values, member, errors = roster_person(raw, self.people, name_of=lambda m: m.name)
        if member is None:
            return values, errors
        number_hash = values["id_hash"]
        try:
            values["effective_from"] = month_start(parse_date(raw.get("effective_from")) or self.today)
        except ValidationError as exc:
            errors["effective_from"], values["effective_from"] = exc.messages, month_start(self.today)
        current = next((v for day, v in self.bases.get(member.pk, ()) if day <= values["effective_from"]), None)
        try:
            values["category"] = parse_choice(raw.get("category"), C.DUES_CATEGORY_WORDS, _labels(DuesCategory.choices),
                                              default=current["category"] if current else DuesCategory.EMPLOYED)
        except ValidationError as exc:
            errors["category"], values["category"] = exc.messages, DuesCategory.EMPLOYED
        for field in ("base", "agreed", "voluntary"):
            try:
                values[field] = parse_money(raw.get(field))
            except ValidationError as exc:
                errors[field], values[field] = exc.messages, None
            if field not in self.fields and current:
                values[field] = current[field]  # a column the file lacks keeps what is on file
        if values["category"] not in ON_INCOME:
            values["base"] = None  # a payroll lists everyone's pay; only 在职 and 离退休 pay on it
        if values["category"] != DuesCategory.FARMER:
            values["agreed"] = None
        unchanged = current is not None and all(values[f] == current[f] for f in self.compared if f in self.fields)
        # A row the file repeats unchanged writes nothing: a paid month after its start is no matter then.
        last_paid = None if unchanged else self.last_paid.get(member.pk)
        standard, rule_errors = basis_check(member=member, today=self.today, last_paid=last_paid,
                                            **{f: values[f] for f in ("category", "effective_from", "base", "agreed", "voluntary")})
        for field, messages in rule_errors.items():
            errors.setdefault(field, messages)
        values["standard"] = standard
        self.in_force[number_hash] = (member.pk, current) if current else None
        self.full[member.pk] = values
        return values, errors

    def display(self, field, value):
        if field == "category":
            return str(DuesCategory(value).label) if value else ""
        if field == "effective_from" and value:
            return f"{value.year}年{value.month}月"
        return super().display(field, value)

    def write(self, creates, updates):
        rows = list(creates) + [self.full[pk] for pk, _ in updates]
        bases_create(park=self.park, actor=self.actor, bases=[{**values, "member": self.people[values["id_hash"]]} for values in rows])

    def violations(self):
        park_id = self.park.pk
        return [DuesBasis._base_manager.filter(park_id=park_id).exclude(member__park_id=park_id)]


def bulk_update_changes(model, park, updates: list[tuple[int, dict]], *, column=lambda name: name, batch_size: int) -> None:
    """Write the changed fields of existing rows: bulk_update writes every named field of every object
    it is given, so one call per set of changed fields (`column` maps a field to its attribute)."""
    groups: dict[frozenset, list] = {}
    for pk, new in updates:
        obj = model(pk=pk, park_id=park.pk)
        for name, value in new.items():
            setattr(obj, column(name), value)
        groups.setdefault(frozenset(new), []).append(obj)
    for names, objs in groups.items():
        model.objects.bulk_update(objs, [column(n) for n in names], batch_size=batch_size)


def _db_field(name: str) -> str:
    return f"{name}_id" if name in ("branch", "enterprise") else name


def _copy_value(value) -> str:
    """A value in COPY's text format: \\N for NULL, backslash, tab and newline escaped."""
    if value is None:
        return "\\N"
    if isinstance(value, date):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


IMPORTERS = {cls.kind: cls for cls in (EnterpriseImporter, BranchImporter, MemberImporter, PolicyImporter, DevelopmentImporter, DuesBasisImporter)}
