"""One narrow interface per device kind, with real drivers and first-class simulators.

No Qt here: status changes are reported through plain callbacks, and expected failures are
returned as values, never raised.
"""
