class_name PwProtocol
extends RefCounted
## The bridge protocol's names and numbers for the Godot side (see docs/protocol.md).
##
## GENERATED from the Python models (pacewise.runtime.protocol, pacewise.levels.ops) by
## `python -m pacewise.runtime.protocol_gen`. Do not edit: change the models and run it again;
## tests/unit/test_protocol_gen.py fails while this file is stale.

const VERSION: int = 1
const MAX_MESSAGE_BYTES: int = 262144
const TOKEN_ENV: String = "PACEWISE_BRIDGE_TOKEN"

# Messages Godot sends.
const MSG_HELLO: String = "hello"
const MSG_FRAME: String = "frame"
const MSG_SIGNAL: String = "signal"
const MSG_BEHAVIOUR_READY: String = "behaviour_ready"
const MSG_BEHAVIOUR_EXIT: String = "behaviour_exit"
const MSG_LEVEL_LOADED: String = "level_loaded"
const MSG_OP_FAILED: String = "op_failed"
const MSG_STOP: String = "stop"

# Messages Python sends.
const MSG_WELCOME: String = "welcome"
const MSG_COMMANDS: String = "commands"
const MSG_ERROR: String = "error"

const GODOT_MESSAGES: Array[String] = [
	"hello",
	"frame",
	"signal",
	"behaviour_ready",
	"behaviour_exit",
	"level_loaded",
	"op_failed",
	"stop",
]
const PYTHON_MESSAGES: Array[String] = ["welcome", "commands", "error"]

# Ops: what a `commands` message asks Godot to do.
const OP_SET: String = "set"
const OP_CALL: String = "call"
const OP_SPAWN: String = "spawn"
const OP_FREE: String = "free"
const OP_CONNECT: String = "connect"
const OP_LOAD_LEVEL: String = "load_level"
const OP_UNLOAD_LEVEL: String = "unload_level"
const OP_RIG_POSE: String = "rig_pose"
const OP_TEXT: String = "text"
const OP_ASK_PAIN: String = "ask_pain"
const OP_ASK_CHOICE: String = "ask_choice"
const OP_CUE: String = "cue"
const OP_RIG_MODE: String = "rig_mode"
const OP_RECENTER: String = "recenter"
const OP_HAPTIC: String = "haptic"
const OP_SCREENSHOT: String = "screenshot"
const OP_QUIT: String = "quit"

const OPS: Array[String] = [
	"set",
	"call",
	"spawn",
	"free",
	"connect",
	"load_level",
	"unload_level",
	"rig_pose",
	"text",
	"ask_pain",
	"ask_choice",
	"cue",
	"rig_mode",
	"recenter",
	"haptic",
	"screenshot",
	"quit",
]

# Fields Godot reads or sends: defaults, bounds and choices, as the models say.
const HELLO_RIG_CHOICES: Array[String] = ["xr", "scripted", "desktop"]
const HELLO_PHYSICS_HZ_MIN: int = 10
const HELLO_PHYSICS_HZ_MAX: int = 1000
const DEFAULT_HELLO_LOCKSTEP: bool = false
const DEFAULT_HELLO_RESUMED: bool = false
const FRAME_N_MIN: int = 0
const FRAME_T_MIN: float = 0.0
const FRAME_T_MAX: float = 86400.0
const DEFAULT_FRAME_BUTTONS: Dictionary = {}
const DEFAULT_SIGNAL_ARGS: Array = []
const DEFAULT_BEHAVIOUR_READY_PARAMS: Dictionary = {}
const DEFAULT_STOP_SOURCE: String = "button"
const DEFAULT_CALL_ARGS: Array = []
const DEFAULT_SPAWN_POSITION: Array = [0.0, 0.0, 0.0]
const SPAWN_POSITION_MIN_ITEMS: int = 3
const SPAWN_POSITION_MAX_ITEMS: int = 3
const DEFAULT_SPAWN_PROPS: Dictionary = {}
const DEFAULT_ASK_PAIN_LOW: String = "no pain"
const DEFAULT_ASK_PAIN_HIGH: String = "worst pain imaginable"
const ASK_CHOICE_CHOICES_MIN_ITEMS: int = 2
const ASK_CHOICE_CHOICES_MAX_ITEMS: int = 6
const CUE_NAME_CHOICES: Array[String] = [
	"tick",
	"tock",
	"breath_in",
	"breath_out",
	"success",
	"chime",
	"soft_alert",
]
const DEFAULT_CUE_VOLUME_DB: float = -6.0
const CUE_VOLUME_DB_MIN: float = -40.0
const CUE_VOLUME_DB_MAX: float = 6.0
const RIG_MODE_POSTURE_CHOICES: Array[String] = ["seated", "standing"]
const DEFAULT_RIG_MODE_HEIGHT_OFFSET_M: float = 0.0
const RIG_MODE_HEIGHT_OFFSET_M_MIN: float = -1.0
const RIG_MODE_HEIGHT_OFFSET_M_MAX: float = 1.0
const HAPTIC_HAND_CHOICES: Array[String] = ["left", "right"]
const DEFAULT_HAPTIC_AMPLITUDE: float = 0.5
const HAPTIC_AMPLITUDE_MIN: float = 0.0
const HAPTIC_AMPLITUDE_MAX: float = 1.0
const DEFAULT_HAPTIC_DURATION_S: float = 0.1
const HAPTIC_DURATION_S_MIN: float = 0.0
const HAPTIC_DURATION_S_MAX: float = 2.0
const DEFAULT_QUIT_CODE: int = 0
const QUIT_CODE_MIN: int = 0
const QUIT_CODE_MAX: int = 125
