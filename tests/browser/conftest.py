"""Browser suite: headless Debian Chromium driven by pytest-playwright against pytest-django's live_server."""
import os

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test (and by
# live_server) are still synchronous and safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A citizen's phone in Iran: Persian locale, phone-sized viewport.
    return {**browser_context_args, "locale": "fa-IR", "viewport": {"width": 390, "height": 844}}


def pytest_collection_modifyitems(session, config, items):
    """Run the browser suite last.

    pytest-playwright keeps a session-wide event loop running in the main thread once a browser
    test has started; from then on Django's connection registry (an asgiref Local) is per-context,
    so later tests that close connections and fork worker processes would hand the children a live
    connection. Nothing runs after the browser tests, so nothing inherits that state.
    """
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
