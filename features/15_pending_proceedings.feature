@pending_proceedings
Feature: While a due process complaint is pending
  A complaint already filed is prepared, not started over. The district holds a resolution
  meeting within 15 days of receiving it; the parent is entitled to the records before it;
  the hearing decision follows 45 days after the 30-day resolution period. Where the
  district proposes to change the placement outside discipline, the child stays put while
  the complaint is pending. The informal rungs are not recommended again as if nothing had
  been filed.

  Background:
    Given today is 2026-11-23
    And a student with an IEP

  @prepare_resolution_meeting @request_records
  Scenario: A family that filed for due process a week ago prepares the resolution meeting first, with the records before it
    Given the parent is concerned about services
    And the school refused the request
    And the parent put the concern in writing on 2026-09-01 and was refused
    And the parent filed for due process on 2026-11-16 and is waiting for the outcome
    When the advocate asks for advice
    Then the next step is to prepare for the resolution meeting
    And the reason for "the resolution meeting" cites "34 CFR 300.510"
    And the deadline for "the resolution meeting" is 2026-12-01 and is the district's duty
    And "the records" is recommended
    And the reason for "the records" cites "34 CFR 300.613(a)"
    And the district is not yet late with "the resolution meeting"

  @due_process
  Scenario: The hearing decision is dated 75 days after the complaint, if the resolution period runs its course
    Given the parent is concerned about services
    And the school refused the request
    And the parent filed for due process on 2026-11-16 and is waiting for the outcome
    When the advocate asks for advice
    Then the deadline for "due process" is 2027-01-30 and is the state's duty

  @request_iep_meeting @escalate_chain_of_command @mediation @written_concern
  Scenario: A family with a due process complaint pending is not sent back down the ladder
    Given the parent is concerned about services
    And the school refused the request
    And the parent put the concern in writing on 2026-09-01 and was refused
    And the parent filed for due process on 2026-11-16 and is waiting for the outcome
    When the advocate asks for advice
    Then these moves are not recommended:
      | move                       |
      | put the concern in writing |
      | request an IEP meeting     |
      | go up the chain of command |
      | mediation                  |
      | due process                |
    And the ladder shows "due process" as tried

  @invoke_stay_put
  Scenario: A family with a due process complaint pending and a placement change proposed keeps the current placement
    Given the parent is concerned about placement
    And the school refused the request
    And the district proposes to change the student's placement
    And the parent filed for due process on 2026-11-16 and is waiting for the outcome
    When the advocate asks for advice
    Then "stay-put" is recommended
    And "stay-put" is moved up ahead of the usual order
    And the reason for "stay-put" cites "34 CFR 300.518(a)"
    And "prepare for the resolution meeting" is recommended

  @invoke_stay_put
  Scenario: A family with a due process complaint pending and no placement change proposed is not told to invoke stay-put
    Given the parent is concerned about services
    And the school refused the request
    And the parent filed for due process on 2026-11-16 and is waiting for the outcome
    When the advocate asks for advice
    Then "stay-put" is not recommended

  @invoke_stay_put
  Scenario: A placement change proposed with nothing filed yet does not call for stay-put
    Given the parent is concerned about placement
    And the school refused the request
    And the district proposes to change the student's placement
    When the advocate asks for advice
    Then "stay-put" is not recommended
    And the next step is to put the concern in writing

  @prepare_resolution_meeting
  Scenario: A family whose district missed the resolution meeting is told to ask the hearing officer to start the hearing, not to climb again
    Given the parent is concerned about services
    And the school refused the request
    And the parent put the concern in writing on 2026-09-01 and was refused
    And the parent filed for due process on 2026-10-16 and is waiting for the outcome
    When the advocate asks for advice
    Then the next step is to prepare for the resolution meeting
    And the reason for "the resolution meeting" cites "34 CFR 300.510(b)(4)"
    And the advice says the district is late with "the resolution meeting"
    And these moves are not recommended:
      | move                   |
      | request an IEP meeting |
      | a state complaint      |
