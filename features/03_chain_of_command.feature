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
