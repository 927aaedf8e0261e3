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
  Scenario: A placement change proposed with nothing filed yet is told that filing before the change keeps the placement, while the climb starts in writing
    Given the parent is concerned about placement
    And the school refused the request
    And the district proposes to change the student's placement
    When the advocate asks for advice
    Then the next step is to put the concern in writing
    And the reason for "stay-put" says "If the parent files a due process complaint before the change takes effect"
    And "Prior Written Notice" is recommended

  @prepare_resolution_meeting
  Scenario: A family whose district missed the resolution meeting is told to ask the hearing officer to start the hearing, not to climb again
    Given the parent is concerned about services
    And the school refused the request
    And the parent put the concern in writing on 2026-09-01 and was refused
    And the parent filed for due process on 2026-10-16 and is waiting for the outcome
    When the advocate asks for advice
    Then the next step is to prepare for the resolution meeting
    And the reason for "the resolution meeting" cites "34 CFR 300.510(b)(5)"
    And the advice says the district is late with "the resolution meeting"
    And these moves are not recommended:
      | move                   |
      | request an IEP meeting |
      | a state complaint      |

  @follow_up_implementation
  Scenario: A resolution meeting that ended in a signed agreement leads with the agreement and the 3 business days to void it
    Given a student with an IEP
    And the parent is concerned about services
    And the school refused the request
    And the parent filed for due process on 2026-11-02 and is waiting for the outcome
    And the resolution meeting was held on 2026-11-20 and ended in a signed agreement
    When the advocate asks for advice
    Then the next step is to confirm and monitor implementation
    And the reason for "confirm and monitor implementation" says "3 business days"
    And the reason for "confirm and monitor implementation" cites "34 CFR 300.510(d), (e)"
    And "prepare for the resolution meeting" is not recommended
    And the deadline for "confirm and monitor implementation" is 2026-11-25

  @prepare_resolution_meeting
  Scenario: The district never held the resolution meeting: the family may ask the hearing officer to start the hearing clock
    Given a student with an IEP
    And the parent is concerned about services
    And the school refused the request
    And the parent filed for due process on 2026-11-02 and is waiting for the outcome
    When the advocate asks for advice
    Then the next step is to prepare for the resolution meeting
    And the reason for "prepare for the resolution meeting" cites "34 CFR 300.510(b)(5)"
    And the reason for "prepare for the resolution meeting" says "ask the hearing officer to start the hearing timeline"

  @prepare_resolution_meeting
  Scenario: A resolution meeting that was held, without agreement, is not reported as overdue
    Given a student with an IEP
    And the parent is concerned about services
    And the school refused the request
    And the parent filed for due process on 2026-11-02 and is waiting for the outcome
    And the resolution meeting was held on 2026-11-12 and ended without agreement
    When the advocate asks for advice
    Then "prepare for the resolution meeting" is not recommended
    And no recommendation mentions "did not hold the resolution meeting"

  @invoke_stay_put @request_prior_written_notice
  Scenario: The school wants to move the child on a set date and nothing is filed: filing before that date keeps the current placement
    Given a student with an IEP
    And the parent is concerned about placement
    And the school refused the request
    And the placement change is to take effect on 2026-12-07
    When the advocate asks for advice
    Then "stay-put" is recommended
    And the reason for "stay-put" says "before the change takes effect"
    And the reason for "stay-put" says "2026-12-07"
    And the reason for "stay-put" cites "34 CFR 300.518(a)"
    And "Prior Written Notice" is recommended

  @invoke_stay_put
  Scenario: A placement change that already took effect is not told to file before it
    Given a student with an IEP
    And the parent is concerned about placement
    And the school refused the request
    And the placement change is to take effect on 2026-11-16
    When the advocate asks for advice
    Then no recommendation mentions "before the change takes effect"
    And "stay-put" is not recommended
