"""Callback data, one codec per feature: a build function and one full pattern per button kind.

`bot.app` registers each pattern with its handler, so data that does not match a pattern in
full never reaches a feature: the catch-all answers it as stale. Handlers read what the pattern
matched through their codec's parse helper (`context.matches[0]`), never `query.data` itself.
"""
