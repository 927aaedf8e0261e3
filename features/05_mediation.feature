@rung_5 @mediation
Feature: Rung 5 - ask for mediation
  When the IEP meeting and the chain of command were both tried without settling the
  concern, collaboration is exhausted and the parent asks the state for mediation: it is
  voluntary, free, confidential, and a signed agreement is binding. Most disputes end
  with collaboration or mediation.

  Background:
    Given today is 2026-11-23
    And a student with an IEP

  @seed_003
  Scenario: A family that tried the IEP meeting and the chain of command without success is told to ask for mediation
    Given the parent is concerned about services
    And the school did not respond
    And the parent has already made these moves:
      | move                       | date       | outcome         |
      | put the concern in writing | 2026-08-25 | no response     |
      | request an IEP meeting     | 2026-09-15 | partly resolved |
      | go up the chain of command | 2026-10-20 | no response     |
    When the advocate asks for advice
    Then the next step is to ask for mediation
    And the reason for "mediation" cites "IEP Collaboration Techniques"
    And the reason for "mediation" cites "34 CFR 300.506"
    And the ladder reads:
      | rung                       | status |
      | put the concern in writing | tried  |
      | request an IEP meeting     | tried  |
      | go up the chain of command | tried  |
      | mediation                  | next   |

  @seed_003
  Scenario Outline: After a meeting that <meeting> and a chain of command that <chain>, mediation comes next
    Given the parent is concerned about <topic>
    And the school only partly agreed
    And the parent has already made these moves:
      | move                       | date       | outcome   |
      | put the concern in writing | 2026-08-25 | refused   |
      | request an IEP meeting     | 2026-09-15 | <meeting> |
      | go up the chain of command | 2026-10-20 | <chain>   |
    When the advocate asks for advice
    Then the next step is mediation

    Examples:
      | topic     | meeting         | chain           |
      | services  | no response     | partly resolved |
      | goals     | partly resolved | partly resolved |
      | placement | partly resolved | no response     |

  @seed_004 @seek_advocacy_support
  Scenario: A family going to mediation is told to bring an advocate
    Given the parent is concerned about services
    And the school only partly agreed
    And the parent has already made these moves:
      | move                       | date       | outcome         |
      | put the concern in writing | 2026-08-25 | no response     |
      | request an IEP meeting     | 2026-09-15 | partly resolved |
      | go up the chain of command | 2026-10-20 | no response     |
    When the advocate asks for advice
    Then "bring in an advocate" is recommended
    And the reason for "bring in an advocate" cites "How to Advocate for an IEP When the School Says No"

  @seed_004 @request_written_agreement @follow_up_implementation
  Scenario: A mediation that reached agreement is put in writing and followed up, not escalated
    Given the parent is concerned about services
    And the school agreed
    And the parent has already made these moves:
      | move                       | date       | outcome         |
      | put the concern in writing | 2026-08-25 | no response     |
      | request an IEP meeting     | 2026-09-15 | partly resolved |
      | go up the chain of command | 2026-10-01 | no response     |
      | mediation                  | 2026-11-10 | resolved        |
    When the advocate asks for advice
    Then these moves are recommended:
      | move                               |
      | get the agreement in writing       |
      | confirm and monitor implementation |
    And "due process" is not recommended
    And the ladder shows "mediation" as resolved
