"""factory_boy factories for every app. Each app's factories stand in their own section."""

import factory
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group

from core.models import User
from network.models import Membership, MembershipRole, MembershipStatus, Municipality

PASSWORD = "test-passwort-123"

# --- core -------------------------------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@kommune.example")
    name = factory.Faker("name", locale="de_DE")
    function = "Fachkraft Frühe Hilfen"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Every user has a verified primary address unless verified=False is passed."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        if create:
            self.save()


class StaffFactory(UserFactory):
    """Landesjugendamt staff: in the staff group, with access to the Wagtail admin."""

    email = factory.Sequence(lambda n: f"staff{n}@lvr.example")
    landesjugendamt = "LVR"
    is_staff = True

    @factory.post_generation
    def staff_group(self, create, extracted, **kwargs):
        if create:
            group, _ = Group.objects.get_or_create(name=settings.STAFF_GROUP_NAME)
            self.groups.add(group)


# --- network ----------------------------------------------------------------------------------


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Musterstadt {n}")
    slug = factory.Sequence(lambda n: f"musterstadt-{n}")
    kind = "kreisfreie_stadt"
    region = "LWL"
    municipality_key = factory.Sequence(lambda n: f"059{n:05d}")
    cohort = 1
    joined_year = 2020
    active = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    role = MembershipRole.STAFF
    status = MembershipStatus.APPROVED


def member(municipality=None, *, role=MembershipRole.STAFF, **user_fields) -> User:
    """A user with an approved membership in `municipality` (a new one if None)."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, municipality=municipality or MunicipalityFactory(), role=role)
    return user


def coordinator(municipality=None, **user_fields) -> User:
    return member(municipality, role=MembershipRole.COORDINATOR, **user_fields)
