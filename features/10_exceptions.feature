@exceptions
Feature: The four exceptions that skip rungs
  The ladder is climbed one rung at a time, except that:
  - a parent who disagrees with a district evaluation may request an IEE at once;
  - a broken legal duty may go to a state complaint at once, beside the informal rungs;
  - discipline that changes placement, or a safety risk, puts the principal and the
    manifestation determination first, the principal beside it, and an expedited hearing
    available after it;
  - a school that refuses, keeps dismissing the parent, or clearly breaks IDEA may be
    taken to due process without mediation first.
  A formal step never replaces the advice to keep talking.

  Background:
    Given today is 2026-11-23

  @request_iee @rung_4 @seed_003 @seed_002 @request_iep_meeting
  Scenario: A parent who disagrees with the district's evaluation may request an IEE at once, while still putting the concern in writing
    Given a student with an IEP
    And the parent is concerned about the evaluation
    And the school has not answered yet
    And the district evaluated the student on 2026-10-20
    And the parent disagrees with the district's evaluation
    When the advocate asks for advice
    Then the next step is to put the concern in writing
    And "put the concern in writing" is recommended before "an Independent Educational Evaluation"
    And the ladder reads:
      | rung                                  | status    |
      | put the concern in writing            | next      |
      | request an IEP meeting                | available |
      | an Independent Educational Evaluation | available |
      | mediation                             | ahead     |
    And the reason for "request an IEP meeting" cites "Building a More Collaborative Relationship"

  @request_iee @rung_4 @seed_003
  Scenario Outline: Disagreeing with an evaluation opens an IEE whatever rung the family is on (<rung reached>)
    Given a student with an IEP
    And the parent is concerned about the evaluation
    And the school refused the request
    And the district evaluated the student on 2026-09-01
    And the parent disagrees with the district's evaluation
    And the parent has already made these moves:
      | move          | date       | outcome   |
      | <rung reached> | 2026-10-01 | <outcome> |
    When the advocate asks for advice
    Then "an Independent Educational Evaluation" is recommended
    And the ladder shows "an Independent Educational Evaluation" as available

    Examples:
      | rung reached               | outcome         |
      | put the concern in writing | refused         |
      | request an IEP meeting     | partly resolved |

  @state_complaint @written_concern @rung_6 @seed_003 @seed_000
  Scenario: A district that did not carry out the IEP can face a state complaint at once, and the parent keeps talking too
    Given a student with an IEP
    And the parent is concerned about implementation of the IEP
    And the school has not answered yet
    And the district failed to implement the IEP on 2026-10-01
    When the advocate asks for advice
    Then the next step is to put the concern in writing
    And "put the concern in writing" is recommended before "a state complaint"
    And the ladder shows "a state complaint" as available

  @request_manifestation_determination @escalate_chain_of_command
  Scenario Outline: A student removed for <days> school days this year gets a manifestation determination first, and is taken to the principal too
    Given a student with an IEP
    And the parent is concerned about discipline
    And the school refused the request
    And the student has been removed from school for <days> school days this year
    When the advocate asks for advice
    Then the next step is to insist on a manifestation determination
    And "go up the chain of command" is moved up ahead of the usual order
    And "a manifestation determination" is recommended before "go up the chain of command"
    And "a manifestation determination" is moved up ahead of the usual order
    And "a manifestation determination" is recommended before "put the concern in writing"
    And the reason for "a manifestation determination" cites "34 CFR 300.530(e)"
    And the reason for "the chain of command" cites "IEP Advocacy Moves for Parents" under "Follow the Chain of Command"

    Examples:
      | days |
      | 11   |
      | 15   |
      | 30   |

  @request_manifestation_determination
  Scenario: A disciplinary change of placement decided on 2026-11-16 needs its manifestation determination by 2026-12-01, Thanksgiving not counted
    Given a student with an IEP
    And the parent is concerned about discipline
    And the school refused the request
    And the district proposes to change the student's placement in a decision on 2026-11-16
    When the advocate asks for advice
    Then "insist on a manifestation determination" is moved up ahead of the usual order
    And the deadline for "a manifestation determination" is 2026-12-01
    And the deadline for "the manifestation determination" is 2026-12-01 and is the district's duty

  @request_manifestation_determination @written_concern
  Scenario: A student removed for five school days, with no change of placement, does not need a manifestation determination
    Given a student with an IEP
    And the parent is concerned about discipline
    And the school has not answered yet
    And the student has been removed from school for 5 school days this year
    When the advocate asks for advice
    Then "a manifestation determination" is not recommended
    And the next step is to put the concern in writing

  @expedited_hearing @request_manifestation_determination
  Scenario: A parent whose request for a manifestation determination was refused is told to insist on it, with an expedited due process hearing open after it
    Given a student with an IEP
    And the parent is concerned about discipline
    And the school refused the request
    And the student has been removed from school for 15 school days this year
    And the parent asked for a manifestation determination on 2026-11-09 and was refused
    When the advocate asks for advice
    Then the next step is to insist on a manifestation determination
    And "an expedited due process hearing" is recommended
    And "an expedited due process hearing" is moved up ahead of the usual order
    And "a manifestation determination" is recommended before "an expedited hearing"
    And the reason for "an expedited hearing" cites "34 CFR 300.532"
    And "due process" is not recommended

  @expedited_hearing
  Scenario: A student facing a disciplinary change of placement can appeal to an expedited hearing without waiting, after the manifestation determination
    Given a student with an IEP
    And the parent is concerned about discipline
    And the school refused the request
    And the student has been removed from school for 12 school days this year
    When the advocate asks for advice
    Then "appeal the discipline decision" is recommended
    And "a manifestation determination" is recommended before "an expedited hearing"

  @escalate_chain_of_command @seed_001
  Scenario: A parent worried about the child's safety takes it to the principal first
    Given a student with an IEP
    And the parent is concerned about safety
    And the school has not answered yet
    When the advocate asks for advice
    Then the next step is to go up the chain of command
    And "go up the chain of command" is moved up ahead of the usual order
    And the reason for "the chain of command" cites "IEP Advocacy Moves for Parents" under "Follow the Chain of Command"

  @due_process @seed_004 @mediation
  Scenario: A school that refused the written concern and the IEP meeting can be taken to due process without mediation first
    Given a student with an IEP
    And the parent is concerned about services
    And the school refused the request
    And the parent has already made these moves:
      | move                       | date       | outcome |
      | put the concern in writing | 2026-09-01 | refused |
      | request an IEP meeting     | 2026-10-01 | refused |
    When the advocate asks for advice
    Then "due process" is recommended
    And the reason for "due process" cites "How to Advocate for an IEP When the School Says No" under "When to Choose Due Process"
    And the ladder shows "due process" as available
    And "mediation" is not recommended
    And the next step is to go up the chain of command

  @due_process @seed_004
  Scenario: A district that clearly broke IDEA and refuses to put it right can be taken to due process without mediation first
    Given a student with an IEP
    And the parent is concerned about implementation of the IEP
    And the school refused the request
    And the parent put the concern in writing on 2026-10-01 and was refused
    And the district failed to implement the IEP on 2026-09-15
    When the advocate asks for advice
    Then "due process" is recommended
    And "a state complaint" is recommended
    And the ladder shows "due process" as available
    And "request an IEP meeting" is recommended before "due process"

  @due_process @seed_002
  Scenario: A single refusal is not yet a reason to skip to due process
    Given a student with an IEP
    And the parent is concerned about goals
    And the school refused the request
    And the parent put the concern in writing on 2026-10-01 and was refused
    When the advocate asks for advice
    Then "due process" is not recommended
    And the next step is to request an IEP meeting
