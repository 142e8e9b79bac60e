"""Notifications, appointments, after-hours service, visits and mobile window in the OpenAPI
document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from web.openapi_types import BOOL, INT, STR, TIME, nullable, obj, ref

DAY = {"type": "string", "format": "date"}
HHMM = {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$",
        "description": "local time of the office"}
TEXT = {"type": "string", "maxLength": 2000}
REASON_KIND = {"enum": ["park_enterprise", "cannot_travel"]}
VISIT_STATUS = {"enum": ["requested", "assigned", "done", "cancelled"]}

SLOT = obj({
    "id": INT, "office": STR, "day": DAY, "starts": STR, "ends": STR, "capacity": INT,
    "booked": INT, "free": INT,
    "after_hours": {"type": "boolean", "description": "outside office hours (延时服务)"},
    "duty_clerk": nullable(STR)},
    ("id", "office", "day", "starts", "ends", "capacity", "booked", "free", "after_hours"))

SERVICE_SCHEMAS: dict[str, Any] = {
    "Notification": obj({
        "id": INT, "channel": {"enum": ["in_app", "sms", "email"]}, "template": STR,
        "locale": {"enum": ["zh", "en"]}, "subject": STR, "body": STR,
        "case_id": nullable(INT), "status": {"enum": ["pending", "sent", "failed"]},
        "attempts": INT, "created_at": TIME, "sent_at": nullable(TIME),
        "read_at": nullable(TIME)}, ("id", "channel", "template", "subject", "body", "status")),
    "NotificationPage": obj({
        "items": {"type": "array", "items": ref("Notification")}, "total": INT,
        "unread": INT, "limit": INT, "offset": INT},
        ("items", "total", "unread", "limit", "offset")),
    "MarkRead": obj({}),
    "Slot": SLOT,
    "SlotList": obj({"items": {"type": "array", "items": ref("Slot")}}, ("items",)),
    "OpenSlot": obj({
        "office": STR, "day": DAY, "starts": HHMM, "ends": HHMM,
        "capacity": {"type": "integer", "minimum": 1, "maximum": 500},
        "duty_clerk": {"type": "string",
                       "description": "needed outside office hours; works at the office"}},
        ("office", "day", "starts", "ends", "capacity")),
    "Appointment": obj({
        "id": INT, "slot": ref("Slot"), "applicant": STR, "booked_by": STR,
        "case_id": nullable(INT), "purpose": STR, "clerk": nullable(STR),
        "status": {"enum": ["booked", "cancelled"]}, "cancel_reason": nullable(STR),
        "created_at": TIME, "updated_at": TIME},
        ("id", "slot", "applicant", "status")),
    "AppointmentList": obj({"items": {"type": "array", "items": ref("Appointment")}},
                           ("items",)),
    "Book": obj({
        "slot_id": {"type": "integer", "minimum": 1}, "purpose": TEXT,
        "phone": {"type": "string", "maxLength": 30, "description": "for SMS confirmations"},
        "case": {"type": "string", "description": "case id or number this is about"},
        "applicant": {"type": "string", "description": "office staff: book for this user"}},
        ("slot_id",)),
    "MoveAppointment": obj({"slot_id": {"type": "integer", "minimum": 1}}, ("slot_id",)),
    "CancelService": obj({"reason": TEXT}),
    "Visit": obj({
        "id": INT, "applicant": STR, "requested_by": STR, "office": STR,
        "case_id": nullable(INT), "address": STR, "reason_kind": REASON_KIND, "reason": STR,
        "window_from": TIME, "window_until": TIME, "clerk": nullable(STR),
        "status": VISIT_STATUS, "materials_collected": nullable(BOOL),
        "onsite_check_done": nullable(BOOL), "notes": nullable(STR), "created_at": TIME,
        "updated_at": TIME}, ("id", "applicant", "office", "address", "status")),
    "VisitList": obj({"items": {"type": "array", "items": ref("Visit")}}, ("items",)),
    "AskVisit": obj({
        "office": STR, "address": TEXT, "reason_kind": REASON_KIND,
        "reason": {**TEXT, "description": "the park enterprise, or why the applicant cannot "
                                          "travel"},
        "window_from": TIME, "window_until": {**TIME, "description": "within 12 hours"},
        "phone": {"type": "string", "maxLength": 30}, "case": STR,
        "applicant": {"type": "string", "description": "office staff: ask for this user"}},
        ("office", "address", "reason_kind", "reason", "window_from", "window_until")),
    "AssignVisit": obj({"clerk": STR}, ("clerk",)),
    "VisitOutcome": obj({"materials_collected": BOOL, "onsite_check_done": BOOL,
                         "notes": TEXT}),
    "MobileIntake": obj({
        "id": INT, "office": STR, "town": STR, "place": STR, "market_day": DAY, "clerk": STR,
        "case_id": INT, "case_number": STR, "created_at": TIME},
        ("id", "office", "town", "place", "market_day", "case_id", "case_number")),
    "MobileIntakeList": obj({"items": {"type": "array", "items": ref("MobileIntake")}},
                            ("items",)),
    "NewMobileIntake": obj({
        "office": STR, "town": STR, "place": STR,
        "market_day": {**DAY, "description": "today or within the last 7 days"},
        "process": {"type": "string", "description": "bundle key or process id"},
        "data": {"type": "object", "description": "the case's start data"},
        "business_key": STR}, ("office", "town", "place", "market_day", "process")),
}


def service_paths(op: Callable[..., dict[str, Any]], json: Callable[..., dict[str, Any]],
                  path: Callable[..., dict[str, Any]],
                  query: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    """The service paths, built with the document's own helpers."""
    appointment_id = path("appointment_id", "appointment id", INT)
    visit_id = path("visit_id", "visit id", INT)
    appointment = {"200": json(ref("Appointment"), "The appointment")}
    visit = {"200": json(ref("Visit"), "The visit")}
    return {
        "/api/v1/notifications": {
            "get": op("listNotifications", "The caller's in-app notifications, unread first",
                      "notifications", {"200": json(ref("NotificationPage"), "Notifications")},
                      "422", params=[
                          query("unread", "only unread ones", BOOL),
                          query("limit", "page size", {"type": "integer", "minimum": 1,
                                                       "maximum": 200, "default": 50}),
                          query("offset", "rows to skip", {"type": "integer", "minimum": 0,
                                                           "default": 0})]),
        },
        "/api/v1/notifications/{notification_id}/read": {
            "post": op("readNotification", "Mark one of the caller's notifications read",
                       "notifications", {"200": json(ref("Notification"), "The notification")},
                       "404", body="MarkRead", optional_body=True,
                       params=[path("notification_id", "notification id", INT)]),
        },
        "/api/v1/appointment-slots": {
            "post": op("openSlot", "Open an appointment slot at an office (its staff)",
                       "appointments", {"201": json(ref("Slot"), "The slot")},
                       "403", "404", "409", body="OpenSlot"),
            "get": op("listSlots", "An office's slots with free places", "appointments",
                      {"200": json(ref("SlotList"), "Slots")}, "404", "422", params=[
                          query("office", "office code (required)", STR),
                          query("from", "first day (default today)", DAY),
                          query("until", "last day (default 14 days on, at most 62)", DAY)]),
        },
        "/api/v1/appointments": {
            "post": op("book", "Book a place in a slot (预约; 延时服务 outside office hours)",
                       "appointments", {"201": json(ref("Appointment"), "The booking")},
                       "403", "404", "409", body="Book"),
            "get": op("listAppointments", "The caller's appointments, or an office's (staff)",
                      "appointments", {"200": json(ref("AppointmentList"), "Appointments")},
                      "403", "404", "422", params=[
                          query("office", "all of this office (its staff)", STR),
                          query("day", "only this day", DAY)]),
        },
        "/api/v1/appointments/{appointment_id}": {
            "get": op("getAppointment", "One appointment", "appointments", appointment,
                      "404", params=[appointment_id]),
        },
        "/api/v1/appointments/{appointment_id}/move": {
            "post": op("moveAppointment", "Move a booking to another slot of its office",
                       "appointments", appointment, "404", "409", body="MoveAppointment",
                       params=[appointment_id]),
        },
        "/api/v1/appointments/{appointment_id}/cancel": {
            "post": op("cancelAppointment", "Cancel a booking", "appointments", appointment,
                       "404", "409", body="CancelService", optional_body=True,
                       params=[appointment_id]),
        },
        "/api/v1/visits": {
            "post": op("askVisit", "Ask for a door-to-door visit (上门服务)", "visits",
                       {"201": json(ref("Visit"), "The request")}, "403", "404",
                       body="AskVisit"),
            "get": op("listVisits", "The caller's visits, or an office's (staff)", "visits",
                      {"200": json(ref("VisitList"), "Visits")}, "403", "404", "422",
                      params=[query("office", "all of this office (its staff)", STR),
                              query("status", "only visits in this status", VISIT_STATUS)]),
        },
        "/api/v1/visits/{visit_id}": {
            "get": op("getVisit", "One visit", "visits", visit, "404", params=[visit_id]),
        },
        "/api/v1/visits/{visit_id}/assign": {
            "post": op("assignVisit", "Send a clerk of the office (office staff)", "visits",
                       visit, "403", "404", "409", body="AssignVisit", params=[visit_id]),
        },
        "/api/v1/visits/{visit_id}/outcome": {
            "post": op("recordVisit", "Record materials collected and the on-site check",
                       "visits", visit, "403", "404", "409", body="VisitOutcome",
                       params=[visit_id]),
        },
        "/api/v1/visits/{visit_id}/cancel": {
            "post": op("cancelVisit", "Call a visit off", "visits", visit, "404", "409",
                       body="CancelService", optional_body=True, params=[visit_id]),
        },
        "/api/v1/mobile-intakes": {
            "post": op("mobileIntake", "Take an application at a market-day location "
                       "(移动窗口) and start its case", "visits",
                       {"201": json(ref("MobileIntake"), "The intake and its case")},
                       "403", "404", body="NewMobileIntake"),
            "get": op("listMobileIntakes", "An office's mobile-window intakes (staff)",
                      "visits", {"200": json(ref("MobileIntakeList"), "Intakes")},
                      "403", "404", "422", params=[query("office", "office code", STR)]),
        },
    }
