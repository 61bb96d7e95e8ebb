"""mail — the e-mail channel: invoices submitted and delivered by e-mail. A face over core.
"""
