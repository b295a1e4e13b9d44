"""RenderOnce: a migration operation that runs many generated operations with one model render.

`migrate` re-renders a model and every model related to it after each operation (Django's
`ProjectState.reload_model`). The row-history migrations (core/history.py) hold hundreds of
operations on models related to the park — an event table per tracked model, its foreign keys,
its index, and three triggers on the tracked table — and rendering after each one took a fresh
test database from about 25 s to over two minutes. Wrapped in RenderOnce, the state changes are
applied with no rendering in between and the models are rendered once at the end; the database
work is done from that final state: each new model's table with its fields and indexes at once,
then the triggers.

Only the operations the row-history migrations contain are accepted (CreateModel; AddField and
AddIndex on a model created in the same batch; pgtrigger's AddTrigger), so nothing else can be
silently skipped. The migration state is the same as the unwrapped operations give, so
`makemigrations --check` sees no change.
"""

from django.db import migrations
from django.db.migrations.operations.base import Operation
from pgtrigger.migrations import AddTrigger


class RenderOnce(Operation):
    reversible = True
    reduces_to_sql = False

    def __init__(self, operations):
        self.operations = list(operations)
        created = {op.name_lower for op in self.operations if isinstance(op, migrations.CreateModel)}
        for op in self.operations:
            if isinstance(op, (migrations.AddField, migrations.AddIndex)) and op.model_name_lower not in created:
                raise ValueError(f"RenderOnce: {op.describe()} is on a model created elsewhere")
            if not isinstance(op, (migrations.CreateModel, migrations.AddField, migrations.AddIndex, AddTrigger)):
                raise ValueError(f"RenderOnce does not run {op.__class__.__name__}")

    def deconstruct(self):
        return ("core.migration_ops.RenderOnce", [], {"operations": self.operations})

    def state_forwards(self, app_label, state):
        # Without a rendered `apps`, reload_model does nothing; the next read of state.apps renders
        # every model once, from the final model states.
        state.__dict__.pop("apps", None)
        for op in self.operations:
            op.state_forwards(app_label, state)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        for op in self.operations:
            if isinstance(op, migrations.CreateModel):
                model = to_state.apps.get_model(app_label, op.name)
                if self.allow_migrate_model(schema_editor.connection.alias, model):
                    schema_editor.create_model(model)  # every field and index of the final state
        for op in self.operations:
            if isinstance(op, AddTrigger):
                op.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        created = {op.name_lower for op in self.operations if isinstance(op, migrations.CreateModel)}
        for op in reversed(self.operations):
            if isinstance(op, AddTrigger) and op.model_name_lower not in created:  # dropped with its table otherwise
                model = from_state.apps.get_model(app_label, op.model_name)
                if op.allow_migrate_model_trigger(schema_editor, model):
                    schema_editor.execute(op.trigger.uninstall_sql, params=None)
        for op in reversed(self.operations):
            if isinstance(op, migrations.CreateModel):
                model = from_state.apps.get_model(app_label, op.name)
                if self.allow_migrate_model(schema_editor.connection.alias, model):
                    schema_editor.delete_model(model)

    def describe(self):
        return f"{len(self.operations)} operations rendered once"

    @property
    def migration_name_fragment(self):
        return "render_once"
