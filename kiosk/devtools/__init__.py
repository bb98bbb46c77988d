"""Developer tooling: the demo walkthrough, the screenshot atlas, the UI driver the tests and the
walkthrough share, the benchmarks, the proof harnesses, probes and document samples.

None of it is part of a terminal: the runtime install leaves this package out (pyproject's
package list), the product never imports it (.importlinter), and its commands run from a checkout
as `python -m kiosk.devtools COMMAND` (README).
"""
