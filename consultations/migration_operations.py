"""Migration operations that apply on PostgreSQL only.

The embedded SQLite database of `make run` cannot express an exclusion constraint; the
rule it enforces is also checked under a row lock by the service that writes the rows,
so SQLite keeps the rule, PostgreSQL keeps it even against a direct write.
"""

from django.db import migrations


class PostgreSQLOnlySQL(migrations.RunSQL):
    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
