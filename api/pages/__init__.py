"""The web page for families and advocates: templates, the page's words, its CSS and JS.

``form`` turns the case model into the intake's questions and a posted form back into a
case; ``text`` loads the page's words from ``text/<lang>.yaml``. The router is
``api.routes.pages``.
"""

# This package's import name (``escalate_api.pages`` installed, ``api.pages`` in a
# checkout), for the template loader and the static files.
PACKAGE = __name__
