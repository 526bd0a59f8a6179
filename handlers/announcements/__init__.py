"""Announcements: composing, waiting and scheduled ones, their texts and the outbox
that sends them."""
