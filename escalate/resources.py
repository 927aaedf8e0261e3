"""Where the data that ships inside the package is: the built-in rules, the example cases,
the scenarios and their guide.

The repository keeps them in the top-level ``rules/`` and ``examples/`` folders, where
advocates edit them; the build maps those folders into the package as ``escalate.rules``
and ``escalate.example_files`` (see ``setup.py`` and ``[tool.setuptools.package-dir]``),
every subfolder included. They are found here with :mod:`importlib.resources`, so the same
code works from a wheel, an editable install or a container image.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

RULES_PACKAGE = "escalate.rules"
EXAMPLES_PACKAGE = "escalate.example_files"
FEATURES_PACKAGE = "escalate.features"


class MissingDataError(RuntimeError):
    """The installed package lacks one of its data folders (a broken build)."""


def _folder(package: str) -> Path:
    """The data package ``package`` as a folder on disk.

    Each folder holds an ``__init__.py`` that only makes it a regular package: the
    editable-install finder of setuptools does not resolve a namespace package nested in
    a regular one, and a regular package is a plain folder to ``importlib.resources``.
    """
    try:
        root: Traversable = files(package)
    except ModuleNotFoundError as error:
        raise MissingDataError(f"the installed escalate has no {package} data "
                               "(the wheel was built without it)") from error
    if not isinstance(root, Path):  # e.g. imported from a zip file: not supported
        raise MissingDataError(f"escalate's {package} data is not a folder on disk; "
                               "install escalate from its wheel")
    return root


def rules_folder() -> Path:
    """The built-in rules: every rule, move, parameter and template file."""
    return _folder(RULES_PACKAGE)


def examples_folder() -> Path:
    """The example cases (one JSON case per file)."""
    return _folder(EXAMPLES_PACKAGE)


def features_folder() -> Path:
    """The built-in scenarios (``*.feature``) and the advocates' guide (``README.md``: the
    step catalogue and the move names the scenarios' steps use)."""
    return _folder(FEATURES_PACKAGE)
