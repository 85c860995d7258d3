"""The dashboard over real HTTP: sign-in, the guard, pages, and the plan editor's rules."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pacewise.clinic.live import Client, Live
from pacewise.clinic.security import COOKIE
from pacewise.domain.pain import PainKind, new_pain_entry
from pacewise.domain.prescription import Exercise
from pacewise.store import Store

PROTECTED = ["/", "/plan", "/plan/history", "/reports", "/reports/file/csv", "/export"]


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "the form carries a CSRF token"
    return match.group(1)


def plan_form(client: Client) -> dict[str, str]:
    """Every field of the editor as the browser would post it, with the page's own values."""
    html = client.get("/plan").text
    form: dict[str, str] = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)" value="([^"]*)"', html):
        form[name] = value
    for name in re.findall(r'<input type="checkbox"[^>]*name="([^"]+)" value="on" checked', html):
        form[name] = "on"
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        form[name] = re.search(r'value="([^"]+)" selected', body).group(1)  # type: ignore[union-attr]
    assert "reach.target_deg" in form and "csrf" in form
    return form


@pytest.mark.parametrize("path", PROTECTED)
def test_every_page_refuses_a_request_without_the_session_cookie(live: Live, path: str) -> None:
    reply = live.client().get(path)
    assert reply.status == 401
    assert "pacewise dashboard" in reply.text


def test_login_token_works_once_and_sets_a_strict_httponly_cookie(live: Live) -> None:
    first = live.client()
    reply = first.login(live.guard.token)
    assert reply.status == 303 and reply.headers["location"] == "/"
    cookie = reply.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
    assert first.get("/").status == 200
    second = live.client()
    assert second.login(live.guard.token).status == 401
    assert second.get("/").status == 401


def test_a_wrong_token_or_a_made_up_cookie_gets_nothing(live: Live) -> None:
    c = live.client()
    assert c.login("not-the-token").status == 401
    c.cookie = "made-up"
    assert c.get("/").status == 401
    # the real token still works after a wrong guess
    assert live.client().login(live.guard.token).status == 303


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1:1", "[::1]"])
def test_a_foreign_host_header_is_refused_even_when_signed_in(
    client: Client, live: Live, host: str
) -> None:
    client.host = host.format(port=live.port)
    reply = client.get("/")
    assert reply.status == 400
    assert "Unknown host" in reply.text


def test_localhost_with_the_port_is_this_server(client: Client, live: Live) -> None:
    client.host = f"localhost:{live.port}"
    assert client.get("/").status == 200


def test_pages_forbid_outside_resources_and_framing(client: Client) -> None:
    reply = client.get("/")
    csp = reply.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert reply.headers["x-frame-options"] == "DENY"
    assert reply.headers["cache-control"] == "no-store"
    links = re.findall(r"""(?:src|href|action)=["']([^"']+)""", reply.text)
    assert links and all(link.startswith(("/", "#", "?")) for link in links), links


def test_overview_shows_every_chart_and_what_the_patient_said(client: Client, home: Path) -> None:
    html = client.get("/").text
    for title in (
        "Pain (0 = none, 10 = worst imaginable)",
        "Sessions done per week vs planned",
        "Range of motion: reach (degrees)",
        "Range of motion: forward flexion (degrees)",
        "Quota: reach (reps per session)",
    ):
        assert title in html
    assert html.count('<svg class="chart"') >= 6
    store = Store.open(home)
    flare_notes = {e.note for e in store.pain_entries() if e.kind.value == "flare" and e.note}
    assert flare_notes and any(note in html for note in flare_notes)
    # the quota table states the pacing engine's reasons
    assert "kept at" in html or "raised to" in html


def test_period_all_and_a_typed_range(client: Client) -> None:
    everything = client.get("/?span=all").text
    assert "5 Jan 2025 – 10 May 2025" in everything
    narrow = client.get("/?from=2025-04-01&to=2025-04-30").text
    assert "1 Apr 2025 – 30 Apr 2025" in narrow
    bad = client.get("/?from=yesterday").text
    assert "is not a date like 2025-11-03" in bad


def test_session_detail_shows_each_exercise_and_its_check_ins(client: Client, home: Path) -> None:
    session = Store.open(home).sessions()[10]
    html = client.get(f"/sessions/{session.id}").text
    for level in session.levels:
        assert level.name.replace("_", " ") in html
    assert f"{session.pain_before}/10" in html and f"{session.pain_after}/10" in html
    assert client.get("/sessions/nope").status == 404


def test_invalid_plan_shows_the_message_by_the_field_and_saves_nothing(
    client: Client, home: Path
) -> None:
    before = Store.open(home).prescription().revision
    form = plan_form(client)
    form |= {"reach.target_deg": "15, 30, 80", "action": "preview"}
    reply = client.post("/plan", form)
    assert reply.status == 422
    assert "reach.target_deg 80 is above the cap of 60" in reply.text
    assert 'id="f-reach-target_deg-err"' in reply.text
    form["action"] = "save"
    form["reason"] = "try it"
    assert client.post("/plan", form).status == 422
    assert Store.open(home).prescription().revision == before


def test_valid_change_is_previewed_then_saved_with_its_reason(client: Client, home: Path) -> None:
    before = Store.open(home).prescription()
    form = plan_form(client) | {"reach.caps.max_deg": "65", "action": "preview"}
    preview = client.post("/plan", form)
    assert preview.status == 200
    assert "What changes" in preview.text and "60°" in preview.text and "65°" in preview.text
    assert "quota unchanged" in preview.text
    digest = re.search(r'name="previewed" value="([0-9a-f]+)"', preview.text)
    assert digest
    save = form | {"action": "save", "previewed": digest.group(1), "reason": "", "by": "Dr P"}
    refused = client.post("/plan", save)
    assert refused.status == 422 and "Say why the plan changes" in refused.text
    assert Store.open(home).prescription().revision == before.revision
    done = client.post("/plan", save | {"reason": "reach is easy at 60°"})
    assert done.status == 303 and done.headers["location"].startswith("/plan/history")
    after = Store.open(home).prescription()
    assert after.revision == before.revision + 1
    assert after.note == "reach is easy at 60°" and after.by == "Dr P"
    assert after.prescription.exercises[Exercise.reach].caps.max_deg == 65
    history = client.get("/plan/history").text
    assert f"Revision {after.revision}" in history and "<ins>65°</ins>" in history


def test_save_refuses_values_that_differ_from_the_preview(client: Client, home: Path) -> None:
    before = Store.open(home).prescription().revision
    form = plan_form(client) | {"reach.caps.max_deg": "65", "action": "preview"}
    digest = re.search(r'name="previewed" value="([0-9a-f]+)"', client.post("/plan", form).text)
    assert digest
    changed = form | {
        "reach.caps.max_deg": "68",
        "action": "save",
        "previewed": digest.group(1),
        "reason": "r",
    }
    reply = client.post("/plan", changed)
    assert reply.status == 422 and "Check the changes below, then save." in reply.text
    assert Store.open(home).prescription().revision == before


def test_save_refuses_when_the_plan_changed_meanwhile(client: Client, home: Path) -> None:
    store = Store.open(home)
    form = plan_form(client)
    current = store.prescription()
    store.set_prescription(current.prescription, by="someone", at=datetime.now(UTC), note="x")
    reply = client.post("/plan", form | {"reach.sets": "2", "action": "preview"})
    assert reply.status == 409 and "The plan changed while you were editing" in reply.text


@pytest.mark.parametrize(
    ("headers", "drop_csrf"),
    [
        ({"Origin": "http://evil.example"}, False),
        ({"Sec-Fetch-Site": "cross-site"}, False),
        ({}, True),
    ],
)
def test_cross_site_or_tokenless_posts_are_refused(
    client: Client, home: Path, headers: dict[str, str], drop_csrf: bool
) -> None:
    before = Store.open(home).prescription().revision
    form = plan_form(client) | {"reach.caps.max_deg": "65", "action": "save", "reason": "r"}
    if drop_csrf:
        form["csrf"] = "forged"
    reply = client.post("/plan", form, headers=headers)
    assert reply.status == 403
    assert Store.open(home).prescription().revision == before


def test_same_origin_post_is_accepted(client: Client, live: Live) -> None:
    form = plan_form(client) | {"action": "preview"}
    reply = client.post("/plan", form, headers={"Origin": live.base})
    assert reply.status == 200


def test_new_data_shows_on_the_next_page_load(client: Client, home: Path) -> None:
    assert "Hurt my back reaching for a shelf" not in client.get("/").text
    Store.open(home).add_pain(
        new_pain_entry(
            8,
            PainKind.flare,
            datetime(2025, 5, 9, 9, tzinfo=UTC),
            note="Hurt my back reaching for a shelf",
        )
    )
    assert "Hurt my back reaching for a shelf" in client.get("/").text
