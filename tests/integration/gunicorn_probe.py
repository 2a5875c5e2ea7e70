"""A WSGI app that says how many objects its worker froze (for test_gunicorn_config.py)."""
import gc


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(gc.get_freeze_count()).encode()]
