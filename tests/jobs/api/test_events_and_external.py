"""Messages, signals and external tasks over HTTP."""

from __future__ import annotations

import pytest

from tests.web.support import DATA, assert_problem, upload


@pytest.fixture
def start(client, admin):
    def start_case(process, **extra):
        response = client.post("/api/v1/cases", headers=admin,
                               json={"process": process, **extra})
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return start_case


def test_a_message_reaches_the_waiting_case(client, admin, start):
    upload(client, admin, DATA / "payment.bpmn")
    case = start("fee_payment", business_key="shop-1")
    assert case["waiting_on"][0]["kind"] == "message"
    response = client.post("/api/v1/messages", headers=admin,
                           json={"name": "fee_paid", "payload": {"amount": 20},
                                 "business_key": "shop-1"})
    assert response.status_code == 200, response.get_json()
    assert [(c["id"], c["status"]) for c in response.get_json()["cases"]] == \
        [(case["id"], "completed")]


def test_a_message_nobody_waits_for_is_404(client, admin):
    assert_problem(client.post("/api/v1/messages", headers=admin, json={"name": "fee_paid"}), 404)


def test_a_message_for_several_cases_needs_all(client, admin, start):
    upload(client, admin, DATA / "payment.bpmn")
    start("fee_payment")
    start("fee_payment")
    assert_problem(client.post("/api/v1/messages", headers=admin, json={"name": "fee_paid"}), 409)
    both = client.post("/api/v1/messages", headers=admin, json={"name": "fee_paid", "all": True})
    assert len(both.get_json()["cases"]) == 2


def test_message_fields_are_checked(client, admin):
    response = client.post("/api/v1/messages", headers=admin,
                           json={"name": "", "payload": "x", "all": "yes"})
    fields = {f["path"] for f in assert_problem(response, 422)["fields"]}
    assert fields == {"name", "payload", "all"}


def test_a_signal_nobody_waits_for_reaches_no_case(client, admin):
    response = client.post("/api/v1/signals", headers=admin, json={"name": "withdraw"})
    assert response.status_code == 200 and response.get_json() == {"cases": []}


def test_external_task_fetch_lock_fail_and_complete(client, admin, start):
    upload(client, admin, DATA / "stamp.bpmn")
    case = start("stamp")
    fetch = {"workerId": "sealer-1", "topics": ["seal"], "maxTasks": 5, "lockDuration": 30000}
    locked = client.post("/api/v1/external-tasks/fetch-and-lock", headers=admin, json=fetch)
    assert locked.status_code == 200, locked.get_json()
    [task] = locked.get_json()
    assert task["topic"] == "seal" and task["case_id"] == case["id"]
    other = {**fetch, "workerId": "sealer-2", "topics": [{"topicName": "seal"}]}
    assert client.post("/api/v1/external-tasks/fetch-and-lock", headers=admin,
                       json=other).get_json() == []

    url = f"/api/v1/external-tasks/{task['id']}"
    assert_problem(client.post(f"{url}/complete", headers=admin,
                               json={"workerId": "sealer-2"}), 409)
    failed = client.post(f"{url}/failure", headers=admin,
                         json={"workerId": "sealer-1", "errorMessage": "seal service down",
                               "retries": 2, "retryTimeout": 0})
    assert failed.status_code == 200, failed.get_json()
    again = client.post("/api/v1/external-tasks/fetch-and-lock", headers=admin, json=other)
    assert [t["id"] for t in again.get_json()] == [task["id"]]
    # a worker writes only what the diagram reads from it
    extra = client.post(f"{url}/complete", headers=admin, json={
        "workerId": "sealer-2", "variables": {"seal_id": "S-1", "routing": {}, "approved": 1}})
    assert {f["path"] for f in assert_problem(extra, 422)["fields"]} == {"routing", "approved"}
    done = client.post(f"{url}/complete", headers=admin,
                       json={"workerId": "sealer-2", "variables": {"seal_id": "S-1"}})
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["case"]["status"] == "completed"


def test_external_task_requests_are_checked(client, admin):
    response = client.post("/api/v1/external-tasks/fetch-and-lock", headers=admin,
                           json={"topics": "seal", "maxTasks": 0})
    fields = {f["path"] for f in assert_problem(response, 422)["fields"]}
    assert fields == {"workerId", "topics", "maxTasks"}
    bad_topic = client.post("/api/v1/external-tasks/fetch-and-lock", headers=admin,
                            json={"workerId": "w", "topics": [{"lockDuration": 5}]})
    assert assert_problem(bad_topic, 422)["fields"][0]["path"] == "topics/0"
    assert_problem(client.post("/api/v1/external-tasks/nope/complete", headers=admin,
                               json={"workerId": "w"}), 404)


def test_numbers_too_large_to_store_are_422(client, admin):
    huge = 10**30
    fetch = client.post("/api/v1/external-tasks/fetch-and-lock", headers=admin,
                        json={"workerId": "w", "topics": ["seal"], "lockDuration": huge})
    assert_problem(fetch, 422)
    fail = client.post("/api/v1/external-tasks/x/failure", headers=admin,
                       json={"workerId": "w", "retries": huge, "retryTimeout": huge})
    fields = {f["path"] for f in assert_problem(fail, 422)["fields"]}
    assert fields == {"retries", "retryTimeout"}
    started = client.post("/api/v1/cases", headers=admin, json={"process": "p", "version": huge})
    assert_problem(started, 422)
    assert_problem(client.get(f"/api/v1/cases?offset={huge}", headers=admin), 422)


FEATURES = DATA.parents[1] / "data" / "features"


def test_a_correlation_and_payload_that_disagree_are_4xx_and_change_nothing(
        client, admin, start):
    upload(client, admin, FEATURES / "order_waiter.bpmn")
    one = start("order_waiter", data={"order_id": "O-1"})
    two = start("order_waiter", data={"order_id": "O-2"})

    def send(**body):
        return client.post("/api/v1/messages", headers=admin, json={"name": "order_paid", **body})

    # the payload names another order than the correlation
    clash = assert_problem(send(correlation={"order_id": "O-2"},
                                payload={"order_id": "O-1", "amount": 5}), 422)
    assert [f["path"] for f in clash["fields"]] == ["payload/order_id"]
    # a correlation property the waiting cases do not have
    unknown = assert_problem(send(correlation={"shop": "S-1"}, payload={"order_id": "O-2"}),
                             404)
    assert "shop" in unknown["detail"]
    # a correlation no case waits with
    assert_problem(send(correlation={"order_id": "O-9"}, payload={"amount": 5}), 404)
    for case in (one, two):
        shown = client.get(f"/api/v1/cases/{case['id']}", headers=admin).get_json()
        assert shown["status"] == "running" and shown["waiting_on"][0]["kind"] == "message"

    # the payload may leave the correlation out: delivery uses the one the API accepted
    done = send(correlation={"order_id": "O-2"}, payload={"amount": 80})
    assert done.status_code == 200, done.get_json()
    assert [c["id"] for c in done.get_json()["cases"]] == [two["id"]]
    shown = client.get(f"/api/v1/cases/{two['id']}", headers=admin).get_json()
    assert [w["element"] for w in shown["work_items"] if w["state"] == "open"] == ["ship"]
    still = client.get(f"/api/v1/cases/{one['id']}", headers=admin).get_json()
    assert still["waiting_on"][0]["correlation"] == {"order_id": "O-1"}
