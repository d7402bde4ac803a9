"""Colour-vision maths: simulate a colour-vision deficiency and measure colour differences.

Used to check the palettes (tests/test_palette.py) and by `fruitnet shot --simulate`
to look at a whole screen as a person with deuteranopia or protanopia sees it.

The simulation is Machado, Oliveira & Fernandes (2009), "A physiologically-based
model for simulation of color vision deficiency", IEEE TVCG 15(6), at severity
1.0 (a dichromat). Its matrices act on linear RGB, so sRGB is linearised first
and encoded again after. Colour difference is CIEDE2000 (Sharma, Wu & Dalal 2005,
"The CIEDE2000 color-difference formula: implementation notes"), from sRGB via
CIE XYZ (D65) and CIELAB. numpy only: no pygame, so it can run anywhere.
"""

from __future__ import annotations

import numpy as np

# Machado et al. (2009), table of matrices for severity 1.0, applied to linear RGB.
MACHADO_1_0 = {
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
}

# sRGB (linear) → CIE XYZ, D65 white (IEC 61966-2-1).
_RGB_TO_XYZ = np.array([[0.4124564, 0.3575761, 0.1804375],
                        [0.2126729, 0.7151522, 0.0721750],
                        [0.0193339, 0.1191920, 0.9503041]])
_WHITE = _RGB_TO_XYZ.sum(axis=1)  # XYZ of sRGB white (D65)


def to_linear(rgb: np.ndarray) -> np.ndarray:
    """(..., 3) sRGB 0…255 → (..., 3) linear RGB 0…1 (the sRGB transfer curve undone)."""
    c = np.asarray(rgb, dtype=np.float64) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def to_srgb(linear: np.ndarray) -> np.ndarray:
    """(..., 3) linear RGB 0…1 → (..., 3) sRGB 0…255 floats (clipped to the gamut)."""
    c = np.clip(linear, 0.0, 1.0)
    return 255.0 * np.where(c <= 0.0031308, 12.92 * c, 1.055 * c ** (1 / 2.4) - 0.055)


def simulate(rgb: np.ndarray, kind: str = "deuteranopia") -> np.ndarray:
    """(..., 3) sRGB 0…255 → (..., 3) sRGB 0…255 floats as seen with `kind` (Machado 1.0)."""
    return to_srgb(to_linear(rgb) @ MACHADO_1_0[kind].T)


def simulate_image(pixels: np.ndarray, kind: str = "deuteranopia") -> np.ndarray:
    """(w, h, 3) uint8 pixels → (w, h, 3) uint8 as seen with `kind`, through a 256-entry
    table per channel for the transfer curves, so a 1280×720 screen takes ~0.1 s."""
    linear = _LINEAR_TABLE[pixels]  # (w, h, 3)
    return (to_srgb(linear @ MACHADO_1_0[kind].T) + 0.5).astype(np.uint8)


_LINEAR_TABLE = to_linear(np.arange(256)[:, None].repeat(3, axis=1))[:, 0]


def to_lab(rgb: np.ndarray) -> np.ndarray:
    """(..., 3) sRGB 0…255 → (..., 3) CIELAB (L*, a*, b*), D65."""
    xyz = to_linear(rgb) @ _RGB_TO_XYZ.T / _WHITE
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]),
                     200 * (f[..., 1] - f[..., 2])], axis=-1)


def delta_e_2000(rgb1: np.ndarray, rgb2: np.ndarray) -> np.ndarray:
    """CIEDE2000 colour difference between sRGB colours (..., 3) → (...,); about 2.3 is
    a just-noticeable difference."""
    return delta_e_2000_lab(to_lab(rgb1), to_lab(rgb2))


def delta_e_2000_lab(lab1: np.ndarray, lab2: np.ndarray) -> np.ndarray:
    """CIEDE2000 between CIELAB colours (..., 3) → (...,), kL = kC = kH = 1
    (Sharma et al. 2005, eq. 1-23; their table 1 is the test data)."""
    L1, a1, b1 = np.moveaxis(np.asarray(lab1, dtype=np.float64), -1, 0)
    L2, a2, b2 = np.moveaxis(np.asarray(lab2, dtype=np.float64), -1, 0)
    c_mean = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_mean ** 7 / (c_mean ** 7 + 25.0 ** 7)))
    a1, a2 = a1 * (1 + g), a2 * (1 + g)
    c1, c2 = np.hypot(a1, b1), np.hypot(a2, b2)
    h1 = np.degrees(np.arctan2(b1, a1)) % 360
    h2 = np.degrees(np.arctan2(b2, a2)) % 360
    dh = np.where(c1 * c2 == 0, 0.0, ((h2 - h1 + 180) % 360) - 180)
    dL, dC = L2 - L1, c2 - c1
    dH = 2 * np.sqrt(c1 * c2) * np.sin(np.radians(dh / 2))
    L_mean, C_mean = (L1 + L2) / 2, (c1 + c2) / 2
    h_sum = h1 + h2
    h_mean = np.where(c1 * c2 == 0, h_sum,
                      np.where(np.abs(h1 - h2) <= 180, h_sum / 2,
                               np.where(h_sum < 360, (h_sum + 360) / 2, (h_sum - 360) / 2)))
    t = (1 - 0.17 * np.cos(np.radians(h_mean - 30)) + 0.24 * np.cos(np.radians(2 * h_mean))
         + 0.32 * np.cos(np.radians(3 * h_mean + 6)) - 0.20 * np.cos(np.radians(4 * h_mean - 63)))
    s_l = 1 + 0.015 * (L_mean - 50) ** 2 / np.sqrt(20 + (L_mean - 50) ** 2)
    s_c = 1 + 0.045 * C_mean
    s_h = 1 + 0.015 * C_mean * t
    r_t = (-2 * np.sqrt(C_mean ** 7 / (C_mean ** 7 + 25.0 ** 7))
           * np.sin(np.radians(60 * np.exp(-(((h_mean - 275) / 25) ** 2)))))
    return np.sqrt((dL / s_l) ** 2 + (dC / s_c) ** 2 + (dH / s_h) ** 2
                   + r_t * (dC / s_c) * (dH / s_h))
