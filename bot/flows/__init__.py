"""Use cases: one function per transaction, the only callers of the repositories.

Handlers, the terminal chat and the command line call these with a `Connection` (through
`Database.run`), and render what comes back. The rules they apply live in `bot.core`, which knows
nothing of databases or Telegram.
"""
