"""Sending daily tips: the pass over everyone due, and the budget it sends within."""
