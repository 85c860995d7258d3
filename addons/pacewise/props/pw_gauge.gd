@tool
class_name PwGauge
extends Node3D
## An arc that fills as the patient moves: `value` degrees against a `goal`, for graded
## exposure. The fill shows `value × gain` (the prescription's visual-feedback gain: below 1 the
## movement looks smaller than it is, above 1 larger); the goal mark and `max_value` are in the
## same displayed degrees. The arc stands upright, facing +Z (towards a player in front of it),
## and sweeps clockwise from 9 o'clock (0°) over the top to 3 o'clock (`max_value`).

## Emitted when the displayed value first reaches the goal (again after it fell below 80 %).
signal goal_reached

const SEGMENTS: int = 48
const SWEEP: float = PI

## The measured angle in degrees (e.g. trunk flexion from neutral).
@export_range(0.0, 180.0, 0.5, "suffix:°") var value: float = 0.0:
	set(new_value):
		value = new_value
		_refresh()
## The angle to reach, in displayed degrees; 0 hides the goal mark.
@export_range(0.0, 180.0, 0.5, "suffix:°") var goal: float = 30.0:
	set(new_value):
		goal = new_value
		_refresh()
## Visual-feedback gain: the fill shows value × gain.
@export_range(0.25, 2.0, 0.05) var gain: float = 1.0:
	set(new_value):
		gain = new_value
		_refresh()
## The displayed degrees at the end of the arc.
@export_range(10.0, 180.0, 1.0, "suffix:°") var max_value: float = 90.0:
	set(new_value):
		max_value = new_value
		_refresh()
## Text under the arc, e.g. "Bend forward".
@export var label: String = "":
	set(new_value):
		label = new_value
		_refresh()
## Show the displayed degrees under the label.
@export var show_degrees: bool = true:
	set(new_value):
		show_degrees = new_value
		_refresh()
## Outer radius of the arc in metres.
@export_range(0.1, 1.0, 0.01, "suffix:m") var radius: float = 0.3:
	set(new_value):
		radius = new_value
		_refresh()
## Width of the arc band in metres.
@export_range(0.01, 0.2, 0.005, "suffix:m") var thickness: float = 0.045:
	set(new_value):
		thickness = new_value
		_refresh()
## Colour of the filled part.
@export var fill_color: Color = Color(0.36, 0.62, 0.78):
	set(new_value):
		fill_color = new_value
		_refresh()
## Colour of the filled part once the goal is reached.
@export var reached_color: Color = Color(0.98, 0.82, 0.42):
	set(new_value):
		reached_color = new_value
		_refresh()

var is_reached: bool = false

@onready var _track: MeshInstance3D = $Track
@onready var _fill: MeshInstance3D = $Fill
@onready var _goal_mark: MeshInstance3D = $GoalMark
@onready var _label: Label3D = $Label


func _ready() -> void:
	_refresh()


## The value as shown: value × gain, in degrees.
func displayed() -> float:
	return value * gain


func _refresh() -> void:
	if not is_node_ready():
		return
	var shown: float = displayed()
	if goal > 0.0 and shown >= goal and not is_reached:
		is_reached = true
		if not Engine.is_editor_hint():
			goal_reached.emit()
	elif is_reached and shown < goal * 0.8:
		is_reached = false
	var inner: float = radius - thickness
	_track.mesh = _arc(inner, radius, 0.0, 1.0)
	var share: float = clampf(shown / max_value, 0.0, 1.0)
	_fill.visible = share > 0.001
	if _fill.visible:
		_fill.mesh = _arc(inner - 0.004, radius + 0.004, 0.0, share)
	var fill_material: StandardMaterial3D = _fill.material_override as StandardMaterial3D
	if fill_material != null:
		var tint: Color = reached_color if is_reached else fill_color
		fill_material.albedo_color = tint
		fill_material.emission = tint
	_goal_mark.visible = goal > 0.0
	var goal_share: float = clampf(goal / max_value, 0.0, 1.0)
	_goal_mark.mesh = _arc(inner - 0.03, radius + 0.03, goal_share - 0.006, goal_share + 0.006)
	var text: String = label
	if show_degrees:
		text += ("\n" if text != "" else "") + "%d°" % roundi(shown)
	_label.text = text
	_label.position = Vector3(0.0, -0.02, 0.005)


# A flat band between two radii, from share `from` to `to` of the sweep, facing +Z.
func _arc(inner: float, outer: float, from: float, to: float) -> ArrayMesh:
	var vertices: PackedVector3Array = []
	var normals: PackedVector3Array = []
	var steps: int = maxi(2, ceili(SEGMENTS * absf(to - from)))
	for i: int in steps + 1:
		var share: float = lerpf(from, to, float(i) / float(steps))
		var angle: float = PI - SWEEP * share
		var direction: Vector3 = Vector3(cos(angle), sin(angle), 0.0)
		vertices.append(direction * inner)
		vertices.append(direction * outer)
		normals.append(Vector3.BACK)
		normals.append(Vector3.BACK)
	var arrays: Array = []
	arrays.resize(Mesh.ARRAY_MAX)
	arrays[Mesh.ARRAY_VERTEX] = vertices
	arrays[Mesh.ARRAY_NORMAL] = normals
	var mesh: ArrayMesh = ArrayMesh.new()
	mesh.add_surface_from_arrays(Mesh.PRIMITIVE_TRIANGLE_STRIP, arrays)
	return mesh
