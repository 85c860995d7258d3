class_name PwPanel
extends Node3D
## The calm text panel in front of the patient: messages, and the 0-10 pain question.
##
## The pain scale is answered with left/right and accept (keyboard, gamepad or controller),
## or by `answer()` from Python (the synthetic patient in demos). The stop hint is always shown.

## Emitted when the patient confirms a pain rating.
signal answered(score: int)

const ANCHORS: String = "0 = no pain          10 = worst pain imaginable"

var is_asking: bool = false
var selected: int = 5

@onready var _text: Label3D = $Text
@onready var _scale: Label3D = $Scale
@onready var _anchors: Label3D = $Anchors


func _enter_tree() -> void:
	add_to_group(&"pw_panel")


func _ready() -> void:
	_scale.visible = false
	_anchors.visible = false
	_anchors.text = ANCHORS


## Show `text`; an empty text hides the message (the stop hint stays).
func show_text(text: String) -> void:
	if is_asking and text != "":
		return
	_text.text = text


## Ask for a 0-10 pain rating with `prompt`.
func ask_pain(prompt: String) -> void:
	is_asking = true
	selected = 5
	_text.text = prompt
	_scale.visible = true
	_anchors.visible = true
	_draw_scale()


## Withdraw an open question without an answer (the session paused).
func cancel_question() -> void:
	is_asking = false
	_scale.visible = false
	_anchors.visible = false


## Confirm `score` as the answer to the open question.
func answer(score: int) -> void:
	if not is_asking:
		return
	is_asking = false
	selected = clampi(score, 0, 10)
	_scale.visible = false
	_anchors.visible = false
	_text.text = "Thank you."
	answered.emit(selected)


func _unhandled_input(event: InputEvent) -> void:
	if not is_asking:
		return
	if event.is_action_pressed("ui_left"):
		selected = maxi(selected - 1, 0)
		_draw_scale()
	elif event.is_action_pressed("ui_right"):
		selected = mini(selected + 1, 10)
		_draw_scale()
	elif event.is_action_pressed("ui_accept"):
		answer(selected)


func _draw_scale() -> void:
	var parts: PackedStringArray = []
	for i: int in 11:
		parts.append("[%d]" % i if i == selected else " %d " % i)
	_scale.text = " ".join(parts)
