# Source.size is labelled "ukuran (byte)": Indonesian writes byte, not "bait". Label only.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('social', '0004_target_account_index'),
    ]

    operations = [
        migrations.AlterField(
            model_name='source',
            name='size',
            field=models.PositiveBigIntegerField(default=0, verbose_name='ukuran (byte)'),
        ),
    ]
