"""factory_boy factories shared by every app's tests."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from smartcity.accounts.choices import OrganisationKind, Role
from smartcity.accounts.models import Organisation, User
from smartcity.municipalities.models import Municipality, PopulationCount

TEST_PASSWORD = "correct-horse-battery-staple"  # noqa: S105


class MunicipalityFactory(DjangoModelFactory[Municipality]):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{90000 + n:05d}")
    name_ko = factory.Sequence(lambda n: f"시험시{n}")
    full_name_ko = factory.LazyAttribute(lambda o: f"시험도 {o.name_ko}")
    type = "city"


class PopulationCountFactory(DjangoModelFactory[PopulationCount]):
    class Meta:
        model = PopulationCount

    municipality = factory.SubFactory(MunicipalityFactory)
    reference_date = factory.Faker("date_object")
    population = 100_000
    source = "test"


class OrganisationFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation
        django_get_or_create = ("name_ko",)

    name_ko = factory.Sequence(lambda n: f"기관{n}")
    kind = OrganisationKind.COMPANY


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.COMPANY_APPLICANT
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()
