@deadlines
Feature: Each state's own clock
  A state may set its own time limits and count them from its own event. Wisconsin and
  Alaska count the due-process limit from the district's written notice or proposal, not
  from when the parent learned of the problem; Texas moved from one year to two on
  2022-09-01; Hawaii gives a parent 180 days to ask to be reimbursed for a private
  placement; California's evaluation clock does not count school breaks. A value we are
  less than sure of says so and tells the family where to check it.

  Background:
    Given a student with an IEP

  @due_process
  Scenario: In Wisconsin the year to file for due process runs from the district's written notice
    Given today is 2026-11-23
    And the family lives in Wisconsin
    And the parent is concerned about services
    And the school refused the request
    And the district skipped a required procedure on 2026-03-01
    And the district gave written notice of that decision on 2026-03-05
    And the parent only learned of it on 2026-04-10
    When the advocate asks for advice
    Then the deadline for "due process" is 2027-03-05
    And the deadline for "due process" on 2027-03-05 has high confidence

  @due_process
  Scenario: In Wisconsin without the notice date, the year runs from the district's decision and the advice says what it assumed
    Given today is 2026-11-23
    And the family lives in WI
    And the parent is concerned about services
    And the school refused the request
    And the district skipped a required procedure on 2026-03-01
    And the parent only learned of it on 2026-04-10
    When the advocate asks for advice
    Then the deadline for "due process" is 2027-03-01
    And the deadline for "due process" on 2027-03-01 says "The case does not give the date of that notice"

  @due_process
  Scenario: In Alaska the 12 months run from the district's written notice, close in 17 days, and the advice says to check the date
    Given today is 2026-11-23
    And the family lives in Alaska
    And the parent is concerned about implementation of the IEP
    And the school refused the request
    And the district failed to implement the IEP on 2025-11-20
    And the district gave written notice of that decision on 2025-12-10
    When the advocate asks for advice
    Then the deadline for "due process" is 2026-12-10, 17 days from today
    And there is a warning that the window for "due process" is closing
    And the deadline for "due process" on 2026-12-10 has medium confidence
    And the deadline for "due process" on 2026-12-10 says "Check this date against AS 14.30.193(a)"
    And the deadline for "due process" on 2026-12-10 says "Stone Soup Group"

  @due_process
  Scenario Outline: A Texas family filing on <today> has until <limit> over a problem known since 2021-10-01
    Given today is <today>
    And the family lives in Texas
    And the parent is concerned about services
    And the school refused the request
    And the district skipped a required procedure on 2021-10-01
    When the advocate asks for advice
    Then the deadline for "due process" is <limit>

    Examples: one year for a request filed before 2022-09-01, two years from that day
      | today      | limit      |
      | 2022-08-31 | 2022-10-01 |
      | 2022-09-01 | 2023-10-01 |

  @due_process
  Scenario: In Hawaii a claim to be reimbursed for a private placement must be filed within 180 days of the first day there
    Given today is 2026-11-23
    And the family lives in Hawaii
    And the parent is concerned about placement
    And the school refused the request
    And the parents placed the student in a private school on 2026-06-01 and ask to be reimbursed
    When the advocate asks for advice
    Then the deadline for "due process" is 2026-11-28, 5 days from today
    And there is a warning that the limit for reimbursement is closing

  @due_process
  Scenario: In Hawaii a reimbursement claim 206 days after the placement began is out of time, and a warning says so
    Given today is 2026-11-23
    And the family lives in Hawaii
    And the parent is concerned about placement
    And the school refused the request
    And the parents placed the student in a private school on 2026-05-01 and ask to be reimbursed
    When the advocate asks for advice
    Then the deadline for "due process" is 2026-10-28
    And there is a warning that the limit for reimbursement has closed

  @request_evaluation
  Scenario: In California the initial evaluation is due 60 days after consent, not counting long school breaks
    Given today is 2026-10-15
    And the family lives in California
    And a student without an IEP
    And the parent suspects a disability
    And the parent is concerned about the evaluation
    And the school agreed
    And the parent consented to an initial evaluation on 2026-09-01
    When the advocate asks for advice
    Then the deadline for "request an evaluation" is 2026-10-31, 16 days from today
    And the deadline for "request an evaluation" on 2026-10-31 has high confidence
    And the deadline for "request an evaluation" on 2026-10-31 says "not counted"

  @request_evaluation
  Scenario: In North Carolina the evaluation clock runs 90 days from the referral
    Given today is 2026-10-15
    And the family lives in North Carolina
    And a student without an IEP
    And the parent suspects a disability
    And the parent is concerned about the evaluation
    And the school agreed
    And the student was referred for an evaluation on 2026-08-20
    And the parent consented to an initial evaluation on 2026-09-01
    When the advocate asks for advice
    Then the deadline for "request an evaluation" is 2026-11-18

  @request_evaluation
  Scenario: California's evaluation clock does not count a winter break longer than five school days
    Given today is 2026-11-23
    And the family lives in California
    And a student without an IEP or a 504 plan
    And the parent suspects a disability
    And the parent is concerned about the evaluation
    And the school agreed
    And the parent consented to an initial evaluation on 2026-11-23
    And the school is closed on 2026-12-21, 2026-12-22, 2026-12-23, 2026-12-24, 2026-12-28, 2026-12-29, 2026-12-30 and 2026-12-31
    When the advocate asks for advice
    Then the deadline for "request an evaluation" is 2027-02-07
    And the deadline for "request an evaluation" on 2027-02-07 says "16 days"

  @request_evaluation
  Scenario: California's evaluation clock counts a Thanksgiving week off, five school days
    Given today is 2026-11-23
    And the family lives in California
    And a student without an IEP or a 504 plan
    And the parent suspects a disability
    And the parent is concerned about the evaluation
    And the school agreed
    And the parent consented to an initial evaluation on 2026-11-23
    And the school is closed on 2026-11-23, 2026-11-24, 2026-11-25 and 2026-11-27
    When the advocate asks for advice
    Then the deadline for "request an evaluation" is 2027-01-22

  @request_records
  Scenario: A California family is told the records were due in 5 business days, California's own figure
    Given today is 2026-11-23
    And the family lives in California
    And a student with an IEP
    And the parent is concerned about services
    And the school refused the request
    And the parent requested the education records on 2026-11-02 and got no response
    When the advocate asks for advice
    Then the next step is to demand what the district owes
    And the reason for "demand what the district owes" says "within 5 business days"
