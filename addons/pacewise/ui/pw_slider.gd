@tool
class_name PwSlider
extends Area3D
## A 0-10 scale with numbers and spoken-style anchors at its ends, for the pain question.
##
## It starts with no value and no knob, so nothing suggests an answer: the patient picks one.
## A controller's ray shows which number it points at; pulling the trigger (or a mouse click,
## or a hand touching the bar) puts the knob there. Keys step it with `step()`: from no value,
## a step right starts at the low end and a step left at the high end. `clear()` takes the
## value away again.

## Emitted when the knob moves, with the new value.
signal value_changed(value: int)

const UI_LAYER: int = 1 << 3
const HANDS_LAYER: int = 1 << 1
const ANCHOR_FONT_SIZE: int = 34
const ANCHOR_MAX_H: float = 0.12

## Lowest value (left end).
@export var min_value: int = 0:
	set(new_value):
		min_value = new_value
		_build()
## Highest value (right end).
@export var max_value: int = 10:
	set(new_value):
		max_value = new_value
		_build()
## The selected value; only meaningful while `has_value` is true. Setting it chooses it.
@export var value: int = 5:
	set(new_value):
		var clamped: int = clampi(new_value, min_value, max_value)
		var changed: bool = clamped != value or not has_value
		value = clamped
		has_value = true
		_place()
		if changed and not Engine.is_editor_hint():
			value_changed.emit(value)
## Length of the bar in metres.
@export_range(0.3, 1.5, 0.01, "suffix:m") var width: float = 0.96:
	set(new_value):
		width = new_value
		_build()
## Words under the left end.
@export var low_anchor: String = "no pain":
	set(new_value):
		low_anchor = new_value
		_build()
## Words under the right end.
@export var high_anchor: String = "worst pain imaginable":
	set(new_value):
		high_anchor = new_value
		_build()

## Whether a value has been chosen since the last `clear()` (the knob shows only then).
var has_value: bool = false
var hovered: int = -1

var _numbers: Array[Label3D] = []

@onready var _track: MeshInstance3D = $Track
@onready var _knob: MeshInstance3D = $Knob
@onready var _ghost: MeshInstance3D = $Ghost
@onready var _shape: CollisionShape3D = $Shape
@onready var _low: Label3D = $LowAnchor
@onready var _high: Label3D = $HighAnchor


func _ready() -> void:
	collision_mask = HANDS_LAYER
	_sync_active()
	_build()


func _notification(what: int) -> void:
	if what == NOTIFICATION_VISIBILITY_CHANGED:
		_sync_active()


func _physics_process(_delta: float) -> void:
	if Engine.is_editor_hint() or not monitoring:
		return
	for area: Area3D in get_overlapping_areas():
		if area is PwHand:
			value = value_at(area.global_position)


## The value under `point` (a global position on or near the bar).
func value_at(point: Vector3) -> int:
	var x: float = to_local(point).x
	var share: float = clampf(x / width + 0.5, 0.0, 1.0)
	return min_value + roundi(share * float(max_value - min_value))


## Move the knob by `delta` steps; from no value, right starts at the low end, left at the high.
func step(delta: int) -> void:
	if delta == 0:
		return
	if has_value:
		value = value + delta
	elif delta > 0:
		value = min_value + delta - 1
	else:
		value = max_value + delta + 1


## Take the value away: no knob, nothing chosen.
func clear() -> void:
	has_value = false
	_place()


## A pointer's ray rests on the bar at `point`.
func pointer_hover(point: Vector3) -> void:
	hovered = value_at(point)
	_place()


func pointer_exit() -> void:
	hovered = -1
	_place()


## The trigger was pulled while pointing at `point`: the knob goes there.
func pointer_press(point: Vector3) -> void:
	value = value_at(point)


func _x_of(v: int) -> float:
	var span: int = maxi(max_value - min_value, 1)
	return (float(v - min_value) / float(span) - 0.5) * width


func _sync_active() -> void:
	var active: bool = is_inside_tree() and is_visible_in_tree()
	collision_layer = UI_LAYER if active else 0
	set_deferred(&"monitoring", active and not Engine.is_editor_hint())


func _build() -> void:
	if not is_node_ready():
		return
	(_track.mesh as BoxMesh).size = Vector3(width + 0.04, 0.026, 0.012)
	(_shape.shape as BoxShape3D).size = Vector3(width + 0.1, 0.16, 0.08)
	for label: Label3D in _numbers:
		label.queue_free()
	_numbers.clear()
	for v: int in range(min_value, max_value + 1):
		var label: Label3D = Label3D.new()
		label.text = str(v)
		label.pixel_size = 0.0012
		label.font_size = 44
		label.outline_size = 0
		label.position = Vector3(_x_of(v), 0.07, 0.004)
		add_child(label)
		_numbers.append(label)
	_low.text = low_anchor
	_low.position = Vector3(-width * 0.5 - 0.02, -0.055, 0.004)
	_high.text = high_anchor
	_high.position = Vector3(width * 0.5 + 0.02, -0.055, 0.004)
	_fit_anchor(_low)
	_fit_anchor(_high)
	_place()


# Anchor words take at most ANCHOR_MAX_H metres below the bar: long ones get a smaller font.
func _fit_anchor(label: Label3D) -> void:
	var font: Font = label.font if label.font != null else ThemeDB.fallback_font
	label.font_size = ANCHOR_FONT_SIZE
	while label.font_size > 18:
		var words: Vector2 = font.get_multiline_string_size(
			label.text, HORIZONTAL_ALIGNMENT_LEFT, label.width, label.font_size
		)
		if words.y * label.pixel_size <= ANCHOR_MAX_H:
			return
		label.font_size -= 4


func _place() -> void:
	if not is_node_ready():
		return
	_knob.visible = has_value or Engine.is_editor_hint()
	_knob.position = Vector3(_x_of(value), 0.0, 0.012)
	_ghost.visible = hovered >= 0 and (hovered != value or not has_value)
	if _ghost.visible:
		_ghost.position = Vector3(_x_of(hovered), 0.0, 0.01)
	for i: int in _numbers.size():
		var v: int = min_value + i
		var label: Label3D = _numbers[i]
		var chosen: bool = has_value and v == value
		label.modulate = Color(0.98, 0.82, 0.42) if chosen else Color(0.93, 0.94, 0.9)
		label.font_size = 60 if chosen else 44
