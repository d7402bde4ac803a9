"""Where the training screens put things: the 1280×720 canvas's panels and the button row."""

from __future__ import annotations

import pygame

FIELD_RECT = pygame.Rect(52, 86, 392, 392)
NETWORK_RECT = pygame.Rect(470, 56, 430, 310)
SAMPLE_RECT = pygame.Rect(912, 56, 356, 150)
PLOT_RECT = pygame.Rect(912, 216, 356, 150)
LOG_RECT = pygame.Rect(470, 376, 560, 334)
SIDE_RECT = pygame.Rect(1040, 376, 228, 334)
CONTROLS_RECT = pygame.Rect(20, 514, 436, 198)
# (control name in level_controls.CONTROLS, button text, width before fitting the row)
TRAINING_BUTTONS = (("step", "Step (Space)", 130), ("train10", "Train ×10", 90),
                    ("train100", "Train ×100", 96), ("auto", "Auto (A)", 82),
                    ("shake", "Shake (S)", 90))
COMPACT_TRAINING_BUTTONS = (("step", "Step (Space)", 118), ("train10", "×10", 54),
                            ("train100", "×100", 62), ("auto", "Auto (A)", 76),
                            ("shake", "Shake (S)", 80))
BUTTON_TIPS = {"train10": "Train 10 steps at once", "train100": "Train 100 steps at once",
               "shake": "Add a little random noise to every weight that trains"}
REMOVE_RADIUS_PX = 13
AUTO_STEPS_PER_SECOND = 120  # at animation speed ×1
AUTO_BATCH = 4
