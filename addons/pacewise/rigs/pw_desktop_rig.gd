class_name PwDesktopRig
extends PwRig
## A rig for designers and physiotherapists without a headset: the mouse and keyboard move the
## head and both hands, and the game sees the same frames, touches and stops as with a headset.
##
## Keys (also shown on screen, H hides them): hold the right mouse button and move to look;
## W A S D walk, Q / E lower / raise the head; hold Z (left hand) or C (right hand) and move the
## mouse to move that hand, the wheel pushes it away or draws it near; a left click presses what
## the mouse points at (the right trigger); G holds the right grip; number keys, arrows and Enter
## answer questions; X touches the wrist stop; B, Esc stop; R recentres; F1 or H toggles help.

const HELP: String = """Look: hold right mouse + move     Walk: W A S D     Head down/up: Q / E
Left hand: hold Z + move mouse     Right hand: hold C + move mouse     (wheel: nearer / farther)
Press / point: left click     Grip: G     Answer: 0-9, arrows, Enter
STOP: Esc or B (or X: touch the wrist stop)     Recentre: R     Hide this help: H"""
const LOOK_PER_PX: float = 0.004
const HAND_PER_PX: float = 0.0025
const HAND_PER_WHEEL: float = 0.03
const WALK_M_PER_S: float = 1.0
const RISE_M_PER_S: float = 0.6
const MAX_PITCH: float = deg_to_rad(80.0)
const LEFT_REST: Vector3 = Vector3(-0.22, -0.55, -0.3)
const RIGHT_REST: Vector3 = Vector3(0.22, -0.55, -0.3)

var _yaw: float = 0.0
var _pitch: float = 0.0
var _eye_height: float = STANDING_EYE_HEIGHT_M
var _held: Dictionary = {}

@onready var _body: Node3D = $Body
@onready var _head: Camera3D = $Body/Head
@onready var _left: Node3D = $Body/LeftHand
@onready var _right: Node3D = $Body/RightHand
@onready var _pointer: PwPointer = $Pointer
@onready var _wrist_stop: PwWristStop = $Body/LeftHand/WristStop
@onready var _help: Control = $Help/Box
@onready var _help_label: Label = $Help/Box/Keys


func _ready() -> void:
	_help_label.text = HELP
	_reset_hands()
	_apply()


func _physics_process(delta: float) -> void:
	var walk: Vector3 = Vector3.ZERO
	if Input.is_physical_key_pressed(KEY_W):
		walk.z -= 1.0
	if Input.is_physical_key_pressed(KEY_S):
		walk.z += 1.0
	if Input.is_physical_key_pressed(KEY_A):
		walk.x -= 1.0
	if Input.is_physical_key_pressed(KEY_D):
		walk.x += 1.0
	if walk != Vector3.ZERO:
		_body.position += _body.basis * walk.normalized() * WALK_M_PER_S * delta
	if Input.is_physical_key_pressed(KEY_Q):
		_eye_height = maxf(_eye_height - RISE_M_PER_S * delta, 0.6)
	if Input.is_physical_key_pressed(KEY_E):
		_eye_height = minf(_eye_height + RISE_M_PER_S * delta, 2.0)
	_apply()
	_aim_pointer()


func _unhandled_input(event: InputEvent) -> void:
	var motion: InputEventMouseMotion = event as InputEventMouseMotion
	if motion != null:
		_on_mouse_motion(motion)
		return
	var click: InputEventMouseButton = event as InputEventMouseButton
	if click != null:
		_on_mouse_button(click)
		return
	var key: InputEventKey = event as InputEventKey
	if key != null and not key.echo:
		_on_key(key)


func get_head() -> Node3D:
	return _head


func get_hand(side: String) -> Node3D:
	return _left if side == "left" else _right


func buttons() -> Dictionary:
	return _held.duplicate()


func set_posture(new_posture: String, offset_m: float) -> void:
	super.set_posture(new_posture, offset_m)
	var base: float = SEATED_EYE_HEIGHT_M if posture == "seated" else STANDING_EYE_HEIGHT_M
	_eye_height = base + offset_m
	_apply()


func recenter() -> void:
	_yaw = 0.0
	_pitch = 0.0
	_apply()


func _on_mouse_motion(motion: InputEventMouseMotion) -> void:
	var rel: Vector2 = motion.relative
	if Input.is_physical_key_pressed(KEY_Z):
		_left.position += Vector3(rel.x, -rel.y, 0.0) * HAND_PER_PX
	elif Input.is_physical_key_pressed(KEY_C):
		_right.position += Vector3(rel.x, -rel.y, 0.0) * HAND_PER_PX
	elif motion.button_mask & MOUSE_BUTTON_MASK_RIGHT:
		_yaw -= rel.x * LOOK_PER_PX
		_pitch = clampf(_pitch - rel.y * LOOK_PER_PX, -MAX_PITCH, MAX_PITCH)
	_apply()


func _on_mouse_button(click: InputEventMouseButton) -> void:
	var wheel: float = 0.0
	if click.button_index == MOUSE_BUTTON_WHEEL_UP:
		wheel = -HAND_PER_WHEEL
	elif click.button_index == MOUSE_BUTTON_WHEEL_DOWN:
		wheel = HAND_PER_WHEEL
	elif click.button_index == MOUSE_BUTTON_LEFT:
		_hold("right_trigger", click.pressed)
		if click.pressed:
			_aim_pointer()
			_pointer.press()
		return
	if click.pressed and wheel != 0.0:
		if Input.is_physical_key_pressed(KEY_Z):
			_left.position.z += wheel
		elif Input.is_physical_key_pressed(KEY_C):
			_right.position.z += wheel
		_apply()


func _on_key(key: InputEventKey) -> void:
	match key.physical_keycode:
		KEY_G:
			_hold("right_grip", key.pressed)
		KEY_B:
			_hold("right_by", key.pressed)
			if key.pressed:
				PwBridge.press_stop("key")
		KEY_X:
			if key.pressed:
				_wrist_stop.press()
		KEY_R:
			if key.pressed:
				recenter()
				_reset_hands()
		KEY_H, KEY_F1:
			if key.pressed:
				_help.visible = not _help.visible


func _hold(button: String, pressed: bool) -> void:
	if pressed:
		_held[button] = true
	else:
		_held.erase(button)


func _reset_hands() -> void:
	_left.position = Vector3(0.0, _eye_height, 0.0) + LEFT_REST
	_right.position = Vector3(0.0, _eye_height, 0.0) + RIGHT_REST


func _apply() -> void:
	if not is_node_ready():
		return
	_body.rotation = Vector3(0.0, _yaw, 0.0)
	_head.position = Vector3(0.0, _eye_height, 0.0)
	_head.rotation = Vector3(_pitch, 0.0, 0.0)


func _aim_pointer() -> void:
	var viewport: Viewport = get_viewport()
	var mouse: Vector2 = viewport.get_mouse_position()
	var from: Vector3 = _head.project_ray_origin(mouse)
	var direction: Vector3 = _head.project_ray_normal(mouse)
	_pointer.global_position = from
	if absf(direction.dot(Vector3.UP)) < 0.999:
		_pointer.look_at(from + direction, Vector3.UP)
