@rung_1 @written_concern
Feature: Rung 1 - put the concern in writing
  Any disagreement starts on paper: a dated email to the case manager, with the concerns
  as bullet points, examples and data, asking for a written reply. It makes the request
  clear, shows the school the parent's view, and starts the paper trail a later complaint
  needs.

  Background:
    Given today is 2026-11-23

  @seed_001
  Scenario: A parent who has only raised a concern in conversation is told to put it in writing
    Given a student with an IEP
    And the student is called Jordan and is in grade 4
    And the parent is concerned about services
    And the school has not answered yet
    When the advocate asks for advice
    Then the next step is to put the concern in writing
    And the reason for "put the concern in writing" cites "IEP Advocacy Moves for Parents" under "Put it in Writing"
    And the ladder shows "put the concern in writing" as next
    And the ladder shows "request an IEP meeting" as ahead

  @seed_001
  Scenario Outline: A concern about <topic> that the school <answer> still starts with a written concern
    Given a student with an IEP
    And the parent is concerned about <topic>
    And the school <answer>
    When the advocate asks for advice
    Then the next step is to put the concern in writing

    Examples:
      | topic       | answer              |
      | services    | refused the request |
      | placement   | did not respond     |
      | goals       | only partly agreed  |
      | scheduling  | has not answered yet |
      | staffing    | refused the request |

  @seed_002 @due_process @mediation
  Scenario: A family at the start of a disagreement is not sent to mediation or due process
    Given a student with an IEP
    And the parent is concerned about placement
    And the school refused the request
    When the advocate asks for advice
    Then these moves are not recommended:
      | move                 |
      | mediation            |
      | due process          |
      | a state complaint    |
    And the ladder shows "due process" as ahead

  Scenario: A concern already in writing is not put in writing again
    Given a student with an IEP
    And the parent is concerned about goals
    And the school did not respond
    And the parent put the concern in writing on 2026-11-02 and got no response
    When the advocate asks for advice
    Then "put the concern in writing" is not recommended
    And the ladder shows "put the concern in writing" as tried

  Scenario: Every piece of advice says why, with a source, and that it is not legal advice
    Given the intake reference is "intake-0001"
    And a student with an IEP
    And the parent is concerned about services
    And the school has not answered yet
    When the advocate asks for advice
    Then every recommendation gives a reason with a source
    And the advice says it is information, not legal advice
    And the advice carries the reference "intake-0001"

  @seed_002
  Scenario: A family still waiting for the school's first answer to a written concern is given a date to answer by, and told to escalate nothing
    Given a student with an IEP
    And the parent is concerned about services
    And the school has not answered yet
    And the parent put the concern in writing on 2026-11-16 and is waiting for the outcome
    When the advocate asks for advice
    Then the next step is to give the school a date to answer
    And "request an IEP meeting" is not recommended
    And the ladder shows "put the concern in writing" as tried
    And the ladder shows "request an IEP meeting" as ahead

  Scenario: A case that only says what the child has starts with a written concern
    Given a student with an IEP
    When the advocate asks for advice
    Then the next step is to put the concern in writing
