extends Node3D
## The world the patient stands in: chooses the rig, and holds the level and the panel.

const XR_RIG: PackedScene = preload("res://addons/pacewise/rigs/xr_rig.tscn")
const SCRIPTED_RIG: PackedScene = preload("res://addons/pacewise/rigs/scripted_rig.tscn")


func _ready() -> void:
	if PwBridge.rig_kind == "xr":
		var xr_rig: PwXrRig = XR_RIG.instantiate() as PwXrRig
		add_child(xr_rig)
		if xr_rig.xr_active:
			return
		print("Pacewise: OpenXR is not running; using the scripted rig.")
		remove_child(xr_rig)
		xr_rig.queue_free()
		PwBridge.rig_kind = "scripted"
	add_child(SCRIPTED_RIG.instantiate())
