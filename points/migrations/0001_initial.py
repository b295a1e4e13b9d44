"""Member points' models, moved from the assessment app with their tables and rows."""

from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion
import django_scopes.manager
from django.db.models import Value
from django.db.models.functions import Concat, Substr


MOVED = ['pointentry', 'pointbalance', 'storeitem', 'redemption', 'memberstar', 'activistcard']
OLD, NEW = "assessment", "points"


def relabel(apps, schema_editor):
    """Rows that name the moved models by app label follow them: content types (and so
    permissions), audit entries' target types."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label=NEW, model=model).exists():
            ContentType.objects.filter(app_label=OLD, model=model).update(app_label=NEW)
    AuditEntry = apps.get_model("audit", "AuditEntry")
    AuditEntry.objects.filter(target_type__in=[f"{OLD}.{m}" for m in MOVED]).update(
        target_type=Concat(Value(NEW + "."), Substr("target_type", len(OLD) + 2))
    )



class Migration(migrations.Migration):

    dependencies = [
        ('activities', '0001_initial'),
        ('assessment', '0002_payoutline_guard'),
        ('audit', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('members', '0002_postterm'),
        ('orgs', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # State only: the tables are already there, under their old names (Meta.db_table).
            state_operations=[
                migrations.CreateModel(
                    name='StoreItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, verbose_name='物品')),
                        ('cost', models.PositiveIntegerField(verbose_name='所需积分')),
                        ('stock', models.PositiveIntegerField(verbose_name='库存')),
                        ('park', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.park', verbose_name='园区')),
                    ],
                    options={
                        'verbose_name': '积分超市物品',
                        'verbose_name_plural': '积分超市物品',
                        'db_table': 'assessment_storeitem',
                    },
                ),
                migrations.CreateModel(
                    name='Redemption',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('points', models.PositiveIntegerField()),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('created_by', models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('member', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='members.member')),
                        ('park', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.park', verbose_name='园区')),
                        ('item', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='points.storeitem')),
                    ],
                    options={
                        'verbose_name': '兑换记录',
                        'verbose_name_plural': '兑换记录',
                        'db_table': 'assessment_redemption',
                    },
                ),
                migrations.CreateModel(
                    name='ActivistCard',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                        ('quarter', models.PositiveSmallIntegerField(verbose_name='季度')),
                        ('political', models.PositiveSmallIntegerField(verbose_name='政治思想')),
                        ('discipline', models.PositiveSmallIntegerField(verbose_name='遵章守纪')),
                        ('solidarity', models.PositiveSmallIntegerField(verbose_name='团结互助')),
                        ('performance', models.PositiveSmallIntegerField(verbose_name='工作实绩')),
                        ('published', models.BooleanField(default=False, verbose_name='已公示')),
                        ('member', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='members.member', verbose_name='积极分子')),
                        ('park', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.park', verbose_name='园区')),
                    ],
                    options={
                        'verbose_name': '积极分子积分卡',
                        'verbose_name_plural': '积极分子积分卡',
                        'db_table': 'assessment_activistcard',
                        'constraints': [models.UniqueConstraint(fields=('park', 'member', 'year', 'quarter'), name='activistcard_once'), models.CheckConstraint(condition=models.Q(('discipline__lte', 25), ('performance__lte', 25), ('political__lte', 25), ('solidarity__lte', 25)), name='activistcard_25_each')],
                    },
                ),
                migrations.CreateModel(
                    name='MemberStar',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField()),
                        ('quarter', models.PositiveSmallIntegerField()),
                        ('category', models.CharField(choices=[('study', '学习进步星'), ('care', '帮扶关爱星'), ('dedication', '敬业爱岗星'), ('achievement', '业绩突出星'), ('innovation', '节约创新星')], max_length=16)),
                        ('points', models.PositiveIntegerField()),
                        ('member', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='members.member')),
                        ('park', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.park', verbose_name='园区')),
                    ],
                    options={
                        'verbose_name': '星级党员',
                        'verbose_name_plural': '星级党员',
                        'db_table': 'assessment_memberstar',
                        'constraints': [models.UniqueConstraint(fields=('park', 'member', 'year', 'quarter', 'category'), name='memberstar_once')],
                    },
                ),
                migrations.CreateModel(
                    name='PointBalance',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('balance', models.IntegerField(default=0)),
                        ('member', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='members.member')),
                        ('park', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.park', verbose_name='园区')),
                    ],
                    options={
                        'verbose_name': '积分余额',
                        'verbose_name_plural': '积分余额',
                        'db_table': 'assessment_pointbalance',
                        'constraints': [models.UniqueConstraint(fields=('park', 'member'), name='balance_one_per_member'), models.CheckConstraint(condition=models.Q(('balance__gte', 0)), name='balance_never_negative')],
                    },
                ),
                migrations.CreateModel(
                    name='PointEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('month', models.DateField(verbose_name='月份')),
                        ('category', models.CharField(choices=[('study', '学习进步星'), ('care', '帮扶关爱星'), ('dedication', '敬业爱岗星'), ('achievement', '业绩突出星'), ('innovation', '节约创新星')], max_length=16, verbose_name='类别')),
                        ('points', models.PositiveSmallIntegerField(verbose_name='积分')),
                        ('reason', models.CharField(max_length=200, verbose_name='事由')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('attendance', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='activities.attendance')),
                        ('entered_by', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('member', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='members.member', verbose_name='党员')),
                        ('park', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.park', verbose_name='园区')),
                    ],
                    options={
                        'verbose_name': '党员积分',
                        'verbose_name_plural': '党员积分',
                        'db_table': 'assessment_pointentry',
                        'indexes': [models.Index(fields=['park', 'member', 'month'], name='pointentry_park_member')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('attendance__isnull', False)), fields=('park', 'attendance'), name='pointentry_once_per_attendance')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='storeitem',
                    constraint=models.UniqueConstraint(fields=('park', 'name'), name='storeitem_unique_name'),
                ),
                migrations.AddIndex(
                    model_name='redemption',
                    index=models.Index(fields=['park', 'member'], name='redemption_park_member'),
                )
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel, migrations.RunPython.noop),
    ]
