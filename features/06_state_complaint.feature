@rung_6 @state_complaint
Feature: Rung 6 - file a state complaint
  When the district broke a legal duty under IDEA (the IEP is not carried out, a timeline
  was missed, a required procedure was skipped), the parent may file a signed complaint
  with the state, with the facts and a proposed remedy. The violation must be less than a
  year old when the state receives it, and the state decides within 60 days.

  Background:
    Given today is 2026-11-23
    And a student with an IEP

  @seed_003
  Scenario: A parent whose child's IEP is not being carried out is told a state complaint is open to them, within the one-year window
    Given the parent is concerned about implementation of the IEP
    And the school did not respond
    And the parent put the concern in writing on 2026-09-01 and got no response
    And the district failed to implement the IEP on 2026-03-01
    When the advocate asks for advice
    Then "file a state complaint" is recommended
    And the reason for "a state complaint" cites "IEP Collaboration Techniques"
    And the reason for "a state complaint" cites "34 CFR 300.153"
    And the deadline for "a state complaint" is 2027-03-01, 98 days from today

  @seed_003
  Scenario Outline: A district that <broke a duty> can be the subject of a state complaint
    Given the parent is concerned about <topic>
    And the school refused the request
    And the district <broke a duty> on 2026-06-15
    When the advocate asks for advice
    Then "a state complaint" is recommended
    And the ladder shows "a state complaint" as available
    And the deadline for "a state complaint" is 2027-06-15

    Examples:
      | topic                     | broke a duty                         |
      | implementation of the IEP | failed to implement the IEP          |
      | services                  | skipped a required procedure         |
      | the evaluation            | missed a legal timeline              |
      | the evaluation            | did not evaluate as the law requires |

  @seed_001
  Scenario: A family with no broken legal duty is not told to file a state complaint
    Given the parent is concerned about goals
    And the school did not respond
    And the parent has already made these moves:
      | move                       | date       | outcome         |
      | put the concern in writing | 2026-08-25 | no response     |
      | request an IEP meeting     | 2026-09-15 | partly resolved |
    When the advocate asks for advice
    Then "a state complaint" is not recommended
    And the ladder shows "a state complaint" as ahead

  @request_complaint_decision
  Scenario: A state complaint already filed is not recommended again, and the state's decision date is given
    Given the parent is concerned about implementation of the IEP
    And the school refused the request
    And the district failed to implement the IEP on 2026-08-01
    And the parent filed a state complaint on 2026-10-01 and is waiting for the outcome
    When the advocate asks for advice
    Then "a state complaint" is not recommended
    And the ladder shows "a state complaint" as tried
    And the deadline for "the state's decision on the complaint" is 2026-11-30 and is the state's duty
    And the state is not yet late with "the decision on the state complaint"

  Scenario: A violation alleged without saying which duty is read as an IDEA violation, so a state complaint is open, and the advice says it assumed so
    Given the parent is concerned about services
    And the school refused the request
    And the district broke a legal duty on 2026-09-01, without saying which
    When the advocate asks for advice
    Then "a state complaint" is recommended
    And the deadline for "a state complaint" is 2027-09-01
    And the advice says it assumed an unspecified violation

  Scenario: A violation alleged with its kind needs no assumption
    Given the parent is concerned about services
    And the school refused the request
    And the district skipped a required procedure on 2026-09-01
    When the advocate asks for advice
    Then "a state complaint" is recommended
    And there are no warnings
