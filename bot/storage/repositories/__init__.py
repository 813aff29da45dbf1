"""Small repositories: functions over a Core Connection that return plain values, not rows."""
