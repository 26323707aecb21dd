"""Demo data: a realistic history since 2015, loaded through the services' public HTTP APIs.

``dataset`` plans the commands (pure, seeded); ``loader`` sends them. See ``demo/README.md``.
"""
