@section_504
Feature: The Section 504 track - a child with a 504 plan and no IEP
  IEP meetings, independent evaluations, IDEA state complaints and due process hearings are
  for children who have, or may need, an IEP. A child with only a 504 plan climbs a
  parallel ladder: the concern in writing to the 504 coordinator, a 504 meeting, the
  district's 504 coordinator and grievance procedure, a Section 504 hearing, and the Office
  for Civil Rights for a 504 plan that is not followed. The family is told "504", never
  "IEP". A written request for an IDEA evaluation stays open and leads to the IDEA track.

  Background:
    Given today is 2026-11-23

  @request_504_meeting
  Scenario: A 504 family whose written concern was refused is told to request a 504 meeting, not an IEP meeting
    Given the child has a 504 plan and no IEP
    And the parent is concerned about services
    And the school refused the request
    And the parent put the concern in writing on 2026-10-01 and was refused
    When the advocate asks for advice
    Then the next step is to request a 504 meeting
    And the reason for "a 504 meeting" cites "34 CFR 104.36"
    And the how-to for "a 504 meeting" mentions "504 coordinator"
    And these moves are not recommended:
      | move                                  |
      | request an IEP meeting                |
      | an Independent Educational Evaluation |
      | a state complaint                     |
      | due process                           |

  @request_iep_meeting
  Scenario: A family with an IEP whose written concern was refused is told to request an IEP meeting, not a 504 meeting
    Given the child has an IEP
    And the parent is concerned about services
    And the school refused the request
    And the parent put the concern in writing on 2026-10-01 and was refused
    When the advocate asks for advice
    Then the next step is to request an IEP meeting
    And "a 504 meeting" is not recommended

  @written_concern
  Scenario: A 504 family is told to write to the 504 coordinator, and nothing it is told mentions an IEP
    Given a student with a 504 plan and no IEP
    And the parent is concerned about services
    And the school has not answered yet
    When the advocate asks for advice
    Then the next step is to put the concern in writing
    And the how-to for "put the concern in writing" mentions "504 coordinator"
    And the how-to for "put the concern in writing" does not mention "case manager"
    And no recommendation mentions "IEP"

  @escalate_chain_of_command @section_504_hearing
  Scenario: A 504 family refused at the 504 meeting goes to the district's 504 coordinator, with a Section 504 hearing after it
    Given the child has a 504 plan and no IEP
    And the parent is concerned about services
    And the school refused the request
    And the parent has already made these moves:
      | move                       | date       | outcome |
      | put the concern in writing | 2026-09-01 | refused |
      | request a 504 meeting      | 2026-10-01 | refused |
    When the advocate asks for advice
    Then the next step is to go up the chain of command
    And the how-to for "go up the chain of command" mentions "Section 504 coordinator"
    And "go up the chain of command" is recommended before "a Section 504 hearing"
    And these moves are not recommended:
      | move        |
      | mediation   |
      | due process |

  @section_504_hearing
  Scenario: A 504 family refused by the 504 team and the 504 coordinator is told to ask for a Section 504 hearing, not due process
    Given the child has a 504 plan and no IEP
    And the parent is concerned about placement
    And the school refused the request
    And the parent has already made these moves:
      | move                       | date       | outcome |
      | put the concern in writing | 2026-09-01 | refused |
      | request a 504 meeting      | 2026-10-01 | refused |
      | go up the chain of command | 2026-10-20 | refused |
    When the advocate asks for advice
    Then the next step is to ask for a Section 504 hearing
    And the reason for "a 504 hearing" cites "34 CFR 104.36"
    And these moves are not recommended:
      | move              |
      | mediation         |
      | a state complaint |
      | due process       |

  @section_504_hearing
  Scenario: A 504 family whose 504 meeting is still to come is not yet told to ask for a hearing
    Given the child has a 504 plan and no IEP
    And the parent is concerned about services
    And the school refused the request
    And the parent put the concern in writing on 2026-09-01 and got no response
    And a 504 meeting is scheduled for 2026-12-01
    When the advocate asks for advice
    Then "a Section 504 hearing" is not recommended
    And "a 504 meeting" is not recommended
    And "an IEP meeting" is not recommended

  @ocr_complaint @written_concern
  Scenario: A school not following the 504 plan can face an OCR complaint at once, within 180 days, and never an IDEA state complaint
    Given the school is not following the 504 plan since 2026-10-01
    And the school refused the request
    When the advocate asks for advice
    Then "file a civil-rights complaint with OCR" is recommended
    And "an OCR complaint" is moved up ahead of the usual order
    And the deadline for "an OCR complaint" is 2027-03-30
    And "a state complaint" is not recommended
    And "due process" is not recommended
    And the next step is to put the concern in writing

  @state_complaint
  Scenario: A school not following the IEP faces an IDEA state complaint within a year
    Given the school is not following the IEP since 2026-10-01
    And the school refused the request
    When the advocate asks for advice
    Then "a state complaint" is recommended
    And the deadline for "a state complaint" is 2027-10-01

  @request_iee
  Scenario: A 504 family that disagrees with the district's 504 evaluation is not sent for an IEE
    Given the child has a 504 plan and no IEP
    And the parent is concerned about the evaluation
    And the school refused the request
    And the district evaluated the student on 2026-09-01
    And the parent disagrees with the district's evaluation
    When the advocate asks for advice
    Then "an IEE" is not recommended

  @request_iee @request_evaluation
  Scenario: A 504 family that asked for an IDEA evaluation and disagrees with it may request an IEE at once
    Given the child has a 504 plan and no IEP
    And the parent suspects a disability
    And the parent is concerned about the evaluation
    And the school refused the request
    And the parent requested an evaluation on 2026-08-01 and was refused
    And the district evaluated the student on 2026-09-01
    And the parent disagrees with the district's evaluation
    When the advocate asks for advice
    Then "request an IEE" is recommended
    And "an IEE" is moved up ahead of the usual order
    And "an IEP meeting" is not recommended

  @request_evaluation
  Scenario: A 504 child who may need special education can always be referred for an IDEA evaluation in writing
    Given the child has a 504 plan and no IEP
    And the parent suspects a disability
    And the parent is concerned about eligibility
    And the school refused the request
    When the advocate asks for advice
    Then "request an evaluation in writing" is recommended
    And the reason for "request an evaluation" cites "34 CFR 300.301"

  @request_manifestation_determination
  Scenario: A 504 child removed for 12 school days in a row gets the 504 team's review of the behaviour first
    Given the child has a 504 plan and no IEP
    And the parent is concerned about discipline
    And the school refused the request
    And the longest removal was 12 school days in a row
    When the advocate asks for advice
    Then the next step is to insist on a manifestation determination
    And the reason for "a manifestation determination" cites "34 CFR 104.35(a)"
    And the how-to for "a manifestation determination" mentions "504 team"
    And "an expedited hearing" is not recommended

  @request_manifestation_determination
  Scenario: A 504 child removed for 10 school days in a row has had no change of placement yet
    Given the child has a 504 plan and no IEP
    And the parent is concerned about discipline
    And the school refused the request
    And the longest removal was 10 school days in a row
    When the advocate asks for advice
    Then "a manifestation determination" is not recommended

  @section_504_hearing @expedited_hearing
  Scenario: A 504 parent who disagrees with the review of a long removal is told to ask for a Section 504 hearing, not an expedited IDEA hearing
    Given the child has a 504 plan and no IEP
    And the parent is concerned about discipline
    And the school refused the request
    And the longest removal was 12 school days in a row
    And the manifestation determination found the behaviour was not caused by the disability
    And the parent disagrees with the manifestation determination
    When the advocate asks for advice
    Then "a Section 504 hearing" is recommended
    And the reason for "a 504 hearing" cites "34 CFR 104.36"
    And these moves are not recommended:
      | move                 |
      | an expedited hearing |
      | due process          |
      | stay-put             |

  @request_interpreter
  Scenario: A 504 family that needs an interpreter is told it is their civil right under Title VI, not an IEP rule
    Given a student with a 504 plan and no IEP
    And the parent is concerned about services
    And the school has not answered yet
    And the parent needs a Spanish interpreter
    When the advocate asks for advice
    Then the next step is to ask for an interpreter
    And the reason for "an interpreter" cites "34 CFR 100.3(b)(1)"
    And the reason for "an interpreter" does not cite "34 CFR 300.322(e)"

  @due_process @request_evaluation
  Scenario: A 504 child whose IDEA evaluation is overdue may take it to IDEA due process
    Given a student with a 504 plan and no IEP
    And the parent suspects a disability
    And the parent is concerned about the evaluation
    And the school did not respond
    And the parent consented to an initial evaluation on 2026-08-01
    When the advocate asks for advice
    Then "due process" is recommended
    And the reason for "due process" cites "34 CFR 300.507(a)(1)"

  @request_manifestation_determination
  Scenario: A 504 child facing an expulsion hearing: the 504 team's re-evaluation comes first, cited from Section 504
    Given a student with a 504 plan and no IEP
    And the parent is concerned about discipline
    And the school refused the request
    And an expulsion hearing is set for 2026-12-03
    When the advocate asks for advice
    Then the next step is to insist on a manifestation determination
    And the reason for "a manifestation determination" cites "34 CFR 104.35(a)"
    And the reason for "a manifestation determination" does not cite "34 CFR 300.530"

  @request_manifestation_determination
  Scenario: A 504 child removed by a decision is re-evaluated before the change, with no IDEA 10-school-day clock
    Given a student with a 504 plan and no IEP
    And the parent is concerned about discipline
    And the school refused the request
    And the district proposes to change the student's placement as discipline in a decision on 2026-11-20
    When the advocate asks for advice
    Then the next step is to insist on a manifestation determination
    And the reason for "a manifestation determination" cites "34 CFR 104.35(a)"
    And the reason for "a manifestation determination" does not cite "34 CFR 300.530(e)"
    And there is no deadline for "the manifestation determination"
    And "an expedited hearing" is not recommended

  @request_manifestation_determination
  Scenario: A 504 child whose behaviour staff reported to a supervisor keeps IDEA's 10 school days too
    Given a student with a 504 plan and no IEP
    And the parent is concerned about discipline
    And the school refused the request
    And the district proposes to change the student's placement as discipline in a decision on 2026-11-20
    And staff reported a pattern of behaviour to a supervisor
    When the advocate asks for advice
    Then the next step is to insist on a manifestation determination
    And the reason for "a manifestation determination" cites "34 CFR 104.35(a)"
    And the reason for "a manifestation determination" cites "34 CFR 300.530(e)"
    And the deadline for "the manifestation determination" is 2026-12-07

  @request_manifestation_determination
  Scenario: A child with an IEP removed by a decision keeps IDEA's 10 school days
    Given a student with an IEP
    And the parent is concerned about discipline
    And the school refused the request
    And the district proposes to change the student's placement as discipline in a decision on 2026-11-20
    When the advocate asks for advice
    Then the deadline for "the manifestation determination" is 2026-12-07
    And the reason for "a manifestation determination" does not cite "34 CFR 104.35(a)"

  @request_manifestation_determination
  Scenario: A 504 family's letter asks for the 504 re-evaluation before the hearing, with a Section 504 hearing, not an IDEA expedited hearing, if it is not done
    Given a student with a 504 plan and no IEP
    And the parent is concerned about discipline
    And the school refused the request
    And the district proposes to change the student's placement as discipline in a decision on 2026-11-20
    And an expulsion hearing is set for 2026-12-03
    When the parent asks for the letter to insist on a manifestation determination
    Then the letter says "hearing under Section 504 (34 CFR 104.36)"
    And the letter says "change of placement takes effect"
    And the letter does not say "expedited due process hearing"
    And the letter does not say "within 10 school days"

  @request_manifestation_determination
  Scenario: A family with an IEP asks in its letter for the review within 10 school days, with an expedited hearing if it is not held
    Given a student with an IEP
    And the parent is concerned about discipline
    And the school refused the request
    And the district proposes to change the student's placement as discipline in a decision on 2026-11-20
    When the parent asks for the letter to insist on a manifestation determination
    Then the letter says "within 10 school days of the decision, that is by 2026-12-07"
    And the letter says "expedited due process hearing (34 CFR 300.532)"
    And the letter does not say "34 CFR 104.36"
