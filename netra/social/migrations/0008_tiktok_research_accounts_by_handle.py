"""TikTok Research API accounts are known by their handle, not by it as a platform id.

Loads before this release stored the Research API's username as the account's platform id;
a Zeeschuimer capture of the same person (with TikTok's numeric id) then made a second
account. Such rows (platform id equal to the handle, not all digits) lose the pretend id,
so the next capture adopts the real one (``netra.social.accounts``).
"""

from django.db import migrations
from django.db.models import F
from django.db.models.functions import Lower


def forwards(apps, schema_editor):
    Account = apps.get_model("social", "Account")
    pretend = (
        Account.objects.filter(platform="tiktok")
        .exclude(platform_id="")
        .alias(id_lower=Lower("platform_id"), handle_lower=Lower("handle"))
        .filter(id_lower=F("handle_lower"))
        .exclude(platform_id__regex=r"^[0-9]+$")
    )
    pretend.update(platform_id="")


class Migration(migrations.Migration):
    dependencies = [("social", "0007_item_search")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
