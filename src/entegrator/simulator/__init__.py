"""simulator — a GİB central unit (Merkez) simulator: its own process and its own database.

Keeps the registered-user list, accepts envelopes over GİB's EFatura web service, checks them as
Merkez does, routes them between integrators and answers with GİB's status codes.
"""
