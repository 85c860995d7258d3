class_name PwPointer
extends Node3D
## A soft ray from a controller (or from the desktop camera through the mouse) that points at
## panel buttons, the pain scale and the wrist stop. `press()` (the trigger, a mouse click)
## presses what it points at. The ray shows only while it rests on something it can press.
##
## Anything on the "ui" physics layer with `pointer_hover(point)`, `pointer_exit()` and
## `pointer_press(point)` methods can be pointed at.

const UI_LAYER: int = 1 << 3

## How far the ray reaches, in metres.
@export_range(0.5, 10.0, 0.1, "suffix:m") var reach: float = 4.0
## Show the beam while it rests on something.
@export var show_beam: bool = true

var target: Object = null
var point: Vector3 = Vector3.ZERO

@onready var _beam: MeshInstance3D = $Beam
@onready var _dot: MeshInstance3D = $Dot


func _ready() -> void:
	_beam.visible = false
	_dot.visible = false


func _physics_process(_delta: float) -> void:
	aim()


## Cast the ray now along this node's -Z and update what it points at.
func aim() -> void:
	if not is_inside_tree():
		return
	var from: Vector3 = global_position
	var to: Vector3 = from - global_basis.z.normalized() * reach
	var query: PhysicsRayQueryParameters3D = PhysicsRayQueryParameters3D.create(from, to, UI_LAYER)
	query.collide_with_areas = true
	query.collide_with_bodies = false
	var hit: Dictionary = get_world_3d().direct_space_state.intersect_ray(query)
	var hit_target: Object = hit.get("collider") as Object
	if hit_target != null and not hit_target.has_method(&"pointer_hover"):
		hit_target = null
	if hit_target != target and target != null and is_instance_valid(target):
		target.call(&"pointer_exit")
	target = hit_target
	if target == null:
		_beam.visible = false
		_dot.visible = false
		return
	point = hit["position"]
	target.call(&"pointer_hover", point)
	var length: float = from.distance_to(point)
	_beam.visible = show_beam
	_beam.scale = Vector3(1.0, length, 1.0)
	_beam.position = Vector3(0.0, 0.0, -length * 0.5)
	_dot.visible = show_beam
	_dot.global_position = point


## Press what the ray rests on; returns whether there was something.
func press() -> bool:
	aim()
	if target == null or not is_instance_valid(target):
		return false
	target.call(&"pointer_press", point)
	return true
