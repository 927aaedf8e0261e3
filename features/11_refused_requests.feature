@bad_input
Feature: What the service refuses
  An intake form that sends a field the service does not know, a value of the wrong kind,
  or a date after the day of the advice gets a clear refusal naming the field, so the
  mistake is caught rather than silently ignored. The refusal never repeats the child's
  details back.

  Background:
    Given today is 2026-11-23
    And a student with an IEP
    And the parent is concerned about services
    And the school refused the request

  Scenario: A field the service does not know is refused, by name, without repeating its value
    Given the intake form sends "concern.urgency" as "very high, call Jordan's mother"
    When the advocate asks for advice
    Then the request is refused because "concern.urgency" is not a field the service knows
    And the error does not repeat what was sent

  Scenario: A misspelled field is refused rather than ignored
    Given the intake form sends "concern.schol_response" as "refused"
    And the intake form leaves out "concern.school_response"
    When the advocate asks for advice
    Then the request is refused because "concern.schol_response" is not a field the service knows
    And the request is refused because "concern.school_response" is missing

  Scenario Outline: A value of the wrong kind for <field> is refused
    Given the intake form sends "<field>" as <value>
    When the advocate asks for advice
    Then the request is refused because "<field>" <problem>
    And the error does not repeat what was sent

    Examples:
      | field                      | value          | problem                           |
      | discipline.days_removed    | "12"           | must be a number                  |
      | discipline.days_removed    | -3             | is out of range                   |
      | student.has_iep            | "yes"          | must be true or false             |
      | concern.topic              | "lunchroom"    | is not one of the allowed values  |
      | state                      | "Carolina"     | is not one of the allowed values  |
      | concern.school_response    | "ignored us"   | is not one of the allowed values  |
      | violation.date             | "2026-02-30"   | is not a real date                |
      | violation.date             | "March 2026"   | is not a real date                |

  Scenario: A history entry of a move the service does not know is refused at that entry
    Given the intake form sends "history" as [{"move": "sue_the_district", "outcome": "refused"}]
    When the advocate asks for advice
    Then the request is refused because "history.0.move" is not one of the allowed values

  Scenario: A date after the day of the advice is refused, naming the field
    Given the parent put the concern in writing on 2026-12-01 and got no response
    When the advocate asks for advice
    Then the request is refused because "history.0.date" is after the day of the advice

  Scenario: A concern without a topic is refused
    Given the intake form leaves out "concern.topic"
    When the advocate asks for advice
    Then the request is refused because "concern.topic" is missing

  Scenario: A case without a concern is refused, naming the concern
    Given the intake form leaves out "concern"
    When the advocate asks for advice
    Then the request is refused because "concern" is missing

  Scenario: A concern sent as null is refused, naming the concern
    Given the intake form sends "concern" as null
    When the advocate asks for advice
    Then the request is refused because "concern" must be filled in

  Scenario Outline: A date far outside a school career (<date>) is refused, never a crash
    Given the intake form sends "<field>" as "<date>"
    When the advocate asks for advice
    Then the request is refused because "<field>" is outside the dates the service accepts

    Examples:
      | field                   | date       |
      | as_of                   | 9999-01-01 |
      | violation.date          | 0001-01-01 |
      | student.last_iep_meeting | 1899-12-31 |

  Scenario: A body that is not JSON is refused
    Given the intake form sends this instead of a case:
      """
      topic=services&school_response=refused
      """
    When the advocate asks for advice
    Then the request is refused because the body is not valid JSON

  Scenario: A request over the size limit is refused as too large
    Given the intake form pads the case with 1100 kilobytes of blank space
    When the advocate asks for advice
    Then the request is refused because it is too large
