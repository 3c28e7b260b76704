"""core/db/prepared.py: a queryset compiled once answers like the queryset, for every value."""

import pytest
from django.db.models import F, FilteredRelation, Q

from core.db.prepared import PreparedQuery, columns, take
from core.models import User
from network.models import Membership, MembershipStatus, Municipality
from tests.factories import MunicipalityFactory, member

pytestmark = pytest.mark.django_db


def users_with_town(*, town_id: int, status: str):
    """Users with the name of their municipality: a FilteredRelation join, a datetime column
    (the backend's converters) and an annotation listed before a field (the column order)."""
    return (
        User.objects.annotate(
            live=FilteredRelation("memberships", condition=Q(memberships__status=status)),
            town=F("live__municipality__name"),
        )
        .filter(live__municipality_id=town_id)
        .order_by("email")
        .values_list("town", "email", "date_joined", "live__role")
    )


prepared = PreparedQuery(users_with_town)


def test_rows_are_the_querysets_rows_for_each_value():
    bochum, herne = MunicipalityFactory(name="Bochum"), MunicipalityFactory(name="Herne")
    member(bochum, email="b@bochum.example")
    member(bochum, email="a@bochum.example")
    member(herne, email="h@herne.example")
    approved = MembershipStatus.APPROVED
    for town in (bochum, herne):
        expected = list(users_with_town(town_id=town.pk, status=approved))
        assert prepared.rows(town_id=town.pk, status=approved) == expected
    rows = prepared.rows(town_id=bochum.pk, status=approved)
    assert [row[:2] for row in rows] == [
        ("Bochum", "a@bochum.example"),
        ("Bochum", "b@bochum.example"),
    ]
    assert rows[0][2].tzinfo is not None  # converted as the ORM converts it
    assert prepared.rows(town_id=bochum.pk, status=MembershipStatus.PENDING) == []


def test_each_call_is_one_query_on_the_current_data(django_assert_num_queries):
    town = MunicipalityFactory(name="Hamm")
    member(town, email="x@hamm.example")
    prepared.rows(town_id=town.pk, status=MembershipStatus.APPROVED)
    Membership.objects.update(status=MembershipStatus.ENDED)
    with django_assert_num_queries(1):
        assert prepared.rows(town_id=town.pk, status=MembershipStatus.APPROVED) == []


def test_shape_compiles_one_query_per_branch():
    def build(*, mine: bool, user_id: int):
        qs = User.objects.order_by("pk")
        qs = qs.filter(pk=user_id) if mine else qs.exclude(pk=user_id)
        return qs.values_list("email")

    query = PreparedQuery(build)
    one, two = member(email="eins@kommune.example"), member(email="zwei@kommune.example")
    assert query.rows(shape={"mine": True}, user_id=two.pk) == [("zwei@kommune.example",)]
    assert query.rows(shape={"mine": False}, user_id=two.pk) == [("eins@kommune.example",)]
    assert query.rows(shape={"mine": True}, user_id=one.pk) == [("eins@kommune.example",)]


def test_a_value_django_changes_or_leaves_out_is_refused():
    """Its stand-in would not be where the real value must go: the query would be wrong."""
    wrapped = PreparedQuery(
        lambda *, text: User.objects.filter(email__icontains=text).values_list("pk")
    )
    with pytest.raises(ValueError, match="text: the value is not a parameter"):
        wrapped.rows(text="kommune")
    unused = PreparedQuery(lambda *, pk: User.objects.values_list("pk"))
    with pytest.raises(ValueError, match="pk: the value is not a parameter"):
        unused.rows(pk=1)


def test_only_values_list_querysets_and_plain_values():
    with pytest.raises(TypeError, match="values_list"):
        PreparedQuery(lambda *, pk: User.objects.filter(pk=pk)).rows(pk=1)
    with pytest.raises(TypeError, match="ints and strings"):
        PreparedQuery(lambda *, flag: User.objects.values_list("pk")).rows(flag=True)


def test_take_builds_each_model_from_its_columns_of_a_row():
    town = MunicipalityFactory(name="Unna")
    person = member(town, email="u@unna.example")
    row = (
        Membership.objects.filter(user=person)
        .values_list(*columns(Membership), *columns(Municipality, "municipality"), "user__email")
        .get()
    )
    membership, at = take(Membership, row)
    municipality, at = take(Municipality, row, at)
    assert membership == Membership.objects.get(user=person)
    assert (municipality.pk, municipality.name) == (town.pk, "Unna")
    assert row[at:] == ("u@unna.example",)
