"""Races on PostgreSQL with real connections: two decisions on one request, two requests of one
person, two coordinators leaving at once. On SQLite select_for_update does nothing, so these
run on PostgreSQL only."""

import threading

import pytest
from django.db import connection

from network.exceptions import AlreadyMember, LastCoordinator, MembershipAlreadyDecided
from network.models import Membership, MembershipRole, MembershipStatus
from network.services.memberships import membership_approve, membership_end, membership_request
from tests.factories import MembershipFactory, MunicipalityFactory, UserFactory, coordinator

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(*calls):
    """Run the calls in threads that start at the same moment; return what each returned or
    raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_coordinators_approve_the_same_request_at_once(mailoutbox):
    town = MunicipalityFactory()
    first, second = coordinator(town), coordinator(town)
    pending = MembershipFactory(municipality=town, status=MembershipStatus.PENDING)
    results = run_together(
        lambda: membership_approve(membership=pending, by=first),
        lambda: membership_approve(membership=pending, by=second),
    )
    assert sum(isinstance(r, Membership) for r in results) == 1
    assert sum(isinstance(r, MembershipAlreadyDecided) for r in results) == 1
    assert len(mailoutbox) == 1


def test_one_person_asks_twice_at_once():
    user = UserFactory()
    towns = [MunicipalityFactory(), MunicipalityFactory()]
    results = run_together(
        *[
            (lambda t=t: membership_request(user=user, municipality=t, role=MembershipRole.STAFF))
            for t in towns
        ]
    )
    assert sum(isinstance(r, Membership) for r in results) == 1
    assert sum(isinstance(r, AlreadyMember) for r in results) == 1
    assert Membership.objects.filter(user=user).count() == 1


def test_two_last_coordinators_cannot_both_leave():
    town = MunicipalityFactory()
    first, second = coordinator(town), coordinator(town)
    results = run_together(
        lambda: membership_end(membership=first.memberships.get(), by=first),
        lambda: membership_end(membership=second.memberships.get(), by=second),
    )
    assert sum(isinstance(r, LastCoordinator) for r in results) == 1
    assert (
        Membership.objects.filter(
            municipality=town, status=MembershipStatus.APPROVED, role=MembershipRole.COORDINATOR
        ).count()
        == 1
    )
