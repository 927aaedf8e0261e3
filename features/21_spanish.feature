@spanish
Feature: Advice in Spanish - the same advice, in words a Spanish-speaking parent reads first
  Notices must reach parents in their native language (34 CFR 300.503(c)), and many parents
  of children in special education read Spanish first. Asked in Spanish, the advice gives
  the same steps, reasons, dates and sources, written in plain Spanish, with the English
  legal term in parentheses the first time so the parent can use it with the school.

  Background:
    Given today is 2026-11-23

  Scenario: A first concern, advised in Spanish
    Given a student with an IEP
    And the student is called Maya
    And the parent is concerned about services
    And the school has not answered yet
    When the parent asks for advice in Spanish
    Then the advice is in Spanish
    And the next step reads "Poner la preocupación por escrito"
    And the summary says "Siguiente paso para Maya: poner la preocupación por escrito."
    And the reason for "put the concern in writing" says "todavía no se ha puesto por escrito"
    And the advice says "no asesoría legal" in its disclaimer

  Scenario: A disagreement with the evaluation names the IEE in Spanish and in English
    Given a student with an IEP
    And the district evaluated the student on 2026-10-01
    And the parent disagrees with the district's evaluation
    And the parent is concerned about the evaluation
    And the school refused the request
    When the advocate asks for advice in Spanish
    Then the advice is in Spanish
    And "request an IEE" is recommended
    And the reason for "request an IEE" says "evaluación educativa independiente"
    And the reason for "request an IEE" says "del 1 de octubre de 2026"

  Scenario: The explanation and the why-not report come in Spanish too
    Given a student with an IEP
    And the student is called Maya
    And the parent is concerned about services
    And the school has not answered yet
    When the parent asks for advice in Spanish
    Then the advice is in Spanish
    And the first question to ask reads "¿Ya le presentó usted a la escuela su preocupación por escrito? ¿Qué pasó?"
    And asked why not "mediation", the service says "Este paso no se recomienda"
