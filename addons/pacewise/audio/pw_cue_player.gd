class_name PwCuePlayer
extends Node
## Plays the game's short sounds, all made here from sine waves at start-up (nothing
## downloaded): a metronome `tick`/`tock`, `breath_in` (a gently rising tone), `breath_out`
## (falling), a soft `success`, a `chime` and a `soft_alert`. The `cue` op calls `play()`.

## Emitted whenever a cue starts, with its name (tests and recordings listen to it).
signal cue_played(cue: String)

const MIX_RATE: int = 22050
const CUES: PackedStringArray = [
	"tick", "tock", "breath_in", "breath_out", "success", "chime", "soft_alert",
]

var last_cue: String = ""
var played_count: int = 0

var _players: Dictionary = {}


func _enter_tree() -> void:
	add_to_group(&"pw_cues")


func _ready() -> void:
	for cue: String in CUES:
		var player: AudioStreamPlayer = AudioStreamPlayer.new()
		player.name = cue.to_pascal_case()
		player.stream = make_stream(cue)
		player.max_polyphony = 3
		add_child(player)
		_players[cue] = player


## Play `cue` at `volume_db`; returns "" or why it could not.
func play(cue: String, volume_db: float = -6.0) -> String:
	if not _players.has(cue):
		return "unknown cue %s (known: %s)" % [cue, ", ".join(CUES)]
	var player: AudioStreamPlayer = _players[cue]
	player.volume_db = clampf(volume_db, -40.0, 6.0)
	player.play()
	last_cue = cue
	played_count += 1
	cue_played.emit(cue)
	return ""


## The generated sound for `cue` (16-bit mono PCM), or null for an unknown name.
static func make_stream(cue: String) -> AudioStreamWAV:
	var samples: PackedFloat32Array
	match cue:
		"tick":
			samples = _tone([[1320.0, 1.0]], 0.06, 0.002, 45.0)
		"tock":
			samples = _tone([[880.0, 1.0], [440.0, 0.4]], 0.08, 0.002, 35.0)
		"breath_in":
			samples = _glide(220.0, 330.0, 1.6)
		"breath_out":
			samples = _glide(330.0, 220.0, 2.0)
		"success":
			samples = _notes([523.25, 659.25], 0.12, 0.7, 0.5)
		"chime":
			samples = _notes([523.25, 659.25, 783.99], 0.16, 1.4, 0.45)
		"soft_alert":
			samples = _notes([440.0, 349.23], 0.22, 0.8, 0.45)
		_:
			return null
	return _to_wav(samples)


# Partials [[hz, gain], ...] with a short attack and an exponential decay of `decay` per second.
static func _tone(
	partials: Array, length_s: float, attack_s: float, decay: float
) -> PackedFloat32Array:
	var count: int = int(length_s * MIX_RATE)
	var out: PackedFloat32Array = []
	out.resize(count)
	for i: int in count:
		var t: float = float(i) / MIX_RATE
		var env: float = minf(t / attack_s, 1.0) * exp(-decay * t)
		var v: float = 0.0
		for partial: Array in partials:
			v += sin(TAU * float(partial[0]) * t) * float(partial[1])
		out[i] = v * env * 0.5
	return out


# A soft tone sliding from `from_hz` to `to_hz`, swelling in and out like a breath.
static func _glide(from_hz: float, to_hz: float, length_s: float) -> PackedFloat32Array:
	var count: int = int(length_s * MIX_RATE)
	var out: PackedFloat32Array = []
	out.resize(count)
	var phase: float = 0.0
	for i: int in count:
		var share: float = float(i) / count
		var hz: float = lerpf(from_hz, to_hz, smoothstep(0.0, 1.0, share))
		phase += TAU * hz / MIX_RATE
		var env: float = sin(PI * share)
		out[i] = (sin(phase) + 0.18 * sin(2.0 * phase)) * env * env * 0.32
	return out


# Bell-like notes one after another, every `gap_s`, each ringing out over the whole length.
static func _notes(
	pitches: Array, gap_s: float, length_s: float, gain: float
) -> PackedFloat32Array:
	var count: int = int(length_s * MIX_RATE)
	var out: PackedFloat32Array = []
	out.resize(count)
	for n: int in pitches.size():
		var hz: float = float(pitches[n])
		var start: int = int(n * gap_s * MIX_RATE)
		for i: int in range(start, count):
			var t: float = float(i - start) / MIX_RATE
			var env: float = minf(t / 0.008, 1.0) * exp(-4.5 * t)
			var v: float = sin(TAU * hz * t) + 0.25 * sin(TAU * hz * 2.0 * t) * exp(-6.0 * t)
			out[i] += v * env * gain / pitches.size()
	return out


static func _to_wav(samples: PackedFloat32Array) -> AudioStreamWAV:
	var data: PackedByteArray = []
	data.resize(samples.size() * 2)
	var fade: int = mini(64, samples.size())
	for i: int in samples.size():
		var v: float = samples[i]
		if i >= samples.size() - fade:
			v *= float(samples.size() - 1 - i) / fade
		data.encode_s16(i * 2, int(clampf(v, -1.0, 1.0) * 32000.0))
	var stream: AudioStreamWAV = AudioStreamWAV.new()
	stream.format = AudioStreamWAV.FORMAT_16_BITS
	stream.mix_rate = MIX_RATE
	stream.stereo = false
	stream.data = data
	return stream
