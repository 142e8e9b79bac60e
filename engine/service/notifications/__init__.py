"""Notifications: an outbox of rendered zh/en messages, delivered by jobs through a Notifier.

``outbox.notify`` renders a template and stores one row per channel inside the caller's
transaction; in-app rows are the recipient's inbox at once, SMS and e-mail rows are
handed to the configured Notifier by the 'notification' job kind, with back-off retries.
"""
