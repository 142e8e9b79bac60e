"""What each corpus diagram (../shared/corpus/bpmn, see SOURCES.md) is driven with at run time.

The data was chosen by reading each file's gateway conditions; the step counts are the
number of work items a person completes between the start and the end of the case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Run:
    """One drive of a 'runs' diagram from start to end by completing the open work items."""

    file: str
    steps: int
    start: dict[str, Any] = field(default_factory=dict)
    # data given when completing a work item, by element id (others get {})
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    # elements that must have been completed on the way (the path the data picks)
    visits: tuple[str, ...] = ()
    # service operators registered for this run, and those expected to be called, in order
    connectors: tuple[str, ...] = ()
    calls: tuple[str, ...] = ()


TWEET = "expression:#{tweetAdapter}"
EMAIL = "expression:#{emailAdapter}"

RUNS: dict[str, Run] = {
    "Approvals": Run("Approvals.bpmn", steps=9),
    "ParallelOrder": Run("ParallelOrder.bpmn", steps=4),
    "Parallel-Multiple-Splits-And-Joins": Run(
        "Parallel-Multiple-Splits-And-Joins.bpmn20.xml", steps=9),
    "Message-Interrupts-no-message": Run(
        "Message-Interrupts.bpmn20.xml", steps=1,
        visits=("sid-6FBBB56D-00CD-4C2B-9345-486986BB4992",)),
    "boundary_timer_on_task-before-timer": Run(
        "boundary_timer_on_task.bpmn", steps=1, visits=("user_task",)),
    "gateway_loop_input": Run("gateway_loop_input.bpmn", steps=1, visits=("task",)),
    "exclusive_gateway_no_default-x2": Run(
        "exclusive_gateway_no_default.bpmn", steps=1, start={"x": 2},
        visits=("Activity_Greater",)),
    "token_trial_parallel_matrix": Run(
        "token_trial_parallel_matrix.bpmn", steps=11,
        visits=("First", "FormA3", "FormB3", "FormC3", "FormD")),
    "human_task_metadata": Run("human_task_metadata.bpmn", steps=1),
    "user_task_variable": Run(
        "user_task_variable.bpmn", steps=1, visits=("user_task_one",)),
    "service_task-with-connectors": Run(
        "service_task.bpmn", steps=0,
        connectors=("bamboohr/GetPayRate", "weather/CurrentTemp"),
        calls=("bamboohr/GetPayRate", "weather/CurrentTemp")),
    "invoiceApproval": Run("invoiceApproval.bpmn", steps=1, visits=("UserTask_1",)),
    "loanApproval": Run("loanApproval.bpmn", steps=1, visits=("UserTask_1",)),
    # the Spring Boot example supplies the tweetAdapter and emailAdapter beans: here they
    # are registered connectors; the JUEL conditions #{approved} / #{!approved} pick one
    "TwitterDemoProcess-approved": Run(
        "TwitterDemoProcess.bpmn", steps=1,
        answers={"user_task_review_tweet": {"approved": True}},
        visits=("user_task_review_tweet",), connectors=(TWEET, EMAIL), calls=(TWEET,)),
    "TwitterDemoProcess-rejected": Run(
        "TwitterDemoProcess.bpmn", steps=1,
        answers={"user_task_review_tweet": {"approved": False}},
        visits=("user_task_review_tweet",), connectors=(TWEET, EMAIL), calls=(EMAIL,)),
    "alkt-ansokan": Run("alkt-ansokan.bpmn", steps=0),
}


@dataclass(frozen=True)
class Contained:
    """A diagram whose case must stop with a clear error on that case alone."""

    file: str
    element: str
    # text the error message must contain (the expression, operator or delegate)
    names: str
    start: dict[str, Any] = field(default_factory=dict)
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)


CONTAINED: dict[str, Contained] = {
    "exclusive_gateway_no_default-without-x": Contained(
        "exclusive_gateway_no_default.bpmn", "Gateway_CheckValue", "x > 1"),
    "service_task-no-connector": Contained(
        "service_task.bpmn", "Activity-1inxqgx", "bamboohr/GetPayRate"),
    "embedded-spring-rest-loanApproval": Contained(
        "embedded-spring-rest-loanApproval.bpmn", "ServiceTask_1",
        "${calculateInterestService}"),
    "TwitterDemoProcess-no-adapters": Contained(
        "TwitterDemoProcess.bpmn", "service_task_publish_on_twitter", "#{tweetAdapter}",
        answers={"user_task_review_tweet": {"approved": True}}),
    "dangerous": Contained("dangerous.bpmn", "collect_info", "import is not allowed"),
}

# process-parking-permit.bpmn: what an external worker answers per topic, so that the
# gateways take the ordinary path: not an appeal, a resident, an administrator assigned,
# phase actions COMPLETE, a final approved decision outside Ånge (2260), the card exists.
PARKING_TOPIC_ANSWERS: dict[str, dict[str, Any]] = {
    "CheckAppealTask": {"isAppeal": False},
    "VerifyResidentOfMunicipalityTask": {"applicantNotResidentOfMunicipality": False},
    "VerifyAdministratorStakeholderExists": {"assignedToAdministrator": True},
    "CheckErrandPhaseActionTask": {"phaseAction": "COMPLETE"},
    "CheckDecisionTask": {"finalDecision": True, "isApproved": True},
    "CardExistsTask": {"cardExists": True},
}

# the external tasks of that path, in order; the execution phase's timer
# (timeToSendControlMessage) fires between create_asset and send_message_task
PARKING_PATH: tuple[str, ...] = (
    "external_task_check_appeal",
    "external_task_actualization_update_phase",
    "external_task_verify_resident_of_municipality_task",
    "external_task_actualization_verify_administrator_stakeholder_exists_task",
    "external_task_actualization_update_display_phase",
    "external_task_actualization_update_errand_status_to_under_review",
    "external_task_actualization_check_phase_action_task",
    "external_task_investigation_update_phase",
    "external_task_investigation_update_errand_status",
    "external_task_investigation_execute_rules",
    "external_task_investigation_construct_decision",
    "external_task_investigation_check_phase_action_task",
    "external_task_decision_update_phase",
    "external_task_decision_update_errand_status",
    "external_task_check_decision_task",
    "external_task_execution_update_phase",
    "external_task_execution_handle_lost_card",
    "external_task_execution_order_card_task",
    "external_task_execution_check_if_card_exists",
    "external_task_execution_create_asset",
    "external_task_execution_send_message_task",
    "external_task_follow_up_update_phase",
    "external_task_followup_check_phase_action",
    "external_task_follow_up_clean_up_notes",
    "external_task_follow_up_update_status",
    "external_task_follow_up_update_phase_action",
)
