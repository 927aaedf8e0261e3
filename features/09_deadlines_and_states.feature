@deadlines
Feature: Deadlines, closing and closed windows, and state differences
  Every deadline counts from the day the advice is for. A window that has closed is never
  recommended: a warning says it closed. A window that closes within 30 days moves its
  step up and adds a warning. North Carolina, Wisconsin and Louisiana allow one year for
  due process instead of two.

  Background:
    Given today is 2026-11-23
    And a student with an IEP

  @state_complaint @seed_003
  Scenario: A state complaint whose window closes in 17 days is moved up, becomes the next step, and carries a warning
    Given the parent is concerned about implementation of the IEP
    And the school did not respond
    And the district failed to implement the IEP on 2025-12-10
    When the advocate asks for advice
    Then the next step is to file a state complaint
    And "a state complaint" is moved up ahead of the usual order
    And there is a warning that the window for "a state complaint" is closing
    And the deadline for "a state complaint" is 2026-12-10, 17 days from today
    And "a state complaint" is recommended before "put the concern in writing"

  @state_complaint @seed_003
  Scenario: A state complaint more than a year after the violation is not recommended, and a warning says the window closed
    Given the parent is concerned about implementation of the IEP
    And the school did not respond
    And the district failed to implement the IEP on 2025-10-01
    When the advocate asks for advice
    Then "a state complaint" is not recommended
    And there is a warning that the window for "a state complaint" has closed
    And the ladder shows "a state complaint" as closed

  @state_complaint
  Scenario: A state complaint with months left in its window carries no warning
    Given the parent is concerned about implementation of the IEP
    And the school did not respond
    And the district failed to implement the IEP on 2026-09-01
    When the advocate asks for advice
    Then "a state complaint" is recommended
    And there are no warnings
    And the deadline for "a state complaint" is 2027-09-01, 282 days from today

  @due_process
  Scenario Outline: A family in <state> has until <limit> to file for due process over a violation of 2026-01-15
    Given the family lives in <state>
    And the parent is concerned about services
    And the school refused the request
    And the district skipped a required procedure on 2026-01-15
    When the advocate asks for advice
    Then the deadline for "due process" is <limit>

    Examples: two years under the federal rule
      | state      | limit      |
      | California | 2028-01-15 |
      | TX         | 2028-01-15 |
      | New York   | 2028-01-15 |

    Examples: one year in the states that set a shorter limit
      | state          | limit      |
      | North Carolina | 2027-01-15 |
      | WI             | 2027-01-15 |
      | Louisiana      | 2027-01-15 |

  @due_process
  Scenario: In North Carolina, due process over a violation known for more than a year is no longer recommended, and a warning says so
    Given the family lives in North Carolina
    And the parent is concerned about services
    And the school refused the request
    And the parent has already made these moves:
      | move                       | date       | outcome                 |
      | put the concern in writing | 2025-10-01 | no response             |
      | request an IEP meeting     | 2025-11-01 | refused                 |
      | go up the chain of command | 2026-01-10 | refused                 |
      | mediation                  | 2026-09-15 | ended without agreement |
    And the district skipped a required procedure on 2025-09-01
    And the parent knew of it the same day
    When the advocate asks for advice
    Then "due process" is not recommended
    And there is a warning that the window for "due process" has closed
    And the ladder shows "due process" as closed

  @due_process
  Scenario: In Virginia the same family still has two years, so due process is recommended
    Given the family lives in Virginia
    And the parent is concerned about services
    And the school refused the request
    And the parent has already made these moves:
      | move                       | date       | outcome                 |
      | put the concern in writing | 2025-10-01 | no response             |
      | request an IEP meeting     | 2025-11-01 | refused                 |
      | go up the chain of command | 2026-01-10 | refused                 |
      | mediation                  | 2026-09-15 | ended without agreement |
    And the district skipped a required procedure on 2025-09-01
    When the advocate asks for advice
    Then the next step is to file for due process
    And the deadline for "due process" is 2027-09-01

  @due_process @seed_004
  Scenario: In Louisiana, due process over a violation of 2025-12-05 must be filed within 12 days, so it is moved up with a warning
    Given the family lives in Louisiana
    And the parent is concerned about implementation of the IEP
    And the school refused the request
    And the parent put the concern in writing on 2026-10-01 and was refused
    And the district failed to implement the IEP on 2025-12-05
    When the advocate asks for advice
    Then "due process" is moved up ahead of the usual order
    And there is a warning that the window for "due process" is closing
    And the deadline for "due process" is 2026-12-05, 12 days from today
    And "due process" is recommended before "request an IEP meeting"

  @due_process @state_complaint
  Scenario: The due process limit counts from when the parent learned of the problem, the state complaint window from when it happened
    Given the parent is concerned about services
    And the school refused the request
    And the district missed a legal timeline on 2025-06-01
    And the parent only learned of it on 2025-12-01
    When the advocate asks for advice
    Then the deadline for "due process" is 2027-12-01
    And there is a warning that the window for "a state complaint" has closed

  @request_records
  Scenario: Requested records are due within 45 days
    Given the parent is concerned about services
    And the school did not respond
    And the parent requested the education records on 2026-11-01 and is waiting for the outcome
    When the advocate asks for advice
    Then the deadline for "the education records" is 2026-12-16, 23 days from today

  @request_evaluation
  Scenario: An initial evaluation is due 60 days after the parent's consent
    Given a student without an IEP
    And the parent suspects a disability
    And the parent is concerned about the evaluation
    And the school agreed
    And the parent consented to an initial evaluation on 2026-10-01
    When the advocate asks for advice
    Then the deadline for "request an evaluation" is 2026-11-30

  @request_iep_meeting
  Scenario: The annual IEP review is due a year after the last IEP meeting
    Given the last IEP meeting was on 2026-01-15
    And the parent is concerned about goals
    And the school has not answered yet
    When the advocate asks for advice
    Then the deadline for "an IEP meeting" is 2027-01-15

  @request_reevaluation
  Scenario: A reevaluation is due three years after the last evaluation, and is the district's duty
    Given the district evaluated the student on 2024-01-10
    And the parent is concerned about the evaluation
    And the school has not answered yet
    When the advocate asks for advice
    Then the deadline for "a reevaluation" is 2027-01-10
    And the deadline for "the three-year reevaluation" is 2027-01-10 and is the district's duty
    And the district is not yet late with "the three-year reevaluation"
