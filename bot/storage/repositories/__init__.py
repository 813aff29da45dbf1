"""Small repositories: functions that take a Session and return plain values, never ORM rows."""
