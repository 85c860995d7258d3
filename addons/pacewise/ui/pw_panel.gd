class_name PwPanel
extends Node3D
## The calm panel in front of the patient: messages, the 0-10 pain question, short multiple
## choice questions, and a STOP button that is always there and never covered.
##
## Questions are neutral: the pain scale starts with no value (Confirm stays disabled until the
## patient picks a number) and no choice is preselected or focused. A line under each question
## says how to answer with the rig in use: point and pull the trigger (headset), click or press
## keys (desktop: number keys, arrows and Enter), or that the computer answers (a scripted run).
## Python answers for the synthetic patient with `answer(score)` and `choose(index)`.
##
## The panel keeps a strip along its bottom for STOP and the line saying how to stop; text and
## questions shrink to stay above it. `describe()` reports what is shown, for tests and tools.

## Emitted when the patient confirms a pain rating.
signal answered(score: int)
## Emitted when the patient picks one of the choices of `ask_choice`.
signal chosen(index: int, label: String)
## Emitted (one frame after `describe()`) with what the panel shows: see `describe()`.
signal described(state: Dictionary)

enum Asking { NOTHING, PAIN, CHOICE }

const LOW_ANCHOR: String = "no pain"
const HIGH_ANCHOR: String = "worst pain imaginable"
## What the panel shows the moment STOP is pressed, before the game side answers.
const STOP_TEXT: String = "You pressed stop. We have paused.\nTake your time; there is no rush."
const MAX_CHOICES: int = 6
const CHOICES_PER_ROW: int = 3
## The panel's size in metres (its backdrop) and where its parts sit, in the panel's plane.
const PANEL_SIZE: Vector2 = Vector2(1.3, 0.86)
const PROMPT_Y: float = 0.31
const PROMPT_MAX_H: float = 0.16
const HINT_Y: float = 0.165
const HINT_MAX_H: float = 0.08
const MESSAGE_Y: float = 0.11
## Text and questions stay above this line; below it is the stop strip.
const CONTENT_BOTTOM_Y: float = -0.19
const CONTENT_TOP_Y: float = 0.41
const CHOICE_SIZE: Vector2 = Vector2(0.38, 0.11)
const CHOICE_ROWS_Y: Array[float] = [0.03, -0.11]
const FONT_SIZES: Array[int] = [52, 44, 38, 32, 28, 24, 20]
const HINT_FONT_SIZES: Array[int] = [30, 26, 22]
const ANSWER_HINTS: Dictionary = {
	"xr": {
		"pain": "Point at a number and pull the trigger. Then point at Confirm and pull it again.",
		"choice": "Point at your answer and pull the trigger.",
	},
	"desktop": {
		"pain": "Click a number or type 0 to 9 (→ for 10). Then press Enter or click Confirm.",
		"choice": "Click your answer. Or press its number, then Enter.",
	},
	"scripted": {
		"pain": "This is a practice run: the computer answers for the player.",
		"choice": "This is a practice run: the computer answers for the player.",
	},
}
const STOP_HINTS: Dictionary = {
	"xr": "Stop at any time: STOP, the B or Y button, or the button on your left wrist.",
	"desktop": "Stop at any time: click STOP, or press Esc or B.",
	"scripted": "Stop at any time: STOP, or press Esc.",
}

var is_asking: bool = false
var asking: Asking = Asking.NOTHING
## The value on the pain scale now, or -1 while none is chosen.
var selected: int = -1
var choices: PackedStringArray = []
## Whether the panel shows the stop pause (from `show_pause`) rather than a message.
var is_paused: bool = false

var _focus: int = -1

@onready var _text: Label3D = $Text
@onready var _hint: Label3D = $Hint
@onready var _slider: PwSlider = $Slider
@onready var _confirm: PwButton = $Confirm
@onready var _choice_buttons: Array[PwButton] = [
	$Choices/Choice0, $Choices/Choice1, $Choices/Choice2,
	$Choices/Choice3, $Choices/Choice4, $Choices/Choice5,
]
@onready var _stop: PwButton = $Stop
@onready var _stop_hint: Label3D = $StopHint


func _enter_tree() -> void:
	add_to_group(&"pw_panel")


func _ready() -> void:
	_slider.value_changed.connect(_on_slider_changed)
	_confirm.pressed.connect(_on_confirm)
	for i: int in _choice_buttons.size():
		_choice_buttons[i].pressed.connect(choose.bind(i))
	_stop.pressed.connect(func() -> void: PwBridge.press_stop("panel"))
	_layout()


## Show `text`; an empty text hides the message (the stop button stays). Ignored while a
## question is open (withdraw it first with `cancel_question`).
func show_text(text: String) -> void:
	if is_asking and text != "":
		return
	is_paused = false
	_set_text(text)
	_layout()


## The stop pause: withdraw any open question and show `text` (STOP_TEXT by default) at once.
func show_pause(text: String = STOP_TEXT) -> void:
	asking = Asking.NOTHING
	is_asking = false
	is_paused = true
	_set_text(text)
	_layout()


## Ask for a 0-10 rating with `prompt`; `low` and `high` are the words under 0 and 10.
## The scale starts empty: the patient picks a number before Confirm works.
func ask_pain(prompt: String, low: String = LOW_ANCHOR, high: String = HIGH_ANCHOR) -> void:
	asking = Asking.PAIN
	is_asking = true
	is_paused = false
	selected = -1
	_slider.clear()
	_slider.low_anchor = low
	_slider.high_anchor = high
	_set_text(prompt)
	_layout()


## Ask `prompt` with 2-6 short answers; the answer is `chosen(index, label)`. None is focused.
func ask_choice(prompt: String, options: PackedStringArray) -> void:
	asking = Asking.CHOICE
	is_asking = true
	is_paused = false
	choices = options.slice(0, MAX_CHOICES)
	_focus = -1
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


## Lay the panel out again, e.g. once the main scene has settled which rig is in use (the
## lines on how to answer and how to stop follow `PwBridge.rig_kind`).
func refresh() -> void:
	_layout()


## Emit `described` on the next frame (when the text has been laid out) with: `screen`
## ("text", "pause", "pain" or "choice"), `text`, `hint`, `stop_hint`, `value` (-1: none),
## `confirm_enabled`, `confirm_text`, `choices`, `focus` (-1: none), `selected_choices`,
## `stop_visible`, `overlaps`: the visible parts that meet the STOP control, and `off_panel`:
## those reaching past the panel's edge (both empty, normally).
func describe() -> void:
	_emit_description.call_deferred()


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
		_on_confirm()
	else:
		var digit: int = _digit(event)
		if digit < 0:
			return false
		_slider.value = digit
	return true


func _choice_input(event: InputEvent) -> bool:
	var count: int = choices.size()
	if event.is_action_pressed("ui_left"):
		_focus = count - 1 if _focus < 0 else (_focus - 1 + count) % count
	elif event.is_action_pressed("ui_right"):
		_focus = 0 if _focus < 0 else (_focus + 1) % count
	elif event.is_action_pressed("ui_up"):
		_focus = maxi(_focus - CHOICES_PER_ROW, 0)
	elif event.is_action_pressed("ui_down"):
		_focus = 0 if _focus < 0 else mini(_focus + CHOICES_PER_ROW, count - 1)
	elif event.is_action_pressed("ui_accept"):
		if _focus >= 0:
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


func _set_text(text: String) -> void:
	_text.text = text


func _on_confirm() -> void:
	if asking == Asking.PAIN and _slider.has_value:
		answer(_slider.value)


func _on_slider_changed(value: int) -> void:
	selected = value
	_refresh_confirm()


func _refresh_confirm() -> void:
	var chosen_now: bool = _slider.has_value
	_confirm.disabled = not chosen_now
	_confirm.text = "Confirm %d" % _slider.value if chosen_now else "Confirm"


func _show_focus() -> void:
	for i: int in _choice_buttons.size():
		_choice_buttons[i].set_selected(asking == Asking.CHOICE and i == _focus)


func _rig_kind() -> String:
	var kind: String = PwBridge.rig_kind
	return kind if STOP_HINTS.has(kind) else "scripted"


func _layout() -> void:
	var kind: String = _rig_kind()
	_stop_hint.text = STOP_HINTS[kind]
	_slider.visible = asking == Asking.PAIN
	_confirm.visible = asking == Asking.PAIN
	_refresh_confirm()
	_hint.visible = asking != Asking.NOTHING
	if asking == Asking.NOTHING:
		_hint.text = ""
		_text.position.y = MESSAGE_Y
		_fit(_text, CONTENT_TOP_Y - CONTENT_BOTTOM_Y)
	else:
		_hint.text = ANSWER_HINTS[kind]["pain" if asking == Asking.PAIN else "choice"]
		_text.position.y = PROMPT_Y
		_fit(_text, PROMPT_MAX_H)
		_hint.position.y = HINT_Y
		_fit(_hint, HINT_MAX_H)
	var count: int = choices.size() if asking == Asking.CHOICE else 0
	var rows: int = ceili(float(count) / CHOICES_PER_ROW)
	for i: int in _choice_buttons.size():
		var button: PwButton = _choice_buttons[i]
		button.visible = i < count
		if i >= count:
			continue
		button.text = choices[i]
		button.size = CHOICE_SIZE
		var row: int = floori(float(i) / CHOICES_PER_ROW)
		var in_row: int = mini(count - row * CHOICES_PER_ROW, CHOICES_PER_ROW)
		var col: int = i % CHOICES_PER_ROW
		var x: float = (float(col) - (in_row - 1) * 0.5) * (CHOICE_SIZE.x + 0.03)
		var y: float = CHOICE_ROWS_Y[row] if rows > 1 else 0.0
		button.position = Vector3(x, y, 0.01)
	_show_focus()


# The largest font size (of FONT_SIZES, or HINT_FONT_SIZES for the hint) at which `label`'s
# text is at most `max_height` metres tall.
func _fit(label: Label3D, max_height: float) -> void:
	var font: Font = label.font if label.font != null else ThemeDB.fallback_font
	for size: int in HINT_FONT_SIZES if label == _hint else FONT_SIZES:
		label.font_size = size
		var lines: Vector2 = font.get_multiline_string_size(
			label.text, HORIZONTAL_ALIGNMENT_CENTER, label.width, size
		)
		if lines.y * label.pixel_size <= max_height:
			return


func _emit_description() -> void:
	var value: int = _slider.value if asking == Asking.PAIN and _slider.has_value else -1
	var shown: Array = []
	var picked: Array = []
	for i: int in _choice_buttons.size():
		var button: PwButton = _choice_buttons[i]
		if button.is_visible_in_tree():
			shown.append(button.text)
			if button.is_selected:
				picked.append(i)
	var screen: String = "pause" if is_paused else "text"
	if asking == Asking.PAIN:
		screen = "pain"
	elif asking == Asking.CHOICE:
		screen = "choice"
	described.emit({
		"screen": screen,
		"text": _text.text,
		"hint": _hint.text if _hint.visible else "",
		"stop_hint": _stop_hint.text,
		"value": value,
		"confirm_enabled": _confirm.is_visible_in_tree() and not _confirm.disabled,
		"confirm_text": _confirm.text,
		"choices": shown,
		"focus": _focus if asking == Asking.CHOICE else -1,
		"selected_choices": picked,
		"stop_visible": _stop.is_visible_in_tree(),
		"overlaps": _stop_overlaps(),
		"off_panel": _off_panel(),
	})


# Names of the visible parts whose outline (in the panel's plane) meets the STOP control's.
func _stop_overlaps() -> Array:
	var stop_box: Rect2 = Rect2()
	var first: bool = true
	for part: Node in _stop.find_children("*", "VisualInstance3D", true, false):
		var box: Rect2 = _flat_box(part as VisualInstance3D)
		stop_box = box if first else stop_box.merge(box)
		first = false
	var found: Array = []
	for part: Node in find_children("*", "VisualInstance3D", true, false):
		var visual: VisualInstance3D = part as VisualInstance3D
		if not visual.is_visible_in_tree() or part == $Backdrop or part == $Border:
			continue
		if _stop.is_ancestor_of(part):
			continue
		var box: Rect2 = _flat_box(visual)
		if box.has_area() and box.intersects(stop_box):
			found.append(str(get_path_to(part)))
	return found


# Names of the visible parts that reach past the panel's backdrop.
func _off_panel() -> Array:
	var panel_box: Rect2 = Rect2(-PANEL_SIZE * 0.5, PANEL_SIZE)
	var found: Array = []
	for part: Node in find_children("*", "VisualInstance3D", true, false):
		var visual: VisualInstance3D = part as VisualInstance3D
		if not visual.is_visible_in_tree() or part == $Border or part == $Backdrop:
			continue
		var box: Rect2 = _flat_box(visual)
		if box.has_area() and not panel_box.encloses(box):
			found.append(str(get_path_to(part)))
	return found


func _flat_box(visual: VisualInstance3D) -> Rect2:
	var to_panel: Transform3D = global_transform.affine_inverse() * visual.global_transform
	var box: AABB = to_panel * visual.get_aabb()
	return Rect2(box.position.x, box.position.y, box.size.x, box.size.y)
