"""Index when each offer was last confirmed, for the freshness filter; `manage.py reindex` fills it."""

import datetime

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("catalogue_search", "0002_text_index")]

    operations = [
        migrations.AddField(
            model_name="offerdocument",
            name="last_confirmed",
            field=models.DateField(db_index=True, default=datetime.date(1970, 1, 1)),
            preserve_default=False,
        ),
    ]
