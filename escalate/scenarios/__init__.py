"""The advocates' scenarios: Gherkin ``.feature`` files in the project's step vocabulary,
run against a rules folder by ``escalate scenarios run`` (and by the project's tests).

- :mod:`.words`: the advocates' words (move names, sources, states, answers) and the
  contract's values they stand for, from the catalogue and the guide (features/README.md);
- :mod:`.catalogue`: the guide's step catalogue, and the nearest phrasing of a step;
- :mod:`.steps`: the step vocabulary (:data:`~.steps.VOCABULARY`), each phrasing with
  its function over the service's client;
- :mod:`.report`: the advice and the service's refusals in plain words, for failures;
- :mod:`.runner`: parsing (Cucumber's Gherkin parser), running, the people's report and
  JUnit XML.

Information, not legal advice.
"""
