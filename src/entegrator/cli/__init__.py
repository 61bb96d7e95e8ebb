"""cli — the ``entegrator`` command line: one module per command group, wired in ``main``.

Rule: a face. It parses arguments, builds configuration objects, calls the parts below and
prints; it holds no business logic of its own.
"""
