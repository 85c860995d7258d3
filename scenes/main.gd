extends Node3D
## The world the patient plays in: chooses the rig, and holds the scenery, the level, the panel
## and the sound cues.
##
## Rigs: `--pw-rig=xr` uses OpenXR and falls back to the desktop rig (or, with no display, the
## scripted one) when no runtime is running; `--pw-rig=desktop` is mouse and keyboard;
## anything else is the scripted rig that Python moves (the synthetic patient).

const XR_RIG: PackedScene = preload("res://addons/pacewise/rigs/xr_rig.tscn")
const DESKTOP_RIG: PackedScene = preload("res://addons/pacewise/rigs/desktop_rig.tscn")
const SCRIPTED_RIG: PackedScene = preload("res://addons/pacewise/rigs/scripted_rig.tscn")


func _ready() -> void:
	var kind: String = PwBridge.rig_kind
	if kind == "xr":
		var xr_rig: PwXrRig = XR_RIG.instantiate() as PwXrRig
		add_child(xr_rig)
		if xr_rig.xr_active:
			return
		remove_child(xr_rig)
		xr_rig.queue_free()
		kind = "scripted" if DisplayServer.get_name() == "headless" else "desktop"
		print("Pacewise: OpenXR is not running; using the %s rig." % kind)
	PwBridge.rig_kind = kind
	add_child(DESKTOP_RIG.instantiate() if kind == "desktop" else SCRIPTED_RIG.instantiate())
	# The panel was laid out before the rig was settled: its lines on answering follow the rig.
	get_tree().call_group(&"pw_panel", &"refresh")
