"""OCR engines behind one interface, and a small registry (one instance per process)."""

from __future__ import annotations

import functools
import logging
import math
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Protocol

import cv2
import numpy as np
from PIL import Image

from . import preprocess as pp
from .config import OcrConfig

log = logging.getLogger(__name__)

Box = list[tuple[float, float]]
HANGUL = re.compile(r"[\uac00-\ud7a3]")
HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
DIGIT = re.compile(r"\d")


@dataclass
class OcrLine:
    text: str
    box: Box  # 4 corner points (tl, tr, br, bl) in the pixels of the image that was read
    confidence: float
    # other engines' readings of the same box (combined/korean engines); the extractor draws
    # digit-bearing candidates from them too and keeps the ones that validate
    alts: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "box": [[round(x, 1), round(y, 1)] for x, y in self.box],
            "confidence": round(float(self.confidence), 3),
            **({"alts": list(self.alts)} if self.alts else {}),
        }


class OcrEngine(Protocol):
    name: str

    def read(self, image: Image.Image) -> list[OcrLine]: ...


def _box(points, scale: float = 1.0) -> Box:
    arr = pp.order_points(np.asarray(points, dtype=np.float32)) * scale
    return [(float(x), float(y)) for x, y in arr]


def _sort_lines(lines: list[OcrLine]) -> list[OcrLine]:
    return sorted(lines, key=lambda ln: (min(p[1] for p in ln.box), min(p[0] for p in ln.box)))


# --------------------------------------------------------------------------- rapidocr


class RapidBackend:
    """rapidocr-onnxruntime's PP-OCR detection, direction classifier and recogniser."""

    def __init__(self, config: OcrConfig):
        from rapidocr_onnxruntime import RapidOCR

        kwargs: dict = {
            "intra_op_num_threads": max(1, config.threads),
            "inter_op_num_threads": 1,
            "print_verbose": False,
        }
        if config.rec_model_path:
            kwargs["rec_model_path"] = config.rec_model_path
        if config.rec_keys_path:
            kwargs["rec_keys_path"] = config.rec_keys_path
        self.ocr = RapidOCR(**kwargs)
        self.max_side = config.max_side
        self.tile_pixels = config.det_tile_pixels
        self.lock = threading.Lock()  # onnxruntime sessions are shared; the wrapper keeps state

    def detect(self, bgr: np.ndarray) -> list[np.ndarray]:
        h, w = bgr.shape[:2]
        boxes = (
            self._detect_tiled(bgr)
            if self.tile_pixels and h * w > self.tile_pixels
            else self._detect_once(bgr)
        )
        boxes.sort(key=lambda b: (float(b[:, 1].min()), float(b[:, 0].min())))
        return boxes

    def _detect_once(self, bgr: np.ndarray) -> list[np.ndarray]:
        with self.lock:
            res, _ = self.ocr(bgr, use_det=True, use_cls=False, use_rec=False)
        if not res:
            return []
        boxes = [pp.order_points(np.asarray(b, dtype=np.float32)) for b in res]
        return [b for b in boxes if np.linalg.norm(b[1] - b[0]) >= 4 and np.linalg.norm(b[3] - b[0]) >= 4]

    def _detect_tiled(self, bgr: np.ndarray, overlap: int = 96) -> list[np.ndarray]:
        """Strips across the long side, overlapping by more than a text line; each box is kept by the
        strip its centre falls in, so a line on a cut is read once."""
        h, w = bgr.shape[:2]
        vertical = h >= w
        length = h if vertical else w
        k = math.ceil(h * w / self.tile_pixels)
        step = length / k
        axis = 1 if vertical else 0
        out = []
        for i in range(k):
            a, b = max(0, int(i * step) - overlap), min(length, int((i + 1) * step) + overlap)
            strip = bgr[a:b] if vertical else bgr[:, a:b]
            for box in self._detect_once(np.ascontiguousarray(strip)):
                box[:, axis] += a
                centre = float(box[:, axis].mean())
                if i * step <= centre < (i + 1) * step or (i == k - 1 and centre >= length - 1):
                    out.append(box)
        return out

    def classify(self, crops: list[np.ndarray]) -> list[np.ndarray]:
        if not crops:
            return crops
        with self.lock:
            out, _, _ = self.ocr.text_cls([c.copy() for c in crops])
        return list(out)

    def recognize(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        if not crops:
            return []
        with self.lock:
            res, _ = self.ocr.text_rec(crops)
        return [(str(r[0]), float(r[1])) for r in res]


def _detect_and_crop(
    backend: RapidBackend, image: Image.Image
) -> tuple[list[np.ndarray], list[np.ndarray], float]:
    bgr = pp.to_bgr(image)
    small, back = pp.fit_side(bgr, backend.max_side)
    boxes = pp.extend_over_marks(small, backend.detect(small))
    crops = [pp.crop_line(small, b) for b in boxes]
    # no 180° line classifier: on receipts it turned upright Hangul lines upside down (the page itself
    # is made upright from EXIF before we get here)
    return boxes, crops, back


class RapidOcrEngine:
    name = "rapidocr"

    def __init__(self, config: OcrConfig):
        self.backend = _rapid_backend(config)

    def read(self, image: Image.Image) -> list[OcrLine]:
        boxes, crops, back = _detect_and_crop(self.backend, image)
        texts = self.backend.recognize(crops)
        lines = [
            OcrLine(t.strip(), _box(b, back), c)
            for b, (t, c) in zip(boxes, texts, strict=True)
            if t.strip() and c >= 0.3
        ]
        return _sort_lines(lines)


# --------------------------------------------------------------------------- tesseract


def tesseract_ok(cmd: str = "tesseract") -> bool:
    exe = shutil.which(cmd)
    if not exe:
        return False
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    langs = set((out.stdout + out.stderr).split())
    return "kor" in langs and "eng" in langs


def run_tesseract(
    gray: np.ndarray, *, psm: int = 6, cmd: str = "tesseract", timeout: float = 60.0, lang: str = "kor+eng"
) -> list[dict]:
    """Words from the Tesseract CLI (TSV): dicts with line key, left/top/width/height, conf, text."""
    ok, png = cv2.imencode(".png", gray)
    if not ok:
        return []
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"  # same text, ~30% faster on 2 cores, and no fight with onnxruntime
    proc = subprocess.run(
        [cmd, "stdin", "stdout", "-l", lang, "--psm", str(psm), "--dpi", "300", "tsv"],
        input=png.tobytes(),
        capture_output=True,
        timeout=timeout,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"tesseract failed: {proc.stderr.decode('utf-8', 'replace')[-300:]}")
    words = []
    for row in proc.stdout.decode("utf-8", "replace").splitlines()[1:]:
        parts = row.split("\t")
        if len(parts) < 12 or parts[0] != "5":
            continue
        text = parts[11].strip()
        if not text:
            continue
        try:
            words.append(
                {
                    "key": (int(parts[2]), int(parts[3]), int(parts[4])),
                    "left": int(parts[6]),
                    "top": int(parts[7]),
                    "width": int(parts[8]),
                    "height": int(parts[9]),
                    "conf": max(0.0, float(parts[10])) / 100.0,
                    "text": text,
                }
            )
        except ValueError:
            continue
    return words


def join_words(words: list[dict]) -> str:
    """Join Tesseract words; it splits Hangul words at odd places, so keep its spacing."""
    return " ".join(w["text"] for w in sorted(words, key=lambda w: w["left"]))


class TesseractEngine:
    """Tesseract (kor+eng) on the whole page. --psm 6 (one uniform block) read receipts best of 4/6/11."""

    name = "tesseract"
    psm = 6

    def __init__(self, config: OcrConfig):
        self.cmd = shutil.which(config.tesseract_cmd) or config.tesseract_cmd
        self.timeout = config.tesseract_timeout
        self.max_side = max(config.max_side, 2000)

    def read(self, image: Image.Image) -> list[OcrLine]:
        bgr = pp.to_bgr(image)
        img, back = pp.fit_side(bgr, self.max_side, min_long_side=1200)
        gray = pp.grey(img)
        words = run_tesseract(gray, psm=self.psm, cmd=self.cmd, timeout=self.timeout)
        groups: dict[tuple, list[dict]] = {}
        for w in words:
            groups.setdefault(w["key"], []).append(w)
        lines = []
        for ws in groups.values():
            x0 = min(w["left"] for w in ws)
            y0 = min(w["top"] for w in ws)
            x1 = max(w["left"] + w["width"] for w in ws)
            y1 = max(w["top"] + w["height"] for w in ws)
            box = [
                (x0 * back, y0 * back),
                (x1 * back, y0 * back),
                (x1 * back, y1 * back),
                (x0 * back, y1 * back),
            ]
            conf = sum(w["conf"] for w in ws) / len(ws)
            text = join_words(ws)
            if text.strip():
                lines.append(OcrLine(text, box, conf))
        return _sort_lines(lines)


def tesseract_lines(crops: list[np.ndarray], *, cmd: str, timeout: float) -> list[tuple[str, float]]:
    """Read many line crops with one Tesseract call: stacked into one page, words mapped back by row."""
    if not crops:
        return []
    page, spans = pp.stack_crops(crops, height=48)
    words = run_tesseract(page, psm=6, cmd=cmd, timeout=timeout)
    per: list[list[dict]] = [[] for _ in crops]
    for w in words:
        cy = w["top"] + w["height"] / 2
        # the crop whose span holds the word's centre (or the nearest one)
        best, dist = 0, float("inf")
        for i, (t, b) in enumerate(spans):
            d = 0.0 if t <= cy <= b else min(abs(cy - t), abs(cy - b))
            if d < dist:
                best, dist = i, d
            if t > cy + 100:
                break
        per[best].append(w)
    out = []
    for ws in per:
        if not ws:
            out.append(("", 0.0))
        else:
            out.append((join_words(ws), sum(w["conf"] for w in ws) / len(ws)))
    return out


# --------------------------------------------------------------------------- merging readings

NUMRUN = re.compile(r"\d[\d,.\-:/*]*\d|\d")


def respace(d: str, h: str) -> str:
    """Put the word spacing of reading `h` into reading `d` (rapidocr drops spaces: "2026-09-14 18:30:14
    30224109" comes out as "2026-09-14 18:30:1430224109"), aligning the two character by character.
    d keeps its own spaces; h's are added only inside runs where both readings agree."""
    import difflib

    dchars: list[str] = []
    dspace: set[int] = set()
    for ch in d:
        if ch == " ":
            dspace.add(len(dchars))
        else:
            dchars.append(ch)
    hn: list[str] = []
    spaces: set[int] = set()
    for ch in h:
        if ch == " ":
            spaces.add(len(hn))
        else:
            hn.append(ch)
    dn = "".join(dchars)
    if not dn or not spaces:
        return d
    sm = difflib.SequenceMatcher(None, dn, "".join(hn), autojunk=False)
    cut = set(dspace)
    for i, j, n in sm.get_matching_blocks():
        for k in range(1, n):  # strictly inside a block: both neighbours of the space agree
            if (j + k) in spaces:
                cut.add(i + k)
    out: list[str] = []
    for i, ch in enumerate(dn):
        if i in cut and out:
            left = "".join(out)
            # between two digits only where it ends a time, a date or a thousands group ("18:30:14 3022..",
            # "2,500 2"), never inside an ID ("02-3408-1 234")
            if (
                i in dspace
                or not (ch.isdigit() and left[-1:].isdigit())
                or re.search(
                    r"(\d{1,2}:\d{2}(:\d{2})?|[,.]\d{3}|\d{6,}|\d{2,4}[-./]\d{1,2}[-./]\d{1,2})$", left
                )
                or re.match(r"\d{6,}", dn[i:])
            ):
                out.append(" ")
        out.append(ch)
    return "".join(out)


# (no boundary before the hour: rapidocr glues it to the date, "202610609:46")
TIME_OF_DAY = re.compile(r"[0-2]\d:[0-5]\d(?::[0-5]\d)?(?!\d)")


BARE_NUMBER = re.compile(r"\W*\d{6,}\W*")  # a line that is one ID: "[36528997]", "36528997"


def merge_readings(
    digits_text: str, hangul_text: str, digits_conf: float = 1.0, hangul_conf: float = 0.0
) -> str:
    """One line from two readings: Hangul from `hangul_text`, digit runs from `digits_text` where the
    two agree on how many digit runs there are; otherwise whichever reading suits the line."""
    d, h = digits_text.strip(), hangul_text.strip()
    if not h:
        return "" if HAN.search(d) and not DIGIT.search(d) else d
    if not d:
        return h
    if re.sub(r"\D", "", d) == re.sub(r"\D", "", h) and not HAN.search(h):
        return h  # same digits: keep the reading with Hangul and word spacing
    if not HANGUL.search(h):
        # a bare number both read with as many digits but differently: the surer reading ("36528897" at
        # 0.87 against our CRNN's right "36528997" at 0.90)
        if (
            hangul_conf > digits_conf
            and BARE_NUMBER.fullmatch(h)
            and BARE_NUMBER.fullmatch(d)
            and len(re.sub(r"\D", "", d)) == len(re.sub(r"\D", "", h))
        ):
            return h
        # no Hangul in the line: the ONNX reader is better at digits and Latin (with h's spacing)
        return respace(d, h) if not HAN.search(d) else h
    druns, hruns = NUMRUN.findall(d), NUMRUN.findall(h)
    if druns and len(druns) == len(hruns):
        pairs = iter(list(zip(druns, hruns, strict=True)))

        def pick(_m: re.Match) -> str:
            dr, hr = next(pairs)
            # the ONNX reader's digits, unless it read a different number of them with little confidence
            same_len = len(re.sub(r"\D", "", dr)) == len(re.sub(r"\D", "", hr))
            return dr if (same_len or digits_conf >= 0.95) else hr

        return NUMRUN.sub(pick, h)
    # the runs differ (rapidocr glued "2026년 10월 6일 09:46" into "202610609:46"), but a time of day
    # each read once is still the ONNX reader's
    dtimes, htimes = TIME_OF_DAY.findall(d), TIME_OF_DAY.findall(h)
    if len(dtimes) == 1 and len(htimes) == 1 and len(dtimes[0]) == len(htimes[0]):
        return TIME_OF_DAY.sub(dtimes[0], h)
    return h


class _CropEngine:
    """rapidocr's line boxes, each line crop read by another recogniser; rapidocr's own reading is kept
    as an alternative (digits) and merged in."""

    name = "combined"

    def __init__(self, config: OcrConfig, cross_check: bool = True):
        self.backend = _rapid_backend(config)
        self.config = config
        self.cross_check = cross_check

    def hangul_readers(self, crops: list[np.ndarray]) -> list[list[tuple[str, float]]]:
        """Readings of every crop by each in-process Hangul reader (one list per reader)."""
        return []

    def background_readers(self) -> list[Callable[[list[np.ndarray]], list[tuple[str, float]]]]:
        """Readers that run outside this process (Tesseract): started on a thread before the in-process
        readers, so that on a 2-core machine the subprocess and onnxruntime read at the same time."""
        return []

    def read(self, image: Image.Image) -> list[OcrLine]:
        boxes, crops, back = _detect_and_crop(self.backend, image)
        if not boxes:
            return []
        pending = [_BACKGROUND.submit(reader, crops) for reader in self.background_readers()]
        try:
            readers = self.hangul_readers(crops)
            first = self.backend.recognize(crops) if self.cross_check else [("", 0.0)] * len(crops)
        except BaseException:
            wait(pending)  # no subprocess outlives a failed read
            raise
        readers += [f.result() for f in pending]
        return combine_readings(boxes, back, first, readers)

    def tesseract(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        return tesseract_lines(
            crops,
            cmd=shutil.which(self.config.tesseract_cmd) or self.config.tesseract_cmd,
            timeout=self.config.tesseract_timeout,
        )


def combine_readings(
    boxes: list[np.ndarray],
    back: float,
    first: list[tuple[str, float]],
    readers: list[list[tuple[str, float]]],
) -> list[OcrLine]:
    """Per line box: rapidocr's reading (`first`, trusted for digits) merged with the surest of the
    Hangul `readers`; the other readings kept as alternatives for the extractor."""
    lines = []
    for i, (b, (t1, c1)) in enumerate(zip(boxes, first, strict=True)):
        t1 = t1.strip() if c1 >= 0.3 else ""
        readings = [(r[i][0].strip(), float(r[i][1])) for r in readers]
        # the Hangul reader that is surest of this line (confidences of Tesseract and of our CRNN
        # are on comparable 0..1 scales); the others stay as alternatives
        t2, c2 = max(readings, key=lambda tc: (bool(tc[0]), tc[1]))
        text = merge_readings(t1, t2, c1, c2)
        if not text:
            continue
        alts = tuple(dict.fromkeys(t for t in (t1, t2, *(r[0] for r in readings)) if t and t != text))
        conf = c2 if text == t2 else (c1 if text == t1 else (c1 + c2) / 2)
        lines.append(OcrLine(text, _box(b, back), float(conf), alts))
    return _sort_lines(lines)


class CombinedEngine(_CropEngine):
    """rapidocr's line boxes and digits, Hangul read by Tesseract."""

    name = "combined"

    def background_readers(self):
        return [self.tesseract]


class KoreanEngine(_CropEngine):
    """rapidocr detection + our own Korean CRNN (tasks/ocr/recognizer.py) on deskewed line crops."""

    name = "korean"

    def __init__(self, config: OcrConfig, cross_check: bool = True):
        super().__init__(config, cross_check=cross_check)
        from .recognizer import KoreanRecognizer

        self.recognizer = KoreanRecognizer(
            config.korean_model_path,
            config.korean_charset_path,
            max(1, config.threads),
            lm_path=config.korean_lm_path,
            lm_weight=config.korean_lm_weight,
        )

    def hangul_readers(self, crops):
        return [[(str(t), float(c)) for t, c in self.recognizer.recognize(crops)]]


class EnsembleEngine(KoreanEngine):
    """rapidocr's line boxes read by rapidocr (digits), Tesseract and our Korean CRNN (Hangul); per line
    the surer Hangul reading, the others kept as alternatives for the extractor. Tesseract reads on a
    thread (its own process) while the two ONNX readers run."""

    name = "ensemble"

    def background_readers(self):
        return [self.tesseract]


# --------------------------------------------------------------------------- registry


@functools.lru_cache(maxsize=4)
def _rapid_backend(config: OcrConfig) -> RapidBackend:
    return RapidBackend(config)


def _rapidocr_ok() -> bool:
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


@functools.lru_cache(maxsize=8)
def _availability(config: OcrConfig) -> tuple[str, ...]:
    names = []
    rapid = _rapidocr_ok()
    tess = tesseract_ok(config.tesseract_cmd)
    if rapid:
        names.append("rapidocr")
    if tess:
        names.append("tesseract")
    if rapid and tess:
        names.append("combined")
    if rapid and config.korean_model_available():
        try:
            from . import recognizer  # noqa: F401
        except Exception:
            log.warning("korean model present but tasks.ocr.recognizer cannot be imported", exc_info=True)
        else:
            names.append("korean")
            if tess:
                names.append("ensemble")
    return tuple(names)


def available_engines(config: OcrConfig | None = None) -> list[str]:
    return list(_availability(config or OcrConfig.from_env()))


_FACTORIES = {
    "rapidocr": RapidOcrEngine,
    "tesseract": TesseractEngine,
    "combined": CombinedEngine,
    "korean": KoreanEngine,
    "ensemble": EnsembleEngine,
}
_lock = threading.Lock()
_BACKGROUND = ThreadPoolExecutor(max_workers=4, thread_name_prefix="ocr-subprocess")
_instances: dict[tuple[str, OcrConfig], OcrEngine] = {}


def get_engine(name: str | None = None, config: OcrConfig | None = None) -> OcrEngine:
    """The named engine (default: config's, then DEFAULT_ENGINE), created once per process."""
    config = config or OcrConfig.from_env()
    name = name or config.engine or config.default_engine()
    if name not in _FACTORIES:
        raise ValueError(f"unknown OCR engine {name!r}; known: {', '.join(_FACTORIES)}")
    if name not in _availability(config):
        raise ValueError(
            f"OCR engine {name!r} is not available here; available: {', '.join(_availability(config))}"
        )
    key = (name, config)
    with _lock:
        eng = _instances.get(key)
        if eng is None:
            factory: Callable[[OcrConfig], OcrEngine] = _FACTORIES[name]  # type: ignore[assignment]
            eng = factory(config)
            _instances[key] = eng
    return eng
