"""Text from templates: the words a case's facts are said in.

- :mod:`.variables`: the template variables (the one list of facts a template may use)
  and the projection of a case onto them; ``phrases.yaml`` holds the words for coded
  values ("ended in refusal", "proposed something else instead").
- :mod:`.templates`: the sandboxed Jinja2 environment, the start-up check of a template
  and its rendering.
- :mod:`.summary`: the two or three sentences at the top of every advice.
"""

from escalate.text.templates import Text, check, is_template, plain, tidy
from escalate.text.variables import VARIABLES, Variable, context, phrases, sample_contexts

__all__ = ["VARIABLES", "Text", "Variable", "check", "context", "is_template", "phrases",
           "plain", "sample_contexts", "tidy"]
