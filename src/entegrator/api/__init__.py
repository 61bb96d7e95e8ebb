"""api — the ERP-facing web services: İzibiz- and EDM-compatible SOAP, and the REST/JSON API.

A face: translates requests into core calls and core results/errors into responses.
"""
