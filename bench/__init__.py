"""escalate's benchmark: ``make bench`` (``python -m bench``) writes ``bench/results.md``.

It measures, each against a baseline taken in the same run, the in-process speed of the
engine and of ``advise()`` (against the plain-Python ``reference_evaluation`` of the same
compiled conditions), the HTTP service under load (against a trivial echo endpoint served
the same way), how the cost grows with the rulebook, and memory over 50,000 evaluations.
Scratch files go to ``bench/_work/`` (ignored by git). See ``bench/README.md``.
"""
