"""envelope — GİB envelopes (zarf): SBDH build/parse, zip + MD5 transport, packing.

SENDERENVELOPE, POSTBOXENVELOPE, SYSTEMENVELOPE and USERENVELOPE. Depends on ubl, validation
and signing; no network, no database.
"""
