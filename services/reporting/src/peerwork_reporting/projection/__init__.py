"""Events into views: how each public event changes the statistics tables. Pure: a
projector takes an open transaction's cursor (``ports.Cursor``) and imports no driver."""
