"""ubl — the UBL-TR 1.2 document core: model, build, parse, totals, identifiers, code lists.

Rule: data and XML only. No I/O beyond reading packaged resources, no database, no network.
Everything above (validation, signing, envelope, gib, core, faces) builds on this part.
"""
