"""Member points moved to the points app; rounds are the cycle's (state only: no table changes)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessment', '0002_payoutline_guard'),
        ('cycle', '0001_initial'),
        ('points', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # State only: the tables are already there, under their old names (Meta.db_table).
            state_operations=[
                migrations.RemoveField(
                    model_name='activistcard',
                    name='member',
                ),
                migrations.RemoveField(
                    model_name='activistcard',
                    name='park',
                ),
                migrations.RemoveField(
                    model_name='memberstar',
                    name='member',
                ),
                migrations.RemoveField(
                    model_name='memberstar',
                    name='park',
                ),
                migrations.RemoveField(
                    model_name='pointbalance',
                    name='member',
                ),
                migrations.RemoveField(
                    model_name='pointbalance',
                    name='park',
                ),
                migrations.RemoveField(
                    model_name='pointentry',
                    name='attendance',
                ),
                migrations.RemoveField(
                    model_name='pointentry',
                    name='entered_by',
                ),
                migrations.RemoveField(
                    model_name='pointentry',
                    name='member',
                ),
                migrations.RemoveField(
                    model_name='pointentry',
                    name='park',
                ),
                migrations.RemoveField(
                    model_name='redemption',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='redemption',
                    name='item',
                ),
                migrations.RemoveField(
                    model_name='redemption',
                    name='member',
                ),
                migrations.RemoveField(
                    model_name='redemption',
                    name='park',
                ),
                migrations.RemoveField(
                    model_name='storeitem',
                    name='park',
                ),

                migrations.AlterField(
                    model_name='roundassessment',
                    name='round',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='assessments', to='cycle.inspectionround'),
                ),
                migrations.DeleteModel(
                    name='ActivistCard',
                ),
                migrations.DeleteModel(
                    name='MemberStar',
                ),
                migrations.DeleteModel(
                    name='PointBalance',
                ),
                migrations.DeleteModel(
                    name='PointEntry',
                ),
                migrations.DeleteModel(
                    name='Redemption',
                ),
                migrations.DeleteModel(
                    name='StoreItem',
                )
            ],
            database_operations=[],
        ),
    ]
