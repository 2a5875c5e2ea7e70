"""Create (or update) the database role the running portal connects as, and grant it its rights.

Run as the owner role, after `migrate` (scripts/run.sh and compose's release step do):

    DATABASE_URL=postgres://owner@host/sajad python manage.py grant_runtime_role

The runtime role (`DATABASE_RUNTIME_ROLE`, default `sajad_app`) may read and write the portal's
tables, but on the append-only logs (`APPEND_ONLY_TABLES`) only SELECT and INSERT: no UPDATE,
DELETE or TRUNCATE, and, as it owns nothing, it cannot ALTER a table to disable the trigger that
guards the log either. Migrations keep running as the owner. Idempotent; on anything but
PostgreSQL (the embedded SQLite of `make run`) it does nothing.
"""
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from psycopg2 import sql

# Tables whose rows are history: the runtime role may add and read, never change or remove.
APPEND_ONLY_TABLES = ["complaints_caseevent"]


class Command(BaseCommand):
    help = "Create the runtime database role and grant it what the running portal needs."

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            self.stdout.write("not PostgreSQL: no database roles to set up")
            return
        role = settings.DATABASE_RUNTIME_ROLE
        password = settings.DATABASE_RUNTIME_PASSWORD
        ident = sql.Identifier(role)
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_database(), current_user")
            database, owner = cursor.fetchone()
            if owner == role:
                raise SystemExit("run this as the owner role, not as the runtime role itself")
            # CREATE ROLE has no IF NOT EXISTS; another process may create it at the same moment.
            cursor.execute(sql.SQL("""
                DO $$ BEGIN
                    CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION;
                EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
                END $$""").format(ident))
            cursor.execute(
                sql.SQL("ALTER ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %s")
                .format(ident), [password or None],
            )
            statements = [
                sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(
                    sql.Identifier(database), ident),
                sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(ident),
                sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}")
                .format(ident),
                sql.SQL("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {}")
                .format(ident),
                # Tables the owner creates in later migrations get the same rights.
                sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA public "
                        "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {}").format(ident),
                sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA public "
                        "GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {}").format(ident),
                # Nothing may be truncated by the runtime role, and it may not own anything.
                sql.SQL("REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public "
                        "FROM {}").format(ident),
                sql.SQL("REVOKE CREATE ON SCHEMA public FROM {}").format(ident),
            ]
            for table in APPEND_ONLY_TABLES:
                statements.append(sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(
                    sql.Identifier(table), ident))
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(f"runtime role {role}: read/write, append-only on "
                          f"{', '.join(APPEND_ONLY_TABLES)}, no TRUNCATE (database {database})")
