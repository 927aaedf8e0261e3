@companion
Feature: Companion moves - recommended beside the rungs
  These are not rungs of the ladder. They go with a rung: gathering records before a
  formal step, asking for the policy or the Prior Written Notice behind a refusal, using
  the Parent Concerns section, trialling the team's proposal with a data review, and
  following up on what was agreed.

  Background:
    Given today is 2026-11-23

  @seed_001 @request_written_policy
  Scenario: A parent told "we don't do that here" is told to ask to see the written policy
    Given a student with an IEP
    And the parent is concerned about services
    And the school said "we don't do that here"
    When the advocate asks for advice
    Then "ask to see the written policy" is recommended
    And the reason for "the written policy" cites "IEP Advocacy Moves for Parents" under "Ask to See the Written Policy"

  @request_prior_written_notice
  Scenario Outline: A parent whose request the school <answer> is told to ask for Prior Written Notice
    Given a student with an IEP
    And the parent is concerned about <topic>
    And the school <answer>
    When the advocate asks for advice
    Then "ask for Prior Written Notice" is recommended
    And the reason for "Prior Written Notice" cites "34 CFR 300.503"

    Examples:
      | topic     | answer                  |
      | services  | refused the request     |
      | placement | refused the request     |
      | services  | proposed an alternative |

  @seed_001 @parent_concerns_statement
  Scenario: A parent whose IEP meeting ended without agreement is told to put the concern in the Parent Concerns section
    Given a student with an IEP
    And the parent is concerned about goals
    And the school only partly agreed
    And the parent put the concern in writing on 2026-09-01 and got no response
    And the parent requested an IEP meeting on 2026-10-15 and it only partly resolved the concern
    When the advocate asks for advice
    Then "put the concern in the Parent Concerns section" is recommended
    And the reason for "the Parent Concerns section" cites "IEP Advocacy Moves for Parents" under "Utilize the Parent Concerns Section of the IEP"

  @seed_001 @seed_000 @trial_with_data_review
  Scenario: A parent doubtful of the school's alternative is told to trial it with a dated data review
    Given a student with an IEP
    And the parent is concerned about services
    And the school proposed an alternative
    When the advocate asks for advice
    Then "trial the proposal with a dated data review" is recommended
    And the reason for "a trial with a data review" cites "IEP Advocacy Moves for Parents"

  @seed_000 @pre_meeting_conference
  Scenario: A parent about to request an IEP meeting after a refusal is told to ask for a pre-meeting conference
    Given a student with an IEP
    And the parent is concerned about placement
    And the school refused the request
    And the parent put the concern in writing on 2026-10-01 and was refused
    When the advocate asks for advice
    Then the next step is to request an IEP meeting
    And "ask for a pre-meeting conference" is recommended
    And the reason for "a pre-meeting conference" cites "Best Practices for Advocates"

  @seed_000 @request_records
  Scenario: A family about to take a formal step is told to request the education records first
    Given a student with an IEP
    And the parent is concerned about services
    And the school did not respond
    And the parent has already made these moves:
      | move                       | date       | outcome         |
      | put the concern in writing | 2026-08-25 | no response     |
      | request an IEP meeting     | 2026-09-15 | partly resolved |
      | go up the chain of command | 2026-10-20 | no response     |
    When the advocate asks for advice
    Then "request the education records" is recommended
    And the reason for "the records" cites "34 CFR 300.613"

  @seed_004 @request_evaluation
  Scenario: A parent who suspects a disability in a child without an IEP is told to request an evaluation in writing
    Given a student without an IEP or a 504 plan
    And the parent suspects a disability
    And the parent is concerned about eligibility
    And the school has not answered yet
    When the advocate asks for advice
    Then "request an evaluation in writing" is recommended
    And the reason for "request an evaluation" cites "34 CFR 300.301"

  @seed_004 @request_evaluation
  Scenario: A parent told that RTI must come first is told to request an evaluation in writing, which is itself the written concern
    Given a student without an IEP
    And the parent suspects a disability
    And the parent is concerned about the evaluation
    And the school said RTI must come first
    When the advocate asks for advice
    Then the next step is to request an evaluation in writing
    And the reason for "request an evaluation" cites "How to Advocate for an IEP When the School Says No"
    And the reason for "request an evaluation" cites "OSEP Memo 11-07"
    And "put the concern in writing" is not recommended

  @seed_004 @consider_504_plan
  Scenario: A parent who accepts that the child is not eligible for an IEP is told to consider a Section 504 plan
    Given a student without an IEP
    And the parent suspects a disability
    And the parent is concerned about eligibility
    And the school refused the request
    And the district evaluated the student on 2026-10-15
    And the district found the student not eligible for an IEP
    When the advocate asks for advice
    Then "consider a Section 504 plan" is recommended
    And the reason for "a 504 plan" cites "How to Advocate for an IEP When the School Says No"

  @seed_000 @follow_up_implementation
  Scenario: A parent whose concern was settled is told to confirm and monitor implementation, not to escalate
    Given a student with an IEP
    And the parent is concerned about services
    And the school agreed
    And the parent put the concern in writing on 2026-10-01 and it resolved the concern
    When the advocate asks for advice
    Then the next step is to confirm and monitor implementation
    And the reason for "follow up on implementation" cites "Best Practices for Advocates"
    And these moves are not recommended:
      | move                       |
      | request an IEP meeting     |
      | go up the chain of command |
      | mediation                  |

  @ocr_complaint
  Scenario: A parent whose child faced disability discrimination is told about a civil-rights complaint with OCR
    Given a student with a 504 plan
    And the parent is concerned about something else
    And the school refused the request
    And the district discriminated against the student because of the disability on 2026-09-01
    When the advocate asks for advice
    Then "file a civil-rights complaint with OCR" is recommended
    And the deadline for "an OCR complaint" is 2027-02-28
