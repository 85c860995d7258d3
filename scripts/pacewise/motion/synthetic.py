"""Synthetic recordings with ground truth, for every exercise.

A scenario is a timeline of movements (real repetitions, partial movements that must not count,
hesitations, rests) driving the body model (body.py) with this subject's own proportions and
confounders: the head moving on the neck, the pelvis shifting, the hands drifting. The tracking
layer then samples it like a headset would: 72-120 Hz with jitter, missing frames, noise, and
devices losing tracking for a moment. Truth angles are read from the body model's own hip centre,
C7 and shoulders at each frame, relative to the neutral window, as the design defines them.

`Spec.variation` (variation.py) makes the subject an independent body rather than one that
follows the estimator's assumptions: head turning further than the trunk and glancing away, own
head and pelvis gains, hands held loose or raised, a tracking space that is offset, turned and
drifting. `random_spec` draws one for every recording; the game's own player passes none.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from pacewise.motion.body import Anthropometry, ArmPosture, Points, Pose, forward_kinematics
from pacewise.motion.body import truth_angles as body_truth_angles
from pacewise.motion.recording import Device, Header, Recording, Subject
from pacewise.motion.signals import DEFAULT_MIN_DEG, STS_MIN_RISE, Exercise
from pacewise.motion.variation import Hands, Variation, draw, glance_yaw, hand_offset, room

FloatArray = np.ndarray


@dataclass(frozen=True)
class Spec:
    exercise: Exercise
    seed: int
    seated: bool = False
    height_m: float = 1.72
    hz: float = 90.0
    reps: int = 4
    partials: int = 1
    tempo: float = 1.0  # multiplies movement durations
    noise_m: float = 0.001
    jitter: float = 0.15  # frame-time jitter, fraction of a frame period
    missing: float = 0.01  # fraction of frames never delivered
    dropouts: int = 1  # moments of lost tracking (ok false, stale p)
    head_q: bool = True
    give_height: bool = True
    calibration_s: float = 3.0
    min_deg: float | None = None
    # A patient following a plan (the game's synthetic player); None draws at random.
    amplitude_deg: float | None = None  # peak of each real repetition, about +-10%
    cadence_per_min: float | None = None  # steps (march) or breaths (breathing) per minute
    duration_s: float | None = None  # how long marching or breathing goes on
    dropout_max_s: float = 0.4  # longest moment of lost tracking
    variation: Variation | None = None  # an independent body (variation.py); None: plain


@dataclass(frozen=True)
class TruthRep:
    start_t: float
    peak_t: float
    end_t: float
    peak_deg: float | None
    side: str | None


@dataclass(frozen=True)
class Synthetic:
    spec: Spec
    recording: Recording
    reps: list[TruthRep]
    flex: FloatArray  # truth angles at the recording's frame times, against neutral
    lat: FloatArray
    rot: FloatArray
    extra: dict[str, float] = field(default_factory=dict)


def min_jerk(times: list[float], values: list[float], t: FloatArray) -> FloatArray:
    """Piecewise minimum-jerk interpolation through keyframes (holds where values repeat)."""
    tk = np.asarray(times)
    vk = np.asarray(values)
    k = np.clip(np.searchsorted(tk, t, side="right") - 1, 0, len(tk) - 2)
    span = tk[k + 1] - tk[k]
    tau = np.clip((t - tk[k]) / np.where(span > 0, span, 1.0), 0.0, 1.0)
    shape = tau**3 * (10.0 - 15.0 * tau + 6.0 * tau * tau)
    return np.asarray(vk[k] + (vk[k + 1] - vk[k]) * shape, dtype=np.float64)


def _wander(
    rng: np.random.Generator, end: float, sd: float, every: float, t: FloatArray
) -> FloatArray:
    """A slow random drift (keyframes every ~`every` s)."""
    n = max(int(end / every) + 2, 2)
    times = list(np.linspace(0.0, end + every, n))
    values = list(rng.normal(0.0, sd, n))
    values[0] = 0.0
    return min_jerk(times, values, t)


@dataclass
class _Timeline:
    times: list[float]
    values: list[float]
    windows: list[tuple[float, float, int]]  # real repetitions: start, end, sign

    def add(self, t: float, v: float) -> None:
        self.times.append(t)
        self.values.append(v)


def _angle_plan(
    spec: Spec,
    rng: np.random.Generator,
    max_amp: float,
    end_pad: float,
    vrng: np.random.Generator | None = None,
) -> _Timeline:
    ex = spec.exercise
    lo = (spec.min_deg or DEFAULT_MIN_DEG[ex]) + 6.0
    two_sided = ex is not Exercise.FORWARD_FLEXION
    kinds = ["rep"] * spec.reps + ["partial"] * spec.partials
    rng.shuffle(kinds)
    tl = _Timeline([0.0], [0.0], [])
    t = spec.calibration_s + rng.uniform(0.6, 1.5)
    tl.add(t, 0.0)
    base = 0.0
    for i, kind in enumerate(kinds):
        sign = (1 if (i % 2 == 0) ^ bool(rng.integers(2)) else -1) if two_sided else 1
        if kind == "rep" and spec.amplitude_deg is not None:
            amp = sign * max(lo, spec.amplitude_deg * rng.uniform(0.9, 1.1))
        elif kind == "rep":
            amp = sign * rng.uniform(lo, max(max_amp, lo + 5.0))
        else:
            amp = sign * rng.uniform(0.15, 0.4) * (spec.min_deg or DEFAULT_MIN_DEG[ex])
        rise = rng.uniform(0.8, 2.4) * spec.tempo
        fall = rng.uniform(0.8, 2.4) * spec.tempo
        start = t
        if kind == "rep" and rng.random() < 0.3:  # hesitate on the way out
            tl.add(t + 0.5 * rise, base + 0.55 * (amp - base))
            t += 0.5 * rise + rng.uniform(0.2, 0.6)
            tl.add(t, base + 0.55 * (amp - base))
            t += 0.5 * rise
        elif kind == "rep" and vrng is not None and vrng.random() < 0.3:
            # unsure: halfway out, back most of the way for a moment, then on to the end
            tl.add(t + 0.5 * rise, base + 0.5 * (amp - base))
            t += 0.5 * rise + vrng.uniform(0.25, 0.5)
            tl.add(t, base + vrng.uniform(0.2, 0.4) * (amp - base))
            t += vrng.uniform(0.25, 0.5) + 0.5 * rise
        else:
            t += rise
        tl.add(t, amp)
        hold = rng.uniform(0.0, 1.2)
        if kind == "rep" and rng.random() < 0.2:  # a small dip at the top
            tl.add(t + 0.3, 0.8 * amp)
            tl.add(t + 0.6, amp)
            hold += 0.6
        t += hold
        tl.add(t, amp)
        base = rng.uniform(-1.0, 1.0)
        t += fall
        tl.add(t, base)
        if kind == "rep":
            tl.windows.append((start, t, sign))
        t += rng.uniform(0.6, 2.0)
        tl.add(t, base)
    tl.add(t + end_pad, base)
    return tl


def _frame_times(spec: Spec, end: float, rng: np.random.Generator) -> FloatArray:
    n = int(end * spec.hz)
    t = np.arange(n) / spec.hz + rng.normal(0.0, spec.jitter / spec.hz, n)
    t[0] = 0.0
    t = np.maximum.accumulate(t)
    keep = rng.random(n) >= spec.missing
    keep[0] = True
    t = t[keep]
    dt = np.diff(t)
    t = t[np.concatenate(([True], dt > 1e-4))]
    return np.asarray(t, dtype=np.float64)


def _plan(
    spec: Spec, rng: np.random.Generator, vrng: np.random.Generator | None
) -> tuple[_Timeline, dict[str, float]]:
    """The movement timeline; drawn before (and independent of) the frame times."""
    ex = spec.exercise
    if ex is Exercise.FORWARD_FLEXION:
        return _angle_plan(spec, rng, 50.0 if spec.seated else 75.0, 2.0, vrng), {}
    if ex is Exercise.LATERAL_FLEXION:
        return _angle_plan(spec, rng, 30.0 if spec.seated else 35.0, 2.0, vrng), {}
    if ex is Exercise.TRUNK_ROTATION:
        return _angle_plan(spec, rng, 55.0 if spec.seated else 60.0, 2.0, vrng), {}
    if ex is Exercise.SIT_TO_STAND:
        return _sts_plan(spec, rng), {}
    if ex is Exercise.MARCH:
        tl, steps = _march_plan(spec, rng)
        return tl, {"steps": float(steps)}
    if spec.duration_s is not None:
        end = spec.calibration_s + spec.duration_s + 5.0
    else:
        end = spec.calibration_s + float(rng.uniform(65.0, 130.0))
    tl, breaths, rate = _breath_plan(spec, rng, end)
    return tl, {"breaths": float(breaths), "rate_bpm": rate}


def _pose(
    spec: Spec,
    rng: np.random.Generator,
    t: FloatArray,
    tl: _Timeline,
    vrng: np.random.Generator | None = None,
) -> Pose:
    ex = spec.exercise
    v = spec.variation
    end = tl.times[-1]
    n = t.size
    zeros = np.zeros(n)
    h = spec.height_m
    # postural sway of the pelvis: quiet standing moves it a few mm; breathing practice is stiller
    sd = 0.004 if ex is not Exercise.BREATHING else (0.0005 if spec.seated else 0.002)
    sway = np.stack([_wander(rng, end, sd, 2.0, t), zeros, _wander(rng, end, sd, 2.0, t)], -1)
    # hands drift around the instructed posture: less when held against the chest
    held = ex in (Exercise.TRUNK_ROTATION, Exercise.SIT_TO_STAND, Exercise.BREATHING)
    wobble = np.stack([_wander(rng, end, 0.003 if held else 0.006, 1.0, t) for _ in range(6)], -1)
    pitch = _wander(rng, end, 6.0, 2.0, t)
    roll = _wander(rng, end, 3.0, 2.0, t)
    yaw = _wander(rng, end, 6.0, 2.0, t)
    flex, lat, rot = zeros.copy(), zeros.copy(), zeros.copy()
    hip = sway.copy()
    swing = zeros.copy()
    arm = ArmPosture.HANGING
    arm_yaw: FloatArray | None = None
    offset: FloatArray | None = None
    if ex in DEFAULT_MIN_DEG:
        if ex is Exercise.FORWARD_FLEXION:
            flex = min_jerk(tl.times, tl.values, t)
            gain = rng.uniform(-0.5, 0.6)
            back = rng.uniform(0.0, 0.02) if spec.seated else rng.uniform(0.04, 0.10)
            if v is not None:
                gain = v.head_pitch_gain
                back = 0.25 * v.hip_back if spec.seated else v.hip_back
            pitch = pitch + gain * flex
            hip[:, 2] += back * h * np.sin(np.radians(np.maximum(flex, 0.0)))
            arm = ArmPosture.HANGING
        elif ex is Exercise.LATERAL_FLEXION:
            lat = min_jerk(tl.times, tl.values, t)
            roll = roll + (rng.uniform(0.0, 0.7) if v is None else v.head_roll_gain) * lat
            if not spec.seated:
                side = rng.uniform(0.01, 0.07) if v is None else v.hip_side
                hip[:, 0] -= side * h * np.sin(np.radians(lat))
            arm = ArmPosture.SIDES
        else:
            rot = min_jerk(tl.times, tl.values, t)
            yaw = yaw + (rng.uniform(0.0, 0.5) if v is None else v.head_yaw_gain) * rot
            flex = flex + _wander(rng, end, 2.0, 3.0, t)
            arm = ArmPosture.CHEST
            if v is not None and vrng is not None:
                r = np.radians(rot)
                hip[:, 0] += v.hip_sway * h * np.sin(r)
                hip[:, 2] -= v.hip_turn * h * (1.0 - np.cos(r))
                if v.hands is Hands.RAISED:
                    arm = ArmPosture.RAISED
                if v.arm_gain:
                    arm_yaw = v.arm_gain * rot
                offset = hand_offset(vrng, v, h, n)
                wobble = wobble * (v.wobble_m / 0.003)
                if v.hands is Hands.WOBBLY:
                    wobble = wobble + np.stack(
                        [_wander(vrng, end, v.wobble_m, 0.35, t) for _ in range(6)], -1
                    )
    elif ex is Exercise.SIT_TO_STAND:
        p = min_jerk(tl.times, tl.values, t)
        arm = ArmPosture.CROSSED
        body = Anthropometry(height_m=h)
        if spec.seated:
            flex = rng.uniform(25.0, 45.0) * np.sin(np.pi * np.clip(p, 0.0, 1.0))
            hip[:, 1] += (body.hip - body.seat_hip) * h * p
            hip[:, 2] -= 0.12 * h * p
        else:
            flex = rng.uniform(15.0, 35.0) * p
            hip[:, 1] -= rng.uniform(0.08, 0.14) * h * p
            hip[:, 2] += 0.06 * h * p
        pitch = pitch + rng.uniform(-0.3, 0.3) * flex
    elif ex is Exercise.MARCH:
        phase = np.interp(t, tl.times, tl.values)  # half-cycles elapsed, steady cadence
        amp = rng.uniform(0.006, 0.015) if spec.seated else rng.uniform(0.015, 0.035)
        hip[:, 0] += amp * np.sin(np.pi * phase)
        hip[:, 1] -= 0.004 * np.abs(np.sin(np.pi * phase))
        lat = lat + np.degrees(amp / (0.31 * h)) * 0.5 * np.sin(np.pi * phase)
        swing = -rng.uniform(12.0, 30.0) * np.sin(np.pi * phase)
        arm = ArmPosture.SWING
    else:
        swing = min_jerk(tl.times, tl.values, t)
        flex = flex + _wander(rng, end, 1.0, 5.0, t)
        arm = ArmPosture.BREATH
    if v is not None and vrng is not None:
        yaw = yaw + glance_yaw(vrng, v, t, spec.calibration_s)
    return Pose(
        flex=flex,
        lat=lat,
        rot=rot,
        hip_offset=hip,
        neck_pitch=pitch,
        neck_roll=roll,
        neck_yaw=yaw,
        arm=arm,
        seated=spec.seated,
        hand_wobble=wobble,
        swing_deg=swing,
        arm_yaw_deg=arm_yaw,
        hand_offset=offset,
    )


def _sts_plan(spec: Spec, rng: np.random.Generator) -> _Timeline:
    kinds = ["rep"] * spec.reps + ["partial"] * spec.partials
    rng.shuffle(kinds)
    tl = _Timeline([0.0], [0.0], [])
    t = spec.calibration_s + rng.uniform(0.6, 1.5)
    tl.add(t, 0.0)
    for kind in kinds:
        top = 1.0 if kind == "rep" else rng.uniform(0.05, 0.15)
        start = t
        t += rng.uniform(1.0, 2.0) * spec.tempo
        tl.add(t, top)
        t += rng.uniform(0.4, 1.5)
        tl.add(t, top)
        t += rng.uniform(1.2, 2.4) * spec.tempo
        tl.add(t, 0.0)
        if kind == "rep":
            tl.windows.append((start, t, 1))
        t += rng.uniform(0.8, 2.0)
        tl.add(t, 0.0)
    tl.add(t + 2.0, 0.0)
    return tl


def _march_plan(spec: Spec, rng: np.random.Generator) -> tuple[_Timeline, int]:
    steps = max(spec.reps, 4) * 3
    period = 60.0 / (spec.cadence_per_min or rng.uniform(60.0, 110.0))
    if spec.duration_s is not None:
        steps = max(4, round(spec.duration_s / period))
    t0 = spec.calibration_s + rng.uniform(0.8, 1.5)
    t1 = t0 + steps * period
    tl = _Timeline([0.0, t0, t1, t1 + 3.0], [0.0, 0.0, float(steps), float(steps)], [])
    for k in range(steps):
        tl.windows.append((t0 + k * period, t0 + (k + 1) * period, 1 if k % 2 == 0 else -1))
    return tl, steps


def _breath_plan(spec: Spec, rng: np.random.Generator, end: float) -> tuple[_Timeline, int, float]:
    rate = spec.cadence_per_min or rng.uniform(4.5, 10.0)
    amp = rng.uniform(0.003, 0.008)
    half = 30.0 / rate
    tl = _Timeline([0.0], [0.0], [])
    t = rng.uniform(0.0, half)
    sign = 1
    inhales = 0
    steady = spec.calibration_s + 16.0
    while t < end - half:
        t += half * rng.uniform(0.9, 1.1)
        tl.add(t, sign * amp * rng.uniform(0.85, 1.15))
        if sign > 0:
            if steady <= t < end - half:
                inhales += 1
            tl.windows.append((t - half, t + half, 1))
        sign = -sign
    tl.add(end + 5.0, 0.0)
    return tl, inhales, rate


def _track(
    spec: Spec, rng: np.random.Generator, t: FloatArray, pts: Points
) -> tuple[Device, Device, Device]:
    n = t.size
    devices = []
    owners = rng.integers(0, 3, spec.dropouts)
    for k, p in enumerate((pts.eyes, pts.left, pts.right)):
        noisy = p + rng.normal(0.0, spec.noise_m, p.shape)
        ok = np.ones(n, dtype=np.bool_)
        for _ in range(int(np.count_nonzero(owners == k))):
            a = float(
                rng.uniform(spec.calibration_s + 0.5, max(t[-1] - 1.0, spec.calibration_s + 1.0))
            )
            b = a + float(rng.uniform(0.08, spec.dropout_max_s))
            ok &= ~((t >= a) & (t < b))
        last = np.maximum.accumulate(np.where(ok, np.arange(n), 0))
        stale = noisy[last]
        if k == 0 and spec.head_q:
            q = pts.head_q.copy()
            q += rng.normal(0.0, 0.0015, q.shape)
            q /= np.linalg.norm(q, axis=1, keepdims=True)
            q = q[last]
        else:
            q = np.full((n, 4), math.nan)
        devices.append(Device(p=stale, q=q, ok=ok))
    return devices[0], devices[1], devices[2]


def generate(spec: Spec) -> Synthetic:
    rng = np.random.default_rng(spec.seed)
    v = spec.variation
    # the variation's own draws: the plain patient's stream stays as it was
    vrng = np.random.default_rng([spec.seed, 1]) if v is not None else None
    spread = v.proportion_spread if v is not None else 0.04
    body = Anthropometry(height_m=spec.height_m).scaled(rng, spread)
    ex = spec.exercise
    tl, extra = _plan(spec, rng, vrng)
    t = _frame_times(spec, tl.times[-1], rng)
    pose = _pose(spec, rng, t, tl, vrng)
    pts = forward_kinematics(body, pose)
    seen = pts
    if v is not None:  # what the tracking space reports; truth stays in the body's own frame
        eyes, q = room(v, t, pts.eyes, pts.head_q)
        assert q is not None
        seen = replace(
            pts, eyes=eyes, head_q=q, left=room(v, t, pts.left)[0], right=room(v, t, pts.right)[0]
        )
    head, left, right = _track(spec, rng, t, seen)
    header = Header(
        format="pacewise.tracking",
        version=1,
        hz=spec.hz,
        calibration_s=spec.calibration_s,
        posture="seated" if spec.seated else "standing",
        subject=Subject(height_m=spec.height_m) if spec.give_height else None,
        exercise=ex.value,
    )
    rec = Recording(header=header, t=t, head=head, left=left, right=right)
    flex, lat, rot = body_truth_angles(pts)
    neutral = t <= spec.calibration_s
    flex = flex - flex[neutral].mean()
    lat = lat - lat[neutral].mean()
    rot = rot - rot[neutral].mean()
    reps = _truth_reps(ex, tl, t, flex, lat, rot)
    return Synthetic(spec, rec, reps, flex, lat, rot, extra)


def _truth_reps(
    ex: Exercise, tl: _Timeline, t: FloatArray, flex: FloatArray, lat: FloatArray, rot: FloatArray
) -> list[TruthRep]:
    out: list[TruthRep] = []
    signal = {Exercise.LATERAL_FLEXION: lat, Exercise.TRUNK_ROTATION: rot}.get(ex, flex)
    for a, b, sign in tl.windows:
        inside = (t >= a) & (t <= b)
        if not np.any(inside):
            continue
        idx = np.flatnonzero(inside)
        k = int(idx[np.argmax(sign * signal[idx])])
        side: str | None = None
        if ex is Exercise.LATERAL_FLEXION:
            side = "right" if sign > 0 else "left"
        elif ex in (Exercise.TRUNK_ROTATION, Exercise.MARCH):
            side = "left" if sign > 0 else "right"
        peak: float | None = float(sign * signal[k])
        peak_t = float(t[k])
        if ex in (Exercise.MARCH, Exercise.BREATHING):
            peak, peak_t = None, 0.5 * (a + b)
        out.append(TruthRep(float(a), peak_t, float(b), peak, side))
    return out


def random_spec(
    rng: np.random.Generator, exercise: Exercise | None = None, *, vary: bool = True
) -> Spec:
    """A varied scenario: posture, height, tempo, frame rate, noise, dropouts, partials, and
    (unless `vary` is False) an independent body with its own head, pelvis, hands and room."""
    ex = exercise or Exercise(rng.choice([e.value for e in Exercise]))
    seated = bool(rng.random() < 0.5) if ex is not Exercise.MARCH else bool(rng.random() < 0.3)
    if not vary:
        return Spec(
            exercise=ex,
            seed=int(rng.integers(0, 2**31)),
            seated=seated,
            height_m=float(rng.uniform(1.50, 1.95)),
            hz=float(rng.choice([72.0, 90.0, 120.0])),
            reps=int(rng.integers(2, 7)),
            partials=int(rng.integers(0, 3)),
            tempo=float(rng.uniform(0.7, 1.5)),
            noise_m=float(rng.uniform(0.0003, 0.0015)),
            jitter=float(rng.uniform(0.0, 0.25)),
            missing=float(rng.uniform(0.0, 0.03)),
            dropouts=int(rng.integers(0, 3)),
            calibration_s=float(rng.choice([2.0, 3.0, 4.0])),
        )
    return Spec(
        exercise=ex,
        seed=int(rng.integers(0, 2**31)),
        seated=seated,
        height_m=float(rng.uniform(1.45, 2.00)),
        hz=float(rng.uniform(72.0, 120.0)),
        reps=int(rng.integers(2, 7)),
        partials=int(rng.integers(0, 3)),
        tempo=float(rng.uniform(0.7, 2.0)),
        noise_m=float(rng.uniform(0.0003, 0.002)),
        jitter=float(rng.uniform(0.0, 0.3)),
        missing=float(rng.uniform(0.0, 0.04)),
        dropouts=int(rng.integers(0, 6)),
        # a lost second hides one or two steps or half a breath: those keep dropouts short
        dropout_max_s=float(
            rng.uniform(0.2, 0.5)
            if ex in (Exercise.MARCH, Exercise.BREATHING)
            else rng.uniform(0.4, 1.2)
        ),
        calibration_s=float(rng.choice([2.0, 3.0, 4.0])),
        variation=draw(rng, ex),
    )


__all__ = ["STS_MIN_RISE", "Spec", "Synthetic", "TruthRep", "generate", "min_jerk", "random_spec"]
