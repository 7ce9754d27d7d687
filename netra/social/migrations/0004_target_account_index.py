# Interaction.target_account's index gets a name of its own (interaction_target_account),
# so that a bulk load can drop it and build it again like the other deferred indexes
# (netra.social.store.DEFERRED_INDEXES). Renamed in place: no rebuild of the table.

import django.db.models.deletion
from django.db import migrations, models

# The name Django gave the field's index (the same on SQLite and PostgreSQL).
FIELD_INDEX = "social_interaction_target_account_id_aa5e3d62"


class Migration(migrations.Migration):
    dependencies = [
        ("social", "0003_ascending_time_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="interaction",
                    name="target_account",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="interactions_received",
                        to="social.account",
                        verbose_name="akun sasaran",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{FIELD_INDEX}"',
                    reverse_sql=f'CREATE INDEX "{FIELD_INDEX}" ON "social_interaction"'
                    ' ("target_account_id")',
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="interaction",
            index=models.Index(fields=["target_account"], name="interaction_target_account"),
        ),
    ]
