"""Realistic made-up patient data, written through the store's public API.

Tests, screenshots and the benchmark need months (or ten years) of sessions and pain entries
that look like a real course of treatment: pain easing with setbacks, quotas creeping up,
angles widening, the odd flare-up and safety pause. Deterministic for a seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from pacewise.domain.pain import ExposureCheck, PainEntry, PainKind
from pacewise.domain.prescription import Exercise, default_prescription
from pacewise.domain.session import LevelResult, SessionRecord
from pacewise.store import Store

FLARE_NOTES = (
    "Lifted a heavy box at work",
    "Bad night, stiff all morning",
    "Long drive to see my sister",
    "Gardening for too long",
    "Slipped on the stairs, no fall",
)
DIARY_NOTES = ("Walked the dog", "Tired today", "Good day", "Sat at the desk all day")
STOPS = (
    "paused: pain went from 3 to 6, a rise of 3 (the limit is 2); rest, then choose to go on "
    "gently or stop for today",
    "paused: dizziness reported; sit down, take the headset off if you need to",
    "stop pressed (wrist button)",
    "paused: tracking lost for 5 s (more than 3 s), so movements cannot be measured safely",
)
#: Angles (degrees) at the start and the end of a long course, per angled exercise.
ANGLES = {
    Exercise.reach: (24.0, 50.0),
    Exercise.lateral_flexion: (12.0, 28.0),
    Exercise.forward_flexion: (18.0, 48.0),
}


@dataclass(frozen=True)
class Filled:
    sessions: int
    pain_entries: int
    plan_revisions: int


def _session_times(rng: random.Random, start: datetime, days: int, count: int) -> list[datetime]:
    step = timedelta(days=days) / max(count, 1)
    times = []
    for i in range(count):
        day = start + step * i
        times.append(day.replace(hour=rng.choice((9, 10, 17, 18)), minute=rng.randrange(60)))
    return sorted(times)


def _levels(rng: random.Random, progress: float, stopped: str | None) -> list[LevelResult]:
    """One session's results: quota grows with progress, angles widen, a stop cuts it short."""
    out = []
    for exercise in (Exercise.reach, Exercise.lateral_flexion, Exercise.forward_flexion):
        quota = round(8 + 10 * progress)
        reps = quota if rng.random() > 0.15 else max(1, quota - rng.randint(1, 4))
        low, high = ANGLES[exercise]
        best = low + (high - low) * progress + rng.gauss(0, 2.5)
        cut = stopped if exercise is Exercise.forward_flexion else None
        out.append(
            LevelResult(
                name=exercise.value,
                reps=reps if cut is None else max(1, reps // 2),
                quota=quota,
                best_deg=round(max(5.0, best), 1),
                stopped=cut,
            )
        )
        if cut is not None:
            return out
    out.append(LevelResult(name="sit_to_stand", reps=round(6 + 6 * progress), quota=None))
    seconds = round(72 + 60 * progress)
    out.append(
        LevelResult(name="march", reps=0, seconds=float(seconds), steps=round(seconds * 1.5))
    )
    out.append(LevelResult(name="breathing", reps=0, seconds=120.0, breaths=12))
    return out


def _pain(score: float) -> int:
    return max(0, min(10, round(score)))


def fill(
    store: Store,
    *,
    start: datetime,
    days: int = 120,
    sessions: int = 80,
    diary: int = 110,
    seed: int = 7,
) -> Filled:
    """Write `sessions` sessions (each with pain before and after) and `diary` diary entries.

    About one diary entry in thirty is a flare-up; about one session in twenty-five stops early.
    Plan revisions land a third and two thirds of the way through, as a physiotherapist's
    review would.
    """
    rng = random.Random(seed)
    pain_count = 0

    def level_of_pain(at: datetime) -> float:
        progress = (at - start) / timedelta(days=max(days, 1))
        return 6.2 - 2.8 * min(1.0, progress) + rng.gauss(0, 0.8)

    flares: list[datetime] = []
    diary_step = timedelta(days=days) / max(diary, 1)
    for i in range(diary):
        at = (start + diary_step * i).replace(hour=20, minute=rng.randrange(60))
        flare = rng.random() < 1 / 30
        score = level_of_pain(at) + (2.5 if flare else 0)
        note = rng.choice(FLARE_NOTES) if flare else None
        if not flare and rng.random() < 0.1:
            note = rng.choice(DIARY_NOTES)
        store.add_pain(
            PainEntry(
                id=f"{at:%Y%m%dT%H%M%S}-d{i:06d}",
                score=_pain(score),
                kind=PainKind.flare if flare else PainKind.diary,
                at=at,
                note=note,
                recorded_at=at,
            )
        )
        pain_count += 1
        if flare:
            flares.append(at)

    prescription = default_prescription()
    revisions = 0
    reviews = [start + timedelta(days=days // 3), start + timedelta(days=2 * days // 3)]
    times = _session_times(rng, start, days, sessions)
    for i, at in enumerate(times):
        while reviews and reviews[0] <= at:
            review = reviews.pop(0)
            reach = prescription.exercises[Exercise.reach]
            wider = [*reach.target_deg[:-1], reach.target_deg[-1] + 5.0]
            prescription = prescription.model_copy(
                update={
                    "exercises": {
                        **prescription.exercises,
                        Exercise.reach: reach.model_copy(update={"target_deg": wider}),
                    }
                }
            )
            store.set_prescription(
                prescription,
                by="A. Physio",
                at=review,
                note="review: reach is comfortable at the top target, widen it by 5°",
            )
            revisions += 1
        progress = (at - start) / timedelta(days=max(days, 1))
        recent_flare = any(timedelta(0) <= at - f <= timedelta(days=3) for f in flares)
        before = _pain(level_of_pain(at) + (1.5 if recent_flare else 0))
        rise = 3 if rng.random() < 0.05 else rng.choice((-1, -1, 0, 0, 0, 1))
        after = _pain(before + rise)
        stopped = rng.choice(STOPS) if rng.random() < 0.04 else None
        session_id = f"{at:%Y%m%dT%H%M%S}-s{i:05d}"
        store.save_session(
            SessionRecord(
                id=session_id,
                started_at=at,
                duration_s=round(rng.uniform(600, 1100), 1) if stopped is None else 380.0,
                godot_version="4.6.stable",
                frames=rng.randint(50_000, 95_000),
                levels=_levels(rng, min(1.0, progress), stopped),
                pain_before=before,
                pain_after=after,
                stopped=stopped,
                seed=i,
            )
        )
        exposure = None
        if rng.random() < 0.2:
            exposure = ExposureCheck(
                movement="forward_flexion",
                expected_pain=min(10, before + 3),
                expected_harm=rng.randint(3, 7),
                felt_pain=after,
                felt_harm=rng.randint(0, 2),
            )
        for kind, score, when, check in (
            (PainKind.before, before, at, None),
            (PainKind.after, after, at + timedelta(minutes=15), exposure),
        ):
            store.add_pain(
                PainEntry(
                    id=f"{when:%Y%m%dT%H%M%S}-{kind.value[0]}{i:05d}",
                    score=score,
                    kind=kind,
                    at=when,
                    session_id=session_id,
                    exposure=check,
                    recorded_at=when,
                )
            )
            pain_count += 1
    return Filled(sessions=len(times), pain_entries=pain_count, plan_revisions=revisions)
