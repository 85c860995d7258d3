"""`pacewise serve`: the Python side a Godot starts for itself (the editor's Play button)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from pacewise.runtime.bridge import new_token
from pacewise.runtime.launcher import Mode, ensure_imported, godot_command
from pacewise.runtime.protocol import TOKEN_ENV
from pacewise.store.store import Store


def test_serve_writes_its_port_plays_a_session_and_saves_it(godot: str, tmp_path: Path) -> None:
    ensure_imported(godot)
    token = new_token()
    port_file = tmp_path / "port"
    env = os.environ | {TOKEN_ENV: token, "PACEWISE_HOME": str(tmp_path / "home")}
    serve = subprocess.Popen(
        [sys.executable, "-m", "pacewise.cli.main", "serve", "--port-file", str(port_file),
         "--autopilot", "--seed", "4", "--levels", "reach,march"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        for _ in range(1200):  # a minute at most: start-up is slow on a busy machine
            if port_file.exists() or serve.poll() is not None:
                break
            time.sleep(0.05)
        port = int(port_file.read_text())
        assert oct(port_file.stat().st_mode & 0o777) == oct(0o600)
        game = subprocess.run(
            godot_command(godot, Mode.HEADLESS, port),
            env=env, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert game.returncode == 0, game.stdout[-2000:]
        out, _ = serve.communicate(timeout=60)
    finally:
        if serve.poll() is None:
            serve.kill()
    assert serve.returncode == 0, out
    assert not port_file.exists()
    # The synthetic patient's preview is kept apart from the patient's record.
    assert Store.open(tmp_path / "home").sessions() == []
    saved = Path(out.rsplit(" saved in ", 1)[1].split()[0])
    [record] = Store.open(saved.parents[2]).sessions()
    assert record.frames > 0 and record.stopped is None and record.synthetic
    assert [level.name for level in record.levels] == ["reach", "march"]
    assert f"session {record.id} saved" in out


def test_serve_refuses_to_start_without_a_token(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != TOKEN_ENV}
    out = subprocess.run(
        [sys.executable, "-m", "pacewise.cli.main", "serve", "--port-file", str(tmp_path / "p")],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert out.returncode == 2
    assert TOKEN_ENV in out.stderr
    assert not (tmp_path / "p").exists()


def test_godot_started_bare_starts_its_python_side_and_plays(godot: str, tmp_path: Path) -> None:
    """What the editor's Play button does: no port given, so Godot starts `pacewise serve`."""
    from pacewise.runtime.launcher import PHYSICS_HZ, PROJECT_ROOT, engine_problems

    ensure_imported(godot)
    env = {k: v for k, v in os.environ.items() if k != TOKEN_ENV}
    env |= {"PACEWISE_HOME": str(tmp_path / "home"), "XDG_DATA_HOME": str(tmp_path / "data")}
    serve_args = ["--autopilot", "--levels", "reach", "--seed", "6"]
    game = subprocess.run(
        [godot, "--path", str(PROJECT_ROOT), "--headless", "--fixed-fps", str(PHYSICS_HZ),
         "--xr-mode", "off", "--", "--pw-lockstep", "--pw-rig=scripted",
         *[f"--pw-serve-arg={a}" for a in serve_args]],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    log = game.stdout + game.stderr
    assert game.returncode == 0, log[-3000:]
    assert "PwBridge: started the Python side" in log
    assert engine_problems(log) == []
    assert Store.open(tmp_path / "home").sessions() == []  # the preview is not the patient's
    saved = Path(log.rsplit(" saved in ", 1)[1].split()[0])
    [record] = Store.open(saved.parents[2]).sessions()
    assert [level.name for level in record.levels] == ["reach"]
    assert record.levels[0].reps == record.levels[0].quota > 0
    assert record.seed == 6 and record.synthetic
