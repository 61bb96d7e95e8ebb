"""portal — the web portal (E-Portal) for taxpayers without ERP integration. A face over core.
"""
