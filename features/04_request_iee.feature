@rung_4 @request_iee
Feature: Rung 4 - request an Independent Educational Evaluation
  A parent who disagrees with an evaluation the district did, including one used to deny
  eligibility, may ask for an evaluation by someone outside the district at public expense.
  The district must pay for it or go to a hearing to defend its own evaluation, and must
  consider the results.

  Background:
    Given today is 2026-11-23

  @seed_003
  Scenario: A parent who disagrees with the district's evaluation is told to request an Independent Educational Evaluation
    Given a student with an IEP
    And the parent is concerned about the evaluation
    And the school refused the request
    And the district evaluated the student on 2026-10-01
    And the parent disagrees with the district's evaluation
    When the advocate asks for advice
    Then "request an Independent Educational Evaluation" is recommended
    And the reason for "request an IEE" cites "IEP Collaboration Techniques"
    And the reason for "request an IEE" cites "34 CFR 300.502"

  @seed_004 @consider_504_plan
  Scenario: A parent whose child was found not eligible, and who disagrees, is told to request an independent evaluation rather than accept the denial
    Given a student without an IEP
    And the parent suspects a disability
    And the parent is concerned about eligibility
    And the school refused the request
    And the district evaluated the student on 2026-10-15
    And the district found the student not eligible for an IEP
    And the parent disagrees with the district's evaluation
    When the advocate asks for advice
    Then "an Independent Educational Evaluation" is recommended
    And the reason for "an IEE" cites "How to Advocate for an IEP When the School Says No"
    And "an Independent Educational Evaluation" is recommended before "a Section 504 plan"

  Scenario: A parent who accepts the district's evaluation is not pointed to an independent one
    Given a student with an IEP
    And the parent is concerned about services
    And the school refused the request
    And the district evaluated the student on 2026-10-01
    When the advocate asks for advice
    Then "an Independent Educational Evaluation" is not recommended

  Scenario: A parent who already obtained an independent evaluation is not told to request another
    Given a student with an IEP
    And the parent is concerned about the evaluation
    And the school refused the request
    And the district evaluated the student on 2026-06-01
    And the parent disagrees with the district's evaluation
    And the parent requested an Independent Educational Evaluation on 2026-07-01 and it resolved the concern
    When the advocate asks for advice
    Then "an Independent Educational Evaluation" is not recommended
    And the ladder shows "an Independent Educational Evaluation" as resolved
