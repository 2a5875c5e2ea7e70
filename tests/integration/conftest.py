import pytest

from tests import factories

@pytest.fixture
def monitoring_unit(db):
    return factories.monitoring_unit()


@pytest.fixture
def unit(db):
    return factories.unit(name="امور رفاهی")


@pytest.fixture
def people(unit, monitoring_unit):
    """One staff user per role, for tests that drive cases through the workflow."""
    return {
        "monitoring": factories.monitoring_user(),
        "head": factories.monitoring_head(),
        "unit": factories.unit_user(unit),
        "other_unit": factories.unit_user(factories.unit(name="واحد دیگر")),
    }


@pytest.fixture
def service(unit):
    return factories.service(unit_=unit, name="وام شهریه")
