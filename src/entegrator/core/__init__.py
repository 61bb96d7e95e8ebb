"""core — the integrator's services: tenants, send, receive, respond, status, user list, numbering.

Every face (api, portal, mail, cli) calls core; core calls the parts below it.
"""
