@rung_2 @request_iep_meeting
Feature: Rung 2 - request an IEP meeting
  When the written concern was refused, went unanswered or was only partly met, the parent
  asks for an IEP meeting in writing, with the agenda and three dates that work. There is no
  need to wait for the annual review.

  Background:
    Given today is 2026-11-23
    And a student with an IEP

  @seed_001
  Scenario: A parent whose written concern went unanswered for three weeks is told to request an IEP meeting
    Given the parent is concerned about services
    And the school did not respond
    And the parent put the concern in writing on 2026-11-02 and got no response
    When the advocate asks for advice
    Then the next step is to request an IEP meeting
    And the reason for "request an IEP meeting" cites "IEP Advocacy Moves for Parents" under "Request an IEP Meeting"
    And the ladder reads:
      | rung                       | status |
      | put the concern in writing | tried  |
      | request an IEP meeting     | next   |
      | go up the chain of command | ahead  |
      | mediation                  | ahead  |
      | due process                | ahead  |

  @seed_001
  Scenario Outline: A written concern that <what happened> leads to a request for an IEP meeting
    Given the parent is concerned about <topic>
    And the school <answer>
    And the parent put the concern in writing on 2026-10-15 and <what happened>
    When the advocate asks for advice
    Then the next step is to request an IEP meeting

    Examples:
      | topic     | answer              | what happened                       |
      | services  | refused the request | was refused                         |
      | goals     | did not respond     | got no response                     |
      | placement | only partly agreed  | it only partly resolved the concern |

  @seed_001
  Scenario: A parent does not have to wait for the annual review to ask for a meeting
    Given the last IEP meeting was on 2026-05-20
    And the parent is concerned about goals
    And the school refused the request
    And the parent put the concern in writing on 2026-10-01 and was refused
    When the advocate asks for advice
    Then the next step is to request an IEP meeting
    And "go up the chain of command" is not recommended

  @seed_003 @mediation
  Scenario: A written concern that was answered with a refusal does not jump straight to mediation
    Given the parent is concerned about placement
    And the school refused the request
    And the parent put the concern in writing on 2026-10-01 and was refused
    When the advocate asks for advice
    Then "request an IEP meeting" is recommended
    And "mediation" is not recommended
