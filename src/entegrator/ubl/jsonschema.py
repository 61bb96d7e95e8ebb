"""The JSON Schema of invoice specs, as ``entegrator schema invoice`` prints it.

Generated from the model (pydantic), so it cannot drift from what :func:`load_invoice`
accepts; GİB's code lists and check digits are enforced on validation, not in the schema.

>>> schema = invoice_json_schema()
>>> schema["title"], "lines" in schema["required"]
('Fatura', True)
"""

from __future__ import annotations

from typing import Any, Final

from entegrator.ubl.model import Invoice

__all__ = ["SCHEMA_DIALECT", "invoice_json_schema"]

SCHEMA_DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"


def invoice_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of an invoice spec."""
    schema = Invoice.model_json_schema(mode="validation")
    return {
        "$schema": SCHEMA_DIALECT,
        **schema,
        "title": "Fatura",
        "description": (
            "e-Fatura (UBL-TR 1.2) fatura tanımı. Tutarlar ondalık sayı ya da metin olarak "
            "verilebilir; boş bırakılan tutarlar hesaplanır, verilenler hesaplananla denetlenir."
        ),
    }
