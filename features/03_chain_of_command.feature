@rung_3 @escalate_chain_of_command
Feature: Rung 3 - go up the chain of command
  When the IEP meeting did not settle the concern, or staff "have to check with a
  supervisor", the parent takes it to the next person up: case manager, director of special
  services, superintendent (the principal for discipline, scheduling, staffing and safety),
  and sends the team a short courtesy note.

  Background:
    Given today is 2026-11-23
    And a student with an IEP

  @seed_001
  Scenario: A parent whose IEP meeting ended in refusal is told to go up the chain of command
    Given the parent is concerned about services
    And the school refused the request
    And the parent has already made these moves:
      | move                       | date       | outcome     |
      | put the concern in writing | 2026-09-01 | no response |
      | request an IEP meeting     | 2026-09-20 | refused     |
    When the advocate asks for advice
    Then the next step is to go up the chain of command
    And the reason for "go up the chain of command" cites "IEP Advocacy Moves for Parents" under "Follow the Chain of Command"
    And the ladder reads:
      | rung                       | status |
      | put the concern in writing | tried  |
      | request an IEP meeting     | tried  |
      | go up the chain of command | next   |
      | mediation                  | ahead  |

  @seed_001 @seed_003
  Scenario Outline: An IEP meeting that <what happened> is followed by going up the chain of command
    Given the parent is concerned about <topic>
    And the school <answer>
    And the parent put the concern in writing on 2026-09-01 and got no response
    And the parent requested an IEP meeting on 2026-10-05 and <what happened>
    When the advocate asks for advice
    Then the next step is to go up the chain of command

    Examples:
      | topic    | answer              | what happened                       |
      | services | refused the request | was refused                         |
      | goals    | did not respond     | got no response                     |
      | staffing | only partly agreed  | it only partly resolved the concern |

  @seed_001
  Scenario: When staff have to check with a supervisor, the parent is pointed up the chain of command
    Given the parent is concerned about scheduling
    And the school said staff have to check with a supervisor
    And the parent put the concern in writing on 2026-10-20 and is waiting for the outcome
    When the advocate asks for advice
    Then "go up the chain of command" is recommended

  @seed_003 @seed_002 @mediation @due_process
  Scenario: Going up the chain of command comes before any formal step
    Given the parent is concerned about goals
    And the school did not respond
    And the parent put the concern in writing on 2026-09-01 and got no response
    And the parent requested an IEP meeting on 2026-10-05 and got no response
    When the advocate asks for advice
    Then "mediation" is not recommended
    And "due process" is not recommended

  @seed_001 @request_iep_meeting
  Scenario: The reason and the summary tell the family's own story, with the child's name and the dates
    Given the student is called Jordan and is in grade 4
    And the parent is concerned about services
    And the school refused the request
    And the parent has already made these moves:
      | move                       | date       | outcome     |
      | put the concern in writing | 2026-09-01 | no response |
      | request an IEP meeting     | 2026-09-20 | refused     |
    When the advocate asks for advice
    Then the reason for "go up the chain of command" says "The IEP meeting on 2026-09-20 ended in refusal"
    And the summary says "Next step for Jordan: go up the chain of command."

  @seed_001
  Scenario: The letter to go up the chain of command is filled from the case and cites its source
    Given the student is called Jordan
    And the parent is concerned about services
    And the school refused the request
    And the parent has already made these moves:
      | move                       | date       | outcome     |
      | put the concern in writing | 2026-09-01 | no response |
      | request an IEP meeting     | 2026-09-20 | refused     |
    When the parent asks for the letter to go up the chain of command
    Then the letter says "2026-09-20: I asked for an IEP meeting; the school refused."
    And the letter says "Courtesy note to the team"
    And the letter says "IEP Advocacy Moves for Parents"
    And the letter says "not legal advice"

  @seed_001 @request_iep_meeting
  Scenario: A letter for a step the facts do not call for still comes, and says so
    Given the student is called Jordan
    And the parent is concerned about services
    And the school refused the request
    And the parent requested an IEP meeting on 2026-09-20 and was refused
    When the parent asks for the letter to request an IEP meeting
    Then the letter says the step was not recommended for these facts
    And the letter offers three dates to meet
    And the letter says "Request for an IEP meeting for Jordan"
