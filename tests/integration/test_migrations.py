"""Migrations are the same on every checkout: no machine's paths, nothing left to generate."""
import io

import pytest
from django.core.management import call_command
from django.utils.functional import empty

from sajad.storage import private_storage


@pytest.mark.django_db
def test_makemigrations_finds_nothing_to_do_wherever_the_private_files_live(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "some" / "other" / "checkout" / "private"
    private_storage._wrapped = empty
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:  # --check exits non-zero when a migration would be written
        pytest.fail(f"makemigrations --check wants a migration (exit {exc.code}):\n{out.getvalue()}")
    finally:
        private_storage._wrapped = empty


def test_no_migration_holds_an_absolute_path():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for migration in root.glob("*/migrations/0*.py"):
        text = migration.read_text()
        assert "/work/" not in text and "PurePosixPath" not in text, migration
