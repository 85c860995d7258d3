@tool
class_name PwButton
extends Area3D
## A button on a panel (or a wrist) that a hand presses by touching it, a controller's ray
## presses by pointing and pulling the trigger, and a mouse presses by clicking.
##
## Hidden and `disabled` buttons cannot be pressed; a disabled one is drawn faded. A button
## ignores touches for `PRESS_COOLDOWN_MS` after a press, so one touch is one press.

## Emitted when the button is pressed (by touch, pointer or code).
signal pressed

const PRESS_COOLDOWN_MS: int = 600
const UI_LAYER: int = 1 << 3
const HANDS_LAYER: int = 1 << 1

## The words on the button.
@export var text: String = "":
	set(value):
		text = value
		_refresh()
## Width and height in metres.
@export var size: Vector2 = Vector2(0.34, 0.1):
	set(value):
		size = value
		_refresh()
## A round button (the stop) instead of a rectangle; its diameter is `size.y`.
@export var round_shape: bool = false:
	set(value):
		round_shape = value
		_refresh()
## Face colour.
@export var color: Color = Color(0.24, 0.36, 0.42):
	set(value):
		color = value
		_refresh()
## Text size in pixels of the label's font.
@export var font_size: int = 40:
	set(value):
		font_size = value
		_refresh()
## Which hands may press it by touch ("both", or only "left"/"right").
@export_enum("both", "left", "right") var touch_hand: String = "both"
## A disabled button is drawn faded and ignores touches, pointers and `press()`.
@export var disabled: bool = false:
	set(value):
		disabled = value
		_refresh()

var is_hovered: bool = false
var is_selected: bool = false

var _last_press_ms: int = -100000

@onready var _face: MeshInstance3D = $Face
@onready var _ring: MeshInstance3D = $Ring
@onready var _shape: CollisionShape3D = $Shape
@onready var _label: Label3D = $Label


func _ready() -> void:
	collision_mask = HANDS_LAYER
	if not area_entered.is_connected(_on_area_entered):
		area_entered.connect(_on_area_entered)
	_sync_active()
	_refresh()


func _notification(what: int) -> void:
	if what == NOTIFICATION_VISIBILITY_CHANGED:
		_sync_active()


## A pointer's ray rests on the button.
func pointer_hover(_point: Vector3) -> void:
	if not is_hovered:
		is_hovered = true
		_refresh()


## The pointer's ray left the button.
func pointer_exit() -> void:
	if is_hovered:
		is_hovered = false
		_refresh()


## The pointer's trigger was pulled while resting on the button.
func pointer_press(_point: Vector3) -> void:
	press()


## Mark the button as the keyboard's or gamepad's current choice.
func set_selected(selected: bool) -> void:
	is_selected = selected
	_refresh()


## Press the button, if it is visible and not disabled.
func press() -> void:
	if Engine.is_editor_hint() or disabled or not is_visible_in_tree():
		return
	_last_press_ms = Time.get_ticks_msec()
	pressed.emit()


func _sync_active() -> void:
	var active: bool = is_inside_tree() and is_visible_in_tree()
	collision_layer = UI_LAYER if active else 0
	set_deferred(&"monitoring", active and not Engine.is_editor_hint())


func _refresh() -> void:
	if not is_node_ready():
		return
	var depth: float = 0.02
	if round_shape:
		var disc: CylinderMesh = CylinderMesh.new()
		disc.top_radius = size.y * 0.5
		disc.bottom_radius = size.y * 0.5
		disc.height = depth
		disc.radial_segments = 40
		_face.mesh = disc
		_face.rotation = Vector3(PI * 0.5, 0.0, 0.0)
		var rim: CylinderMesh = disc.duplicate() as CylinderMesh
		rim.top_radius = size.y * 0.5 + 0.012
		rim.bottom_radius = rim.top_radius
		rim.height = depth * 0.5
		_ring.mesh = rim
		_ring.rotation = _face.rotation
	else:
		var box: BoxMesh = BoxMesh.new()
		box.size = Vector3(size.x, size.y, depth)
		_face.mesh = box
		_face.rotation = Vector3.ZERO
		var rim: BoxMesh = BoxMesh.new()
		rim.size = Vector3(size.x + 0.024, size.y + 0.024, depth * 0.5)
		_ring.mesh = rim
		_ring.rotation = Vector3.ZERO
	var box_shape: BoxShape3D = _shape.shape as BoxShape3D
	box_shape.size = Vector3(size.x, size.y, 0.08)
	var face: StandardMaterial3D = _face.material_override as StandardMaterial3D
	var live_hover: bool = is_hovered and not disabled
	if face != null:
		var lift: float = 0.22 if live_hover else 0.0
		var shade: Color = color.lerp(Color(0.3, 0.32, 0.33), 0.6) if disabled else color
		face.albedo_color = shade.lerp(Color.WHITE, lift)
	_ring.visible = (is_hovered or is_selected) and not disabled
	_label.text = text
	_label.font_size = _fitting_font_size()
	_label.modulate.a = 0.55 if disabled else 1.0
	_label.position = Vector3(0.0, 0.0, depth * 0.5 + 0.003)
	_label.width = maxf(size.x / _label.pixel_size, 10.0)
	scale = Vector3.ONE * (1.04 if live_hover else 1.0)


# `font_size`, or smaller where the words would not fit on the button's face.
func _fitting_font_size() -> int:
	var font: Font = _label.font if _label.font != null else ThemeDB.fallback_font
	var wrap_px: float = maxf(size.x / _label.pixel_size, 10.0)
	var fitted: int = font_size
	while fitted > 16:
		var words: Vector2 = font.get_multiline_string_size(
			text, HORIZONTAL_ALIGNMENT_CENTER, wrap_px, fitted
		)
		if words.y * _label.pixel_size <= size.y * 0.92:
			break
		fitted -= 4
	return fitted


func _on_area_entered(area: Area3D) -> void:
	if Engine.is_editor_hint() or not area is PwHand:
		return
	var side: String = (area as PwHand).side
	if touch_hand != "both" and side != touch_hand:
		return
	if Time.get_ticks_msec() - _last_press_ms < PRESS_COOLDOWN_MS:
		return
	press()
