class_name PwScriptedRig
extends PwRig
## A rig whose head and hands are moved by poses Python sends (the synthetic patient),
## used when no XR runtime is there. Godot's physics still decides what a hand touches.

@onready var _head: Camera3D = $Head
@onready var _left: Node3D = $LeftHand
@onready var _right: Node3D = $RightHand


func get_head() -> Node3D:
	return _head


func get_hand(side: String) -> Node3D:
	return _left if side == "left" else _right


func apply_pose(pose: Dictionary) -> void:
	_place(_head, pose.get("head"))
	_place(_left, pose.get("left"))
	_place(_right, pose.get("right"))


func _place(node: Node3D, target: Variant) -> void:
	if not target is Dictionary:
		return
	var spec: Dictionary = target
	node.position = PwCommandApplier.coerce(spec.get("p", [0, 0, 0]), TYPE_VECTOR3)
	var q: Variant = spec.get("q")
	if q is Array and (q as Array).size() == 4:
		var items: Array = q
		node.quaternion = Quaternion(
			float(items[0]), float(items[1]), float(items[2]), float(items[3])
		).normalized()
