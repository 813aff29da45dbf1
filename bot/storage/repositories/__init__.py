"""Small repositories: functions over a Core Connection that return plain values, not rows.

Each module opens with its statements, built once at import and run with bind parameters.
"""
