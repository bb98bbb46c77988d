"""Voice prompts: one short sentence per resident screen, made into sound files ahead of time
with espeak-ng (Mandarin) and played from disk; never synthesised at run time, never over a
network. The files are rebuilt only when the texts change."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tomllib
from pathlib import Path

VOICE_DIR = Path(__file__).resolve().parent.parent / "assets" / "voice"
PROMPTS_FILE = VOICE_DIR / "prompts.toml"
GENERATED = VOICE_DIR / "generated"
ESPEAK_VOICE = "cmn"
WORDS_PER_MINUTE = 140  # slower than espeak's 175: many residents are elderly


def prompts(path: Path = PROMPTS_FILE) -> dict[str, str]:
    """Prompt id (a screen's name, or 'countdown') → the sentence."""
    return dict(tomllib.loads(path.read_text(encoding="utf-8"))["prompts"])


def prompt_file(prompt_id: str, folder: Path = GENERATED) -> Path:
    """Where a prompt's sound file is."""
    return folder / f"{prompt_id}.wav"


def _fingerprint(texts: dict[str, str]) -> str:
    recipe = f"{ESPEAK_VOICE}:{WORDS_PER_MINUTE}:" + repr(sorted(texts.items()))
    return hashlib.sha256(recipe.encode()).hexdigest()


def up_to_date(folder: Path = GENERATED, texts: dict[str, str] | None = None) -> bool:
    """True when every prompt's file exists and was made from the current texts."""
    texts = texts if texts is not None else prompts()
    stamp = folder / ".made-from"
    return (
        stamp.exists()
        and stamp.read_text() == _fingerprint(texts)
        and all(prompt_file(p, folder).exists() for p in texts)
    )


def make_voice_files(folder: Path = GENERATED, espeak: str = "espeak-ng") -> list[Path]:
    """Speak every prompt into `folder` (RuntimeError naming the package when espeak-ng is
    missing); the files made, or none when they are up to date."""
    texts = prompts()
    if up_to_date(folder, texts):
        return []
    if shutil.which(espeak) is None:
        raise RuntimeError("espeak-ng is not installed (Debian package espeak-ng): no voice prompts made")
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for prompt_id, text in texts.items():
        path = prompt_file(prompt_id, folder)
        subprocess.run(
            [espeak, "-v", ESPEAK_VOICE, "-s", str(WORDS_PER_MINUTE), "-w", str(path), text],
            check=True,
            capture_output=True,
        )
        made.append(path)
    (folder / ".made-from").write_text(_fingerprint(texts))
    return made
