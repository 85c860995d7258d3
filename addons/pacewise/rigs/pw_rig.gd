class_name PwRig
extends Node3D
## Base of the player rigs: where the head and hands are, as Python receives them.
##
## Subclasses say which nodes are the head and hands, whether each is tracked and which
## buttons are held. Positions are in the rig's space: metres, +Y up, -Z the way the player faces
## at the start. Three rigs share this API: `PwXrRig` (a headset), `PwDesktopRig` (mouse and
## keyboard) and `PwScriptedRig` (poses from Python: the synthetic patient).

## Seated eye height (metres) that seated mode puts the head at, before the height offset.
const SEATED_EYE_HEIGHT_M: float = 1.2
## Standing eye height (metres) of rigs that have no real head to measure.
const STANDING_EYE_HEIGHT_M: float = 1.65

## "seated" or "standing", as the last `rig_mode` op set it.
var posture: String = "standing"
## Metres added to the space's height by the last `rig_mode` op.
var height_offset_m: float = 0.0


func _enter_tree() -> void:
	add_to_group(&"pw_rig")


## The head node (a camera).
func get_head() -> Node3D:
	return null


## The hand node for `side` ("left" or "right").
func get_hand(_side: String) -> Node3D:
	return null


## Whether `part` ("head", "left", "right") is tracked this frame.
func is_tracked(_part: String) -> bool:
	return true


## Scripted poses from Python; only the scripted rig follows them.
func apply_pose(_pose: Dictionary) -> void:
	pass


## A short vibration in the hand's controller, where there is one.
func haptic(_hand: String, _amplitude: float, _duration_s: float) -> void:
	pass


## The buttons held now, as the frame's `buttons`: keys `<hand>_<button>` with button in
## trigger, grip, ax, by, menu; only pressed ones are listed.
func buttons() -> Dictionary:
	return {}


## Seated (eyes at SEATED_EYE_HEIGHT_M + offset) or standing (floor-level space + offset).
func set_posture(new_posture: String, offset_m: float) -> void:
	posture = new_posture
	height_offset_m = offset_m


## Make the way the player faces now the forward direction (-Z).
func recenter() -> void:
	pass


## Head and hands as the bridge's frame message carries them.
func tracking() -> Dictionary:
	return {
		"head": _device(get_head(), "head"),
		"left": _device(get_hand("left"), "left"),
		"right": _device(get_hand("right"), "right"),
		"buttons": buttons(),
	}


func _device(node: Node3D, part: String) -> Dictionary:
	if node == null:
		return {"p": [0.0, 0.0, 0.0], "q": null, "ok": false}
	var local: Transform3D = global_transform.affine_inverse() * node.global_transform
	var q: Quaternion = local.basis.get_rotation_quaternion()
	var p: Vector3 = local.origin
	return {"p": [p.x, p.y, p.z], "q": [q.x, q.y, q.z, q.w], "ok": is_tracked(part)}
