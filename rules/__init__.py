"""The built-in rules, shipped inside the package as ``escalate.rules`` (data, not code).

This file only makes the folder a package, so that ``importlib.resources`` finds it in an
editable install and in a wheel alike; the rules are the YAML files beside it (see
README.md). Every file in this folder and its subfolders ships with the package.
"""
