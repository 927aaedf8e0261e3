@deadlines @time
Feature: Time decides the advice
  A clock's state is a fact the rules decide on (ladder.md section 12). A family's filing
  window that closes within 30 days decides the first step, whatever rung the family has
  reached, and the gentler steps go on beside it. A window is never declared closed on a
  date the case did not give. A duty the district has still not done keeps the state
  complaint window open. A district that misses its own deadline is held to it in writing,
  never asked again for what was already given, and every answer names a next step.

  Background:
    Given today is 2026-11-23

  @reimbursement
  Scenario: In Hawaii, a family with 5 days left to claim reimbursement for a private school files for due process first
    Given the family lives in Hawaii
    And a student with an IEP
    And the student is called Leilani
    And the parent is concerned about placement
    And the school refused the request
    And the parent requested an IEP meeting on 2026-05-10 and was refused
    And the parents placed the student in a private school on 2026-06-01 and ask to be reimbursed
    When the advocate asks for advice
    Then the next step is to file for due process
    And "due process" is moved up ahead of the usual order
    And the reason for "due process" says "asks the district to reimburse what the family paid"
    And the summary says "2026-11-28"
    And there is a warning that the limit for reimbursement is closing
    And "due process" is recommended before "put the concern in writing"

  @reimbursement
  Scenario: In New Hampshire, 90 days after a private placement, the reimbursement claim is filed first
    Given the family lives in New Hampshire
    And a student with an IEP
    And the parent is concerned about placement
    And the school refused the request
    And the parents placed the student in a private school on 2026-09-01 and ask to be reimbursed
    When the advocate asks for advice
    Then the next step is to file for due process
    And the reason for "due process" says "reimburse"
    And the summary says "2026-11-30"

  @reimbursement
  Scenario: With months left on the reimbursement limit, the ordinary climb comes first
    Given the family lives in New Hampshire
    And a student with an IEP
    And the parent is concerned about placement
    And the school refused the request
    And the parents placed the student in a private school on 2026-11-01 and ask to be reimbursed
    When the advocate asks for advice
    Then the next step is to put the concern in writing
    And "due process" is not recommended

  Scenario: In North Carolina, 22 days left on the one-year due process limit puts due process first, mediation untried
    Given the family lives in North Carolina
    And a student with an IEP
    And the parent is concerned about services
    And the school refused the request
    And the parent put the concern in writing on 2025-12-01 and was refused
    And the district failed to implement the IEP on 2025-11-01
    And the parent only learned of it on 2025-12-15
    When the advocate asks for advice
    Then the next step is to file for due process
    And "due process" is moved up ahead of the usual order
    And the reason for "due process" says "22 days"
    And "due process" is recommended before "request an IEP meeting"
    And "request an IEP meeting" is recommended

  Scenario: A limit counted from the violation's date, when the case does not say when the parent knew, may have closed but is not declared closed
    Given the family lives in North Carolina
    And a student with an IEP
    And the parent is concerned about services
    And the school refused the request
    And the parent put the concern in writing on 2025-09-01 and was refused
    And the district failed to implement the IEP on 2025-09-15
    When the advocate asks for advice
    Then there is a warning that the window for "due process" may have closed
    And there is no warning that the window for "due process" has closed
    And the warning about "due process" says "ask a special-education attorney now"

  Scenario: The same limit counted from the day the parent knew is closed, and due process is not recommended
    Given the family lives in North Carolina
    And a student with an IEP
    And the parent is concerned about services
    And the school refused the request
    And the parent put the concern in writing on 2025-09-01 and was refused
    And the district failed to implement the IEP on 2025-09-15
    And the parent knew of it the same day
    When the advocate asks for advice
    Then "due process" is not recommended
    And there is a warning that the window for "due process" has closed
    And the ladder shows "due process" as closed

  @district_duties @demand_overdue_duty @state_complaint
  Scenario: An annual review missed two years running keeps the state complaint open, counted from the latest missed date
    Given a student with an IEP
    And the last IEP meeting was on 2024-10-01
    And the parent is concerned about services
    And the school did not respond
    When the advocate asks for advice
    Then the next step is to demand what the district owes
    And "a state complaint" is recommended
    And there is no warning that the window for "a state complaint" has closed

  @district_duties
  Scenario: A missed annual review the family recorded opens the state complaint even without the last meeting's date
    Given a student with an IEP
    And the annual IEP review due on 2026-10-01 was missed
    And the parent is concerned about services
    And the school did not respond
    When the advocate asks for advice
    Then the next step is to demand what the district owes
    And "a state complaint" is recommended

  @district_duties @hold_district_to_deadline
  Scenario: A district's evaluation clock still running is held to its date, not left without advice
    Given a student without an IEP or a 504 plan
    And the parent suspects a disability
    And the parent is concerned about the evaluation
    And the school has not answered yet
    And the parent requested an evaluation on 2026-10-20 and is waiting for the outcome
    And the parent consented to an initial evaluation on 2026-11-01
    When the advocate asks for advice
    Then the next step is to hold the district to its date
    And "request an evaluation" is not recommended

  @district_duties
  Scenario: A missed evaluation deadline is demanded from the person above, without asking again for consent, and no trial is offered
    Given a student without an IEP or a 504 plan
    And the parent suspects a disability
    And the parent is concerned about the evaluation
    And the school proposed an alternative
    And the parent requested an evaluation on 2026-08-01 and is waiting for the outcome
    And the parent consented to an initial evaluation on 2026-09-01
    When the advocate asks for advice
    Then the next step is to demand what the district owes
    And the reason for "demand what the district owes" says "Do not sign a new consent"
    And "request an evaluation" is not recommended
    And "a trial with a data review" is not recommended
    And "a state complaint" is recommended

  Scenario: Two unanswered letters to the case manager send the next step to the person above
    Given a student with an IEP
    And the parent is concerned about services
    And the school did not respond
    And the parent has already made these moves:
      | move                       | date       | outcome     |
      | put the concern in writing | 2026-10-01 | no response |
      | put the concern in writing | 2026-10-20 | no response |
    When the advocate asks for advice
    Then the next step is to go up the chain of command
    And "request an IEP meeting" is not recommended

  Scenario: One unanswered letter still leads to a meeting request
    Given a student with an IEP
    And the parent is concerned about services
    And the school did not respond
    And the parent put the concern in writing on 2026-10-01 and got no response
    When the advocate asks for advice
    Then the next step is to request an IEP meeting

  @await_answer
  Scenario: A letter still waiting for the school's answer gets a date to answer by
    Given a student with an IEP
    And the parent is concerned about services
    And the school has not answered yet
    And the parent put the concern in writing on 2026-11-16 and is waiting for the outcome
    When the advocate asks for advice
    Then the next step is to give the school a date to answer
