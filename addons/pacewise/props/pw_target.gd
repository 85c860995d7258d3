@tool
class_name PwTarget
extends Area3D
## A soft light the patient touches. It glows the same frame a hand enters it (done here, in
## Godot, so feedback never waits for Python), lets out a few gentle sparks, then emits
## `touched` for the gameplay script.
##
## At rest it breathes slowly (a faint glow that swells and fades) so it is easy to find
## without flashing. `reset()` makes a touched target ready again.

## Emitted once, when a hand first enters the target ("left" or "right").
signal touched(hand: String)

const BREATH_PERIOD_S: float = 4.0
const HALO_SCALE: float = 1.6

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
@export var touched_color: Color = Color(0.98, 0.82, 0.42):
	set(value):
		touched_color = value
		_refresh()
## Short text shown above the target, e.g. "left 30°".
@export var label: String = "":
	set(value):
		label = value
		_refresh()

var is_touched: bool = false

var _time: float = 0.0
var _glow: float = 0.0

@onready var _mesh: MeshInstance3D = $Mesh
@onready var _halo: MeshInstance3D = $Halo
@onready var _shape: CollisionShape3D = $Shape
@onready var _label: Label3D = $Label
@onready var _sparks: CPUParticles3D = $Sparks


func _ready() -> void:
	collision_layer = 1 << 2
	collision_mask = 1 << 1
	monitoring = true
	if not area_entered.is_connected(_on_area_entered):
		area_entered.connect(_on_area_entered)
	_refresh()


func _process(delta: float) -> void:
	if Engine.is_editor_hint():
		return
	_time += delta
	_glow = maxf(_glow - delta * 1.2, 0.0)
	var breath: float = 0.5 - 0.5 * cos(TAU * _time / BREATH_PERIOD_S)
	var material: StandardMaterial3D = _material(_mesh)
	if material != null:
		material.emission_energy_multiplier = 0.35 + 0.35 * breath + 1.6 * _glow
	var halo: StandardMaterial3D = _material(_halo)
	if halo != null:
		var tint: Color = touched_color if is_touched else color
		halo.albedo_color = Color(tint, 0.10 + 0.06 * breath + 0.25 * _glow)
	_halo.scale = Vector3.ONE * (1.0 + 0.05 * breath + 0.35 * _glow)


## Make a touched target ready to be touched again.
func reset() -> void:
	is_touched = false
	_glow = 0.0
	_refresh()


## Light up as if touched, without emitting `touched` (e.g. to show the patient an example).
func glow() -> void:
	_glow = 1.0
	if is_node_ready():
		_sparks.restart()


func _refresh() -> void:
	if not is_node_ready():
		return
	(_shape.shape as SphereShape3D).radius = radius
	var sphere: SphereMesh = _mesh.mesh as SphereMesh
	sphere.radius = radius
	sphere.height = radius * 2.0
	var halo: SphereMesh = _halo.mesh as SphereMesh
	halo.radius = radius * HALO_SCALE
	halo.height = radius * HALO_SCALE * 2.0
	var tint: Color = touched_color if is_touched else color
	var material: StandardMaterial3D = _material(_mesh)
	if material != null:
		material.albedo_color = tint
		material.emission = tint
	var halo_material: StandardMaterial3D = _material(_halo)
	if halo_material != null:
		halo_material.albedo_color = Color(tint, 0.14)
	var spark_material: StandardMaterial3D = _sparks.mesh.surface_get_material(0) as StandardMaterial3D
	if spark_material != null:
		spark_material.albedo_color = touched_color
	_sparks.emission_sphere_radius = radius
	_label.text = label
	_label.position = Vector3(0.0, radius * HALO_SCALE + 0.05, 0.0)


func _material(mesh: MeshInstance3D) -> StandardMaterial3D:
	return mesh.get_surface_override_material(0) as StandardMaterial3D


func _on_area_entered(area: Area3D) -> void:
	if is_touched or Engine.is_editor_hint() or not area is PwHand:
		return
	is_touched = true
	_refresh()
	glow()
	touched.emit((area as PwHand).side)
