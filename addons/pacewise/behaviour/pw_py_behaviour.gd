@tool
@icon("res://addons/pacewise/icons/pw_icon.svg")
class_name PwPyBehaviour
extends Node3D
## Runs a Python behaviour for this part of the scene.
##
## Pick a `.py` file under `scripts/` that defines one `Behaviour` subclass; its hooks get this
## node's path, the parameters below, every tracking frame and the signals it connects to.
## Children it spawns are placed relative to this node. Edit the file while the game runs and
## the behaviour reloads.

## The Python file with the behaviour (under res://scripts/).
@export_file("*.py") var script_path: String = ""
## Parameters handed to the behaviour (its `self.params`).
@export var parameters: Dictionary = {}


func _ready() -> void:
	if Engine.is_editor_hint():
		return
	var bridge: Node = get_node_or_null(^"/root/PwBridge")
	if bridge != null:
		bridge.behaviour_ready(self, script_path, parameters)


func _exit_tree() -> void:
	if Engine.is_editor_hint():
		return
	var bridge: Node = get_node_or_null(^"/root/PwBridge")
	if bridge != null:
		bridge.behaviour_exit(self)


func _get_configuration_warnings() -> PackedStringArray:
	var warnings: PackedStringArray = []
	if script_path == "":
		warnings.append("Pick the Python file with this node's behaviour (script_path).")
	elif not script_path.ends_with(".py"):
		warnings.append("script_path must be a .py file.")
	elif not FileAccess.file_exists(script_path):
		warnings.append("%s does not exist." % script_path)
	return warnings
