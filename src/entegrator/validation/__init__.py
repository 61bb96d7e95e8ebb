"""validation — checks an invoice, an application response or an envelope in layers.

Safe parsing, GİB's XSD, GİB's schematron (efatura-kontrol's compiled rules, one engine per
process) and the checks the schematron does not make (arithmetic, cross-field rules). Every
finding carries its severity, the GİB status code it maps to, a rule id, a Turkish message and
a location. Rule: no I/O beyond packaged resources; depends only on ubl.
"""
