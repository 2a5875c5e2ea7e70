"""Every environment variable the code reads is listed in .env.example and in docker compose."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# env("NAME", ...), env.int("NAME", ...), env.db("NAME"), possibly across lines.
_READ = re.compile(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]+)\"", re.S)
# What compose need not carry: the test suite's Redis and the embedded (no Redis) broker folder.
NOT_FOR_COMPOSE = {"TEST_REDIS_URL", "CELERY_FILESYSTEM_DIR"}
# The containers bind 0.0.0.0 themselves; WEB_HOST only chooses the interface under `make run`.
NOT_FOR_COMPOSE |= {"WEB_HOST"}


def variables_read_by_the_code() -> set[str]:
    found = set()
    for path in ROOT.glob("*/**/*.py"):
        if any(part in {".venv", "node_modules", "tests", "migrations"} for part in path.parts):
            continue
        found.update(_READ.findall(path.read_text(encoding="utf-8")))
    for name in re.findall(r"\$\{([A-Z_]+)", (ROOT / "Procfile").read_text()):
        found.add(name)
    return found


def test_the_probe_finds_the_settings_it_should():
    names = variables_read_by_the_code()
    assert {"SITE_URL", "SMS_GATEWAY_URL", "DATABASE_URL", "ORG_ADDRESS", "WEB_WORKERS"} <= names


def test_env_example_lists_every_variable_the_code_reads():
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert variables_read_by_the_code() - listed == set()


def test_compose_names_every_variable_the_portal_reads():
    """Set in its environment, or named in the list of what env_file passes from .env."""
    compose = (ROOT / "docker-compose.yml").read_text()
    missing = {name for name in variables_read_by_the_code() - NOT_FOR_COMPOSE
               if not re.search(rf"\b{name}\b", compose)}
    assert missing == set()
