@tool
class_name PwHand
extends Area3D
## A hand's touch volume: targets notice it entering them. Put one under each hand node.

## Which hand this is, reported with every touch.
@export_enum("left", "right") var side: String = "right"
## Radius of the touch sphere in metres (a fist is about 0.05).
@export_range(0.02, 0.15, 0.005, "suffix:m") var radius: float = 0.05:
	set(value):
		radius = value
		_apply_radius()


func _ready() -> void:
	collision_layer = 1 << 1
	collision_mask = 0
	monitorable = true
	monitoring = false
	_apply_radius()


func _apply_radius() -> void:
	var shape: CollisionShape3D = get_node_or_null("Shape") as CollisionShape3D
	if shape != null and shape.shape is SphereShape3D:
		(shape.shape as SphereShape3D).radius = radius
