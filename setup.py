"""Which packages the wheel holds, and where their files are; the rest of the build is
declared in pyproject.toml.

The library's packages are found as usual (``escalate*``). The service lives in the
repository's ``api/`` folder and ships under a name of the project's own,
``escalate_api`` (``package_dir`` maps it), so that an integrator's own ``api`` package
never collides with it; its modules import each other relatively. The rule data and the
example cases stay where advocates edit them, in the top-level ``rules/`` and
``examples/`` folders (and the scenarios with their guide, ``features/``), and ship inside
the package as ``escalate.rules``, ``escalate.example_files`` and ``escalate.features``
(setuptools' ``package_dir`` mapping), so that the library
finds them with ``importlib.resources`` in a wheel and in an editable install alike.
Every subfolder (such as ``rules/letters/``) ships too, as a data package of its own, with
every file in it: a new subfolder needs no change here. pyproject.toml alone cannot add
mapped folders and their subfolders to the found packages, hence this file.
"""

from setuptools import find_namespace_packages, find_packages, setup

DATA_FOLDERS = {"escalate.rules": "rules", "escalate.example_files": "examples",
                "escalate.features": "features"}


def _data_packages() -> dict[str, list[str]]:
    """Each data package (a mapped folder or one of its subfolders) -> all its files."""
    found: dict[str, list[str]] = {}
    for package, folder in DATA_FOLDERS.items():
        found[package] = ["*"]
        for sub in find_namespace_packages(where=folder, exclude=["__pycache__",
                                                                  "*.__pycache__"]):
            found[f"{package}.{sub}"] = ["*"]
    return found


DATA_PACKAGES = _data_packages()

# The service: the api/ folder, installed as escalate_api (with its subpackages).
SERVICE = "escalate_api"
SERVICE_PACKAGES = [SERVICE] + [f"{SERVICE}.{p}" for p in find_packages(where="api")]

# The web page's templates, CSS, JS, icon and words (api/pages/): folders of the pages
# package, listed as data packages (setuptools wants every importable folder listed).
PAGE_DATA = {f"{SERVICE}.pages.templates": ["*.html"],
             f"{SERVICE}.pages.static": ["*.css", "*.js", "*.svg"],
             f"{SERVICE}.pages.text": ["*.yaml"]}

setup(
    packages=find_packages(include=["escalate*"]) + SERVICE_PACKAGES + list(DATA_PACKAGES)
    + list(PAGE_DATA),
    package_dir={**DATA_FOLDERS, SERVICE: "api"},
    # *.yaml: data the code packages read (escalate/states/messages.yaml, escalate/text/)
    package_data={"": ["*.yaml"], "escalate": ["py.typed"],
                  "escalate.cli": ["templates/*.html"],  # escalate triage --format html SERVICE: ["py.typed"],
                  **PAGE_DATA,
                  **DATA_PACKAGES},
    exclude_package_data={"": ["*.pyc"]},
)
