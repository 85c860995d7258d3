class_name PwCommandApplier
extends RefCounted
## Carries out the ops Python sends (see docs/protocol.md); each returns "" or what went wrong.
##
## JSON has no vectors or colours: an array of numbers becomes a Vector3 or Color where the
## property or method argument it lands in has that type.

var _bridge: Node


func _init(bridge: Node) -> void:
	_bridge = bridge


## A Godot value as JSON-friendly data (vectors become arrays).
static func to_json(value: Variant) -> Variant:
	match typeof(value):
		TYPE_VECTOR3:
			var v: Vector3 = value
			return [v.x, v.y, v.z]
		TYPE_VECTOR2:
			var w: Vector2 = value
			return [w.x, w.y]
		TYPE_STRING_NAME, TYPE_NODE_PATH:
			return str(value)
		TYPE_OBJECT:
			var node: Node = value as Node
			return str(node.get_path()) if node != null else null
	return value


## `value` converted to the Variant type `type` where JSON could not say it.
static func coerce(value: Variant, type: int) -> Variant:
	if value is Array:
		var items: Array = value
		if type == TYPE_VECTOR3 and items.size() == 3:
			return Vector3(float(items[0]), float(items[1]), float(items[2]))
		if type == TYPE_VECTOR2 and items.size() == 2:
			return Vector2(float(items[0]), float(items[1]))
		if type == TYPE_COLOR and items.size() in [3, 4]:
			var alpha: float = float(items[3]) if items.size() == 4 else 1.0
			return Color(float(items[0]), float(items[1]), float(items[2]), alpha)
	if type == TYPE_INT and (value is float or value is int):
		return int(value)
	if type == TYPE_STRING_NAME and value is String:
		return StringName(value)
	return value


func apply(op: Dictionary) -> String:
	var problem: String = ""
	match str(op.get("op", "")):
		PwProtocol.OP_SET:
			problem = _set_property(op)
		PwProtocol.OP_CALL:
			problem = _call_method(op)
		PwProtocol.OP_SPAWN:
			problem = _spawn(op)
		PwProtocol.OP_FREE:
			problem = _free(op)
		PwProtocol.OP_CONNECT:
			var node: Node = _node(op)
			problem = _missing(op) if node == null else _bridge.relay(
				node, StringName(str(op.get("signal", "")))
			)
		PwProtocol.OP_LOAD_LEVEL:
			problem = _load_level(str(op.get("scene", "")))
		PwProtocol.OP_UNLOAD_LEVEL:
			_clear_level()
		PwProtocol.OP_RIG_POSE:
			var rig: PwRig = _rig()
			if rig != null:
				rig.apply_pose(op)
		PwProtocol.OP_TEXT:
			var panel: PwPanel = _panel()
			if panel != null:
				panel.show_text(str(op.get("text", "")))
		PwProtocol.OP_ASK_PAIN:
			var panel: PwPanel = _panel()
			if panel == null:
				problem = "no panel to ask on"
			else:
				panel.ask_pain(str(op.get("prompt", "")),
					str(op.get("low", PwProtocol.DEFAULT_ASK_PAIN_LOW)),
					str(op.get("high", PwProtocol.DEFAULT_ASK_PAIN_HIGH)))
		PwProtocol.OP_ASK_CHOICE:
			problem = _ask_choice(op)
		PwProtocol.OP_CUE:
			var cues: PwCuePlayer = _cues()
			if cues == null:
				problem = "no cue player in the scene"
			else:
				problem = cues.play(str(op.get("name", "")),
					float(op.get("volume_db", PwProtocol.DEFAULT_CUE_VOLUME_DB)))
		PwProtocol.OP_RIG_MODE:
			problem = _rig_mode(op)
		PwProtocol.OP_RECENTER:
			var rig: PwRig = _rig()
			if rig == null:
				problem = "no rig to recenter"
			else:
				rig.recenter()
		PwProtocol.OP_HAPTIC:
			var rig: PwRig = _rig()
			if rig != null:
				rig.haptic(str(op.get("hand", "right")),
					float(op.get("amplitude", PwProtocol.DEFAULT_HAPTIC_AMPLITUDE)),
					float(op.get("duration_s", PwProtocol.DEFAULT_HAPTIC_DURATION_S)))
		PwProtocol.OP_SCREENSHOT:
			problem = _screenshot(str(op.get("path", "")))
		PwProtocol.OP_QUIT:
			_bridge.request_quit(int(op.get("code", PwProtocol.DEFAULT_QUIT_CODE)))
		var unknown:
			problem = "unknown op %s" % unknown
	return problem


func _node(op: Dictionary) -> Node:
	return _bridge.get_node_or_null(NodePath(str(op.get("node", ""))))


func _missing(op: Dictionary) -> String:
	return "no node at %s" % str(op.get("node", ""))


func _free(op: Dictionary) -> String:
	var node: Node = _node(op)
	if node == null:
		return _missing(op)
	node.queue_free()
	return ""


func _rig() -> PwRig:
	return _bridge.get_tree().get_first_node_in_group(&"pw_rig") as PwRig


func _panel() -> PwPanel:
	return _bridge.get_tree().get_first_node_in_group(&"pw_panel") as PwPanel


func _property_type(object: Object, prop: String) -> int:
	for info: Dictionary in object.get_property_list():
		if info["name"] == prop:
			return int(info["type"])
	return -1


func _cues() -> PwCuePlayer:
	return _bridge.get_tree().get_first_node_in_group(&"pw_cues") as PwCuePlayer


func _ask_choice(op: Dictionary) -> String:
	var panel: PwPanel = _panel()
	if panel == null:
		return "no panel to ask on"
	var raw: Variant = op.get("choices", [])
	var low: int = PwProtocol.ASK_CHOICE_CHOICES_MIN_ITEMS
	var high: int = PwProtocol.ASK_CHOICE_CHOICES_MAX_ITEMS
	if not raw is Array or (raw as Array).size() < low or (raw as Array).size() > high:
		return "ask_choice needs %d to %d choices" % [low, high]
	var labels: PackedStringArray = []
	for item: Variant in raw:
		labels.append(str(item))
	panel.ask_choice(str(op.get("prompt", "")), labels)
	return ""


func _rig_mode(op: Dictionary) -> String:
	var rig: PwRig = _rig()
	var posture: String = str(op.get("posture", ""))
	if rig == null:
		return "no rig to set"
	if posture not in PwProtocol.RIG_MODE_POSTURE_CHOICES:
		return "posture must be seated or standing, not %s" % posture
	var offset: float = float(
		op.get("height_offset_m", PwProtocol.DEFAULT_RIG_MODE_HEIGHT_OFFSET_M)
	)
	rig.set_posture(posture, clampf(offset, PwProtocol.RIG_MODE_HEIGHT_OFFSET_M_MIN,
		PwProtocol.RIG_MODE_HEIGHT_OFFSET_M_MAX))
	return ""


func _set_property(op: Dictionary) -> String:
	var node: Node = _node(op)
	if node == null:
		return _missing(op)
	var prop: String = str(op.get("prop", ""))
	var type: int = _property_type(node, prop)
	if type < 0:
		return "%s has no property %s" % [node.get_path(), prop]
	node.set(prop, coerce(op.get("value"), type))
	return ""


func _call_method(op: Dictionary) -> String:
	var node: Node = _node(op)
	if node == null:
		return _missing(op)
	var method: String = str(op.get("method", ""))
	if not node.has_method(method):
		return "%s has no method %s" % [node.get_path(), method]
	var args: Array = op.get("args", [])
	for info: Dictionary in node.get_method_list():
		if info["name"] == method:
			var declared: Array = info["args"]
			for i: int in mini(args.size(), declared.size()):
				args[i] = coerce(args[i], int((declared[i] as Dictionary)["type"]))
			break
	node.callv(method, args)
	return ""


func _spawn(op: Dictionary) -> String:
	var parent: Node = _bridge.get_node_or_null(NodePath(str(op.get("parent", ""))))
	if parent == null:
		return "no parent at %s" % str(op.get("parent", ""))
	var scene_path: String = str(op.get("scene", ""))
	if not ResourceLoader.exists(scene_path):
		return "no scene %s" % scene_path
	var scene: PackedScene = load(scene_path) as PackedScene
	if scene == null:
		return "%s is not a scene" % scene_path
	var node: Node = scene.instantiate()
	var name: String = str(op.get("name", ""))
	if parent.has_node(NodePath(name)):
		node.free()
		return "%s already has a child named %s" % [parent.get_path(), name]
	node.name = name
	var props: Dictionary = op.get("props", {})
	for prop: String in props:
		var type: int = _property_type(node, prop)
		if type < 0:
			node.free()
			return "%s has no property %s" % [scene_path, prop]
		node.set(prop, coerce(props[prop], type))
	if node is Node3D:
		var position: Variant = op.get("position", PwProtocol.DEFAULT_SPAWN_POSITION)
		(node as Node3D).position = coerce(position, TYPE_VECTOR3)
	parent.add_child(node)
	return ""


func _screenshot(path: String) -> String:
	if DisplayServer.get_name() == "headless":
		return "no pictures in headless mode"
	if not path.is_absolute_path() or not path.ends_with(".png"):
		return "screenshot path must be an absolute .png path"
	# Draw now: with the render loop off (fast picture runs) nothing else draws this frame.
	RenderingServer.force_draw(false)
	var image: Image = _bridge.get_viewport().get_texture().get_image()
	var err: Error = image.save_png(path)
	return "" if err == OK else "could not save %s (error %d)" % [path, err]


func _level_root() -> Node:
	return _bridge.get_tree().get_first_node_in_group(&"pw_level_root")


func _clear_level() -> void:
	var root: Node = _level_root()
	if root == null:
		return
	for child: Node in root.get_children():
		root.remove_child(child)
		child.queue_free()


func _load_level(scene_path: String) -> String:
	var root: Node = _level_root()
	if root == null:
		return "no level root in this scene"
	if not ResourceLoader.exists(scene_path):
		return "no level scene %s" % scene_path
	var scene: PackedScene = load(scene_path) as PackedScene
	if scene == null:
		return "%s is not a scene" % scene_path
	_clear_level()
	var level: Node = scene.instantiate()
	root.add_child(level)
	_bridge.send({"type": PwProtocol.MSG_LEVEL_LOADED, "scene": scene_path,
		"root": str(level.get_path())})
	return ""
