"""Alembic migrations of entegrator's single schema (one linear history for every part).

Run them with :func:`entegrator.store.migrate.upgrade` or ``entegrator db upgrade``; there is
no ``alembic.ini``. Revision files are named ``NNNN_<slug>.py`` with revision id ``NNNN``.
"""
