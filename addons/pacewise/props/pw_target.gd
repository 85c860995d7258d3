@tool
class_name PwTarget
extends Area3D
## A soft light the patient touches. It glows the same frame a hand enters it (done here, in
## Godot, so feedback never waits for Python), then emits `touched` for the gameplay script.

## Emitted once, when a hand first enters the target.
signal touched(hand: String)

## Radius of the target in metres.
@export_range(0.04, 0.3, 0.01, "suffix:m") var radius: float = 0.1:
	set(value):
		radius = value
		_refresh()
## Resting colour (calm, colour-blind safe by default).
@export var color: Color = Color(0.36, 0.62, 0.78):
	set(value):
		color = value
		_refresh()
## Colour when touched.
@export var touched_color: Color = Color(0.98, 0.82, 0.42)
## Short text shown above the target, e.g. "left 30°".
@export var label: String = "":
	set(value):
		label = value
		_refresh()

var is_touched: bool = false

@onready var _mesh: MeshInstance3D = $Mesh
@onready var _shape: CollisionShape3D = $Shape
@onready var _label: Label3D = $Label


func _ready() -> void:
	collision_layer = 1 << 2
	collision_mask = 1 << 1
	monitoring = true
	area_entered.connect(_on_area_entered)
	_refresh()


func _refresh() -> void:
	if not is_node_ready():
		return
	(_shape.shape as SphereShape3D).radius = radius
	var sphere: SphereMesh = _mesh.mesh as SphereMesh
	sphere.radius = radius
	sphere.height = radius * 2.0
	var material: StandardMaterial3D = _mesh.get_surface_override_material(0)
	if material != null:
		material.albedo_color = touched_color if is_touched else color
		material.emission = touched_color if is_touched else color
	_label.text = label
	_label.position = Vector3(0.0, radius + 0.06, 0.0)


func _on_area_entered(area: Area3D) -> void:
	if is_touched or Engine.is_editor_hint() or not area is PwHand:
		return
	is_touched = true
	_refresh()
	touched.emit((area as PwHand).side)
