"""The scenarios of the built-in rules and the advocates' guide, shipped inside the package
as ``escalate.features`` (data, not code).

This file only makes the folder a package, so that ``importlib.resources`` finds it in an
editable install and in a wheel alike: ``escalate scenarios run`` reads the guide's step
catalogue and move names (README.md) from here, and ``escalate scenarios run --builtin``
runs the ``.feature`` files beside it.
"""
