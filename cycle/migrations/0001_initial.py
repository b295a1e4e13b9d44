"""The 四个一 cycle's models, moved from the activities app with their tables and rows."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Value
from django.db.models.functions import Concat, Substr

MOVED = ['monthlymeeting', 'tasktemplate', 'worktask', 'taskassignment', 'monthlyreport', 'inspectionround', 'halfyearsummary', 'nomination', 'annualreview', 'milestone', 'secretaryreport', 'rating', 'notification']
OLD, NEW = "activities", "cycle"


def relabel(apps, schema_editor):
    """Rows that name the moved models by app label follow them: content types (and so
    permissions), audit entries' target types, and the beat entries of the cycle's Celery tasks."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label=NEW, model=model).exists():
            ContentType.objects.filter(app_label=OLD, model=model).update(app_label=NEW)
    AuditEntry = apps.get_model("audit", "AuditEntry")
    AuditEntry.objects.filter(target_type__in=[f"{OLD}.{m}" for m in MOVED]).update(
        target_type=Concat(Value(NEW + "."), Substr("target_type", len(OLD) + 2))
    )
    # The per-park reminder entries name their Celery task by module path; the task moved too.
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name in ("park_reminders", "cycle_all_parks", "cycle_park_day"):
        PeriodicTask.objects.filter(task=f"activities.tasks.{name}").update(task=f"cycle.tasks.{name}")


class Migration(migrations.Migration):

    dependencies = [
        ('activities', '0001_initial'),
        ('audit', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('django_celery_beat', '0019_alter_periodictasks_options'),
        ('members', '0002_postterm'),
        ('orgs', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # State only: the tables are already there, under their old names (Meta.db_table).
            state_operations=[
                migrations.CreateModel(
                    name='AnnualReview',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                        ('action_title', models.CharField(blank=True, max_length=200, verbose_name='专项行动')),
                        ('reports_due', models.DateField(verbose_name='述职报告截止')),
                        ('park', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.park', verbose_name='园区')),
                    ],
                    options={
                        'verbose_name': '年度述职评议',
                        'verbose_name_plural': '年度述职评议',
                        'db_table': 'activities_annualreview',
                    },
                ),
                migrations.CreateModel(
                    name='HalfYearSummary',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                        ('nominations_due', models.DateField(verbose_name='推荐截止')),
                        ('summary', models.TextField(blank=True, verbose_name='半年总结')),
                        ('park', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.park', verbose_name='园区')),
                    ],
                    options={
                        'verbose_name': '半年总结',
                        'verbose_name_plural': '半年总结',
                        'db_table': 'activities_halfyearsummary',
                    },
                ),
                migrations.CreateModel(
                    name='InspectionRound',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                        ('quarter', models.PositiveSmallIntegerField(verbose_name='季度')),
                        ('opens_on', models.DateField(verbose_name='开始日期')),
                        ('self_assessment_due', models.DateField(verbose_name='自查截止')),
                        ('inspection_due', models.DateField(verbose_name='检查截止')),
                        ('park', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.park', verbose_name='园区')),
                    ],
                    options={
                        'verbose_name': '季度巡查',
                        'verbose_name_plural': '季度巡查',
                        'db_table': 'activities_inspectionround',
                        'ordering': ['-year', '-quarter'],
                    },
                ),
                migrations.CreateModel(
                    name='Milestone',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='任务')),
                        ('due_on', models.DateField(verbose_name='完成时限')),
                        ('done_on', models.DateField(blank=True, null=True, verbose_name='完成日期')),
                        ('park', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.park', verbose_name='园区')),
                        ('review', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='milestones', to='cycle.annualreview')),
                    ],
                    options={
                        'verbose_name': '专项行动任务',
                        'verbose_name_plural': '专项行动任务',
                        'db_table': 'activities_milestone',
                        'ordering': ['due_on'],
                    },
                ),
                migrations.CreateModel(
                    name='MonthlyMeeting',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('month', models.DateField(help_text='该月1日', verbose_name='月份')),
                        ('held_on', models.DateField(blank=True, null=True, verbose_name='例会日期')),
                        ('notes', models.TextField(blank=True, verbose_name='例会纪要')),
                        ('park', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.park', verbose_name='园区')),
                    ],
                    options={
                        'verbose_name': '月度例会',
                        'verbose_name_plural': '月度例会',
                        'db_table': 'activities_monthlymeeting',
                        'ordering': ['-month'],
                    },
                ),
                migrations.CreateModel(
                    name='MonthlyReport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('month', models.DateField(verbose_name='月份')),
                        ('activities', models.TextField(verbose_name='组织生活开展情况')),
                        ('member_changes', models.TextField(blank=True, verbose_name='党员变动情况')),
                        ('problems', models.TextField(blank=True, verbose_name='存在问题')),
                        ('submitted_at', models.DateTimeField(auto_now_add=True, verbose_name='报送时间')),
                        ('branch', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organisation', verbose_name='党支部')),
                        ('park', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.park', verbose_name='园区')),
                        ('submitted_by', models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': '月报告',
                        'verbose_name_plural': '月报告',
                        'db_table': 'activities_monthlyreport',
                        'ordering': ['-month'],
                    },
                ),
                migrations.CreateModel(
                    name='Nomination',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('member', '优秀共产党员'), ('worker', '优秀党务工作者'), ('organisation', '先进基层党组织')], max_length=16, verbose_name='类别')),
                        ('reason', models.TextField(verbose_name='推荐理由')),
                        ('status', models.CharField(choices=[('proposed', '待审核'), ('approved', '已通过'), ('rejected', '未通过')], default='proposed', max_length=16, verbose_name='状态')),
                        ('branch', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organisation', verbose_name='推荐党支部')),
                        ('member', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='members.member', verbose_name='推荐人选')),
                        ('park', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.park', verbose_name='园区')),
                        ('summary', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='nominations', to='cycle.halfyearsummary')),
                    ],
                    options={
                        'verbose_name': '评优推荐',
                        'verbose_name_plural': '评优推荐',
                        'db_table': 'activities_nomination',
                    },
                ),
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(max_length=120)),
                        ('message', models.CharField(max_length=300, verbose_name='内容')),
                        ('link', models.CharField(blank=True, max_length=200)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('read_at', models.DateTimeField(blank=True, null=True)),
                        ('park', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.park', verbose_name='园区')),
                        ('user', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': '通知',
                        'verbose_name_plural': '通知',
                        'db_table': 'activities_notification',
                        'ordering': ['-created_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='SecretaryReport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.TextField(verbose_name='述职报告')),
                        ('submitted_at', models.DateTimeField(auto_now_add=True)),
                        ('branch', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organisation', verbose_name='党支部')),
                        ('park', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.park', verbose_name='园区')),
                        ('review', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='cycle.annualreview')),
                        ('submitted_by', models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': '述职报告',
                        'verbose_name_plural': '述职报告',
                        'db_table': 'activities_secretaryreport',
                    },
                ),
                migrations.CreateModel(
                    name='Rating',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('grade', models.CharField(choices=[('good', '好'), ('fair_good', '较好'), ('fair', '一般'), ('poor', '差')], max_length=16, verbose_name='评议等次')),
                        ('evaluator', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('park', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.park', verbose_name='园区')),
                        ('report', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='ratings', to='cycle.secretaryreport')),
                    ],
                    options={
                        'verbose_name': '评议',
                        'verbose_name_plural': '评议',
                        'db_table': 'activities_rating',
                    },
                ),
                migrations.CreateModel(
                    name='TaskTemplate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='任务')),
                        ('description', models.TextField(blank=True, verbose_name='要求')),
                        ('park', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.park', verbose_name='园区')),
                    ],
                    options={
                        'verbose_name': '任务模板',
                        'verbose_name_plural': '任务模板',
                        'db_table': 'activities_tasktemplate',
                    },
                ),
                migrations.CreateModel(
                    name='WorkTask',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='任务')),
                        ('description', models.TextField(blank=True, verbose_name='要求')),
                        ('deadline', models.DateField(verbose_name='截止日期')),
                        ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='下发时间')),
                        ('meeting', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='tasks', to='cycle.monthlymeeting')),
                        ('park', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.park', verbose_name='园区')),
                    ],
                    options={
                        'verbose_name': '月工作任务',
                        'verbose_name_plural': '月工作任务',
                        'db_table': 'activities_worktask',
                        'ordering': ['deadline', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='TaskAssignment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('open', '未完成'), ('done', '已完成')], default='open', max_length=8, verbose_name='状态')),
                        ('note', models.TextField(blank=True, verbose_name='完成情况')),
                        ('completed_at', models.DateTimeField(blank=True, null=True, verbose_name='完成时间')),
                        ('branch', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organisation')),
                        ('completed_by', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('park', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.park', verbose_name='园区')),
                        ('task', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='assignments', to='cycle.worktask')),
                    ],
                    options={
                        'verbose_name': '任务落实',
                        'verbose_name_plural': '任务落实',
                        'db_table': 'activities_taskassignment',
                    },
                ),
                migrations.AddConstraint(
                    model_name='annualreview',
                    constraint=models.UniqueConstraint(fields=('park', 'year'), name='review_one_per_year'),
                ),
                migrations.AddConstraint(
                    model_name='halfyearsummary',
                    constraint=models.UniqueConstraint(fields=('park', 'year'), name='halfyear_one_per_year'),
                ),
                migrations.AddConstraint(
                    model_name='inspectionround',
                    constraint=models.UniqueConstraint(fields=('park', 'year', 'quarter'), name='round_one_per_quarter'),
                ),
                migrations.AddConstraint(
                    model_name='inspectionround',
                    constraint=models.CheckConstraint(condition=models.Q(('quarter__gte', 1), ('quarter__lte', 4)), name='round_quarter_1_4'),
                ),
                migrations.AddIndex(
                    model_name='milestone',
                    index=models.Index(fields=['park', 'review'], name='milestone_park_review'),
                ),
                migrations.AddConstraint(
                    model_name='monthlymeeting',
                    constraint=models.UniqueConstraint(fields=('park', 'month'), name='meeting_one_per_month'),
                ),
                migrations.AddConstraint(
                    model_name='monthlymeeting',
                    constraint=models.CheckConstraint(condition=models.Q(('month__day', 1)), name='meeting_month_is_first_day'),
                ),
                migrations.AddConstraint(
                    model_name='monthlyreport',
                    constraint=models.UniqueConstraint(fields=('park', 'branch', 'month'), name='report_one_per_branch_month'),
                ),
                migrations.AddConstraint(
                    model_name='monthlyreport',
                    constraint=models.CheckConstraint(condition=models.Q(('month__day', 1)), name='report_month_is_first_day'),
                ),
                migrations.AddIndex(
                    model_name='nomination',
                    index=models.Index(fields=['park', 'summary'], name='nomination_park_summary'),
                ),
                migrations.AddConstraint(
                    model_name='nomination',
                    constraint=models.CheckConstraint(condition=models.Q(('kind', 'organisation'), ('member__isnull', False), _connector='OR'), name='nomination_person_named'),
                ),
                migrations.AddIndex(
                    model_name='notification',
                    index=models.Index(fields=['park', 'user', 'read_at'], name='notification_park_user'),
                ),
                migrations.AddConstraint(
                    model_name='notification',
                    constraint=models.UniqueConstraint(fields=('park', 'user', 'key'), name='notification_once'),
                ),
                migrations.AddConstraint(
                    model_name='secretaryreport',
                    constraint=models.UniqueConstraint(fields=('park', 'review', 'branch'), name='report_one_per_branch_year'),
                ),
                migrations.AddConstraint(
                    model_name='rating',
                    constraint=models.UniqueConstraint(fields=('park', 'report', 'evaluator'), name='rating_one_per_evaluator'),
                ),
                migrations.AddConstraint(
                    model_name='tasktemplate',
                    constraint=models.UniqueConstraint(fields=('park', 'title'), name='task_template_unique'),
                ),
                migrations.AddIndex(
                    model_name='worktask',
                    index=models.Index(fields=['park', 'meeting'], name='task_park_meeting'),
                ),
                migrations.AddIndex(
                    model_name='taskassignment',
                    index=models.Index(fields=['park', 'branch', 'status'], name='taskassign_park_branch'),
                ),
                migrations.AddConstraint(
                    model_name='taskassignment',
                    constraint=models.UniqueConstraint(fields=('park', 'task', 'branch'), name='assignment_one_per_branch'),
                )
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel, migrations.RunPython.noop),
    ]
