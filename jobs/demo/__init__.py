"""``demo`` and ``sandbox``: the only product code that starts the embedded sandbox ERP."""

__all__: list[str] = []
