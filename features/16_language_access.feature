@language_access
Feature: Language access - an interpreter and documents the family can read
  A parent whose language is not English, or who is deaf, is entitled to an interpreter at
  meetings about the child and to notices in their own language. Where the family needs
  one, the advice says to ask for it.

  Background:
    Given today is 2026-11-23

  @request_interpreter
  Scenario Outline: A parent who needs <language> interpretation is told to ask for an interpreter
    Given a student with an IEP
    And the parent needs <language> interpreter
    And the parent is concerned about services
    And the school has not answered yet
    When the advocate asks for advice
    Then the next step is to ask for an interpreter
    And "an interpreter" is moved up ahead of the usual order
    And the reason for "an interpreter" cites "34 CFR 300.322(e)"
    And the reason for "an interpreter" cites "Best Practices for Advocates"

    Examples:
      | language         |
      | a Spanish        |
      | a Vietnamese     |
      | a sign language  |
      | an Arabic        |

  @request_interpreter
  Scenario: A parent who needs an interpreter and has a child with a 504 plan is told the same
    Given the child has a 504 plan and no IEP
    And the parent needs an interpreter
    And the parent is concerned about services
    And the school refused the request
    And the parent put the concern in writing on 2026-09-01 and was refused
    When the advocate asks for advice
    Then "an interpreter and translated documents" is recommended
    And "a 504 meeting" is recommended

  @request_interpreter
  Scenario: A family that speaks Spanish at home but needs no interpreter is not told to ask for one
    Given a student with an IEP
    And the family speaks Spanish at home
    And the parent is concerned about services
    And the school has not answered yet
    When the advocate asks for advice
    Then "an interpreter" is not recommended

  @request_interpreter
  Scenario: A parent who already asked for an interpreter and got one is not told to ask again
    Given a student with an IEP
    And the parent needs a Spanish interpreter
    And the parent asked for an interpreter on 2026-10-01 and it resolved the concern
    And the parent is concerned about services
    And the school refused the request
    When the advocate asks for advice
    Then "an interpreter" is not recommended

  @request_interpreter @follow_up_implementation
  Scenario: A parent who needs an interpreter still asks for one after the school agreed, since the follow-up meetings need it too
    Given a student with an IEP
    And the parent needs a Spanish interpreter
    And the parent is concerned about services
    And the school agreed
    When the advocate asks for advice
    Then the next step is to ask for an interpreter
    And "confirm and monitor implementation" is recommended
