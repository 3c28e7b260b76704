"""The permission to administer the other Landesjugendamt's dates is named for what it grants,
also in a database created before it was renamed (Django never renames a permission itself)."""

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command


@pytest.mark.django_db(transaction=True)
def test_the_permission_row_is_renamed_forwards_and_back():
    permission = Permission.objects.get(codename="edit_other_provider_dates")
    assert permission.name.startswith(
        "Can administer the course dates of the other Landesjugendamt"
    )
    call_command("migrate", "training", "0010", verbosity=0)
    permission.refresh_from_db()
    assert permission.name == "Can edit course dates of the other Landesjugendamt"
    call_command("migrate", "training", verbosity=0)
    permission.refresh_from_db()
    assert permission.name.startswith("Can administer the course dates")
