Feature: Explanations for intake - why a step is not advised, and which question matters next
  An intake worker with a family on the phone needs to know why a step the family asks
  about is not advised, and which unanswered question would change the advice. The
  service changes one answer at a time and lets the rules engine advise again; questions
  the case left unanswered come first.

  Background:
    Given today is 2026-11-23

  Scenario: When the school says interventions must come first, whether the school evaluated the child matters
    Given a student without an IEP or a 504 plan
    And the parent suspects a disability
    And the parent is concerned about the evaluation
    And the school said RTI must come first
    When the advocate asks for advice
    Then the next step is to request an evaluation in writing
    And asking whether the school evaluated the child could change the next step

  Scenario: After an unanswered written concern, the first question is whether the family already asked for an IEP meeting
    Given a student with an IEP
    And the parent is concerned about services
    And the school did not respond
    And the parent put the concern in writing on 2026-10-01 and got no response
    When the advocate asks for advice
    Then the next step is to request an IEP meeting
    And the first question to ask is whether the family asked for an IEP meeting
    And asking whether the parent needs an interpreter could change the advice

  Scenario: Due process is not advised while mediation and the chain of command have not been tried
    Given a student with an IEP
    And the parent is concerned about placement
    And the school said staff have to check with a supervisor
    And the parent put the concern in writing on 2026-09-10 and got no response
    And the parent requested an IEP meeting on 2026-10-01 and it only partly resolved the concern
    When the advocate asks for advice
    Then the next step is to go up the chain of command
    And "due process" is not recommended because "history.mediation is one of refused, no_response, partially_resolved" does not hold
    And "mediation" is not recommended because "history.escalate_chain_of_command is one of refused, no_response, partially_resolved" does not hold
    And asking whether the family went up the chain of command could change the next step
