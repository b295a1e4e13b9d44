"""The cycle's models moved to the cycle app (state only: their tables stay as they are)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('activities', '0001_initial'),
        ('assessment', '0003_models_moved_out'),
        ('cycle', '0001_initial'),
        ('points', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # State only: the tables are already there, under their old names (Meta.db_table).
            state_operations=[
                migrations.RemoveField(
                    model_name='annualreview',
                    name='park',
                ),
                migrations.RemoveField(
                    model_name='milestone',
                    name='review',
                ),
                migrations.RemoveField(
                    model_name='secretaryreport',
                    name='review',
                ),
                migrations.RemoveField(
                    model_name='halfyearsummary',
                    name='park',
                ),
                migrations.RemoveField(
                    model_name='nomination',
                    name='summary',
                ),
                migrations.RemoveField(
                    model_name='inspectionround',
                    name='park',
                ),
                migrations.RemoveField(
                    model_name='milestone',
                    name='park',
                ),
                migrations.RemoveField(
                    model_name='monthlymeeting',
                    name='park',
                ),
                migrations.RemoveField(
                    model_name='worktask',
                    name='meeting',
                ),
                migrations.RemoveField(
                    model_name='monthlyreport',
                    name='branch',
                ),
                migrations.RemoveField(
                    model_name='monthlyreport',
                    name='park',
                ),
                migrations.RemoveField(
                    model_name='monthlyreport',
                    name='submitted_by',
                ),
                migrations.RemoveField(
                    model_name='nomination',
                    name='branch',
                ),
                migrations.RemoveField(
                    model_name='nomination',
                    name='member',
                ),
                migrations.RemoveField(
                    model_name='nomination',
                    name='park',
                ),
                migrations.RemoveField(
                    model_name='notification',
                    name='park',
                ),
                migrations.RemoveField(
                    model_name='notification',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='rating',
                    name='evaluator',
                ),
                migrations.RemoveField(
                    model_name='rating',
                    name='park',
                ),
                migrations.RemoveField(
                    model_name='rating',
                    name='report',
                ),
                migrations.RemoveField(
                    model_name='secretaryreport',
                    name='branch',
                ),
                migrations.RemoveField(
                    model_name='secretaryreport',
                    name='park',
                ),
                migrations.RemoveField(
                    model_name='secretaryreport',
                    name='submitted_by',
                ),
                migrations.RemoveField(
                    model_name='taskassignment',
                    name='branch',
                ),
                migrations.RemoveField(
                    model_name='taskassignment',
                    name='completed_by',
                ),
                migrations.RemoveField(
                    model_name='taskassignment',
                    name='park',
                ),
                migrations.RemoveField(
                    model_name='taskassignment',
                    name='task',
                ),

                migrations.AlterField(
                    model_name='attachment',
                    name='task',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='cycle.taskassignment'),
                ),
                migrations.RemoveField(
                    model_name='tasktemplate',
                    name='park',
                ),
                migrations.RemoveField(
                    model_name='worktask',
                    name='park',
                ),
                migrations.DeleteModel(
                    name='AnnualReview',
                ),
                migrations.DeleteModel(
                    name='HalfYearSummary',
                ),
                migrations.DeleteModel(
                    name='InspectionRound',
                ),
                migrations.DeleteModel(
                    name='Milestone',
                ),
                migrations.DeleteModel(
                    name='MonthlyMeeting',
                ),
                migrations.DeleteModel(
                    name='MonthlyReport',
                ),
                migrations.DeleteModel(
                    name='Nomination',
                ),
                migrations.DeleteModel(
                    name='Notification',
                ),
                migrations.DeleteModel(
                    name='Rating',
                ),
                migrations.DeleteModel(
                    name='SecretaryReport',
                ),
                migrations.DeleteModel(
                    name='TaskAssignment',
                ),
                migrations.DeleteModel(
                    name='TaskTemplate',
                ),
                migrations.DeleteModel(
                    name='WorkTask',
                )
            ],
            database_operations=[],
        ),
    ]
