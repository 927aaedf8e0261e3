@district_duties
Feature: The district's own deadlines, running or missed
  Some clocks are the family's: a window to file that closes. Others are duties the
  district (or the state) owes the child: the annual IEP review, the three-year
  reevaluation, the initial evaluation within 60 days of consent, the records within 45
  days, the state's decision on a complaint within 60 days. A duty still running is shown
  with its date, so the family can hold the district to it. A duty missed is the district's
  lateness, never a right the family lost: the advice recommends asking for what is owed,
  and the missed timeline opens a state complaint whose year counts from the day the duty
  fell due.

  Background:
    Given today is 2026-11-23

  @demand_overdue_duty @state_complaint
  Scenario: An annual IEP review a year and a half late is the district's lateness: demand the meeting by a date, and a state complaint is open
    Given a student with an IEP
    And the last annual review was held on 2025-10-01
    And the parent is concerned about goals
    And the school has not answered yet
    When the advocate asks for advice
    Then the next step is to demand what the district owes
    And the reason for "demand what the district owes" cites "34 CFR 300.324(b)(1)"
    And the advice says the district is late with "the annual IEP review"
    And the warning about "the annual IEP review" says "the district is 53 days late"
    And the deadline for "the annual IEP review" is 2026-10-01 and is the district's duty
    And "a state complaint" is recommended
    And the deadline for "a state complaint" is 2027-10-01
    And there is no warning that the window for "a state complaint" has closed

  @request_iep_meeting
  Scenario: An annual IEP review still to come is shown with its date, and is not yet late
    Given a student with an IEP
    And the last IEP meeting was on 2026-01-15
    And the parent is concerned about goals
    And the school has not answered yet
    When the advocate asks for advice
    Then the deadline for "the annual IEP review" is 2027-01-15 and is the district's duty
    And the district is not yet late with "the annual IEP review"
    And "a state complaint" is not recommended
    And the next step is to put the concern in writing

  @request_reevaluation @state_complaint
  Scenario: A three-year reevaluation that is overdue is demanded in writing, and opens a state complaint from its due date
    Given a student with an IEP
    And the district evaluated the student on 2023-09-01
    And the parent is concerned about the evaluation
    And the school has not answered yet
    When the advocate asks for advice
    Then the next step is to demand what the district owes
    And the reason for "demand what the district owes" cites "34 CFR 300.303(b)(2)"
    And the advice says the district is late with "the three-year reevaluation"
    And "a state complaint" is recommended
    And the deadline for "a state complaint" is 2027-09-01
    And "put the concern in writing" is not recommended

  @request_evaluation @state_complaint
  Scenario: An initial evaluation not done 60 days after consent is the district's lateness, and a state complaint is open
    Given a student without an IEP
    And the parent suspects a disability
    And the parent is concerned about the evaluation
    And the school did not respond
    And the parent consented to an initial evaluation on 2026-08-01
    When the advocate asks for advice
    Then the next step is to demand what the district owes
    And the reason for "demand what the district owes" cites "34 CFR 300.301(c)"
    And "request an evaluation" is not recommended
    And the advice says the district is late with "the initial evaluation"
    And the deadline for "the initial evaluation" is 2026-09-30 and is the district's duty
    And the deadline for "a state complaint" is 2027-09-30

  @request_evaluation
  Scenario: An initial evaluation still within its 60 days is shown with its date, and no complaint is suggested
    Given a student without an IEP
    And the parent suspects a disability
    And the parent is concerned about the evaluation
    And the school did not respond
    And the parent consented to an initial evaluation on 2026-10-15
    When the advocate asks for advice
    Then the deadline for "the initial evaluation" is 2026-12-14 and is the district's duty
    And the district is not yet late with "the initial evaluation"
    And "a state complaint" is not recommended

  @request_records @state_complaint
  Scenario: Records asked for 83 days ago are overdue: demand them by a date citing the 45 days, and a state complaint is open
    Given a student with an IEP
    And the parent is concerned about services
    And the school did not respond
    And the parent requested the education records on 2026-09-01 and got no response
    When the advocate asks for advice
    Then the next step is to demand what the district owes
    And "demand what the district owes" is moved up ahead of the usual order
    And "request the education records" is not recommended
    And the advice says the district is late with "the records"
    And the deadline for "the records" is 2026-10-16 and is the district's duty
    And "a state complaint" is recommended
    And the deadline for "a state complaint" is 2027-10-16

  @request_records
  Scenario: Records asked for 22 days ago are still within the district's 45 days
    Given a student with an IEP
    And the parent is concerned about services
    And the school did not respond
    And the parent requested the education records on 2026-11-01 and got no response
    When the advocate asks for advice
    Then the district is not yet late with "the records"
    And "a state complaint" is not recommended

  @request_records
  Scenario: Late records for a 504 child are the district's lateness, but not an IDEA state complaint
    Given the child has a 504 plan and no IEP
    And the parent is concerned about services
    And the school did not respond
    And the parent requested the education records on 2026-09-01 and got no response
    When the advocate asks for advice
    Then the advice says the district is late with "the records"
    And "a state complaint" is not recommended

  @request_complaint_decision @state_complaint
  Scenario: A state complaint filed 114 days ago with no decision: ask the state for its overdue decision first
    Given a student with an IEP
    And the parent is concerned about implementation of the IEP
    And the school refused the request
    And the district failed to implement the IEP on 2026-06-01
    And the parent filed a state complaint on 2026-08-01 and is waiting for the outcome
    When the advocate asks for advice
    Then the next step is to ask the state for its overdue decision
    And the reason for "the complaint decision" cites "34 CFR 300.152(a)"
    And the advice says the state is late with "the decision on the state complaint"
    And the deadline for "the complaint decision" is 2026-09-30 and is the state's duty
    And "a state complaint" is not recommended

  @request_complaint_decision
  Scenario: A state complaint filed 53 days ago is still within the state's 60 days
    Given a student with an IEP
    And the parent is concerned about implementation of the IEP
    And the school refused the request
    And the district failed to implement the IEP on 2026-06-01
    And the parent filed a state complaint on 2026-10-01 and is waiting for the outcome
    When the advocate asks for advice
    Then the state is not yet late with "the decision on the state complaint"
    And "the complaint decision" is not recommended

  @state_complaint
  Scenario: A family's own closed window is still worded as the family's, unlike the district's lateness
    Given a student with an IEP
    And the parent is concerned about implementation of the IEP
    And the school did not respond
    And the district failed to implement the IEP on 2025-10-01
    When the advocate asks for advice
    Then there is a warning that the window for "a state complaint" has closed
    And "a state complaint" is not recommended

  @request_evaluation
  Scenario: A toddler leaving early intervention must have an IEP by the third birthday; the family asks for the evaluation now
    Given a student without an IEP or a 504 plan
    And the parent suspects a disability
    And the parent is concerned about the evaluation
    And the school has not answered yet
    And the child was born on 2024-01-10
    And the child is moving from early intervention (Part C)
    When the advocate asks for advice
    Then the next step is to request an evaluation
    And the deadline for "request an evaluation" is 2027-01-10
    And the reason for "request an evaluation" cites "34 CFR 300.124(b)"
