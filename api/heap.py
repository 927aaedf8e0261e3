"""The served process's heap, settled once start-up has built it.

A served process holds a large, long-lived heap: the rulebook, its compiled engine rules,
the templates, the texts of every language, the library's modules (about 87,000 objects).
CPython's cyclic garbage collector walks all of them on each full (oldest-generation)
collection, about 20 ms on this project's machine; such a collection falls now and then
on a request, which then waits those milliseconds (the p99 of explanations asked the first
time went from about 28 to 50 ms on it). Nothing of that heap is garbage while the process
serves, so once start-up is done :func:`settle` collects once and moves every object left
into the collector's permanent generation (:func:`gc.freeze`): later collections walk only
what requests allocate. Reference counting still frees anything of it that is let go.

A reload of the rules (:mod:`api.reload`) builds a new rulebook beside the old one; after
the swap :func:`resettle` gives the frozen objects back to the collector, collects (the
old rulebook's cycles are freed), and settles again.

Only a process that serves (``escalate serve``: :func:`api.server.run`) settles; an app
built in a test or embedded elsewhere leaves its host's collector as it is.
"""

from __future__ import annotations

import gc


def settle() -> int:
    """Collect once, then keep every object left out of later collections; how many."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def resettle() -> int:
    """After a reload's swap: collect what the old rules leave, then settle again."""
    gc.unfreeze()
    return settle()
