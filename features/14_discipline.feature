@discipline
Feature: Discipline - the protections, in the order the law puts them
  A removal of more than ten school days in a row, or a disciplinary change of placement,
  calls first for the manifestation determination, within 10 school days of the decision,
  and before any expulsion hearing. Shorter removals adding up past ten in a year may be a
  change of placement: the district is asked to decide, in writing. From the eleventh school day of removal the child
  keeps receiving services. If the behaviour was caused by the disability, a behaviour
  assessment and plan follow and the child returns. A parent who disagrees appeals to an
  expedited hearing, during which stay-put does not apply. A child not yet found eligible
  has the same protections if the district knew of a possible disability.

  Background:
    Given today is 2026-11-23

  @request_manifestation_determination @escalate_chain_of_command
  Scenario: A disciplinary change of placement leads with the manifestation determination; the principal and the appeal come after it
    Given a student with an IEP
    And the parent is concerned about discipline
    And the school refused the request
    And the district proposes to change the student's placement as discipline in a decision on 2026-11-20
    When the advocate asks for advice
    Then the next step is to insist on a manifestation determination
    And "a manifestation determination" is recommended before "go up the chain of command"
    And "a manifestation determination" is recommended before "an expedited hearing"
    And the deadline for "the manifestation determination" is 2026-12-07 and is the district's duty

  @request_manifestation_determination
  Scenario: Days the school is closed do not count toward the 10 school days for the manifestation determination
    Given a student with an IEP
    And the parent is concerned about discipline
    And the school refused the request
    And the district proposes to change the student's placement in a decision on 2026-11-16
    And the school is closed on 2026-11-27 and 2026-11-30
    When the advocate asks for advice
    Then the deadline for "a manifestation determination" is 2026-12-03

  @request_manifestation_determination @state_complaint
  Scenario: A manifestation determination not held within 10 school days is the district's lateness
    Given a student with an IEP
    And the parent is concerned about discipline
    And the school refused the request
    And the district proposes to change the student's placement in a decision on 2026-10-26
    When the advocate asks for advice
    Then the next step is to insist on a manifestation determination
    And the advice says the district is late with "the manifestation determination"
    And "a state complaint" is recommended

  @request_services_during_removal
  Scenario: A child removed for 11 school days this year must keep receiving services
    Given a student with an IEP
    And the parent is concerned about discipline
    And the school refused the request
    And the student has been removed from school for 11 school days this year
    When the advocate asks for advice
    Then "make sure services continue during the removal" is recommended
    And the reason for "services during the removal" cites "34 CFR 300.530(d)"
    And "a manifestation determination" is recommended before "services during the removal"

  @request_services_during_removal
  Scenario: A child removed for 10 school days this year is not yet owed services during the removal
    Given a student with an IEP
    And the parent is concerned about discipline
    And the school refused the request
    And the student has been removed from school for 10 school days this year
    When the advocate asks for advice
    Then "services during the removal" is not recommended
    And "a manifestation determination" is not recommended

  @request_manifestation_determination
  Scenario Outline: A removal for <reason> still gets its manifestation determination first
    Given a student with an IEP
    And the parent is concerned about discipline
    And the school refused the request
    And the district proposes to change the student's placement as discipline
    And the removal was for <reason>
    When the advocate asks for advice
    Then the next step is to insist on a manifestation determination
    And "stay-put" is not recommended

    Examples:
      | reason                  |
      | a weapon                |
      | drugs                   |
      | a serious bodily injury |

  @request_behavior_plan
  Scenario: Behaviour found to be caused by the disability brings a behaviour assessment and plan
    Given a student with an IEP
    And the parent is concerned about discipline
    And the school refused the request
    And the longest removal was 12 school days in a row
    And the manifestation determination found the behaviour was caused by the disability
    When the advocate asks for advice
    Then "ask for a behaviour assessment and plan" is recommended
    And the reason for "a behaviour plan" cites "34 CFR 300.530(f)"
    And the how-to for "a behaviour plan" mentions "the child's return"
    And "a manifestation determination" is not recommended

  @request_behavior_plan
  Scenario: Behaviour caused by the disability after a removal for drugs still brings the behaviour plan, with the 45-day interim setting explained
    Given a student with an IEP
    And the parent is concerned about discipline
    And the school refused the request
    And the longest removal was 12 school days in a row
    And the removal was for drugs
    And the manifestation determination found the behaviour was caused by the disability
    When the advocate asks for advice
    Then "a behavior plan" is recommended
    And the reason for "a behaviour plan" cites "34 CFR 300.530(g)"

  @request_behavior_plan
  Scenario: Behaviour found not to be caused by the disability brings no behaviour plan from this rule
    Given a student with an IEP
    And the parent is concerned about discipline
    And the school refused the request
    And the longest removal was 12 school days in a row
    And the manifestation determination found the behaviour was not caused by the disability
    When the advocate asks for advice
    Then "a behaviour plan" is not recommended

  @expedited_hearing @due_process @invoke_stay_put
  Scenario: A parent who disagrees that the behaviour was not caused by the disability appeals to an expedited hearing, not due process, and without stay-put
    Given a student with an IEP
    And the parent is concerned about discipline
    And the school refused the request
    And the longest removal was 12 school days in a row
    And the manifestation determination found the behaviour was not caused by the disability
    And the parent disagrees with the manifestation determination
    When the advocate asks for advice
    Then "an expedited hearing" is recommended
    And "an expedited hearing" is moved up ahead of the usual order
    And the reason for "an expedited hearing" cites "34 CFR 300.532"
    And these moves are not recommended:
      | move        |
      | due process |
      | stay-put    |

  @expedited_hearing @invoke_stay_put @prepare_resolution_meeting
  Scenario: During an expedited appeal the child does not get stay-put, even with a placement change proposed; the 7-day resolution meeting is dated
    Given a student with an IEP
    And the parent is concerned about discipline
    And the school refused the request
    And the student has been removed from school for 12 school days this year
    And the district proposes to change the student's placement as discipline
    And the district proposes to change the student's placement
    And the manifestation determination found the behaviour was not caused by the disability
    And the parent disagrees with the manifestation determination
    And the parent asked for an expedited hearing on 2026-11-18 and is waiting for the outcome
    When the advocate asks for advice
    Then the next step is to prepare for the resolution meeting
    And "stay-put" is not recommended
    And the deadline for "an expedited hearing" is 2026-11-25 and is the district's duty
    And the deadline for "an expedited hearing" is 2026-12-17 and is the state's duty

  @request_manifestation_determination @written_concern
  Scenario: A child with no IEP whose parent raised a suspected disability in writing has the discipline protections
    Given a student without an IEP or a 504 plan
    And the parent suspects a disability
    And the parent is concerned about discipline
    And the school refused the request
    And the parent put the concern in writing on 2026-09-01 and got no response
    And the student has been removed from school for 12 school days this year
    When the advocate asks for advice
    Then the next step is to insist on a manifestation determination
    And the reason for "a manifestation determination" cites "34 CFR 300.530(e)"

  @request_manifestation_determination @request_evaluation
  Scenario: A child with no IEP whose parent asked for an evaluation in writing has the discipline protections
    Given a student without an IEP or a 504 plan
    And the parent suspects a disability
    And the parent is concerned about discipline
    And the school refused the request
    And the parent requested an evaluation on 2026-09-01 and got no response
    And the student has been removed from school for 12 school days this year
    When the advocate asks for advice
    Then the next step is to insist on a manifestation determination

  @request_manifestation_determination
  Scenario: A child with no IEP whose teacher reported a pattern of behaviour to a supervisor has the discipline protections
    Given a student without an IEP or a 504 plan
    And the parent suspects a disability
    And the parent is concerned about discipline
    And the school refused the request
    And staff reported a pattern of behaviour to a supervisor
    And the student has been removed from school for 12 school days this year
    When the advocate asks for advice
    Then the next step is to insist on a manifestation determination

  @request_manifestation_determination @request_evaluation
  Scenario: A child with no IEP and nothing that told the district of a disability is told to request an evaluation, which is done quickly during the removal
    Given a student without an IEP or a 504 plan
    And the parent suspects a disability
    And the parent is concerned about discipline
    And the school refused the request
    And the student has been removed from school for 12 school days this year
    When the advocate asks for advice
    Then "a manifestation determination" is not recommended
    And "request an evaluation in writing" is recommended
    And the reason for "request an evaluation" cites "34 CFR 300.534(d)(2)"

  @request_manifestation_determination
  Scenario: A child evaluated and found not eligible does not have the protections, whatever the district knew
    Given a student without an IEP or a 504 plan
    And the parent suspects a disability
    And the parent is concerned about discipline
    And the school refused the request
    And the district evaluated the student on 2026-05-01
    And the district found the student not eligible for an IEP
    And the parent put the concern in writing on 2026-09-01 and got no response
    And staff reported a pattern of behaviour to a supervisor
    And the student has been removed from school for 12 school days this year
    When the advocate asks for advice
    Then these moves are not recommended:
      | move                                           |
      | a manifestation determination                  |
      | make sure services continue during the removal |
      | an expedited hearing                           |

  @request_manifestation_determination
  Scenario: Short suspensions adding up past ten days may be a change of placement, so the district is asked to decide in writing
    Given a student with an IEP
    And the parent is concerned about discipline
    And the school refused the request
    And the student has been removed from school for 13 school days this year
    And the longest removal was 3 school days in a row
    When the advocate asks for advice
    Then the next step is to insist on a manifestation determination
    And the reason for "a manifestation determination" says "may be a change of placement"
    And the reason for "a manifestation determination" says "ask it in writing to decide"
    And the reason for "a manifestation determination" cites "34 CFR 300.536(a)(2), (b)"
    And no recommendation mentions "amounts to"

  @request_manifestation_determination
  Scenario: A single removal of more than ten school days in a row is a change of placement, no pattern to argue about
    Given a student with an IEP
    And the parent is concerned about discipline
    And the school refused the request
    And the student has been removed from school for 12 school days this year
    And the longest removal was 12 school days in a row
    When the advocate asks for advice
    Then the next step is to insist on a manifestation determination
    And the reason for "a manifestation determination" says "is a change of placement"
    And no recommendation mentions "may be a change of placement"

  @request_manifestation_determination
  Scenario: A child with no IEP whose teacher told the special ed director about the behaviour is protected, though the parent never wrote to the school
    Given a student without an IEP or a 504 plan
    And the parent is concerned about discipline
    And the school refused the request
    And staff reported a pattern of behaviour to a supervisor
    And the longest removal was 12 school days in a row
    When the advocate asks for advice
    Then the next step is to insist on a manifestation determination

  @request_manifestation_determination @request_evaluation
  Scenario Outline: A child whose parent <what> gets no manifestation determination, and an evaluation asked for now is expedited
    Given a student without an IEP or a 504 plan
    And the parent suspects a disability
    And the parent is concerned about discipline
    And the school refused the request
    And staff reported a pattern of behaviour to a supervisor
    And <fact>
    And the longest removal was 12 school days in a row
    When the advocate asks for advice
    Then "a manifestation determination" is not recommended
    And the next step is to request an evaluation
    And the reason for "request an evaluation" says "no manifestation determination is owed"
    And the reason for "request an evaluation" cites "34 CFR 300.534(c), (d)"

    Examples:
      | what                                | fact                                       |
      | refused consent to an evaluation    | the parent refused consent to an evaluation |
      | turned down special ed services     | the parent refused special education services |

  @request_manifestation_determination
  Scenario: A parent who wrote to the school only after the incident does not give the district knowledge of a disability
    Given a student without an IEP or a 504 plan
    And the parent suspects a disability
    And the parent is concerned about discipline
    And the school refused the request
    And the behaviour happened on 2026-10-01
    And the parent put the concern in writing on 2026-10-05 and got no response
    And the longest removal was 12 school days in a row
    When the advocate asks for advice
    Then "a manifestation determination" is not recommended

  @request_manifestation_determination
  Scenario: An expulsion hearing is set: the family asks in writing that it wait for the manifestation determination
    Given a student with an IEP
    And the parent is concerned about discipline
    And the school refused the request
    And an expulsion hearing is set for 2026-12-03
    When the advocate asks for advice
    Then the next step is to insist on a manifestation determination
    And the reason for "a manifestation determination" says "that the hearing wait"
    And the reason for "a manifestation determination" says "2026-12-03"

  @request_manifestation_determination
  Scenario: An expulsion hearing already held no longer calls for asking that it wait
    Given a student with an IEP
    And the parent is concerned about discipline
    And the school refused the request
    And an expulsion hearing is set for 2026-11-20
    When the advocate asks for advice
    Then no recommendation mentions "that the hearing wait"
    And "a manifestation determination" is not recommended

  @request_behavior_plan
  Scenario: A child who was restrained at school gets a behaviour assessment and plan first, with no suspension needed
    Given a student with an IEP
    And the parent is concerned about safety
    And the school has not answered yet
    And the parent reports that the school restrained the child
    When the advocate asks for advice
    Then the next step is to ask for a behaviour assessment and plan
    And the reason for "a behaviour plan" cites "34 CFR 300.324(a)(2)(i)"

  @request_behavior_plan
  Scenario: A child whose behaviour gets in the way of learning can ask for a behaviour plan at any time
    Given a student with an IEP
    And the parent is concerned about services
    And the school has not answered yet
    And the child's behaviour gets in the way of learning
    When the advocate asks for advice
    Then "a behaviour plan" is recommended
    And the reason for "a behaviour plan" says "at any time, not only after discipline"
    And the how-to for "a behaviour plan" does not mention "return"

  Scenario: An older intake that put a non-discipline placement change in the discipline part is warned, not re-read
    Given a student with an IEP
    And the parent is concerned about placement
    And the school refused the request
    And the intake form sends "discipline.change_of_placement_proposed" as true
    When the advocate asks for advice
    Then there is a warning that names the field "concern.placement_change_proposed"
    And "stay-put" is not recommended

  @request_manifestation_determination
  Scenario: Removal days without the longest removal are read as short removals, and the advice says which field to give
    Given a student with an IEP
    And the parent is concerned about discipline
    And the school refused the request
    And the student has been removed from school for 14 school days this year
    When the advocate asks for advice
    Then there is a warning that names the field "discipline.consecutive_days"
    And the reason for "a manifestation determination" says "may be a change of placement"
