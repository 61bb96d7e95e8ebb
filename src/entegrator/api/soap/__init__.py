"""api.soap — entegrator's own small SOAP 1.1/1.2 layer for the ERP-facing services.

Starlette + lxml, no SOAP framework (tech-notes §4): envelopes are read by
:mod:`entegrator.gib.soap` through the one safe XML parser; the first Body child's local name
picks the operation of a :class:`~.dialect.Dialect`; answers and errors are rendered in the
dialect's style (İzibiz ``ERROR_TYPE`` or SOAP faults with ``RequestFault``); WSDLs and XSDs
are served at ``?wsdl``/``?singleWsdl``/``?xsd=N`` pointing back at the server. Sessions are
core's (:mod:`entegrator.core.sessions`); rate and brute-force limits and the per-call audit
are the API's (:mod:`entegrator.api.protection`). Mount with
:func:`entegrator.api.soap.routes.soap_routes`. Design: docs/decisions/api-soap*.md.

Rule: a face — it reads requests and calls core; it never changes tables itself.
"""
