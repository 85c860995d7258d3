"""A FHIR R4 Bundle (type collection): the patient, every pain score, every session.

- Patient: a local, pseudonymous identifier only (no name, no birth date): the identifier is
  derived from the first record in the store, so the same data always gives the same patient.
- Pain: Observation, LOINC 72514-3 "Pain severity - 0-10 verbal numeric rating [Score] -
  Reported", valueInteger 0–10, effectiveDateTime, category survey; when it was taken (before
  or after a session, diary, flare-up) as a second category coding in `urn:pacewise:pain-context`.
  Expected-vs-felt pain and harm around graded exposure are components.
- Session: Observation, LOINC 55411-3 "Exercise duration" in minutes over an effectivePeriod;
  per exercise the repetitions, seconds and best angle are components (codes in
  `urn:pacewise:exercise`, UCUM units); the session's pain scores are its hasMember.

Resource ids are UUIDs derived from Pacewise ids, so exporting twice gives the same ids.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from pacewise.clinic.figures import session_change
from pacewise.clinic.reports.rows import SummaryRow
from pacewise.domain.pain import PainEntry, PainKind
from pacewise.domain.session import SessionRecord

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
PAIN_CODE = "72514-3"
PAIN_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
SESSION_CODE = "55411-3"
SESSION_DISPLAY = "Exercise duration"
SUMMARY = "urn:pacewise:summary"
NAMESPACE = uuid.UUID("6f1f4c52-6f0e-4b8e-9a55-70616365776b")
CONTEXT = {
    PainKind.before: ("before-session", "Before an exercise session"),
    PainKind.after: ("after-session", "After an exercise session"),
    PainKind.diary: ("diary", "Daily diary"),
    PainKind.flare: ("flare-up", "Flare-up report"),
}

Json = dict[str, Any]


def local_patient_id(sessions: Sequence[SessionRecord], pain: Sequence[PainEntry]) -> str:
    """A stable pseudonym: a hash of the oldest record's id (records are never rewritten)."""
    firsts = [(s.started_at, s.id) for s in sessions[:1]] + [(e.at, e.id) for e in pain[:1]]
    seed = min(firsts)[1] if firsts else "no-records"
    return "pw-" + hashlib.sha256(seed.encode()).hexdigest()[:16]


def _uuid(kind: str, ident: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{kind}:{ident}')}"


def _integer(code: str, text: str, value: int | None) -> Json | None:
    if value is None:
        return None
    return {
        "code": {"coding": [{"system": "urn:pacewise:exposure", "code": code}], "text": text},
        "valueInteger": value,
    }


def pain_observation(entry: PainEntry, patient: str) -> Json:
    code, display = CONTEXT[entry.kind]
    resource: Json = {
        "resourceType": "Observation",
        "identifier": [{"system": "urn:pacewise:pain-entry", "value": entry.id}],
        "status": "final",
        "category": [
            {"coding": [{"system": CATEGORY, "code": "survey", "display": "Survey"}]},
            {"coding": [{"system": "urn:pacewise:pain-context", "code": code, "display": display}]},
        ],
        "code": {
            "coding": [{"system": LOINC, "code": PAIN_CODE, "display": PAIN_DISPLAY}],
            "text": "Pain score, 0 (no pain) to 10 (worst pain imaginable)",
        },
        "subject": {"reference": patient},
        "effectiveDateTime": entry.at.isoformat(),
        "valueInteger": entry.score,
    }
    if entry.recorded_at is not None:
        resource["issued"] = entry.recorded_at.isoformat()
    if entry.note:
        resource["note"] = [{"text": entry.note}]
    x = entry.exposure
    if x is not None:
        parts = [
            _integer("expected-pain", f"expected pain ({x.movement})", x.expected_pain),
            _integer("felt-pain", f"felt pain ({x.movement})", x.felt_pain),
            _integer("expected-harm", f"expected harm ({x.movement})", x.expected_harm),
            _integer("felt-harm", f"felt harm ({x.movement})", x.felt_harm),
        ]
        resource["component"] = [p for p in parts if p is not None]
    return resource


def _quantity(value: float, unit: str, code: str) -> Json:
    return {"value": value, "unit": unit, "system": UCUM, "code": code}


def _component(exercise: str, what: str, quantity: Json) -> Json:
    return {
        "code": {
            "coding": [{"system": "urn:pacewise:exercise", "code": f"{exercise}.{what}"}],
            "text": f"{exercise.replace('_', ' ')}: {what}",
        },
        "valueQuantity": quantity,
    }


def session_observation(session: SessionRecord, patient: str, members: list[str]) -> Json:
    end = session.started_at + timedelta(seconds=session.duration_s)
    components = []
    for level in session.levels:
        components.append(
            _component(level.name, "repetitions", _quantity(level.reps, "repetitions", "{reps}"))
        )
        if level.seconds is not None:
            components.append(_component(level.name, "seconds", _quantity(level.seconds, "s", "s")))
        if level.best_deg is not None:
            components.append(
                _component(level.name, "best angle", _quantity(level.best_deg, "degrees", "deg"))
            )
    resource: Json = {
        "resourceType": "Observation",
        "identifier": [{"system": "urn:pacewise:session", "value": session.id}],
        "status": "final",
        "category": [{"coding": [{"system": CATEGORY, "code": "activity", "display": "Activity"}]}],
        "code": {
            "coding": [{"system": LOINC, "code": SESSION_CODE, "display": SESSION_DISPLAY}],
            "text": "Pacewise exercise session",
        },
        "subject": {"reference": patient},
        "effectivePeriod": {"start": session.started_at.isoformat(), "end": end.isoformat()},
        "valueQuantity": _quantity(round(session.duration_s / 60, 2), "min", "min"),
    }
    change, important = session_change(session.pain_before, session.pain_after)
    if change is not None:
        components.append(_summary_part("pain-change", "pain after minus before", change))
        components.append(
            _summary_part("pain-change-important", "clinically important change", important)
        )
    if components:
        resource["component"] = components
    if members:
        resource["hasMember"] = [{"reference": ref} for ref in members]
    if session.stopped:
        resource["note"] = [{"text": f"stopped early: {session.stopped}"}]
    return resource


def _summary_part(code: str, text: str, value: int | float | bool) -> Json:
    part: Json = {"code": {"coding": [{"system": SUMMARY, "code": code}], "text": text}}
    if isinstance(value, bool):
        part["valueBoolean"] = value
    elif isinstance(value, int):
        part["valueInteger"] = value
    else:
        part["valueQuantity"] = {"value": value}
    return part


def summary_observation(row: SummaryRow, patient: str) -> Json:
    """The period's headline figures (clinic/figures.py), as the dashboard shows them."""
    values: list[tuple[str, str, int | float | bool | None]] = [
        ("sessions-done", "sessions done", row.sessions_done),
        ("sessions-planned", "sessions planned", row.sessions_planned),
        ("adherence", "sessions done / planned", row.adherence),
        ("pain-first", f"mean pain, first {row.pain_days} days", row.pain_first),
        ("pain-last", f"mean pain, last {row.pain_days} days", row.pain_last),
        ("pain-change-important", "clinically important change", row.pain_change_important),
    ]
    start = row.counted_from or row.period_start
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": {
            "coding": [{"system": SUMMARY, "code": "period-summary"}],
            "text": "Pacewise summary of a period",
        },
        "subject": {"reference": patient},
        "effectivePeriod": {"start": start.isoformat(), "end": row.period_end.isoformat()},
        "component": [_summary_part(c, t, v) for c, t, v in values if v is not None],
    }


def bundle(
    sessions: Sequence[SessionRecord],
    pain: Sequence[PainEntry],
    now: datetime,
    patient_id: str,
    summary: SummaryRow | None = None,
) -> Json:
    patient_ref = _uuid("patient", patient_id)
    entries: list[Json] = [
        {
            "fullUrl": patient_ref,
            "resource": {
                "resourceType": "Patient",
                "identifier": [
                    {"use": "secondary", "system": "urn:pacewise:patient", "value": patient_id}
                ],
            },
        }
    ]
    by_session: dict[str, list[str]] = {}
    for entry in pain:
        ref = _uuid("pain", entry.id)
        entries.append({"fullUrl": ref, "resource": pain_observation(entry, patient_ref)})
        if entry.session_id:
            by_session.setdefault(entry.session_id, []).append(ref)
    for session in sessions:
        ref = _uuid("session", session.id)
        resource = session_observation(session, patient_ref, by_session.get(session.id, []))
        entries.append({"fullUrl": ref, "resource": resource})
    if summary is not None:
        ref = _uuid("summary", f"{summary.period_start}/{summary.period_end}")
        entries.append({"fullUrl": ref, "resource": summary_observation(summary, patient_ref)})
    return {
        "resourceType": "Bundle",
        "identifier": {"system": "urn:pacewise:export", "value": _uuid("export", now.isoformat())},
        "type": "collection",
        "timestamp": now.isoformat(),
        "entry": entries,
    }
