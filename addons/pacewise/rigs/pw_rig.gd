class_name PwRig
extends Node3D
## Base of the player rigs: where the head and hands are, as Python receives them.
##
## Subclasses say which nodes are the head and hands and whether each is tracked.
## Positions are in the rig's space: metres, +Y up, -Z the way the player faces at the start.


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


## Head and hands as the bridge's frame message carries them.
func tracking() -> Dictionary:
	return {
		"head": _device(get_head(), "head"),
		"left": _device(get_hand("left"), "left"),
		"right": _device(get_hand("right"), "right"),
	}


func _device(node: Node3D, part: String) -> Dictionary:
	if node == null:
		return {"p": [0.0, 0.0, 0.0], "q": null, "ok": false}
	var local: Transform3D = global_transform.affine_inverse() * node.global_transform
	var q: Quaternion = local.basis.get_rotation_quaternion()
	var p: Vector3 = local.origin
	return {"p": [p.x, p.y, p.z], "q": [q.x, q.y, q.z, q.w], "ok": is_tracked(part)}
