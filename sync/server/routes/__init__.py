"""The centre's routes, grouped by resource, each group a router over the same `Centre`:
terminals (health, enrolments), cases, licences, attachments, registers (live queries),
decisions and updates. sync/server/app.py puts them together in this order."""
