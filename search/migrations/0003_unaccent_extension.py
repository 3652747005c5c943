"""PostgreSQL's `unaccent` extension, through which the database fallback ignores accents
(`search.folding`). Does nothing on SQLite, whose connections get a function of the same
name instead. Needs a role allowed to create it: `unaccent` is a trusted extension, so
the database's owner may (PostgreSQL 13 and later)."""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("search", "0002_pending_changes_outbox")]

    operations = [UnaccentExtension()]
