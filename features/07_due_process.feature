@rung_7 @due_process
Feature: Rung 7 - file for due process
  When mediation failed or every other effort failed, the parent may file a due process
  complaint: the child's name, address and school, the problem, and a proposed resolution,
  with a prepared record packet. It must be filed within two years of when the parent knew
  of the problem (some states allow less). Informal talks can go on alongside it.

  Background:
    Given today is 2026-11-23
    And a student with an IEP

  @seed_004
  Scenario: A family whose mediation ended without agreement is told it may file for due process
    Given the parent is concerned about placement
    And the school refused the request
    And the parent has already made these moves:
      | move                       | date       | outcome                 |
      | put the concern in writing | 2026-06-01 | no response             |
      | request an IEP meeting     | 2026-06-20 | partly resolved         |
      | go up the chain of command | 2026-08-15 | no response             |
      | mediation                  | 2026-10-30 | ended without agreement |
    When the advocate asks for advice
    Then the next step is to file for due process
    And the reason for "due process" cites "How to Advocate for an IEP When the School Says No"
    And the ladder reads:
      | rung                       | status |
      | mediation                  | tried  |
      | due process                | next   |

  @seed_000 @seed_003 @reconvene_with_different_team @request_records
  Scenario: A family heading for due process is also told to keep talking and to gather the records
    Given the parent is concerned about placement
    And the school refused the request
    And the parent has already made these moves:
      | move                       | date       | outcome                 |
      | put the concern in writing | 2026-06-01 | no response             |
      | request an IEP meeting     | 2026-06-20 | partly resolved         |
      | go up the chain of command | 2026-08-15 | no response             |
      | mediation                  | 2026-10-30 | ended without agreement |
    When the advocate asks for advice
    Then these moves are recommended:
      | move                            |
      | reconvene with a different team |
      | request the education records   |
    And the reason for "reconvene with a different team" cites "IEP Collaboration Techniques"
    And the reason for "request the education records" cites "Best Practices for Advocates"

  @seed_002
  Scenario: A family that has tried nothing yet is not told to file for due process
    Given the parent is concerned about services
    And the school has not answered yet
    When the advocate asks for advice
    Then "due process" is not recommended
    And the ladder shows "due process" as ahead

  @invoke_stay_put
  Scenario: A family that filed for due process while the district proposes a new placement is told to keep the current placement
    Given the parent is concerned about placement
    And the school refused the request
    And the district proposes to change the student's placement
    And the parent filed for due process on 2026-11-16 and is waiting for the outcome
    When the advocate asks for advice
    Then "keep the current placement during the dispute" is recommended
    And the reason for "stay-put" cites "34 CFR 300.518"
    And the deadline for "the resolution meeting" is 2026-12-01 and is the district's duty
