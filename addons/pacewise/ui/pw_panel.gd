class_name PwPanel
extends Node3D
## The calm panel in front of the patient: messages, the 0-10 pain question, short multiple
## choice questions, and a stop button that is always there.
##
## Answer the pain question by pointing a controller's ray at the scale and pulling the trigger
## (or clicking, or touching it), then pressing "Confirm"; or with left/right and accept
## (keyboard, gamepad), or the number keys 0-9 and Enter. Choices work the same way (keys 1-6).
## Python answers for the synthetic patient with `answer(score)` and `choose(index)`.

## Emitted when the patient confirms a pain rating.
signal answered(score: int)
## Emitted when the patient picks one of the choices of `ask_choice`.
signal chosen(index: int, label: String)

enum Asking { NOTHING, PAIN, CHOICE }

const LOW_ANCHOR: String = "no pain"
const HIGH_ANCHOR: String = "worst pain imaginable"
const MAX_CHOICES: int = 6
const CHOICES_PER_ROW: int = 3
const TEXT_TOP_Y: float = 0.25
const TEXT_ALONE_Y: float = 0.06

var is_asking: bool = false
var asking: Asking = Asking.NOTHING
var selected: int = 5
var choices: PackedStringArray = []

var _focus: int = 0

@onready var _text: Label3D = $Text
@onready var _slider: PwSlider = $Slider
@onready var _confirm: PwButton = $Confirm
@onready var _choice_buttons: Array[PwButton] = [
	$Choices/Choice0, $Choices/Choice1, $Choices/Choice2,
	$Choices/Choice3, $Choices/Choice4, $Choices/Choice5,
]
@onready var _stop: PwButton = $Stop


func _enter_tree() -> void:
	add_to_group(&"pw_panel")


func _ready() -> void:
	_slider.value_changed.connect(_on_slider_changed)
	_confirm.pressed.connect(func() -> void: answer(_slider.value))
	for i: int in _choice_buttons.size():
		_choice_buttons[i].pressed.connect(choose.bind(i))
	_stop.pressed.connect(func() -> void: PwBridge.press_stop("panel"))
	_layout()


## Show `text`; an empty text hides the message (the stop button stays).
func show_text(text: String) -> void:
	if is_asking and text != "":
		return
	_set_text(text)


## Ask for a 0-10 rating with `prompt`; `low` and `high` are the words under 0 and 10.
func ask_pain(prompt: String, low: String = LOW_ANCHOR, high: String = HIGH_ANCHOR) -> void:
	asking = Asking.PAIN
	is_asking = true
	selected = 5
	_slider.value = selected
	_slider.low_anchor = low
	_slider.high_anchor = high
	_set_text(prompt)
	_layout()


## Ask `prompt` with 2-6 short answers; the answer is `chosen(index, label)`.
func ask_choice(prompt: String, options: PackedStringArray) -> void:
	asking = Asking.CHOICE
	is_asking = true
	choices = options.slice(0, MAX_CHOICES)
	_focus = 0
	_set_text(prompt)
	_layout()


## Withdraw an open question without an answer (the session paused).
func cancel_question() -> void:
	asking = Asking.NOTHING
	is_asking = false
	_layout()


## Confirm `score` as the answer to the open pain question.
func answer(score: int) -> void:
	if asking != Asking.PAIN:
		return
	selected = clampi(score, 0, 10)
	_close("Thank you.")
	answered.emit(selected)


## Pick choice `index` (from 0) of the open question.
func choose(index: int) -> void:
	if asking != Asking.CHOICE or index < 0 or index >= choices.size():
		return
	var label: String = choices[index]
	_close("Thank you.")
	chosen.emit(index, label)


func _unhandled_input(event: InputEvent) -> void:
	if not is_asking:
		return
	var handled: bool = true
	if asking == Asking.PAIN:
		handled = _pain_input(event)
	else:
		handled = _choice_input(event)
	if handled:
		get_viewport().set_input_as_handled()


func _pain_input(event: InputEvent) -> bool:
	if event.is_action_pressed("ui_left"):
		_slider.step(-1)
	elif event.is_action_pressed("ui_right"):
		_slider.step(1)
	elif event.is_action_pressed("ui_accept"):
		answer(_slider.value)
	else:
		var digit: int = _digit(event)
		if digit < 0:
			return false
		_slider.value = digit
	return true


func _choice_input(event: InputEvent) -> bool:
	var count: int = choices.size()
	if event.is_action_pressed("ui_left"):
		_focus = (_focus - 1 + count) % count
	elif event.is_action_pressed("ui_right"):
		_focus = (_focus + 1) % count
	elif event.is_action_pressed("ui_up"):
		_focus = maxi(_focus - CHOICES_PER_ROW, 0)
	elif event.is_action_pressed("ui_down"):
		_focus = mini(_focus + CHOICES_PER_ROW, count - 1)
	elif event.is_action_pressed("ui_accept"):
		choose(_focus)
		return true
	else:
		var digit: int = _digit(event)
		if digit < 1 or digit > count:
			return false
		_focus = digit - 1
	_show_focus()
	return true


func _digit(event: InputEvent) -> int:
	var key: InputEventKey = event as InputEventKey
	if key == null or not key.pressed or key.echo:
		return -1
	if key.keycode >= KEY_0 and key.keycode <= KEY_9:
		return key.keycode - KEY_0
	if key.keycode >= KEY_KP_0 and key.keycode <= KEY_KP_9:
		return key.keycode - KEY_KP_0
	return -1


func _close(message: String) -> void:
	asking = Asking.NOTHING
	is_asking = false
	_set_text(message)
	_layout()


# Long messages (a summary) get a smaller font so they stay on the panel.
func _set_text(text: String) -> void:
	var lines: int = text.count("\n") + 1 + floori(text.length() / 80.0)
	_text.font_size = 52 if lines <= 4 else (44 if lines <= 6 else 36)
	_text.text = text


func _on_slider_changed(value: int) -> void:
	selected = value
	_confirm.text = "Confirm %d" % value


func _show_focus() -> void:
	for i: int in _choice_buttons.size():
		_choice_buttons[i].set_selected(asking == Asking.CHOICE and i == _focus)


func _layout() -> void:
	_slider.visible = asking == Asking.PAIN
	_confirm.visible = asking == Asking.PAIN
	_confirm.text = "Confirm %d" % _slider.value
	_text.position.y = TEXT_ALONE_Y if asking == Asking.NOTHING else TEXT_TOP_Y
	var count: int = choices.size() if asking == Asking.CHOICE else 0
	var rows: int = ceili(float(count) / CHOICES_PER_ROW)
	for i: int in _choice_buttons.size():
		var button: PwButton = _choice_buttons[i]
		button.visible = i < count
		if i >= count:
			continue
		button.text = choices[i]
		button.size = Vector2(0.38, 0.11)
		var row: int = floori(float(i) / CHOICES_PER_ROW)
		var in_row: int = mini(count - row * CHOICES_PER_ROW, CHOICES_PER_ROW)
		var col: int = i % CHOICES_PER_ROW
		var x: float = (float(col) - (in_row - 1) * 0.5) * 0.41
		var y: float = 0.0 - float(row) * 0.15 + (0.07 if rows == 1 else 0.0)
		button.position = Vector3(x, y, 0.01)
	_show_focus()
