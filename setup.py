"""Which packages the wheel holds; everything else about the build is in pyproject.toml.

The code packages are found as usual (``escalate*``, ``api*``). The rule data and the
example cases stay where advocates edit them, in the top-level ``rules/`` and
``examples/`` folders, and ship inside the package as ``escalate.rules`` and
``escalate.example_files`` through the ``package-dir`` mapping in pyproject.toml, so that
the library finds them with ``importlib.resources`` in a wheel and in an editable install
alike. pyproject.toml alone cannot add mapped packages to found ones, hence this file.
"""

from setuptools import find_packages, setup

DATA_PACKAGES = ["escalate.rules", "escalate.example_files"]

setup(packages=find_packages(include=["escalate*", "api*"]) + DATA_PACKAGES)
