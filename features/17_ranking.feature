@ranking
Feature: Which step comes first
  Least adversarial first, with these refinements: a case the school agreed to is led by
  the follow-up (dates, names, the agreement in writing), and a formal step about a past
  violation may stay available but never comes first; two refusals at the informal rungs
  do not put due process ahead of the next informal rung or another meeting with other
  people; in discipline the manifestation determination comes first; a pending proceeding
  comes before everything.

  Background:
    Given today is 2026-11-23
    And a student with an IEP

  @follow_up_implementation @request_written_agreement @state_complaint @seed_000
  Scenario: A school that agreed to put right an IEP it did not carry out is held to it first; the state complaint stays available
    Given the parent is concerned about implementation of the IEP
    And the school agreed
    And the district failed to implement the IEP on 2026-09-01
    When the advocate asks for advice
    Then the next step is to confirm and monitor implementation
    And "get the agreement in writing" is recommended before "a state complaint"
    And "a state complaint" is recommended
    And the ladder shows "a state complaint" as available

  @request_manifestation_determination
  Scenario: An agreement does not outrank the manifestation determination a removal calls for
    Given the parent is concerned about discipline
    And the school agreed
    And the student has been removed from school for 12 school days this year
    When the advocate asks for advice
    Then the next step is to insist on a manifestation determination

  @escalate_chain_of_command @due_process @seed_003
  Scenario: Two refusals at the informal rungs keep the chain of command ahead of due process
    Given the parent is concerned about services
    And the school refused the request
    And the parent has already made these moves:
      | move                       | date       | outcome |
      | put the concern in writing | 2026-09-01 | refused |
      | request an IEP meeting     | 2026-10-01 | refused |
    When the advocate asks for advice
    Then the next step is to go up the chain of command
    And "go up the chain of command" is recommended before "due process"
    And "due process" is recommended

  @mediation @reconvene_with_different_team @due_process @seed_003
  Scenario: Three refusals put mediation next, and a meeting with a different team still comes before due process
    Given the parent is concerned about services
    And the school refused the request
    And the parent has already made these moves:
      | move                       | date       | outcome |
      | put the concern in writing | 2026-09-01 | refused |
      | request an IEP meeting     | 2026-10-01 | refused |
      | go up the chain of command | 2026-10-20 | refused |
    When the advocate asks for advice
    Then the next step is mediation
    And "a meeting with a different team" is recommended before "due process"
    And the reason for "a meeting with a different team" cites "IEP Collaboration Techniques"

  @prepare_resolution_meeting @request_manifestation_determination
  Scenario: A pending due process complaint comes before a discipline case's other steps
    Given the parent is concerned about discipline
    And the school refused the request
    And the student has been removed from school for 12 school days this year
    And the parent filed for due process on 2026-11-16 and is waiting for the outcome
    When the advocate asks for advice
    Then "prepare for the resolution meeting" is recommended before "go up the chain of command"
    And "prepare for the resolution meeting" is recommended before "a manifestation determination"
