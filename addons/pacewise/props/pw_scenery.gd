@tool
class_name PwScenery
extends Node3D
## The calm world around the patient, grown from a seed out of Godot primitives: a wide meadow
## whose edge fades into the fog, low hills on the horizon, soft trees, a few stones and a pond.
## Nothing is placed within `clear_radius` of the origin (where the patient plays) or inside
## the view cone straight ahead (where panels and targets appear).

## Change it for another arrangement of the same kinds of things.
@export var seed_value: int = 7:
	set(value):
		seed_value = value
		_grow()
## How many trees.
@export_range(0, 60, 1) var tree_count: int = 22:
	set(value):
		tree_count = value
		_grow()
## How many stones.
@export_range(0, 40, 1) var stone_count: int = 12:
	set(value):
		stone_count = value
		_grow()
## Metres around the origin kept free.
@export_range(2.0, 20.0, 0.5, "suffix:m") var clear_radius: float = 5.0:
	set(value):
		clear_radius = value
		_grow()
## Half-angle of the free view cone straight ahead (-Z), in degrees.
@export_range(0.0, 60.0, 1.0, "suffix:°") var clear_view_deg: float = 28.0:
	set(value):
		clear_view_deg = value
		_grow()
## A pond ahead and to the left.
@export var pond: bool = true:
	set(value):
		pond = value
		_grow()

var _materials: Dictionary = {}


func _ready() -> void:
	_grow()


func _grow() -> void:
	if not is_node_ready():
		return
	for child: Node in get_children():
		if child.has_meta(&"pw_grown"):
			remove_child(child)
			child.queue_free()
	var rng: RandomNumberGenerator = RandomNumberGenerator.new()
	rng.seed = seed_value
	_hills(rng)
	for i: int in tree_count:
		var spot: Vector3 = _free_spot(rng, clear_radius + 2.0, 32.0)
		if rng.randf() < 0.55:
			_pine(spot, rng.randf_range(2.6, 5.0), rng)
		else:
			_round_tree(spot, rng.randf_range(2.4, 4.2), rng)
	if pond:
		_pond(Vector3(-7.5, 0.0, -10.0), 3.6)
	for i: int in stone_count:
		var spot: Vector3 = _free_spot(rng, clear_radius, 18.0)
		_stone(spot, rng.randf_range(0.18, 0.6), rng)


# A point on the ground between the two radii, outside the free view cone.
func _free_spot(rng: RandomNumberGenerator, near: float, far: float) -> Vector3:
	for attempt: int in 40:
		var angle: float = rng.randf_range(-PI, PI)
		var dist: float = sqrt(rng.randf_range(near * near, far * far))
		if absf(angle) < deg_to_rad(clear_view_deg) and dist < 20.0:
			continue
		return Vector3(-sin(angle) * dist, 0.0, -cos(angle) * dist)
	return Vector3(far, 0.0, 0.0)


func _hills(rng: RandomNumberGenerator) -> void:
	for i: int in 14:
		var angle: float = TAU * float(i) / 14.0 + rng.randf_range(-0.15, 0.15)
		var dist: float = rng.randf_range(70.0, 110.0)
		var width: float = rng.randf_range(40.0, 70.0)
		var height: float = rng.randf_range(7.0, 16.0)
		var hill: MeshInstance3D = _add(_sphere(1.0, 24, 12), "hill", Vector3(
			-sin(angle) * dist, -height * 0.35, -cos(angle) * dist))
		hill.scale = Vector3(width, height, width * 0.7)
		hill.rotation.y = angle
		hill.cast_shadow = GeometryInstance3D.SHADOW_CASTING_SETTING_OFF


func _pine(at: Vector3, height: float, rng: RandomNumberGenerator) -> void:
	var trunk: CylinderMesh = CylinderMesh.new()
	trunk.top_radius = 0.08
	trunk.bottom_radius = 0.14
	trunk.height = height * 0.3
	trunk.radial_segments = 8
	_add(trunk, "bark", at + Vector3(0.0, height * 0.15, 0.0))
	for layer: int in 3:
		var cone: CylinderMesh = CylinderMesh.new()
		var share: float = 1.0 - float(layer) * 0.25
		cone.top_radius = 0.0
		cone.bottom_radius = height * 0.26 * share
		cone.height = height * 0.42
		cone.radial_segments = 10
		cone.rings = 1
		var y: float = height * (0.38 + 0.2 * layer)
		var part: MeshInstance3D = _add(cone, "pine", at + Vector3(0.0, y, 0.0))
		part.rotation.y = rng.randf_range(0.0, TAU)


func _round_tree(at: Vector3, height: float, rng: RandomNumberGenerator) -> void:
	var trunk: CylinderMesh = CylinderMesh.new()
	trunk.top_radius = 0.07
	trunk.bottom_radius = 0.12
	trunk.height = height * 0.55
	trunk.radial_segments = 8
	_add(trunk, "bark", at + Vector3(0.0, height * 0.27, 0.0))
	var crown: float = height * 0.32
	var blob: MeshInstance3D = _add(_sphere(crown, 14, 8), "leaves", at + Vector3(
		0.0, height * 0.68, 0.0))
	blob.scale = Vector3(1.0, 0.85, 1.0) * rng.randf_range(0.9, 1.1)
	var side: MeshInstance3D = _add(_sphere(crown * 0.7, 12, 6), "leaves", at + Vector3(
		crown * 0.6, height * 0.55, crown * 0.2))
	side.scale = Vector3.ONE * rng.randf_range(0.8, 1.0)


func _stone(at: Vector3, size: float, rng: RandomNumberGenerator) -> void:
	var stone: MeshInstance3D = _add(_sphere(size, 10, 6), "stone", at + Vector3(
		0.0, size * 0.15, 0.0))
	stone.scale = Vector3(1.0, rng.randf_range(0.4, 0.6), rng.randf_range(0.7, 1.0))
	stone.rotation.y = rng.randf_range(0.0, TAU)


func _pond(at: Vector3, radius: float) -> void:
	var water: CylinderMesh = CylinderMesh.new()
	water.top_radius = radius
	water.bottom_radius = radius
	water.height = 0.02
	water.radial_segments = 40
	var surface: MeshInstance3D = _add(water, "water", at + Vector3(0.0, 0.012, 0.0))
	surface.scale = Vector3(1.0, 1.0, 0.65)
	surface.cast_shadow = GeometryInstance3D.SHADOW_CASTING_SETTING_OFF
	var bank: CylinderMesh = CylinderMesh.new()
	bank.top_radius = radius + 0.35
	bank.bottom_radius = radius + 0.5
	bank.height = 0.015
	bank.radial_segments = 40
	var shore: MeshInstance3D = _add(bank, "sand", at + Vector3(0.0, 0.004, 0.0))
	shore.scale = Vector3(1.0, 1.0, 0.68)
	shore.cast_shadow = GeometryInstance3D.SHADOW_CASTING_SETTING_OFF


func _sphere(radius: float, segments: int, rings: int) -> SphereMesh:
	var sphere: SphereMesh = SphereMesh.new()
	sphere.radius = radius
	sphere.height = radius * 2.0
	sphere.radial_segments = segments
	sphere.rings = rings
	return sphere


func _add(mesh: Mesh, kind: String, at: Vector3) -> MeshInstance3D:
	var node: MeshInstance3D = MeshInstance3D.new()
	node.mesh = mesh
	node.material_override = _material(kind)
	node.position = at
	node.set_meta(&"pw_grown", true)
	add_child(node)
	return node


func _material(kind: String) -> StandardMaterial3D:
	if _materials.has(kind):
		return _materials[kind]
	var material: StandardMaterial3D = StandardMaterial3D.new()
	material.roughness = 0.95
	match kind:
		"hill":
			material.albedo_color = Color(0.5, 0.62, 0.55)
		"bark":
			material.albedo_color = Color(0.42, 0.34, 0.28)
		"pine":
			material.albedo_color = Color(0.3, 0.47, 0.38)
		"leaves":
			material.albedo_color = Color(0.46, 0.6, 0.4)
		"stone":
			material.albedo_color = Color(0.66, 0.65, 0.6)
		"sand":
			material.albedo_color = Color(0.78, 0.74, 0.62)
		"water":
			material.albedo_color = Color(0.42, 0.6, 0.66)
			material.roughness = 0.08
			material.metallic = 0.3
			material.metallic_specular = 0.8
	_materials[kind] = material
	return material
