"""Webhook mode: Telegram POSTs updates to our own small HTTP server instead of being polled.

`intake` decides what one POST means (secret, shape, seen before?), `health` answers the load
balancer, `server` is the tornado plumbing, `runner` starts and stops it all with the bot.
"""
