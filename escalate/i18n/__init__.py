"""Languages: translations kept as checked data beside the rules (``rules/locales/``).

:mod:`escalate.i18n.formats` writes dates and numbers for a language (Babel);
:mod:`escalate.i18n.sources` lists every English text a translation can replace, by its
stable id; :mod:`escalate.i18n.locale` loads and checks ``rules/locales/<lang>/texts.yaml``
(unknown ids and broken templates stop start-up; missing and stale entries are reported by
``escalate rules check``); :mod:`escalate.i18n.negotiate` picks the language of a request.
"""
