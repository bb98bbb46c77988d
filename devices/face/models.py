"""The face models: dlib's detector, landmark predictors and ResNet embedding, loaded once.

The weights ship inside the `face-recognition-models` package (an sdist of ~100 MB from the
package registry); dlib itself comes from the `dlib-bin` wheel. Nothing is downloaded at run
time. The files are found through the package's folder, without importing the package (its
`__init__` needs `pkg_resources`, which newer setuptools no longer ships).
"""

from __future__ import annotations

import importlib.util
import threading
from dataclasses import dataclass
from functools import cached_property
from importlib import metadata
from pathlib import Path
from typing import Any

MODELS_PACKAGE = "face_recognition_models"
EMBEDDING_FILE = "dlib_face_recognition_resnet_model_v1.dat"
LANDMARKS_5_FILE = "shape_predictor_5_face_landmarks.dat"
LANDMARKS_68_FILE = "shape_predictor_68_face_landmarks.dat"


class FaceModelsMissingError(RuntimeError):
    """dlib or the model package is not installed: face comparison is not available here."""


def models_folder() -> Path:
    """The folder holding the .dat files of `face-recognition-models`."""
    spec = importlib.util.find_spec(MODELS_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FaceModelsMissingError(
            "the package face-recognition-models is not installed (pip install face-recognition-models)"
        )
    folder = Path(next(iter(spec.submodule_search_locations))) / "models"
    if not (folder / EMBEDDING_FILE).is_file():
        raise FaceModelsMissingError(
            f"{folder / EMBEDDING_FILE} is missing: reinstall face-recognition-models"
        )
    return folder


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def model_version() -> str:
    """Which model compares faces: package, version, file, and the dlib that runs it.

    Recorded with each face check, so a decision can be traced to the model that made it.
    """
    return (
        f"face-recognition-models {_version('face_recognition_models')}/{EMBEDDING_FILE}"
        f" + {LANDMARKS_5_FILE}, HOG detector of dlib-bin {_version('dlib-bin')}"
    )


@dataclass
class FaceModels:
    """dlib's models, each loaded the first time it is used (the 68-point model only for liveness)."""

    folder: Path | None = None

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    def _load(self, what: str) -> Any:
        try:
            import dlib
        except ImportError as exc:  # pragma: no cover - the dependency is declared
            raise FaceModelsMissingError("dlib is not installed (pip install dlib-bin)") from exc
        folder = self.folder or models_folder()
        with self._lock:
            if what == "detector":
                return dlib.get_frontal_face_detector()
            if what == "embedder":
                return dlib.face_recognition_model_v1(str(folder / EMBEDDING_FILE))
            return dlib.shape_predictor(str(folder / what))

    @cached_property
    def detector(self) -> Any:
        """dlib's HOG frontal face detector."""
        return self._load("detector")

    @cached_property
    def landmarks_5(self) -> Any:
        """The 5-point landmark predictor that aligns a face for the embedding."""
        return self._load(LANDMARKS_5_FILE)

    @cached_property
    def landmarks_68(self) -> Any:
        """The 68-point landmark predictor (eyes, nose, jaw) the liveness check reads."""
        return self._load(LANDMARKS_68_FILE)

    @cached_property
    def embedder(self) -> Any:
        """dlib's ResNet that turns an aligned face into a 128-d vector."""
        return self._load("embedder")

    def load_all(self) -> None:
        """Load every model now (a kiosk does it at start, so the first resident does not wait)."""
        for name in ("detector", "landmarks_5", "landmarks_68", "embedder"):
            getattr(self, name)
