class_name PwXrRig
extends PwRig
## The OpenXR rig from core nodes: an XROrigin3D with a camera and two controllers, each with
## a touch sphere and a pointer ray; a stop button sits on the left wrist.
##
## Standing mode uses the runtime's floor-level space (local-floor or stage); seated mode
## recentres on the head and raises the space so the eyes sit at SEATED_EYE_HEIGHT_M plus the
## offset. The trigger presses what a pointer rests on; B or Y is the stop. When OpenXR is not
## running it reports so (`xr_active` false) and the main scene falls back to another rig.

const BUTTONS: Dictionary = {
	"trigger_click": "trigger",
	"grip_click": "grip",
	"ax_button": "ax",
	"by_button": "by",
	"menu_button": "menu",
}

var xr_active: bool = false

var _xr: XRInterface = null

@onready var _origin: XROrigin3D = $XROrigin3D
@onready var _camera: XRCamera3D = $XROrigin3D/XRCamera3D
@onready var _left: XRController3D = $XROrigin3D/LeftController
@onready var _right: XRController3D = $XROrigin3D/RightController


func _ready() -> void:
	_xr = XRServer.find_interface("OpenXR")
	if _xr != null and _xr.is_initialized():
		get_viewport().use_xr = true
		xr_active = true
		if _xr.has_signal(&"pose_recentered"):
			_xr.connect(&"pose_recentered", recenter)
	_left.button_pressed.connect(_on_button.bind("left"))
	_right.button_pressed.connect(_on_button.bind("right"))


func get_head() -> Node3D:
	return _camera


func get_hand(side: String) -> Node3D:
	return _left if side == "left" else _right


func is_tracked(part: String) -> bool:
	if part == "head":
		return xr_active
	var controller: XRController3D = _left if part == "left" else _right
	return controller.get_has_tracking_data()


func haptic(hand: String, amplitude: float, duration_s: float) -> void:
	var controller: XRController3D = _left if hand == "left" else _right
	controller.trigger_haptic_pulse(&"haptic", 0.0, amplitude, duration_s, 0.0)


func buttons() -> Dictionary:
	var held: Dictionary = {}
	for side: String in ["left", "right"]:
		var controller: XRController3D = _left if side == "left" else _right
		for action: String in BUTTONS:
			if controller.is_button_pressed(StringName(action)):
				held["%s_%s" % [side, BUTTONS[action]]] = true
	return held


func set_posture(new_posture: String, offset_m: float) -> void:
	super.set_posture(new_posture, offset_m)
	if _xr != null and xr_active:
		if posture == "seated":
			_xr.set_play_area_mode(XRInterface.XR_PLAY_AREA_SITTING)
		elif not _xr.set_play_area_mode(XRInterface.XR_PLAY_AREA_ROOMSCALE):
			_xr.set_play_area_mode(XRInterface.XR_PLAY_AREA_STAGE)
	if posture == "standing":
		XRServer.clear_reference_frame()
	recenter()


func recenter() -> void:
	if posture == "seated":
		# Head at the origin (height too), then the space raised to a seated eye height.
		if xr_active:
			XRServer.center_on_hmd(XRServer.RESET_BUT_KEEP_TILT, false)
		_origin.position = Vector3(0.0, SEATED_EYE_HEIGHT_M + height_offset_m, 0.0)
	else:
		if xr_active:
			XRServer.center_on_hmd(XRServer.RESET_BUT_KEEP_TILT, true)
		_origin.position = Vector3(0.0, height_offset_m, 0.0)


func _on_button(button: String, hand: String) -> void:
	if button == "by_button":
		PwBridge.press_stop("%s controller" % hand)
	elif button == "trigger_click":
		var pointer: PwPointer = get_hand(hand).get_node_or_null("Pointer") as PwPointer
		if pointer != null:
			pointer.press()
