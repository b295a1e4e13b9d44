"""pytest 9.2 renamed a private attribute schemathesis 4.32 reads (Function._nodeid) for its lazy
schemas; this gives it back. Harmless when either side catches up."""

from _pytest.python import Function

if not hasattr(Function, "_nodeid"):
    Function._nodeid = property(lambda self: self.nodeid, lambda self, value: None)
