"""entegrator — an open-source Turkish e-invoice private integrator (Özel Entegratör).

Importing this package loads nothing heavy; every part lives in its own subpackage:
``ubl`` → ``validation`` → ``signing`` → ``envelope`` → ``gib``, with ``store`` and ``core``
above them and the faces (``api``, ``portal``, ``mail``, ``cli``) on top.
See ``docs/architecture.md``.
"""

__version__ = "0.1.0"
