class_name PwXrRig
extends PwRig
## The OpenXR rig from core nodes: an XROrigin3D with a camera and two controllers.
##
## When OpenXR is not running it reports so (`xr_active` false) and the main scene falls
## back to the scripted rig.

var xr_active: bool = false

@onready var _camera: XRCamera3D = $XROrigin3D/XRCamera3D
@onready var _left: XRController3D = $XROrigin3D/LeftController
@onready var _right: XRController3D = $XROrigin3D/RightController


func _ready() -> void:
	var xr: XRInterface = XRServer.find_interface("OpenXR")
	if xr != null and xr.is_initialized():
		get_viewport().use_xr = true
		xr_active = true
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


func _on_button(button: String, hand: String) -> void:
	if button == "by_button":
		PwBridge.press_stop("%s controller" % hand)
