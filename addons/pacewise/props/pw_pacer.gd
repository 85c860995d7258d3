@tool
class_name PwPacer
extends Node3D
## A lantern on a post that pulses softly to set a pace (marching steps, reps).
##
## Call `pulse()` on each beat (Python keeps the beat from frame time), or set `auto_pulse` and
## it pulses itself at `cadence_per_min`, emitting `pulsed` on every beat.

## Emitted on every pulse, with the number of pulses so far.
signal pulsed(count: int)

## Beats per minute in self-paced mode, and how long each glow lasts (60 / cadence).
@export_range(10.0, 200.0, 1.0) var cadence_per_min: float = 90.0
## Pulse by itself at `cadence_per_min`.
@export var auto_pulse: bool = false:
	set(value):
		auto_pulse = value
		_clock = 0.0
## Colour of the light.
@export var color: Color = Color(0.98, 0.82, 0.42):
	set(value):
		color = value
		_paint()
## Text on the post, e.g. "Step with the light".
@export var label: String = "":
	set(value):
		label = value
		if is_node_ready():
			_label.text = value

var pulse_count: int = 0

var _clock: float = 0.0
var _glow: float = 0.0

@onready var _lamp: MeshInstance3D = $Lamp
@onready var _light: OmniLight3D = $Light
@onready var _label: Label3D = $Label


func _ready() -> void:
	_label.text = label
	_paint()


func _process(delta: float) -> void:
	if auto_pulse and cadence_per_min > 0.0:
		_clock += delta
		var beat: float = 60.0 / cadence_per_min
		if _clock >= beat:
			_clock = fmod(_clock, beat)
			pulse()
	if _glow > 0.0:
		_glow = maxf(_glow - delta / _fade_s(), 0.0)
		_paint()


## One soft beat of light.
func pulse() -> void:
	_glow = 1.0
	pulse_count += 1
	_paint()
	if not Engine.is_editor_hint():
		pulsed.emit(pulse_count)


func _fade_s() -> float:
	return clampf(0.6 * 60.0 / maxf(cadence_per_min, 1.0), 0.15, 1.5)


func _paint() -> void:
	if not is_node_ready():
		return
	var strength: float = _glow * _glow
	var material: StandardMaterial3D = _lamp.material_override as StandardMaterial3D
	if material != null:
		material.albedo_color = color.lerp(Color.WHITE, 0.15 * strength)
		material.emission = color
		material.emission_energy_multiplier = 0.35 + 2.2 * strength
	_light.light_color = color
	_light.light_energy = 0.15 + 1.4 * strength
	_lamp.scale = Vector3.ONE * (1.0 + 0.12 * strength)
