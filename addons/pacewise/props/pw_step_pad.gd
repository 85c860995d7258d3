@tool
class_name PwStepPad
extends Node3D
## A pair of soft footprints on the ground; `light("left")` / `light("right")` makes one glow
## and fade, to show which foot steps next or to answer a step the game counted.
##
## Place it at the patient's feet (its origin on the floor, the pads either side of it).

## Length of each pad in metres (the foot's direction, along -Z).
@export_range(0.15, 0.6, 0.01, "suffix:m") var pad_length: float = 0.32:
	set(value):
		pad_length = value
		_layout()
## Distance between the pads' centres in metres.
@export_range(0.1, 0.8, 0.01, "suffix:m") var spacing: float = 0.3:
	set(value):
		spacing = value
		_layout()
## Resting colour.
@export var color: Color = Color(0.74, 0.78, 0.7):
	set(value):
		color = value
		_paint()
## Colour when lit.
@export var lit_color: Color = Color(0.98, 0.82, 0.42):
	set(value):
		lit_color = value
		_paint()
## Seconds a lit pad takes to fade back.
@export_range(0.1, 3.0, 0.05, "suffix:s") var fade_s: float = 0.6

var _glow: Dictionary = {"left": 0.0, "right": 0.0}

@onready var _pads: Dictionary = {"left": $Left, "right": $Right}


func _ready() -> void:
	_layout()
	_paint()


func _process(delta: float) -> void:
	var changed: bool = false
	for side: String in _glow:
		var glow: float = _glow[side]
		if glow > 0.0:
			_glow[side] = maxf(glow - delta / fade_s, 0.0)
			changed = true
	if changed:
		_paint()


## Light the `side` pad ("left", "right" or "both").
func light(side: String) -> void:
	for pad: String in _glow:
		if side == pad or side == "both":
			_glow[pad] = 1.0
	_paint()


## Put both pads out at once.
func clear() -> void:
	_glow = {"left": 0.0, "right": 0.0}
	_paint()


func _layout() -> void:
	if not is_node_ready():
		return
	for side: String in _pads:
		var pad: MeshInstance3D = _pads[side]
		var x: float = spacing * (-0.5 if side == "left" else 0.5)
		pad.position = Vector3(x, 0.006, 0.0)
		pad.scale = Vector3(pad_length * 0.42, 1.0, pad_length)


func _paint() -> void:
	if not is_node_ready():
		return
	for side: String in _pads:
		var pad: MeshInstance3D = _pads[side]
		var material: StandardMaterial3D = pad.material_override as StandardMaterial3D
		var glow: float = _glow[side]
		var tint: Color = color.lerp(lit_color, glow)
		material.albedo_color = tint
		material.emission = lit_color
		material.emission_energy_multiplier = 1.5 * glow
