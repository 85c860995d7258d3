@tool
class_name PwWristStop
extends PwButton
## The stop button on the back of the left wrist: touch it with the right hand (or point at it
## and pull the trigger) and the session pauses at once. Only `armed` buttons react, so a
## scripted patient's hands passing close together never stop a demo by accident.

## Whether touches and pointers press it (the XR and desktop rigs arm it).
@export var armed: bool = true


func _ready() -> void:
	super._ready()
	if not pressed.is_connected(_on_pressed):
		pressed.connect(_on_pressed)


func _on_area_entered(area: Area3D) -> void:
	if armed:
		super._on_area_entered(area)


## Point-and-trigger presses count only when armed.
func pointer_press(point: Vector3) -> void:
	if armed:
		super.pointer_press(point)


func _on_pressed() -> void:
	if not Engine.is_editor_hint():
		PwBridge.press_stop("wrist")
