"""gib — GİB's EFatura web service (sendDocument / getApplicationResponse), both directions.

The client (behind a Transport seam) and the integrator's own server side of the same SOAP 1.2
+ MTOM contract. Knows nothing about the integrator's database: the server takes a receiver
port that core implements.
"""
