@tool
class_name PwBreathOrb
extends Node3D
## A soft orb that grows as the patient breathes in and shrinks as they breathe out.
##
## Driven by Python through `phase` (0 = empty, 1 = full) and `inhaling` (its colour), or, with
## `breaths_per_min` above 0, it breathes by itself at that pace (inhaling for `inhale_share` of
## each breath) and emits `breath_changed` at each turn.

## Emitted in self-paced mode when the breath turns (true: breathing in starts).
signal breath_changed(inhaling: bool)

## How full the breath is: 0 = out, 1 = in; the orb's size follows it smoothly.
@export_range(0.0, 1.0, 0.01) var phase: float = 0.0:
	set(value):
		phase = clampf(value, 0.0, 1.0)
		_refresh()
## Breathing in (in_color) or out (out_color).
@export var inhaling: bool = true:
	set(value):
		inhaling = value
		_refresh()
## Radius when empty, in metres.
@export_range(0.03, 0.5, 0.01, "suffix:m") var min_radius: float = 0.1:
	set(value):
		min_radius = value
		_refresh()
## Radius when full, in metres.
@export_range(0.05, 1.0, 0.01, "suffix:m") var max_radius: float = 0.26:
	set(value):
		max_radius = value
		_refresh()
## Colour while breathing in.
@export var in_color: Color = Color(0.45, 0.72, 0.84):
	set(value):
		in_color = value
		_refresh()
## Colour while breathing out.
@export var out_color: Color = Color(0.62, 0.78, 0.62):
	set(value):
		out_color = value
		_refresh()
## Text under the orb, e.g. "Breathe in".
@export var label: String = "":
	set(value):
		label = value
		_refresh()
## Self-paced breaths per minute; 0 means `phase` is set from outside.
@export_range(0.0, 20.0, 0.5) var breaths_per_min: float = 0.0
## Share of each self-paced breath spent breathing in.
@export_range(0.2, 0.8, 0.05) var inhale_share: float = 0.4

var _clock: float = 0.0
var _shown_color: Color = Color(0.45, 0.72, 0.84)

@onready var _orb: MeshInstance3D = $Orb
@onready var _halo: MeshInstance3D = $Halo
@onready var _label: Label3D = $Label


func _ready() -> void:
	_shown_color = in_color if inhaling else out_color
	_refresh()


func _process(delta: float) -> void:
	if breaths_per_min > 0.0:
		_self_pace(delta)
	var target: Color = in_color if inhaling else out_color
	_shown_color = _shown_color.lerp(target, clampf(delta * 3.0, 0.0, 1.0))
	_paint()


## The orb's radius now, in metres.
func current_radius() -> float:
	return lerpf(min_radius, max_radius, smoothstep(0.0, 1.0, phase))


func _self_pace(delta: float) -> void:
	var period: float = 60.0 / breaths_per_min
	_clock = fmod(_clock + delta, period)
	var t: float = _clock / period
	var now_in: bool = t < inhale_share
	phase = t / inhale_share if now_in else 1.0 - (t - inhale_share) / (1.0 - inhale_share)
	if now_in != inhaling:
		inhaling = now_in
		if not Engine.is_editor_hint():
			breath_changed.emit(now_in)


func _refresh() -> void:
	if not is_node_ready():
		return
	var r: float = current_radius()
	_orb.scale = Vector3.ONE * r
	_halo.scale = Vector3.ONE * r * 1.45
	_label.text = label
	_label.position = Vector3(0.0, -max_radius - 0.08, 0.0)
	if Engine.is_editor_hint():
		_shown_color = in_color if inhaling else out_color
	_paint()


func _paint() -> void:
	var material: StandardMaterial3D = _orb.material_override as StandardMaterial3D
	if material != null:
		material.albedo_color = _shown_color
		material.emission = _shown_color
		material.emission_energy_multiplier = 0.4 + 0.5 * phase
	var halo: StandardMaterial3D = _halo.material_override as StandardMaterial3D
	if halo != null:
		halo.albedo_color = Color(_shown_color, 0.08 + 0.1 * phase)
