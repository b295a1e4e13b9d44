"""惠企政策: the park's policy library, searchable in Chinese.

PostgreSQL's text search does not segment Chinese, so jieba does it here: a policy's title (weight
A) and its tags and text (weight B) are cut into words in search-engine mode — 融资担保 gives 融资,
担保 — and kept as a tsvector under the 'simple' configuration whenever the policy is saved. A query
is cut the same way and any of its words may match; ts_rank puts a hit in the title first, and a
policy with every word of the query before one with some of them.
"""

import logging
import re
from datetime import date

import jieba
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record, model_changes
from core.uploads import check_uploads, store_upload
from core.validators import length_errors, normalize_text
from services.models import Notice, Policy, PolicyBundle, PolicyBundleItem, PolicyFile
from services.notices import notice_publish

jieba.setLogLevel(logging.WARNING)  # its start-up chatter is not the platform's log

FIELDS = ["title", "issuer", "doc_number", "issued_on", "level", "category", "tags", "body", "valid_until", "repealed"]
WORD = re.compile(r"^\w+$")  # a word jieba found, not punctuation or space (and safe in a raw tsquery)

MSG_TITLE = _("请填写政策名称。")
MSG_BODY = _("请填写政策全文。")
MSG_TAKEN = _("本园区的政策库已有“%(title)s”。")
MSG_DATES = _("有效期不能早于发文日期。")
MSG_LEVEL = _("请选择政策层级。")


def words(text: str) -> list[str]:
    """The words of a text as search sees them (jieba, search-engine mode, lower case)."""
    return [w.lower() for w in jieba.cut_for_search(text or "") if WORD.match(w)]


def policy_values(data: dict) -> dict:
    """A policy's fields as stored: names folded to half-width, the text trimmed."""
    values = dict(data)
    for field in ("title", "issuer", "doc_number", "tags", "category"):
        values[field] = normalize_text(data.get(field, ""))
    values["body"] = (data.get("body") or "").strip()
    return values


def policy_errors(values: dict) -> dict[str, list[str]]:
    """The rules a policy keeps, for the form and the import alike (uniqueness is the caller's: the
    form refuses a title already taken, the import updates the policy of that title)."""
    errors = length_errors(Policy, values)
    if not values["title"]:
        errors["title"] = [str(MSG_TITLE)]
    if not values["body"]:
        errors["body"] = [str(MSG_BODY)]
    if values.get("level") not in Policy.Level.values:
        errors["level"] = [str(MSG_LEVEL)]
    issued, until = values.get("issued_on"), values.get("valid_until")
    if issued and until and until < issued:
        errors["valid_until"] = [str(MSG_DATES)]
    return errors


@transaction.atomic
def policy_save(*, park, actor, policy: Policy | None = None, files=(), **data) -> Policy:
    values = policy_values(data)
    errors = policy_errors(values)
    if "title" not in errors and Policy.objects.filter(park=park, title=values["title"]).exclude(pk=policy.pk if policy else None).exists():
        errors["title"] = [str(MSG_TAKEN % {"title": values["title"]})]
    if problems := check_uploads(files, photo=False):
        errors["files"] = problems
    if errors:
        raise ValidationError(errors)
    before = None if policy is None else {f: getattr(policy, f) for f in FIELDS}
    policy = policy or Policy(park=park, created_by=actor)
    for field in FIELDS:
        if field in values:
            setattr(policy, field, values[field])
    policy.save()
    index_policy(policy)
    for upload in files:
        store_upload(PolicyFile, upload, park=park, policy=policy)
    audit_record(park=park, actor=actor, action="policy.save", target=policy, changes=model_changes(policy, before, FIELDS[:-2]))
    return policy


def index_policy(policy: Policy) -> None:
    """Keep the policy's words for search: the title's as A, the tags' and text's as B."""
    Policy.objects.filter(pk=policy.pk).update(
        search=SearchVector(Value(" ".join(words(policy.title))), weight="A", config="simple")
        + SearchVector(Value(" ".join(words(f"{policy.tags} {policy.body}"))), weight="B", config="simple")
    )


def policy_search(*, park, query: str, today: date | None = None, valid_only: bool = False):
    """The park's policies matching any word of the query, most relevant first (one query)."""
    today = today or timezone.localdate()
    found = Policy.objects.filter(park=park)
    if valid_only:
        found = found.filter(repealed=False).exclude(valid_until__lt=today)
    terms = sorted(set(words(query)))
    if not terms:
        return found.order_by("-issued_on", "-pk")
    match = SearchQuery(" | ".join(terms), search_type="raw", config="simple")
    return found.filter(search=match).annotate(rank=SearchRank(F("search"), match)).order_by("-rank", "-issued_on", "-pk")


def highlight(text: str, query: str, *, width: int = 80) -> SafeString:
    """The text (a snippet around the first hit when it is long) with the query's words marked."""
    terms = sorted(set(words(query)), key=len, reverse=True)
    lowered = (text or "").lower()
    first = min((i for i in (lowered.find(t) for t in terms) if i >= 0), default=0)
    start = max(0, first - width // 4) if len(text) > width else 0
    piece = text[start : start + width]
    marked = escape(piece)
    for term in terms:
        marked = re.sub(re.escape(escape(term)), lambda m: f"<mark>{m.group(0)}</mark>", marked, flags=re.IGNORECASE)
    return mark_safe(("…" if start else "") + marked + ("…" if start + width < len(text) else ""))


# --- 政策大礼包 -------------------------------------------------------------------------------------
MSG_BUNDLE_NAME = _("请填写礼包名称。")
MSG_BUNDLE_TAKEN = _("已有名为“%(name)s”的政策大礼包。")
MSG_BUNDLE_EMPTY = _("请至少列出一项政策（每行一个政策名称）。")
MSG_MORE_UNKNOWN = _("另有%(count)s行也不是政策库里的政策名称。")
MAX_PROBLEMS_SHOWN = 10
MSG_BUNDLE_UNKNOWN = _("第%(line)s行“%(title)s”不是政策库里的政策名称。")  # also for a resolution's policies


def policies_named(*, park, text: str) -> tuple[list[int], list[str]]:
    """The library's policies named one title a line (《》 optional), in order, once each; and a
    message for each line that names no policy. Bundles and a demand's resolution both cite this way."""
    by_title = dict(Policy.objects.filter(park=park).values_list("title", "pk"))
    chosen, problems = [], []
    for line_no, raw in enumerate((text or "").splitlines(), start=1):
        title = normalize_text(raw).strip("《》 ")
        if not title:
            continue
        if title not in by_title:
            problems.append(str(MSG_BUNDLE_UNKNOWN % {"line": line_no, "title": title[:40]}))
        elif by_title[title] not in chosen:
            chosen.append(by_title[title])
    if len(problems) > MAX_PROBLEMS_SHOWN:  # a pasted page of junk gets a short answer, not a wall
        problems = [*problems[:MAX_PROBLEMS_SHOWN], str(MSG_MORE_UNKNOWN % {"count": len(problems) - MAX_PROBLEMS_SHOWN})]
    return chosen, problems


@transaction.atomic
def bundle_save(*, park, actor, name: str, note: str = "", titles_text: str = "") -> PolicyBundle:
    """A named list of the library's policies, in the order written (one title a line)."""
    name, note = normalize_text(name), normalize_text(note)
    errors = length_errors(PolicyBundle, {"name": name, "note": note})
    if not name:
        errors["name"] = [str(MSG_BUNDLE_NAME)]
    elif PolicyBundle.objects.filter(park=park, name=name).exists():
        errors["name"] = [str(MSG_BUNDLE_TAKEN % {"name": name})]
    chosen, problems = policies_named(park=park, text=titles_text)
    if problems or not chosen:
        errors["titles_text"] = problems or [str(MSG_BUNDLE_EMPTY)]
    if errors:
        raise ValidationError(errors)
    bundle = PolicyBundle.objects.create(park=park, name=name, note=note, created_by=actor)
    PolicyBundleItem.objects.bulk_create([PolicyBundleItem(park=park, bundle=bundle, policy_id=pk, position=n) for n, pk in enumerate(chosen)])
    audit_record(park=park, actor=actor, action="policy_bundle.save", target=bundle, changes={"policies": [None, len(chosen)]})
    return bundle


def bundle_policies(bundle: PolicyBundle) -> list[Policy]:
    return [item.policy for item in bundle.items.select_related("policy").order_by("position")]


@transaction.atomic
def bundle_send(*, bundle: PolicyBundle, actor, audience: str, branches=(), roles=()) -> Notice:
    """Send the 礼包 to the enterprises' side as a notice: its policies listed in order."""
    lines = [f"{n}. 《{p.title}》{('（' + p.doc_number + '）') if p.doc_number else ''}{(' ' + p.issuer) if p.issuer else ''}"
             for n, p in enumerate(bundle_policies(bundle), start=1)]
    body = (f"{bundle.note}\n\n" if bundle.note else "") + "\n".join(lines) + "\n\n全文可在平台“惠企政策”中查阅。"
    return notice_publish(park=bundle.park, actor=actor, title=f"【政策大礼包】{bundle.name}"[:120], body=body,
                          kind=Notice.Kind.TASK, audience=audience, branches=branches, roles=roles)
