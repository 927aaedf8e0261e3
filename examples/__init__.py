"""The example cases, shipped inside the package as ``escalate.example_files`` (data).

This file only makes the folder a package, so that ``importlib.resources`` finds it in an
editable install and in a wheel alike; the cases are the JSON files beside it.
"""
