import itertools
from datetime import date

import factory

from core.crypto import encrypt_id, id_hash, id_tail_hash
from core.validators import id_check_char, parse_id_number
from members.models import Member, PostTerm
from orgs.models import Organisation
from tests.orgs.factories import OrganisationFactory, ParkFactory

_serial = itertools.count(1)


def valid_id_number(birth: str = "19850312", n: int | None = None, region: str = "370827") -> str:
    body = f"{region}{birth}{(next(_serial) if n is None else n) % 1000:03d}"
    return body + id_check_char(body)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    class Params:
        id_number = factory.LazyFunction(valid_id_number)

    park = factory.SubFactory(ParkFactory)
    branch = factory.SubFactory(
        OrganisationFactory, park=factory.SelfAttribute("..park"), formation=Organisation.Formation.FALLBACK
    )
    name = factory.Sequence(lambda n: f"党员{n}")
    id_cipher = factory.LazyAttribute(lambda o: encrypt_id(o.id_number))
    id_hash = factory.LazyAttribute(lambda o: id_hash(o.id_number))
    id_tail_hash = factory.LazyAttribute(lambda o: id_tail_hash(o.id_number))
    birth_date = factory.LazyAttribute(lambda o: parse_id_number(o.id_number).birth_date)
    gender = factory.LazyAttribute(lambda o: parse_id_number(o.id_number).gender)
    stage = Member.Stage.FULL
    joined_on = date(2010, 7, 1)
    full_on = date(2011, 7, 1)


class PostTermFactory(factory.django.DjangoModelFactory):
    """A post held in the member's branch; open (no end) and held since before the records began."""

    class Meta:
        model = PostTerm

    member = factory.SubFactory(MemberFactory)
    park = factory.SelfAttribute("member.park")
    branch = factory.SelfAttribute("member.branch")
    post = Member.Post.SECRETARY
