"""The former `co_signers` many-to-many fields, now in the co-signature tables (0006)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0006_co_signatures"),
    ]

    operations = [
        migrations.RemoveField(model_name="positionpage", name="co_signers"),
        migrations.RemoveField(model_name="submission", name="co_signers"),
    ]
