extends Node
## The game's link to its Python side (autoload `PwBridge`).
##
## Streams a tracking frame every physics tick, forwards node signals Python asked for, and
## applies the command batches Python answers with. It polls without blocking a frame, except
## in lock-step mode (headless tests and demos), where each frame waits for Python's reply so a
## session is deterministic and runs faster than real time.
##
## Configured by user arguments after `--`: `--pw-port=N`, `--pw-rig=scripted|xr|desktop`,
## `--pw-lockstep`; the token comes in the PACEWISE_BRIDGE_TOKEN environment variable, since
## command lines are readable by every user of the machine.
##
## Without `--pw-port` in an editor build (the editor's Play button), it starts the Python side
## itself: the command in the project setting `pacewise/python/command` with
## `pacewise/python/arguments`, a fresh token in its environment, and a port file it then reads.
## `--pw-serve-arg=X` (repeatable) adds X to that command, e.g. `--autopilot`.
##
## STOP is Godot's own: `press_stop` (the panel's STOP, the wrist stop, B/Y, Esc, the desktop
## keys) withdraws any open question, shows the calm stop pause and plays a soft cue at once,
## then tells Python. Without a link it keeps the pause and tells Python after the next hello.
## Until Python has seen the stop, panel ops it sent before knowing of it are not shown.

signal connection_changed(is_open: bool)

enum State { IDLE, STARTING_PYTHON, CONNECTING, OPEN, LOST }

const LOCKSTEP_TIMEOUT_MS: int = 15000
const RECONNECT_EVERY_MS: int = 1000
const GIVE_UP_AFTER_MS: int = 30000
const LOST_WAIT_USEC: int = 20000
const PYTHON_COMMAND_SETTING: String = "pacewise/python/command"
const PYTHON_ARGUMENTS_SETTING: String = "pacewise/python/arguments"
const PLAY_RIG_SETTING: String = "pacewise/play/rig"
const PORT_FILE_WAIT_MS: int = 30000
const PAUSE_TEXT: String = "Taking a short pause.\nStay still and relaxed; we continue in a moment."
const STOP_CUE: String = "soft_alert"
## Ops that change what the panel shows; held back while Python has not yet seen a stop.
const PANEL_OPS: PackedStringArray = [
	PwProtocol.OP_TEXT, PwProtocol.OP_ASK_PAIN, PwProtocol.OP_ASK_CHOICE
]
## Python's own stop cue this soon after Godot played it is not played twice.
const STOP_CUE_ECHO_MS: int = 2000
## Frames are not queued once this much is waiting unsent (Python not reading); stops still are.
const FRAME_BACKLOG_BYTES: int = 131072

var rig_kind: String = "scripted"
var lockstep: bool = false
var state: State = State.IDLE

var _peer: WebSocketPeer = WebSocketPeer.new()
var _url: String = ""
var _token: String = ""
var _frame: int = 0
var _awaiting: int = -1
var _greeted: bool = false
var _ever_open: bool = false
var _lost_since_ms: int = -1
var _retry_at_ms: int = 0
var _quit_code: int = -1
var _applier: PwCommandApplier = PwCommandApplier.new(self)
var _relayed: Dictionary = {}
var _port_file: String = ""
var _python_pid: int = -1
var _python_started_ms: int = 0
var _stop_pending: String = ""
var _stop_frame: int = -1
var _stop_source: String = ""
var _stop_cue_ms: int = -100000


func _ready() -> void:
	process_physics_priority = -1000
	var port: int = 0
	var rig_given: bool = false
	var serve_args: PackedStringArray = []
	for arg: String in OS.get_cmdline_user_args():
		if arg.begins_with("--pw-port="):
			port = int(arg.get_slice("=", 1))
		elif arg.begins_with("--pw-rig="):
			rig_kind = arg.get_slice("=", 1)
			rig_given = true
		elif arg == "--pw-lockstep":
			lockstep = true
		elif arg.begins_with("--pw-serve-arg="):
			serve_args.append(arg.trim_prefix("--pw-serve-arg="))
	if port > 0:
		_token = OS.get_environment(PwProtocol.TOKEN_ENV)
		_open(port)
	elif OS.has_feature("editor"):
		if not rig_given:
			rig_kind = str(ProjectSettings.get_setting(PLAY_RIG_SETTING, "desktop"))
		_start_python(serve_args)
	else:
		print("PwBridge: no --pw-port given; the game runs without its Python side.")


func _physics_process(_delta: float) -> void:
	if state == State.IDLE:
		return
	if state == State.STARTING_PYTHON:
		_wait_for_port_file()
		return
	_peer.poll()
	_update_state()
	_drain()
	if lockstep and _awaiting >= 0 and state == State.OPEN:
		_wait_for_ack()
	if _quit_code >= 0:
		_finish()
		return
	if state == State.OPEN and _greeted:
		_send_pending_stop()
		_send_frame()


## Send a message to Python now (events go out in the order they happen).
func send(message: Dictionary) -> void:
	# The link may have closed since the last poll (the Python side died): then nothing to send.
	if state != State.OPEN or _peer.get_ready_state() != WebSocketPeer.STATE_OPEN:
		return
	var text: String = JSON.stringify(message)
	if text.length() > PwProtocol.MAX_MESSAGE_BYTES:
		push_warning("PwBridge: dropped a message over the size limit")
		return
	_peer.send_text(text)


## Forward `signal_name` of `node` to Python as `signal` messages.
func relay(node: Node, signal_name: StringName) -> String:
	if not node.has_signal(signal_name):
		return "%s has no signal %s" % [node.get_path(), signal_name]
	var key: String = "%s:%s" % [node.get_path(), signal_name]
	if _relayed.has(key):
		return ""
	var arg_count: int = 0
	for info: Dictionary in node.get_signal_list():
		if info["name"] == signal_name:
			arg_count = (info["args"] as Array).size()
	var path: String = str(node.get_path())
	var forwarder: Callable
	match arg_count:
		0:
			forwarder = _forward0.bind(path, signal_name)
		1:
			forwarder = _forward1.bind(path, signal_name)
		2:
			forwarder = _forward2.bind(path, signal_name)
		3:
			forwarder = _forward3.bind(path, signal_name)
		_:
			return "signals with more than 3 arguments cannot be relayed"
	node.connect(signal_name, forwarder)
	_relayed[key] = true
	node.tree_exiting.connect(func() -> void: _relayed.erase(key), CONNECT_ONE_SHOT)
	return ""


## Tell Python a PyBehaviour node wants its behaviour.
func behaviour_ready(node: Node, script_path: String, params: Dictionary) -> void:
	send({
		"type": PwProtocol.MSG_BEHAVIOUR_READY,
		"node": str(node.get_path()),
		"script": script_path,
		"params": params,
	})


func behaviour_exit(node: Node) -> void:
	send({"type": PwProtocol.MSG_BEHAVIOUR_EXIT, "node": str(node.get_path())})


## The stop: honoured from anywhere, at any moment, without waiting for Python. Shows the
## pause, plays the cue and sends `stop` now, or as soon as a link to Python is back.
func press_stop(source: String) -> void:
	_show_stop_pause()
	print("PwBridge: stop pressed (%s); the pause is shown." % source)
	if _stop_pending == "" and _stop_frame < 0:
		_stop_pending = source
	_send_pending_stop()


## Whether a stop is shown that Python has not yet answered (sent or waiting for a link).
func stop_unanswered() -> bool:
	return _stop_pending != "" or _stop_frame >= 0


func request_quit(code: int) -> void:
	_quit_code = code


func _unhandled_input(event: InputEvent) -> void:
	if event.is_action_pressed("pw_stop"):
		press_stop("key")


func _open(port: int) -> void:
	_url = "ws://127.0.0.1:%d" % port
	_lost_since_ms = Time.get_ticks_msec()
	_connect()


# The editor's Play button: start `pacewise serve` with a fresh token and wait for its port.
func _start_python(extra_args: PackedStringArray) -> void:
	var command: String = str(ProjectSettings.get_setting(PYTHON_COMMAND_SETTING, ""))
	if command.begins_with("res://"):
		command = ProjectSettings.globalize_path(command)
	if command == "" or (command.is_absolute_path() and not FileAccess.file_exists(command)):
		printerr("PwBridge: cannot start the Python side: %s is missing (run make setup)." % command)
		return
	var args: PackedStringArray = ProjectSettings.get_setting(
		PYTHON_ARGUMENTS_SETTING, PackedStringArray(["-m", "pacewise.cli.main", "serve"])
	)
	_port_file = OS.get_user_data_dir().path_join("bridge-port-%d" % OS.get_process_id())
	if FileAccess.file_exists(_port_file):
		DirAccess.remove_absolute(_port_file)
	args.append_array(["--port-file", _port_file])
	args.append_array(extra_args)
	_token = Crypto.new().generate_random_bytes(32).hex_encode()
	OS.set_environment(PwProtocol.TOKEN_ENV, _token)
	_python_pid = OS.create_process(command, args)
	OS.unset_environment(PwProtocol.TOKEN_ENV)
	if _python_pid <= 0:
		printerr("PwBridge: could not start %s" % command)
		return
	print("PwBridge: started the Python side (pid %d)." % _python_pid)
	_python_started_ms = Time.get_ticks_msec()
	state = State.STARTING_PYTHON


func _wait_for_port_file() -> void:
	if FileAccess.file_exists(_port_file):
		var port: int = int(FileAccess.get_file_as_string(_port_file).strip_edges())
		if port > 0:
			_open(port)
			return
	if Time.get_ticks_msec() - _python_started_ms > PORT_FILE_WAIT_MS:
		printerr("PwBridge: the Python side did not start; see its output above.")
		state = State.IDLE
	elif lockstep:
		OS.delay_usec(LOST_WAIT_USEC)


func _connect() -> void:
	_peer = WebSocketPeer.new()
	_peer.handshake_headers = PackedStringArray(["Authorization: Bearer %s" % _token])
	_peer.inbound_buffer_size = PwProtocol.MAX_MESSAGE_BYTES
	_peer.outbound_buffer_size = PwProtocol.MAX_MESSAGE_BYTES
	_greeted = false
	_awaiting = -1
	var err: Error = _peer.connect_to_url(_url)
	state = State.CONNECTING if err == OK else State.LOST
	_retry_at_ms = Time.get_ticks_msec() + RECONNECT_EVERY_MS


# Reconnection is paced by the wall clock: it is about the link, not about gameplay.
func _update_state() -> void:
	var ready_state: WebSocketPeer.State = _peer.get_ready_state()
	if ready_state == WebSocketPeer.STATE_OPEN and state == State.CONNECTING:
		state = State.OPEN
		_lost_since_ms = -1
		send({
			"type": PwProtocol.MSG_HELLO,
			"protocol": PwProtocol.VERSION,
			"godot_version": str(Engine.get_version_info()["string"]),
			"rig": rig_kind,
			"physics_hz": Engine.physics_ticks_per_second,
			"lockstep": lockstep,
			"resumed": _ever_open,
		})
		_ever_open = true
		connection_changed.emit(true)
	elif ready_state == WebSocketPeer.STATE_CLOSED and state != State.LOST:
		if state == State.OPEN and _quit_code < 0:
			connection_changed.emit(false)
			_show_pause()
		if _stop_frame >= 0:
			# Python may never have read it: tell the next Python side after its hello.
			_stop_pending = _stop_source
			_stop_frame = -1
		state = State.LOST
	if state != State.LOST:
		return
	var now: int = Time.get_ticks_msec()
	if _lost_since_ms < 0:
		_lost_since_ms = now
	if lockstep and now - _lost_since_ms > GIVE_UP_AFTER_MS:
		printerr("PwBridge: the Python side is gone; quitting.")
		get_tree().quit(3)
	elif now >= _retry_at_ms and _quit_code < 0:
		_connect()
	elif lockstep:
		# Without Python the lock-step world would race ahead; hold it near real time.
		OS.delay_usec(LOST_WAIT_USEC)


func _show_stop_pause() -> void:
	var panel: PwPanel = get_tree().get_first_node_in_group(&"pw_panel") as PwPanel
	if panel != null:
		panel.show_pause()
	var cues: PwCuePlayer = get_tree().get_first_node_in_group(&"pw_cues") as PwCuePlayer
	if cues != null:
		cues.play(STOP_CUE)
		_stop_cue_ms = Time.get_ticks_msec()


# Sent once the link is up and greeted; a full send buffer keeps it for the next tick.
func _send_pending_stop() -> void:
	if _stop_pending == "" or state != State.OPEN or not _greeted:
		return
	if _peer.get_current_outbound_buffered_amount() > PwProtocol.MAX_MESSAGE_BYTES - 1024:
		return
	send({"type": PwProtocol.MSG_STOP, "source": _stop_pending})
	_stop_source = _stop_pending
	_stop_pending = ""
	_stop_frame = _frame


# Ops Python sent before it knew of the stop would cover the pause: those are not applied.
func _held_back(op: Dictionary, ack: int) -> bool:
	var name: String = str(op.get("op", ""))
	if _stop_frame >= 0 and ack < _stop_frame and name in PANEL_OPS:
		return true
	return (name == "cue" and str(op.get("name", "")) == STOP_CUE
		and Time.get_ticks_msec() - _stop_cue_ms < STOP_CUE_ECHO_MS)


func _show_pause() -> void:
	var panel: PwPanel = get_tree().get_first_node_in_group(&"pw_panel") as PwPanel
	if panel != null:
		panel.show_pause(PwPanel.STOP_TEXT if stop_unanswered() else PAUSE_TEXT)


func _drain() -> void:
	while _peer.get_available_packet_count() > 0:
		var text: String = _peer.get_packet().get_string_from_utf8()
		var message: Variant = JSON.parse_string(text)
		if not message is Dictionary:
			push_warning("PwBridge: unreadable message from Python")
			continue
		_handle(message as Dictionary)


func _handle(message: Dictionary) -> void:
	match str(message.get("type", "")):
		PwProtocol.MSG_WELCOME:
			_greeted = true
			_send_pending_stop()
		PwProtocol.MSG_COMMANDS:
			var ack: int = int(message.get("ack", -1))
			for op: Variant in message.get("ops", []):
				if op is Dictionary and not _held_back(op as Dictionary, ack):
					var problem: String = _applier.apply(op as Dictionary)
					if problem != "":
						send({"type": PwProtocol.MSG_OP_FAILED, "op": str(op.get("op", "?")),
							"message": problem})
			if _stop_frame >= 0 and ack >= _stop_frame:
				_stop_frame = -1
			if ack >= _awaiting:
				_awaiting = -1
		PwProtocol.MSG_ERROR:
			print("PwBridge: Python says: %s" % str(message.get("message", "")))


func _wait_for_ack() -> void:
	var started: int = Time.get_ticks_msec()
	while _awaiting >= 0 and _quit_code < 0:
		_peer.poll()
		if _peer.get_ready_state() != WebSocketPeer.STATE_OPEN:
			return
		_drain()
		if Time.get_ticks_msec() - started > LOCKSTEP_TIMEOUT_MS:
			printerr("PwBridge: no reply from Python for frame %d" % _awaiting)
			_awaiting = -1
			return
		if _awaiting >= 0:
			OS.delay_usec(50)


func _send_frame() -> void:
	var rig: PwRig = get_tree().get_first_node_in_group(&"pw_rig") as PwRig
	if rig == null:
		return
	if _peer.get_current_outbound_buffered_amount() > FRAME_BACKLOG_BYTES:
		return  # Python is not reading (stopped or hung): never block, never overfill.
	var tracking: Dictionary = rig.tracking()
	tracking["type"] = PwProtocol.MSG_FRAME
	tracking["n"] = _frame
	tracking["t"] = float(_frame) / float(Engine.physics_ticks_per_second)
	send(tracking)
	_awaiting = _frame
	_frame += 1


func _finish() -> void:
	if state == State.OPEN:
		_peer.close(1000, "session over")
		for i: int in 50:
			_peer.poll()
			if _peer.get_ready_state() == WebSocketPeer.STATE_CLOSED:
				break
			OS.delay_usec(2000)
	state = State.IDLE
	get_tree().quit(_quit_code)


func _forward0(path: String, signal_name: StringName) -> void:
	send({"type": PwProtocol.MSG_SIGNAL, "node": path, "signal": str(signal_name), "args": []})


func _forward1(a: Variant, path: String, signal_name: StringName) -> void:
	send({"type": PwProtocol.MSG_SIGNAL, "node": path, "signal": str(signal_name),
		"args": [PwCommandApplier.to_json(a)]})


func _forward2(a: Variant, b: Variant, path: String, signal_name: StringName) -> void:
	send({"type": PwProtocol.MSG_SIGNAL, "node": path, "signal": str(signal_name),
		"args": [PwCommandApplier.to_json(a), PwCommandApplier.to_json(b)]})


func _forward3(a: Variant, b: Variant, c: Variant, path: String, signal_name: StringName) -> void:
	send({"type": PwProtocol.MSG_SIGNAL, "node": path, "signal": str(signal_name),
		"args": [PwCommandApplier.to_json(a), PwCommandApplier.to_json(b),
			PwCommandApplier.to_json(c)]})
